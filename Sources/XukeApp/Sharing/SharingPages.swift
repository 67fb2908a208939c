import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The data-sharing desk: an administrator creates agency clients and sets their scopes; an agency registers its
/// webhooks, turns them on and off, and sends parked batches again. The feed itself is read over the API.
struct SharingPages: PageRoutes {
    let s: SharingService
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        router.get("data") { _, c in
            let dumps = try await s.dumps(days: 7)
            return renderer.page("open_data", context: c, title: t("data.title", c.language), OpenDataPage(
                rows: dumps.map { d in
                    .init(day: d.day, file: "\(d.dataset).\(d.format)", dataset: t("data.dataset.\(d.dataset)", c.language), rows: d.rows,
                          size: ByteCountFormatter.string(fromByteCount: Int64(d.bytes), countStyle: .file), sha: d.sha256)
                },
                days: Array(Set(dumps.map(\.day))).sorted(by: >)))
        }

        let group = router.group(context: SignedInContext.self)
        group.get("sharing") { _, c in try await page(c) }
        group.post("sharing/clients") { request, c in
            let f = try await Form(request, limit: 16 * 1024)
            return try await formPost({
                guard c.user.role == .administrator else { throw AppError.roleForbidden }
                _ = try await s.createAgencyClient(.init(username: f["username"], displayName: f["display_name"], password: f["password"], agency: f["agency"],
                                                         sector: f["sector"], scopes: f.all("scope").joined(separator: " ")), by: c.user)
                return redirect("/sharing")
            }, refused: { try await page(c, error: $0, values: f.fields.filter { $0.key != "password" }) })
        }
        group.post("sharing/clients/{id}/scopes") { request, c in
            let f = try await Form(request, limit: 4 * 1024)
            return try await formPost({
                guard c.user.role == .administrator else { throw AppError.roleForbidden }
                _ = try await s.setAgencyScopes(userID: try c.parameters.require("id", as: Int.self), scopes: f.all("scope").joined(separator: " "), by: c.user)
                return redirect("/sharing")
            }, refused: { try await page(c, error: $0) })
        }
        group.post("sharing/webhooks") { request, c in
            let f = try await Form(request, limit: 8 * 1024)
            return try await formPost({
                let made = try await s.createWebhook(.init(url: f["url"], scopes: f.all("scope").joined(separator: " "), after: f["after"].isEmpty ? nil : f["after"]),
                                                     by: c.user)
                // The secret is shown on this one page and never again, so this answer is a page, not a redirect.
                return try await page(c, secret: (made.webhook.id, made.secret))
            }, refused: { try await page(c, error: $0, values: f.fields) })
        }
        group.post("sharing/webhooks/{id}/{action}") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            return try await formPost({
                switch try c.parameters.require("action") {
                case "enable": _ = try await s.setWebhookActive(id, active: true, by: c.user)
                case "disable": _ = try await s.setWebhookActive(id, active: false, by: c.user)
                default: throw AppError.notFound("action")
                }
                return redirect("/sharing")
            }, refused: { try await page(c, error: $0) })
        }
        group.post("sharing/dead-letters/{id}/redeliver") { _, c in
            try await formPost({
                _ = try await s.redeliver(deadLetter: try c.parameters.require("id", as: Int.self), by: c.user)
                return redirect("/sharing")
            }, refused: { try await page(c, error: $0) })
        }
    }

    func page(_ c: SignedInContext, error: AppError? = nil, values: [String: String] = [:], secret: (Int, String)? = nil) async throws -> Response {
        let user = c.user, lang = c.language
        let d = try await s.desk(for: user)
        let (clients, own, hooks, letters) = (d.clients, d.own, d.webhooks, d.deadLetters)
        let agencies = Dictionary(clients.map { ($0.userId, $0.agency) }, uniquingKeysWith: { a, _ in a })
        func scopeBoxes(_ chosen: Set<ShareScope>, among: [ShareScope] = ShareScope.allCases) -> [SharingPage.Box] {
            among.map { .init(value: $0.rawValue, name: t("sharing.scope.\($0.rawValue)", lang), on: chosen.contains($0)) }
        }
        let data = SharingPage(
            isAdmin: user.role == .administrator,
            clients: clients.map { cl in
                .init(id: cl.userId, agency: cl.agency, sector: t("sharing.sector.\(cl.sector.rawValue)", lang), username: cl.username,
                      scopes: scopeBoxes(cl.scopeSet), created: Timestamp.chinaDay(cl.createdAt))
            },
            sectors: AgencySector.allCases.map { .init(value: $0.rawValue, name: t("sharing.sector.\($0.rawValue)", lang), on: values["sector"] == $0.rawValue) },
            newScopes: scopeBoxes([]),
            hooks: hooks.map { h in
                .init(id: h.id, url: h.url, scopes: h.scopes, position: h.position, active: h.active, failures: h.failures,
                      failing: h.failures > 0, agency: agencies[h.clientId] ?? "", lastError: h.lastError ?? "",
                      next: h.active && h.failures > 0 ? Timestamp.chinaMinute(h.nextAttemptAt) : "",
                      delivered: h.lastDeliveredAt.map(Timestamp.chinaMinute) ?? "—",
                      off: h.disabledReason.map { t("sharing.off.\($0)", lang) } ?? "",
                      letters: (letters[h.id] ?? []).map { l in
                          .init(id: l.id, from: l.fromPosition, to: l.toPosition, events: l.events, attempts: l.attempts, failure: l.lastError,
                                at: Timestamp.chinaMinute(l.createdAt), redelivered: l.redeliveredAt.map(Timestamp.chinaMinute) ?? "")
                      })
            },
            v: values,
            own: own.map { .init(agency: $0.agency, sector: t("sharing.sector.\($0.sector.rawValue)", lang), scopes: $0.scopes) },
            hookScopes: own.map { scopeBoxes($0.scopeSet, among: $0.scopeSet.sorted()) },
            secret: secret.map { .init(id: $0.0, value: $0.1) },
            error: error?.message.text(for: lang))
        return renderer.page("sharing", context: c.parent, title: t("sharing.title", lang), status: error?.status ?? .ok, data)
    }
}

struct OpenDataPage: PageModel {
    struct Row: Encodable, Sendable { var day: String, file: String, dataset: String, rows: Int, size: String, sha: String }
    var rows: [Row], days: [String]
}

/// The sharing desk: clients for an administrator, an agency's own record and webhooks with their parked batches.
struct SharingPage: PageModel {
    struct Box: Encodable, Sendable { var value: String, name: String, on: Bool }
    struct Client: Encodable, Sendable { var id: Int, agency: String, sector: String, username: String, scopes: [Box], created: String }
    struct Letter: Encodable, Sendable { var id: Int, from: String, to: String, events: Int, attempts: Int, failure: String, at: String, redelivered: String }
    struct Hook: Encodable, Sendable {
        var id: Int, url: String, scopes: String, position: String, active: Bool, failures: Int, failing: Bool, agency: String, lastError: String
        var next: String, delivered: String, off: String, letters: [Letter]
    }
    struct Own: Encodable, Sendable { var agency: String, sector: String, scopes: String }
    /// A webhook's signing secret, shown once.
    struct Secret: Encodable, Sendable { var id: Int, value: String }
    var isAdmin: Bool, clients: [Client], sectors: [Box], newScopes: [Box], hooks: [Hook]
    var v: [String: String]
    var own: Own?
    var hookScopes: [Box]?
    var secret: Secret?
    var error: String?
}
