import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The officer's own authority's settings: read by its officers, changed by its directors.
struct AuthoritySettingsPages: PageRoutes {
    let s: LicensingService
    let renderer: Renderer

    func register(_ router: Router<AppRequestContext>) {
        let group = router.group(context: SignedInContext.self)
        group.get("authority/settings") { _, c in
            try c.require(.officer)
            return try await page(c, try await s.authoritySettings(authority(c.user)))
        }
        group.post("authority/settings") { request, c in
            try c.require(.officer)
            let f = try await Form(request, limit: 16 * 1024)
            var settings = AuthoritySettings()
            var typo: String? = nil
            func days(_ name: String) -> Int? {
                let text = f[name].trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { return nil }
                guard let n = Int(text) else { typo = typo ?? text; return nil }
                return n
            }
            settings.acceptanceDays = days("acceptance_days")
            settings.verificationDays = days("verification_days")
            settings.decisionDays = days("decision_days")
            settings.issuanceDays = days("issuance_days")
            settings.simplifiedRenewal = f["simplified_renewal"] == "1"
            settings.simplifiedUnits = f["simplified_units"].split(whereSeparator: { ",，;； ".contains($0) }).prefix(100).map(String.init)
            settings.signOff = OfficerRank.allCases.filter { f["rank_\($0.rawValue)"] == "1" }
            do {
                if let typo { throw AppError(.authoritySettings.number, ["value": String(typo.prefix(20))]) }
                let saved = try await s.saveAuthoritySettings(authority(c.user), settings, by: c.user)
                return try await page(c, saved, notice: t("authority_settings.saved", c))
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return try await page(c, settings, typed: f.fields, error: e.message.text(for: c.language), status: e.status)
            }
        }
    }

    func authority(_ user: User) -> String { user.jurisdiction ?? Routing.national }

    struct Model: PageModel {
        struct Limit: Encodable, Sendable { var name: String, label: String, value: String, max: Int }
        struct Rank: Encodable, Sendable { var value: String, name: String, checked: Bool }
        var authorityName: String, canEdit: Bool, notice: String?, error: String?
        var limits: [Limit], simplified: Bool, units: String, ranks: [Rank]
    }

    /// `typed`: the form as it was filled in, shown again when it was refused.
    func page(_ c: SignedInContext, _ settings: AuthoritySettings, typed: [String: String] = [:], notice: String? = nil, error: String? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let (platform, canEdit) = try await s.settingsPageFacts(user: c.user, authority: authority(c.user))
        let limits = [("acceptance_days", settings.acceptanceDays, platform.acceptanceDays), ("verification_days", settings.verificationDays, platform.verificationDays),
                      ("decision_days", settings.decisionDays, platform.decisionDays), ("issuance_days", settings.issuanceDays, platform.issuanceDays)]
        return renderer.page("authority-settings", context: c.parent, title: t("authority_settings.title", c), status: status, Model(
            authorityName: s.authorityName(authority(c.user)), canEdit: canEdit, notice: notice, error: error,
            limits: limits.map { .init(name: $0.0, label: t("authority_settings.\($0.0)", c), value: typed[$0.0] ?? $0.1.map(String.init) ?? "", max: $0.2) },
            simplified: settings.simplifiedRenewal, units: typed["simplified_units"] ?? settings.simplifiedUnits.joined(separator: ", "),
            ranks: OfficerRank.allCases.map { .init(value: $0.rawValue, name: $0.name.text(for: c.language), checked: settings.signOff.contains($0)) }))
    }
}
