import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// Review institutions' pages: the public list and record, the registrar's forms (register, suspend or reinstate,
/// name members, record the yearly inspection) and the members' form for the body's yearly report.
struct ReviewBodyPages: PageRoutes {
    let s: InstitutionsService
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        router.get("review-bodies") { _, c in
            let bodies = try await s.reviewBodies()
            return renderer.page("review_bodies", context: c, title: t("review.title", c.language), ReviewBodiesPage(
                rows: bodies.map { b in
                    .init(code: b.code ?? "", name: b.name, uscc: b.uscc, division: s.placeName(b.divisionCode, c.language),
                          status: t("review.status.\(b.status.rawValue)", c.language), good: b.status == .registered, since: b.statusSince.description)
                },
                canRegister: c.user.map { (try? $0.requireRegistrar()) != nil } ?? false))
        }
        router.get("review-bodies/{code}") { request, c in
            let year = try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year - 1
            return try await bodyPage(c, code: try c.parameters.require("code"), year: year)
        }

        let group = router.group(context: SignedInContext.self)
        group.get("review-bodies/new") { _, c in
            try c.user.requireRegistrar()
            return newPage(c, values: [:], error: nil)
        }
        group.post("review-bodies/new") { request, c in
            let f = try await Form(request, limit: 16 * 1024)
            return try await formPost({
                let body = try await s.registerReviewBody(.init(name: f["name"], uscc: f["uscc"], divisionCode: f["division_code"],
                                                                registeredOn: f["registered_on"].isEmpty ? nil : try day(f["registered_on"])), by: c.user)
                return redirect("/review-bodies/\(body.code ?? "")")
            }, refused: { newPage(c, values: f.fields, error: $0) })
        }
        group.post("review-bodies/{code}/{action}") { request, c in
            let code = try c.parameters.require("code")
            let f = try await Form(request, limit: 64 * 1024)
            return try await formPost({
                switch try c.parameters.require("action") {
                case "status":
                    guard let status = ReviewBody.Status(rawValue: f["status"]) else { throw AppError.notFound("status") }
                    _ = try await s.changeReviewBodyStatus(code, .init(status: status, reason: f["reason"]), by: c.user)
                case "member":
                    guard let id = Int(f["user_id"]) else {
                        throw AppError(.reviewBody.memberRoleMissing)
                    }
                    try await s.addReviewMember(code, userID: id, by: c.user)
                case "inspection":
                    guard let result = ReviewBodyYear.Result(rawValue: f["result"]) else { throw AppError.notFound("result") }
                    _ = try await s.inspectReviewBody(code, .init(year: try year(f["year"]), result: result, findings: f["findings"]), by: c.user)
                case "report":
                    _ = try await s.fileReviewReport(.init(year: try year(f["year"]), report: f["report"]), by: c.user)
                default:
                    throw AppError.notFound("action")
                }
                return redirect("/review-bodies/\(code)")
            }, refused: { try await bodyPage(c.parent, code: code, year: s.clock.today.year - 1, error: $0, values: f.fields) })
        }
    }

    func day(_ text: String) throws -> CivilDate {
        guard let day = CivilDate(text) else {
            throw AppError(.request.date, ["text": "\(text.prefix(20))"])
        }
        return day
    }

    func year(_ text: String) throws -> Int {
        guard let year = Int(text) else {
            throw AppError(.reviewBody.yearInvalid)
        }
        return year
    }

    func newPage(_ c: SignedInContext, values: [String: String], error: AppError?) -> Response {
        renderer.page("review_body_form", context: c.parent, title: t("review.new", c.language), status: error?.status ?? .ok,
                      FormPage(v: values.isEmpty ? ["registered_on": s.clock.today.description] : values, error: error?.message.text(for: c.language)))
    }

    /// The public record; a registrar over the body also sees its members and the forms, and a member the report form.
    func bodyPage(_ c: AppRequestContext, code: String, year: Int, error: AppError? = nil, values: [String: String] = [:]) async throws -> Response {
        let detail = try await s.reviewBodyDetail(code, year: year)
        let (body, p, lang) = (detail.body, detail.performance, c.language)
        let canEdit = c.user.map { (try? s.checkRegistrar($0, for: body.divisionCode)) != nil } ?? false
        let (members, verifiers, ownBody) = try await s.reviewBodyPeople(body, canEdit: canEdit, viewer: c.user)
        let lastYear = s.clock.today.year - 1
        let data = ReviewBodyPage(
            code: body.code ?? "", name: body.name, uscc: body.uscc, division: s.placeName(body.divisionCode, lang),
            status: t("review.status.\(body.status.rawValue)", lang), good: body.status == .registered,
            year: year, prev: year - 1, next: year + 1, cases: p.casesReviewed, median: p.medianWorkingDays.map(String.init) ?? "—",
            longest: p.maxWorkingDays.map(String.init) ?? "—", overturned: p.overturned,
            history: detail.history.map { .init(status: t("review.status.\($0.status.rawValue)", lang), since: $0.since.description, reason: $0.reason) },
            years: detail.years.map { y in
                .init(year: y.year, filed: y.reportFiledOn?.description ?? "—", late: y.reportLate,
                      result: y.inspectionResult.map { t("review.result.\($0.rawValue)", lang) } ?? "—",
                      findings: y.inspectionFindings ?? "", inspected: y.inspectedOn?.description ?? "")
            },
            canEdit: canEdit && body.status != .barred, suspended: body.status == .suspended,
            members: members.map { .init(id: $0.id, name: $0.displayName, username: $0.username) },
            verifiers: verifiers.filter { v in !members.contains { $0.id == v.id } }.map { .init(id: $0.id, name: $0.displayName, username: $0.username) },
            results: ReviewBodyYear.Result.allCases.map { .init(value: $0.rawValue, name: t("review.result.\($0.rawValue)", lang)) },
            canReport: ownBody?.id == body.id, lastYear: lastYear, v: values, error: error?.message.text(for: lang))
        return renderer.page("review_body", context: c, title: body.name, status: error?.status ?? .ok, data)
    }
}

struct ReviewBodiesPage: PageModel {
    struct Row: Encodable, Sendable { var code: String, name: String, uscc: String, division: String, status: String, good: Bool, since: String }
    var rows: [Row], canRegister: Bool
}

struct ReviewBodyPage: PageModel {
    struct Period: Encodable, Sendable { var status: String, since: String, reason: String }
    struct Year: Encodable, Sendable { var year: Int, filed: String, late: Bool, result: String, findings: String, inspected: String }
    struct Person: Encodable, Sendable { var id: Int, name: String, username: String }
    var code: String, name: String, uscc: String, division: String, status: String, good: Bool
    var year: Int, prev: Int, next: Int, cases: Int, median: String, longest: String, overturned: Int
    var history: [Period], years: [Year]
    var canEdit: Bool, suspended: Bool
    var members: [Person], verifiers: [Person], results: [ValueName]
    var canReport: Bool, lastYear: Int
    var v: [String: String]
    var error: String?
}
