import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// Pages for enterprise duties and the public's part in supervision: the enterprise's duties page (declarations,
/// accident reports, recalls, yearly report), public recalls, and the complaint form with its tracking page.
struct DutiesPages: PageRoutes {
    let s: DutiesService
    let supervision: SupervisionService
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        router.get("recalls") { request, c in
            let uscc = request.query("uscc")
            let (recalls, names) = try await s.recalls(uscc: uscc)
            return renderer.page("recalls", context: c, title: t("recalls.title", c.language),
                                 RecallsPage(rows: recalls.map { recallRow($0, names[$0.uscc] ?? $0.uscc, c.language) }, uscc: uscc))
        }

        router.get("report") { _, c in reportPage(c, values: [:], error: nil) }
        router.post("report") { request, c in
            let f = try await Form(request, limit: 64 * 1024)
            do {
                let receipt = try await supervision.fileReport(.init(
                    source: Lead.Source(rawValue: f["source"]) ?? .complaint, uscc: f["uscc"], subject: f["subject"], division: f["division"],
                    product: f["product"], description: f["description"], contact: f["contact"]))
                return renderer.page("report", context: c, title: t("report.title", c.language),
                                     ReportPage(receipt: .init(number: receipt.number, code: receipt.trackingCode, authority: receipt.authority)))
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return reportPage(c, values: f.fields, error: e.message.text(for: c.language), status: e.status)
            }
        }
        router.get("report/track") { _, c in
            renderer.page("report_track", context: c, title: t("track.title", c.language))
        }
        router.post("report/track") { request, c in
            let f = try await Form(request, limit: 4 * 1024)
            var data = TrackPage(code: f["code"])
            do {
                let st = try await supervision.trackLead(code: f["code"])
                data.found = .init(number: st.number, state: t("lead.state.\(st.state.rawValue)", c.language), received: Timestamp.chinaDay(st.receivedAt),
                                   closed: Timestamp.chinaDay(st.closedAt), reply: st.reply)
                return renderer.page("report_track", context: c, title: t("track.title", c.language), data)
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                data.error = e.message.text(for: c.language)
                return renderer.page("report_track", context: c, title: t("track.title", c.language), status: e.status, data)
            }
        }

        let group = router.group(context: SignedInContext.self)
        group.get("duties") { _, c in try await dutiesPage(c, error: nil) }
        group.post("duties/{form}") { request, c in
            let f = try await Form(request, limit: 256 * 1024)
            do {
                switch try c.parameters.require("form") {
                case "standards":
                    let lines = f["standards"].split(whereSeparator: \.isNewline).map { line -> DutiesService.StandardLine in
                        let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                        return .init(product: cells.first ?? "", standard: cells.count > 1 ? cells[1] : "", title: cells.count > 2 ? cells[2] : "")
                    }
                    _ = try await s.publishDeclaration(.init(kind: .standards, standards: lines), by: c.user)
                case "commitment":
                    _ = try await s.publishDeclaration(.init(kind: .commitment, text: f["commitment"]), by: c.user)
                case "accident":
                    _ = try await s.reportAccident(.init(product: f["product"], occurredAt: f["occurred_at"], description: f["description"],
                                                         injuries: Int(f["injuries"]) ?? 0, deaths: Int(f["deaths"]) ?? 0, measures: f["measures"]), by: c.user)
                case "recall":
                    guard let quantity = Int(f["quantity"]) else { throw Self.number("quantity") }
                    _ = try await s.reportRecall(.init(product: f["product"], batches: f["batches"], defect: f["defect"], quantity: quantity,
                                                       decidedOn: f["decided_on"]), by: c.user)
                case "progress":
                    guard let recovered = Int(f["recovered"]) else { throw Self.number("recovered") }
                    _ = try await s.updateRecall(number: f["number"], .init(recovered: recovered, note: f["note"], close: f["close"] == "1"), by: c.user)
                case "self-report":
                    guard let year = Int(f["year"]), let produced = Int(f["produced"]), let sold = Int(f["sold"]), let value = Double(f["sales_value"]),
                          let checks = Int(f["self_checks"]), let failures = Int(f["self_check_failures"]) else { throw Self.number("self_report") }
                    _ = try await s.submitSelfReport(.init(year: year, produced: produced, sold: sold, salesValue: value, selfChecks: checks,
                                                           selfCheckFailures: failures, changes: f["changes"], problems: f["problems"]), by: c.user)
                default:
                    throw AppError.notFound("form")
                }
                return redirect("/duties")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500, e.status != .notFound else { throw error }
                return try await dutiesPage(c, error: e.message.text(for: c.language), status: e.status)
            }
        }
    }

    static func number(_ field: String) -> AppError {
        AppError(.form.number)
    }

    func reportPage(_ c: AppRequestContext, values: [String: String], error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let provinces = s.places.divisions.values.filter { $0.level == .province }.sorted { $0.code < $1.code }
        let data = ReportPage(v: values, whistleblower: values["source"] == "whistleblower",
                              provinces: provinces.map { .init(code: $0.code, name: "\($0.nameZh) \($0.code)", selected: values["division"] == $0.code) },
                              error: error)
        return renderer.page("report", context: c, title: t("report.title", c.language), status: status, data)
    }

    func dutiesPage(_ c: SignedInContext, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        try c.require(.enterprise)
        let lang = c.language
        let uscc = c.user.enterpriseUSCC ?? "-"
        let d = try await s.duties(of: uscc)
        let (decl, accidents, recalls, reports, inspections) = (d.declarations, d.accidents, d.recalls, d.selfReports, d.inspections)
        let lastYear = s.clock.today.year - 1
        let data = DutiesPage(
            standardsText: decl.standards.map { "\($0.product) | \($0.standard) | \($0.title)" }.joined(separator: "\n"),
            standards: decl.standards.map { .init(product: $0.product, standard: $0.standard, title: $0.title) },
            standardsVersion: decl.standardsVersion.map { "v\($0) · \(Timestamp.chinaDay(decl.standardsPublishedAt))" } ?? "",
            commitment: decl.commitment ?? "", commitmentVersion: decl.commitmentVersion.map { "v\($0) · \(Timestamp.chinaDay(decl.commitmentPublishedAt))" } ?? "",
            accidents: accidents.map { a in
                .init(number: a.number, product: a.product, occurred: Timestamp.chinaMinute(a.occurredAt), reported: Timestamp.chinaMinute(a.reportedAt),
                      late: a.late, casualties: "\(a.injuries) / \(a.deaths)")
            },
            recalls: recalls.map { recallRow($0, "", lang) },
            reports: reports.map { .init(year: $0.year, submitted: Timestamp.chinaDay($0.submittedAt), due: $0.dueOn.description, late: $0.late) },
            owesLastYear: !reports.contains { $0.year == lastYear }, lastYear: lastYear, lastYearDue: DutiesService.selfReportDue(lastYear).description,
            inspections: inspections.map { i in
                .init(id: i.id, number: i.number, origin: t("results.origin.\(i.origin.rawValue)", lang), state: t("inspection.state.\(i.state.rawValue)", lang),
                      outcome: t("results.outcome.\(i.outcome ?? "")", lang), concluded: i.concludedOn?.description ?? "")
            },
            today: s.clock.today.description, hours: s.config.accidentReportHours, error: error)
        return renderer.page("duties", context: c.parent, title: t("duties.title", lang), status: status, data)
    }
}

