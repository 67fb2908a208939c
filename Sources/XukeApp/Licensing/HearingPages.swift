import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// A licence's hearings: its holder asks for one, the officers over its authority notify, schedule and record.
struct HearingPages: PageRoutes {
    let s: LicensingService
    let renderer: Renderer

    func register(_ router: Router<AppRequestContext>) {
        let group = router.group(context: SignedInContext.self)
        group.get("licenses/{id}/hearings") { _, c in try await page(c, licenseID: try c.parameters.require("id", as: Int.self)) }
        group.post("licenses/{id}/hearings") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 16 * 1024)
            return try await attempt(c, licenseID: id, reasons: f["reasons"]) {
                _ = try await s.noticeHearing(licenseID: id, measure: f["measure"], reasons: f["reasons"], by: c.user)
            }
        }
        group.post("hearings/{id}/{step}") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 32 * 1024)
            let licenseID = try await s.hearingLicense(id: id, user: c.user)
            return try await attempt(c, licenseID: licenseID) {
                switch try c.parameters.require("step") {
                case "request": _ = try await s.requestHearing(id: id, by: c.user)
                case "schedule":
                    _ = try await s.scheduleHearing(id: id, on: try CivilDate(f["date"]).orThrow(AppError(.hearing.date)), place: f["place"], by: c.user)
                case "record": _ = try await s.recordHearing(id: id, record: f["record"], by: c.user)
                default: throw AppError.notFound("step")
                }
            }
        }
    }

    func attempt(_ c: SignedInContext, licenseID: Int, reasons: String = "", _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return redirect("/licenses/\(licenseID)/hearings")
        } catch {
            guard let e = AppError.from(error), e.status.code < 500 else { throw error }
            return try await page(c, licenseID: licenseID, error: e.message.text(for: c.language), reasons: reasons, status: e.status)
        }
    }

    struct Model: PageModel {
        struct Row: Encodable, Sendable {
            var id: Int, measure: String, state: String, reasons: String, notified: String, notice: Int?, requestBy: String
            var scheduled: String?, place: String, record: String, canRequest: Bool, canSchedule: Bool, canRecord: Bool
        }
        var id: Int, number: String, hearings: [Row], none: Bool, canNotify: Bool, error: String?, reasons: String
    }

    func page(_ c: SignedInContext, licenseID: Int, error: String? = nil, reasons: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let l = try await s.visibleLicense(id: licenseID, user: c.user)
        let hearings = try await s.hearings(licenseID: licenseID, user: c.user)
        let today = s.clock.today
        let officer = (try? s.requireLicenseAuthority(c.user, over: l)) != nil && c.user.role == .officer
        let holder = c.user.role == .enterprise && c.user.enterpriseUSCC == l.uscc
        return renderer.page("hearings", context: c.parent, title: t("hearings.title", c), status: status, Model(
            id: l.id, number: l.number,
            hearings: hearings.reversed().map { h in
                let state = h.state(on: today)
                return .init(id: h.id, measure: t("doc.measure.\(h.measure)", c), state: t("hearings.state.\(state.rawValue)", c), reasons: h.reasons,
                             notified: h.notifiedOn.description, notice: h.noticeID, requestBy: h.requestBy.description,
                             scheduled: h.scheduledFor?.description, place: h.place, record: h.record,
                             canRequest: holder && state == .notified, canSchedule: officer && [.requested, .scheduled].contains(state),
                             canRecord: officer && state == .scheduled && (h.scheduledFor.map { today >= $0 } ?? false))
            },
            none: hearings.isEmpty, canNotify: officer && l.status(on: today).isInForce && !hearings.contains { $0.isOpen(on: today) },
            error: error, reasons: reasons))
    }
}
