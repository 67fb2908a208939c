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
            let rows = plans.map { p -> [String: Any] in
                ["code": p.code, "title": c.language == .zh ? p.draft.titleZh : p.draft.titleEn, "authority": s.authorityName(p.authority),
                 "state": state(p.state, c.language), "announced": Timestamp.chinaDay(p.announcedAt), "drawn": Timestamp.chinaDay(p.drawnAt)]
            }
            return renderer.page("plans", context: c, title: t("plans.title", c.language), ["rows": rows])
        }

        router.get("plans/{code}") { _, c in
            let code = try c.parameters.require("code")
            let detail = try await s.publicPlan(code: code)
            let p = detail.summary
            let plan = detail.plan
            let strata: [[String: Any]] = (plan["strata"]?.arrayValue ?? []).map { st in
                let region = st["region"]?.stringValue ?? ""
                let row: [String: Any] = [
                    "key": st["key"]?.stringValue ?? "", "kind": t("plans.kind.\(st["kind"]?.stringValue ?? "")", c.language),
                    "category": st["category"]?.stringValue ?? "", "region": s.placeName(region, c.language),
                    "risk": t("plans.risk.\(st["risk"]?.stringValue ?? "any")", c.language), "quota": st["quota"]?.intValue ?? 0,
                ]
                return row
            }
            var itemMap: [String: JSONValue] = [:]
            if case .object(let m)? = plan["items"] { itemMap = m }
            let items: [[String: Any]] = itemMap.keys.sorted().map { key in
                ["category": key, "list": (itemMap[key]?.arrayValue ?? []).compactMap(\.stringValue)]
            }
            var data: [String: Any] = [
                "code": p.code, "name": c.language == .zh ? p.titleZh : p.titleEn, "authority": s.authorityName(p.authority),
                "state": state(p.state, c.language), "announced": p.announcedAt ?? "", "frozen": p.frozenAt ?? "", "beaconAt": p.beaconAt ?? "",
                "drawnAt": p.drawnAt ?? "", "teamSize": plan["team_size"]?.intValue ?? 0, "commit": plan["commit"]?.stringValue ?? "",
                "publishDays": plan["publish_within_days"]?.intValue ?? 0, "planJSON": plan.canonicalString,
                "beaconSource": Self.beaconText(plan["beacon"], c.language), "strata": strata, "items": items,
            ]
            if let e = detail.enterpriseRoot, let i = detail.inspectorRoot {
                data["rosters"] = ["enterpriseRoot": e, "inspectorRoot": i, "enterprises": detail.enterpriseCount ?? 0, "inspectors": detail.inspectorCount ?? 0]
            }
            if let b = detail.beacon { data["beacon"] = b }
            if let due = p.revealDue { data["revealDue"] = Timestamp.chinaMinute(due) }
            data["forfeited"] = p.state == .forfeited
            data["proposed"] = detail.beaconProposed
            data["drand"] = plan["beacon"]?["source"]?.stringValue == "drand-quicknet"
            if let secret = detail.secret, let result = detail.result {
                let drawn = (result["draw"]?.arrayValue ?? []).compactMap { $0["enterprise"]?.stringValue }
                let names = try await s.enterpriseNames(drawn)
                data["draw"] = [
                    "secret": secret, "seed": result["seed"]?.stringValue ?? "",
                    "rows": (result["draw"]?.arrayValue ?? []).enumerated().map { n, row -> [String: Any] in
                        let id = row["enterprise"]?.stringValue ?? ""
                        return ["n": n + 1, "uscc": id, "name": names[id] ?? "", "score": String((row["score"]?.stringValue ?? "").prefix(16)),
                                "team": (row["team"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", "),
                                "unfilled": row["team"] == .null, "skipped": row["skipped"]?.arrayValue?.count ?? 0]
                    },
                ] as [String: Any]
            }
            return renderer.page("plan", context: c, title: p.code, data)
        }

        router.get("results") { request, c in
            let uscc = request.query("uscc")
            let results = try await s.publishedResults(uscc: uscc)
            let rows: [[String: Any]] = results.map { r in
                let i = r.inspection
                return ["number": i.number, "holder": r.holderName, "uscc": i.uscc, "category": i.category, "plan": r.planCode ?? "",
                        "origin": t("results.origin.\(i.origin.rawValue)", c.language), "outcome": t("results.outcome.\(i.outcome ?? "")", c.language),
                        "failed": i.outcome == "fail", "concluded": i.concludedOn?.description ?? "", "published": Timestamp.chinaDay(i.publishedAt)]
            }
            return renderer.page("results", context: c, title: t("results.title", c.language), ["rows": rows, "uscc": uscc ?? ""])
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
