import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The working side of supervision: the officer's desk (plans, inspections, leads, measures, duty filings), the
/// inspector's tasks, and one inspection page for the team (checklist entry that works on a phone), the
/// authority (conclusion, publication, objections) and the enterprise (its result, its objection).
struct SupervisionDeskPages: PageRoutes {
    let s: SupervisionService
    let duties: DutiesService
    let uploads: UploadService
    let renderer: Renderer


    func inspectionRow(_ i: InspectionRecord, _ names: [String: String], _ lang: Language) -> InspectionRow {
        InspectionRow(id: i.id, number: i.number, holder: names[i.uscc] ?? i.uscc, uscc: i.uscc, category: i.category,
                      origin: t("results.origin.\(i.origin.rawValue)", lang), state: t("inspection.state.\(i.state.rawValue)", lang),
                      outcome: t("results.outcome.\(i.outcome ?? "")", lang), failed: i.outcome == "fail", team: i.team.map(\.name).joined(separator: "、"),
                      due: i.publishedAt == nil ? (i.publishDue?.description ?? "") : "", published: i.publishedAt != nil)
    }

    func register(_ router: Router<AppRequestContext>) {
        let group = router.group(context: SignedInContext.self)

        group.get("supervision") { request, c in
            // A lead's "open an inspection" link fills the form with the lead and its enterprise.
            try await desk(c, error: nil, prefill: ["lead": request.query("lead") ?? "", "uscc": request.query("uscc") ?? ""])
        }
        group.post("supervision/{form}") { request, c in
            let f = try await Form(request, limit: 64 * 1024)
            do {
                let form = try c.parameters.require("form")
                switch form {
                case "flying", "follow-up":
                    let input = SupervisionService.FlyingInput(uscc: f["uscc"], category: f["category"], team: Self.codes(f["team"]),
                                                        items: f["items"].split(whereSeparator: \.isNewline).map(String.init), lead: f["lead"])
                    let i = form == "follow-up"
                        ? try await s.openFollowUpInspection(input, by: c.user) : try await s.openFlyingInspection(input, by: c.user)
                    return redirect("/inspections/\(i.id)")
                case "close-lead":
                    _ = try await s.closeLead(number: f["number"], .init(reply: f["reply"]), by: c.user)
                case "enforce":
                    guard let kind = EnforcementRecord.Kind(rawValue: f["kind"]) else { throw AppError.notFound("kind") }
                    _ = try await s.enforce(.init(uscc: f["uscc"], kind: kind, cause: f["cause"], note: f["note"], dueDays: Int(f["due_days"])), by: c.user)
                case "close-measure":
                    guard let id = Int(f["id"]) else { throw AppError.notFound("measure") }
                    _ = try await s.closeEnforcement(id: id, .init(outcome: f["outcome"], recheck: InspectionStore.Outcome(rawValue: f["recheck"])), by: c.user)
                default:
                    throw AppError.notFound("form")
                }
                return redirect("/supervision")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return try await desk(c, error: e.message.text(for: c.language), status: e.status)
            }
        }

        group.get("supervision/self-reports") { request, c in
            let year = try request.intQuery("year", range: 2015...9999) ?? s.clock.today.year - 1
            let owing = try await duties.owing(year: year, for: c.user)
            let counts = try await duties.owingCounts(year: year, for: c.user)
            let due = DutiesService.selfReportDue(year)
            let overdue = s.clock.today > due
            return renderer.page("self_reports", context: c.parent, title: t("selfreports.title", c.language), SelfReportsPage(
                year: year, due: due.description,
                rows: owing.map { o in
                    let late = o.submittedAt.map { Timestamp.chinaDay($0) > due.description } ?? overdue
                    return .init(uscc: o.uscc, name: o.name, division: s.placeName(o.divisionCode, c.language),
                                 submitted: Timestamp.chinaDay(o.submittedAt), missing: o.submittedAt == nil, late: late)
                },
                missingCount: counts.missing, total: counts.total))
        }

        group.get("tasks") { _, c in
            guard c.user.role == .verifier || c.user.role == .officer else { throw AppError.roleForbidden }
            let (list, names) = try await s.tasks(of: c.user)
            let open = list.filter { $0.state != .concluded }, done = list.filter { $0.state == .concluded }
            return renderer.page("tasks", context: c.parent, title: t("tasks.title", c.language),
                                 TasksPage(open: open.map { inspectionRow($0, names, c.language) }, done: done.map { inspectionRow($0, names, c.language) }))
        }

        group.get("inspections/{id}") { _, c in
            try await inspectionPage(c, id: try c.parameters.require("id", as: Int.self), error: nil)
        }
        group.post("inspections/{id}/evidence") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            do {
                guard let form = try await Multipart.form(request, c.parent), let part = form.file("file") else {
                    throw AppError(.evidence.file)
                }
                let receipt = try await uploads.store(ByteBuffer(bytes: part.data), by: c.user)
                _ = try await s.addEvidence(id: id, .init(sha256: receipt.sha256, filename: part.filename ?? "evidence"), by: c.user)
                return redirect("/inspections/\(id)")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500, e.status != .notFound else { throw error }
                return try await inspectionPage(c, id: id, error: e.message.text(for: c.language), status: e.status)
            }
        }
        group.post("inspections/{id}/{action}") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 64 * 1024)
            do {
                switch try c.parameters.require("action") {
                case "visit":
                    let i = try await s.visibleInspection(id: id, user: c.user).inspection
                    let findings = i.items.enumerated().compactMap { n, item -> SupervisionService.VisitInput.Finding? in
                        InspectionStore.Finding.Result(rawValue: f["result_\(n)"]).map { .init(item: item, result: $0, note: f["note_\(n)"]) }
                    }
                    let samples = (0..<3).compactMap { n -> SupervisionService.VisitInput.Sample? in
                        f["sample_product_\(n)"].isEmpty ? nil : .init(product: f["sample_product_\(n)"], batch: f["sample_batch_\(n)"],
                                                                      quantity: f["sample_quantity_\(n)"], lab: f["sample_lab_\(n)"])
                    }
                    guard let day = CivilDate(f["visited_on"]) else {
                        throw AppError(.inspection.visitedOn)
                    }
                    _ = try await s.recordVisit(id: id, .init(visitedOn: day, findings: findings, samples: samples), by: c.user)
                case "conclude":
                    guard let outcome = InspectionStore.Outcome(rawValue: f["outcome"]) else {
                        throw AppError(.inspection.outcome)
                    }
                    let labs = f.fields.keys.filter { $0.hasPrefix("lab_result_") }.compactMap { key -> SupervisionService.ConcludeInput.LabResult? in
                        guard let n = Int(key.dropFirst("lab_result_".count)), let r = InspectionStore.Sample.LabResult(rawValue: f[key]), r != .pending else { return nil }
                        return .init(position: n, reportNo: f["report_no_\(n)"], result: r)
                    }
                    _ = try await s.conclude(id: id, .init(outcome: outcome, summary: f["summary"], labResults: labs), by: c.user)
                case "publish":
                    _ = try await s.publishResult(id: id, by: c.user)
                case "object":
                    _ = try await s.object(id: id, .init(reason: f["reason"], retest: f["retest"] == "1"), by: c.user)
                case "decide":
                    guard let objection = Int(f["objection"]), let decision = InspectionStore.Objection.State(rawValue: f["decision"]) else {
                        throw AppError(.objection.decisionMissing)
                    }
                    _ = try await s.decideObjection(id: id, objection: objection, .init(decision: decision, note: f["note"]), by: c.user)
                default:
                    throw AppError.notFound("action")
                }
                return redirect("/inspections/\(id)")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500, e.status != .notFound else { throw error }
                return try await inspectionPage(c, id: id, error: e.message.text(for: c.language), status: e.status)
            }
        }
    }

    /// Inspector codes as typed: separated by commas, spaces or new lines.
    static func codes(_ text: String) -> [String] {
        listItems(text).map { $0.uppercased() }
    }

    func desk(_ c: SignedInContext, error: String?, status: HTTPResponse.Status = .ok, prefill: [String: String] = [:]) async throws -> Response {
        let lang = c.language
        let today = s.clock.today
        let d = try await s.desk(for: c.user)
        let authority = d.authority
        let (plans, inspections, leads, measures, accidents, recalls, inspectors, names) = (d.plans, d.inspections, d.leads, d.measures, d.accidents, d.recalls, d.inspectors, d.names)
        let data = SupervisionDeskPage(
            authority: s.authorityName(authority),
            plans: plans.map { p in .init(id: p.id, code: p.code, title: lang == .zh ? p.draft.titleZh : p.draft.titleEn,
                                          state: t("plans.state.\(p.state.rawValue)", lang), public: p.state != .draft) },
            inspections: inspections.prefix(100).map { inspectionRow($0, names, lang) },
            leads: leads.map { l in
                .init(number: l.number, source: t("lead.source.\(l.source.rawValue)", lang), state: t("lead.state.\(l.state.rawValue)", lang),
                      new: l.state == .new, closed: l.state == .closed, subject: l.uscc.flatMap { names[$0] } ?? l.subject, uscc: l.uscc ?? "",
                      product: l.product, description: String(l.description.prefix(140)), contact: l.contact.isEmpty ? t("lead.anonymous", lang) : l.contact,
                      cause: l.cause ?? "", received: Timestamp.chinaDay(l.createdAt), reply: l.reply)
            },
            measures: measures.map { m in
                .init(id: m.id, number: m.number, holder: names[m.uscc] ?? m.uscc, kind: t("enforcement.kind.\(m.kind.rawValue)", lang),
                      cause: m.cause, due: m.dueOn?.description ?? "", overdue: m.state == .open && (m.dueOn.map { $0 < today } ?? false),
                      open: m.state == .open, rectification: m.kind == .rectification, outcome: m.outcome)
            },
            kinds: EnforcementRecord.Kind.allCases.map { .init(value: $0.rawValue, name: t("enforcement.kind.\($0.rawValue)", lang)) },
            accidents: accidents.map { a in
                .init(number: a.number, holder: names[a.uscc] ?? a.uscc, product: a.product, occurred: Timestamp.chinaMinute(a.occurredAt),
                      reported: Timestamp.chinaMinute(a.reportedAt), late: a.late, casualties: "\(a.injuries) / \(a.deaths)")
            },
            recalls: recalls.map { r in recallRow(r, names[r.uscc] ?? r.uscc, lang) },
            inspectors: inspectors.map { .init(code: $0.code, name: $0.name, county: s.placeName($0.county, c.language)) },
            lastYear: today.year - 1, prefill: prefill, error: error)
        return renderer.page("supervision", context: c.parent, title: t("desk.title", lang), status: status, data)
    }

    func inspectionPage(_ c: SignedInContext, id: Int, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = c.language
        let view = try await s.visibleInspection(id: id, user: c.user)
        let i = view.inspection
        let holder = try await s.enterpriseNames([i.uscc])[i.uscc] ?? i.uscc
        let isOfficer = c.user.oversees(i.authority)
        let isMember = i.team.contains { $0.userID == c.user.id }
        let isHolder = c.user.role == .enterprise && c.user.enterpriseUSCC == i.uscc
        let findings = Dictionary(view.findings.map { ($0.item, $0) }, uniquingKeysWith: { $1 })
        let data = InspectionPage(
            id: i.id, number: i.number, holder: holder, uscc: i.uscc, category: i.category,
            origin: t("results.origin.\(i.origin.rawValue)", lang), state: t("inspection.state.\(i.state.rawValue)", lang),
            team: i.team.map { "\($0.name)（\($0.code)）" }.joined(separator: "、"), visited: i.visitedOn?.description ?? "", concluded: i.concludedOn?.description ?? "",
            outcome: t("results.outcome.\(i.outcome ?? "")", lang), summary: i.summary, publishDue: i.publishDue?.description ?? "",
            published: Timestamp.chinaDay(i.publishedAt),
            items: i.items.enumerated().map { n, item in
                let r = findings[item]
                return .init(n: n, item: item, result: r.map { t("finding.\($0.result.rawValue)", lang) } ?? "", note: r?.note ?? "",
                             nonconforming: r?.result == .nonconforming)
            },
            samples: view.samples.enumerated().map { n, sm in
                .init(position: n + 1, product: sm.product, batch: sm.batch, quantity: sm.quantity, lab: sm.lab, reportNo: sm.reportNo,
                      result: t("lab.\(sm.labResult.rawValue)", lang), pending: sm.labResult == .pending)
            },
            objections: view.objections.map { o in
                .init(oid: o.id, reason: o.reason, retest: o.retest, state: t("objection.\(o.state.rawValue)", lang), decision: o.outcome,
                      filed: Timestamp.chinaDay(o.filedAt), open: o.state == .open || o.state == .retest)
            },
            evidence: view.evidence.map { .init(sha: $0.sha256, filename: $0.filename) },
            canVisit: isMember && (i.state == .assigned || i.state == .unstaffed) || isOfficer && i.state == .assigned,
            canConclude: isOfficer && i.state == .visited, canPublish: isOfficer && i.state == .concluded && i.publishedAt == nil,
            canObject: isHolder && i.state == .concluded, canDecide: isOfficer, today: s.clock.today.description,
            sampleSlots: (0..<3).map { .init(n: $0, label: $0 + 1) }, canAddEvidence: isMember || isOfficer, error: error)
        return renderer.page("inspection", context: c.parent, title: i.number, status: status, data)
    }
}