extension PageRoutes {
    func recallRow(_ r: Recall, _ holder: String, _ lang: Language) -> RecallRow {
        RecallRow(number: r.number, holder: holder, uscc: r.uscc, product: r.product, batches: r.batches, defect: r.defect,
                  quantity: r.quantity, recovered: r.recovered, decided: r.decidedOn.description, reported: r.reportedOn.description,
                  due: r.dueOn.description, late: r.late, open: r.state == .open, state: t("recall.state.\(r.state.rawValue)", lang), summary: r.summary)
    }
}

/// A recall as the public list, the enterprise's duties and the supervision desk show it.
struct RecallRow: Encodable, Sendable {
    var number: String, holder: String, uscc: String, product: String, batches: String, defect: String, quantity: Int, recovered: Int
    var decided: String, reported: String, due: String, late: Bool, open: Bool, state: String, summary: String
}

struct RecallsPage: PageModel {
    var rows: [RecallRow]
    var uscc: String?
}

/// The public report form, or the receipt once it is filed.
struct ReportPage: PageModel {
    struct Receipt: Encodable, Sendable { var number: String, code: String, authority: String }
    struct Province: Encodable, Sendable { var code: String, name: String, selected: Bool }
    var v: [String: String] = [:]
    var whistleblower = false
    var provinces: [Province] = []
    var error: String?
    var receipt: Receipt?
}

struct TrackPage: PageModel {
    struct Found: Encodable, Sendable { var number: String, state: String, received: String, closed: String, reply: String }
    var code: String
    var found: Found?
    var error: String?
}

/// An enterprise's duties: its declarations, accidents, recalls, yearly reports and the inspections it has had.
struct DutiesPage: PageModel {
    struct Standard: Encodable, Sendable { var product: String, standard: String, title: String }
    struct Accident: Encodable, Sendable { var number: String, product: String, occurred: String, reported: String, late: Bool, casualties: String }
    struct Report: Encodable, Sendable { var year: Int, submitted: String, due: String, late: Bool }
    struct Inspection: Encodable, Sendable { var id: Int, number: String, origin: String, state: String, outcome: String, concluded: String }
    var standardsText: String, standards: [Standard], standardsVersion: String, commitment: String, commitmentVersion: String
    var accidents: [Accident], recalls: [RecallRow], reports: [Report]
    var owesLastYear: Bool, lastYear: Int, lastYearDue: String
    var inspections: [Inspection]
    var today: String, hours: Int
    var error: String?
}
