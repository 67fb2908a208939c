import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import XukeTrust

/// The officer's side of a spot-check plan: drafting it in a form, then announce, freeze, beacon value and draw,
/// one button each, in the order the law and dr-v1 require. The public side is `SupervisionPages`.
struct PlanDeskPages: PageRoutes {
    let s: SupervisionService
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        let group = router.group(context: SignedInContext.self)
        group.get("supervision/plans/new") { _, c in
            _ = try s.supervisor(c.user)
            let round = BeaconSource.quicknetRound(after: s.clock.now().addingTimeInterval(2 * 86_400))
            return form(c, values: ["team_size": "2", "publish_days": "20", "round": String(round),
                                    "strata": "licensed | 10 | \(c.user.jurisdiction ?? "440000") | any | auto"], error: nil)
        }
        group.post("supervision/plans") { request, c in
            let f = try await Form(request, limit: 256 * 1024)
            do {
                let answer = try await s.createPlan(.init(plan: try Self.plan(from: f), generateSecret: true, defaultQuotas: true), by: c.user)
                return try await planPage(c, id: answer.plan.id, secret: answer.secret, error: nil)
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return form(c, values: f.fields, error: e.message.text(for: c.language), problems: e.problems.map { $0.message.text(for: c.language) }, status: e.status)
            }
        }
        group.get("supervision/plans/{id}") { _, c in
            try await planPage(c, id: try c.parameters.require("id", as: Int.self), secret: nil, error: nil)
        }
        group.post("supervision/plans/{id}/{step}") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 16 * 1024)
            do {
                switch try c.parameters.require("step") {
                case "announce": _ = try await s.announcePlan(id: id, by: c.user)
                case "freeze": _ = try await s.freezePlan(id: id, by: c.user)
                case "beacon": _ = try await s.enterBeacon(id: id, .init(value: f["value"].trimmingCharacters(in: .whitespaces)), by: c.user)
                case "draw": _ = try await s.runDraw(id: id, .init(secret: f["secret"].trimmingCharacters(in: .whitespaces)), by: c.user)
                default: throw AppError.notFound("step")
                }
                return redirect("/supervision/plans/\(id)")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500, e.status != .notFound else { throw error }
                return try await planPage(c, id: id, secret: nil, error: e.message.text(for: c.language), status: e.status)
            }
        }
    }

    /// Reads the plan form. Strata: `kind | category | region | risk | quota`, one per line, quota `auto` for the
    /// platform's default; items: `category | item; item; …`.
    static func plan(from f: Form) throws -> SpotCheckPlan {
        var strata: [Stratum] = []
        for (n, line) in f["strata"].split(whereSeparator: \.isNewline).enumerated() {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let risk = cells.count == 5 && cells[3] != "any" ? RiskClass(rawValue: cells[3]) : nil
            guard cells.count == 5, let kind = Stratum.Kind(rawValue: cells[0]), cells[3] == "any" || risk != nil,
                  let quota = cells[4] == "auto" ? 0 : Int(cells[4]) else {
                throw AppError(.plan.formStratum, ["line": "\(n + 1)"])
            }
            strata.append(Stratum(kind: kind, category: cells[1], region: cells[2], risk: risk, quota: quota))
        }
        var items: [String: [String]] = [:]
        for (n, line) in f["items"].split(whereSeparator: \.isNewline).enumerated() {
            let cells = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2 else { throw AppError(.plan.formItem, ["line": "\(n + 1)"]) }
            items[cells[0]] = cells[1].split { $0 == ";" || $0 == "；" }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let beacon = f["beacon"] == "lottery"
            ? BeaconSource(source: .lottery, name: f["lottery"], date: CivilDate(f["lottery_date"]))
            : BeaconSource(source: .drandQuicknet, round: Int(f["round"]))
        guard let team = Int(f["team_size"]), let days = Int(f["publish_days"]) else {
            throw AppError(.plan.formNumbers)
        }
        return SpotCheckPlan(code: f["code"].uppercased(), titleZh: f["title_zh"], titleEn: f["title_en"], strata: strata, teamSize: team,
                             items: items, beacon: beacon, commit: "", publishWithinDays: days)
    }

    func form(_ c: SignedInContext, values: [String: String], error: String?, problems: [String] = [], status: HTTPResponse.Status = .ok) -> Response {
        renderer.page("plan_form", context: c.parent, title: t("planform.title", c.language), status: status,
                      PlanFormPage(v: values, lottery: values["beacon"] == "lottery", problems: problems, error: error))
    }

    func planPage(_ c: SignedInContext, id: Int, secret: String?, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let lang = c.language
        let (p, inspections) = try await s.planWithInspections(id: id, user: c.user)
        let beaconReady = s.clock.now() >= p.draft.beacon.availableAt
        let data = PlanDeskPage(
            id: p.id, code: p.code, name: lang == .zh ? p.draft.titleZh : p.draft.titleEn, state: t("plans.state.\(p.state.rawValue)", lang),
            beaconSource: SupervisionPages.beaconText(try JSONValue.parse(Array(try StoredJSON.json(p.draft.beacon).utf8)), lang),
            beaconAt: Timestamp.chinaMinute(Timestamp.string(p.draft.beacon.availableAt)),
            strata: p.draft.strata.map { .init(key: $0.key, quota: $0.quota) }, teamSize: p.draft.teamSize, commit: p.draft.commit,
            isDraft: p.state == .draft, isAnnounced: p.state == .announced, isFrozen: p.state == .frozen && beaconReady,
            waitingBeacon: p.state == .frozen && !beaconReady, isBeacon: p.state == .beacon, isDrawn: p.state == .drawn,
            public: p.state != .draft, enterprises: p.enterpriseCount ?? 0, inspectors: p.inspectorCount ?? 0,
            inspections: inspections.map { .init(id: $0.id, number: $0.number, uscc: $0.uscc, state: t("inspection.state.\($0.state.rawValue)", lang)) },
            secret: secret, error: error)
        return renderer.page("plan_desk", context: c.parent, title: p.code, status: status, data)
    }
}

/// The plan form as typed (`v`).
struct PlanFormPage: PageModel {
    var v: [String: String]
    var lottery: Bool
    var problems: [String]
    var error: String?
}

struct PlanDeskPage: PageModel {
    struct Stratum: Encodable, Sendable { var key: String, quota: Int }
    struct Inspection: Encodable, Sendable { var id: Int, number: String, uscc: String, state: String }
    var id: Int, code: String, name: String, state: String, beaconSource: String, beaconAt: String
    var strata: [Stratum], teamSize: Int, commit: String
    var isDraft: Bool, isAnnounced: Bool, isFrozen: Bool, waitingBeacon: Bool, isBeacon: Bool, isDrawn: Bool
    var `public`: Bool, enterprises: Int, inspectors: Int
    var inspections: [Inspection]
    var secret: String?
    var error: String?
}