/// An inspection in a list: the desk's, and a verifier's tasks.
struct InspectionRow: Encodable, Sendable {
    var id: Int, number: String, holder: String, uscc: String, category: String, origin: String, state: String, outcome: String
    var failed: Bool, team: String, due: String, published: Bool
}

struct SelfReportsPage: PageModel {
    struct Row: Encodable, Sendable { var uscc: String, name: String, division: String, submitted: String, missing: Bool, late: Bool }
    var year: Int, due: String, rows: [Row], missingCount: Int, total: Int
}

struct TasksPage: PageModel {
    var open: [InspectionRow], done: [InspectionRow]
}

/// An officer's supervision desk: plans, inspections, leads, measures, accidents, recalls and the inspectors of the area.
struct SupervisionDeskPage: PageModel {
    struct Plan: Encodable, Sendable { var id: Int, code: String, title: String, state: String, `public`: Bool }
    struct LeadRow: Encodable, Sendable {
        var number: String, source: String, state: String, new: Bool, closed: Bool, subject: String, uscc: String, product: String
        var description: String, contact: String, cause: String, received: String, reply: String
    }
    struct Measure: Encodable, Sendable {
        var id: Int, number: String, holder: String, kind: String, cause: String, due: String, overdue: Bool, open: Bool, rectification: Bool, outcome: String
    }
    struct Accident: Encodable, Sendable { var number: String, holder: String, product: String, occurred: String, reported: String, late: Bool, casualties: String }
    struct Inspector: Encodable, Sendable { var code: String, name: String, county: String }
    var authority: String, plans: [Plan], inspections: [InspectionRow], leads: [LeadRow], measures: [Measure], kinds: [ValueName]
    var accidents: [Accident], recalls: [RecallRow], inspectors: [Inspector]
    var lastYear: Int
    /// The inspection form filled from the lead it follows up.
    var prefill: [String: String]
    var error: String?
}

struct InspectionPage: PageModel {
    struct Item: Encodable, Sendable { var n: Int, item: String, result: String, note: String, nonconforming: Bool }
    struct Sample: Encodable, Sendable { var position: Int, product: String, batch: String, quantity: String, lab: String, reportNo: String, result: String, pending: Bool }
    /// `decision`, not `outcome`: an objection without one must not show the inspection's outcome instead.
    struct Objection: Encodable, Sendable { var oid: Int, reason: String, retest: Bool, state: String, decision: String, filed: String, open: Bool }
    struct Evidence: Encodable, Sendable { var sha: String, filename: String }
    struct Slot: Encodable, Sendable { var n: Int, label: Int }
    var id: Int, number: String, holder: String, uscc: String, category: String, origin: String, state: String, team: String
    var visited: String, concluded: String, outcome: String, summary: String, publishDue: String, published: String
    var items: [Item], samples: [Sample], objections: [Objection], evidence: [Evidence]
    var canVisit: Bool, canConclude: Bool, canPublish: Bool, canObject: Bool, canDecide: Bool, today: String
    var sampleSlots: [Slot], canAddEvidence: Bool
    var error: String?
}
