import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import XukeTrust

/// The public side of double random, one public: plans and their draws, with how to recompute them, and results.
struct SupervisionPages: PageRoutes {
    let s: SupervisionService
    let renderer: Renderer


    func state(_ p: PlanRecord.State, _ lang: Language) -> String { t("plans.state.\(p.rawValue)", lang) }

    func register(_ router: Router<AppRequestContext>) {
        router.get("plans") { _, c in
            let plans = try await s.publicPlans()
            let rows = plans.map { p in
                PlansPage.Row(code: p.code, title: c.language == .zh ? p.draft.titleZh : p.draft.titleEn, authority: s.authorityName(p.authority),
                              state: state(p.state, c.language), announced: Timestamp.chinaDay(p.announcedAt), drawn: Timestamp.chinaDay(p.drawnAt))
            }
            return renderer.page("plans", context: c, title: t("plans.title", c.language), PlansPage(rows: rows))
        }

        router.get("plans/{code}") { _, c in
            let code = try c.parameters.require("code")
            let detail = try await s.publicPlan(code: code)
            let p = detail.summary
            let plan = detail.plan
            let strata = (plan["strata"]?.arrayValue ?? []).map { st in
                PlanPage.Stratum(key: st["key"]?.stringValue ?? "", kind: t("plans.kind.\(st["kind"]?.stringValue ?? "")", c.language),
                                 category: st["category"]?.stringValue ?? "", region: s.placeName(st["region"]?.stringValue ?? "", c.language),
                                 risk: t("plans.risk.\(st["risk"]?.stringValue ?? "any")", c.language), quota: st["quota"]?.intValue ?? 0)
            }
            var itemMap: [String: JSONValue] = [:]
            if case .object(let m)? = plan["items"] { itemMap = m }
            let items = itemMap.keys.sorted().map { key in
                PlanPage.Items(category: key, list: (itemMap[key]?.arrayValue ?? []).compactMap(\.stringValue))
            }
            var data = PlanPage(
                code: p.code, name: c.language == .zh ? p.titleZh : p.titleEn, authority: s.authorityName(p.authority),
                state: state(p.state, c.language), announced: p.announcedAt, frozen: p.frozenAt, beaconAt: p.beaconAt,
                drawnAt: p.drawnAt, teamSize: plan["team_size"]?.intValue ?? 0, commit: plan["commit"]?.stringValue ?? "",
                publishDays: plan["publish_within_days"]?.intValue ?? 0, planJSON: plan.canonicalString,
                beaconSource: Self.beaconText(plan["beacon"], c.language), strata: strata, items: items,
                beacon: detail.beacon, revealDue: p.revealDue.map(Timestamp.chinaMinute), forfeited: p.state == .forfeited,
                proposed: detail.beaconProposed, drand: plan["beacon"]?["source"]?.stringValue == "drand-quicknet")
            if let e = detail.enterpriseRoot, let i = detail.inspectorRoot {
                data.rosters = .init(enterpriseRoot: e, inspectorRoot: i, enterprises: detail.enterpriseCount ?? 0, inspectors: detail.inspectorCount ?? 0)
            }
            if let secret = detail.secret, let result = detail.result {
                let drawn = (result["draw"]?.arrayValue ?? []).compactMap { $0["enterprise"]?.stringValue }
                let names = try await s.enterpriseNames(drawn)
                data.draw = .init(
                    secret: secret, seed: result["seed"]?.stringValue ?? "",
                    rows: (result["draw"]?.arrayValue ?? []).enumerated().map { n, row in
                        let id = row["enterprise"]?.stringValue ?? ""
                        return .init(n: n + 1, uscc: id, holder: names[id] ?? "", score: String((row["score"]?.stringValue ?? "").prefix(16)),
                                     team: (row["team"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", "),
                                     unfilled: row["team"] == .null, skipped: row["skipped"]?.arrayValue?.count ?? 0)
                    })
            }
            return renderer.page("plan", context: c, title: p.code, data)
        }

        router.get("results") { request, c in
            let uscc = request.query("uscc")
            let results = try await s.publishedResults(uscc: uscc)
            let rows = results.map { r in
                let i = r.inspection
                return ResultsPage.Row(number: i.number, holder: r.holderName, uscc: i.uscc, category: i.category, plan: r.planCode ?? "",
                                       origin: t("results.origin.\(i.origin.rawValue)", c.language), outcome: t("results.outcome.\(i.outcome ?? "")", c.language),
                                       failed: i.outcome == "fail", concluded: i.concludedOn?.description ?? "", published: Timestamp.chinaDay(i.publishedAt))
            }
            return renderer.page("results", context: c, title: t("results.title", c.language), ResultsPage(rows: rows, uscc: uscc))
        }
    }

    static func beaconText(_ beacon: JSONValue?, _ lang: Language) -> String {
        guard let beacon else { return "" }
        if beacon["source"]?.stringValue == "drand-quicknet" {
            let round = beacon["round"]?.intValue ?? 0
            return lang == .zh ? "drand quicknet 第\(round)轮的随机值" : "the randomness of drand quicknet round \(round)"
        }
        let name = beacon["name"]?.stringValue ?? "", date = beacon["date"]?.stringValue ?? ""
        return lang == .zh ? "\(date)「\(name)」开奖号码" : "the winning numbers of \(name) drawn on \(date)"
    }
}

struct PlansPage: PageModel {
    struct Row: Encodable, Sendable { var code: String, title: String, authority: String, state: String, announced: String, drawn: String }
    var rows: [Row]
}

/// A plan as published: its strata, items, rosters' roots, beacon and, once drawn, the draw anyone can recompute.
struct PlanPage: PageModel {
    struct Stratum: Encodable, Sendable { var key: String, kind: String, category: String, region: String, risk: String, quota: Int64 }
    struct Items: Encodable, Sendable { var category: String, list: [String] }
    struct Rosters: Encodable, Sendable { var enterpriseRoot: String, inspectorRoot: String, enterprises: Int, inspectors: Int }
    struct Drawn: Encodable, Sendable { var n: Int, uscc: String, holder: String, score: String, team: String, unfilled: Bool, skipped: Int }
    struct Draw: Encodable, Sendable { var secret: String, seed: String, rows: [Drawn] }
    var code: String, name: String, authority: String, state: String
    var announced: String?
    var frozen: String?
    var beaconAt: String?
    var drawnAt: String?
    var teamSize: Int64, commit: String, publishDays: Int64, planJSON: String, beaconSource: String
    var strata: [Stratum], items: [Items]
    var beacon: String?
    var revealDue: String?
    var forfeited: Bool, proposed: Bool, drand: Bool
    var rosters: Rosters?
    var draw: Draw?
}

struct ResultsPage: PageModel {
    struct Row: Encodable, Sendable {
        var number: String, holder: String, uscc: String, category: String, plan: String, origin: String, outcome: String
        var failed: Bool, concluded: String, published: String
    }
    var rows: [Row]
    var uscc: String?
}
