import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

@Suite struct DashboardTests {
    /// Events are folded into counts once each; the page, its tables and its CSV read them.
    @Test func theDashboardCountsEventsOnceAndShowsThem() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            _ = try await f.commitmentLicense()
            try await s.db.write { sql in
                for (origin, outcome) in [("draw", "pass"), ("draw", "pass"), ("draw", "fail"), ("flying", "fail")] {
                    _ = try await Events.append(sql, type: .inspectionConcluded, subject: "inspection/T", actor: "test", jurisdiction: "440300",
                                                at: s.clock.stamp, payload: InspectionConcluded(outcome: outcome, origin: origin, category: "10"))
                }
            }
            // Events written before their payloads carried the dashboard's fields are completed from their rows.
            try await s.db.write { sql in
                try await sql.raw("""
                    INSERT INTO inspections (number, origin, uscc, authority, category, state, hidden, items, outcome, summary, concluded_on, created_at, updated_at)
                    VALUES ('JC-OLD-1', 'draw', \(bind: f.uscc), '440000', '13', 'concluded', 0, '[]', 'fail', 'x', '2026-11-16', '2026-11-16T00:00:00Z', '2026-11-16T00:00:00Z')
                    """).run()
                _ = try await Events.append(sql, type: .inspectionConcluded, subject: "inspection/JC-OLD-1", actor: "test", jurisdiction: "440000",
                                            at: s.clock.stamp, payload: InspectionConcluded(outcome: "fail", origin: nil, category: nil))
            }
            try await settle(s)
            #expect(try await s.catalog.foldDashboard(batch: 2) >= 6, "several batches")
            #expect(try await s.catalog.foldDashboard() == 0, "nothing is folded twice")
            let checks = try await s.db.read { try await DashboardStore.facts($0, metric: "checks") }
            #expect(checks == [FactKey("checks", "2026", "10", "440000", "pass"): 2, FactKey("checks", "2026", "10", "440000", "fail"): 1,
                               FactKey("checks", "2026", "13", "440000", "fail"): 1])
            // An upheld objection turns a failed check into a pass, in the year it was concluded.
            try await s.db.write { sql in
                _ = try await Events.append(sql, type: .inspectionOutcomeChanged, subject: "inspection/T", actor: "test", jurisdiction: "440300", at: s.clock.stamp,
                                            payload: OutcomeChanged(from: "fail", to: "pass", origin: "draw", category: "10", concludedOn: CivilDate("2026-11-16")))
            }
            try await settle(s)
            #expect(try await s.catalog.foldDashboard() == 1)
            let revised = try await s.db.read { try await DashboardStore.facts($0, metric: "checks") }
            #expect(revised[FactKey("checks", "2026", "10", "440000", "fail")] == 0 && revised[FactKey("checks", "2026", "10", "440000", "pass")] == 3)
            try await s.db.write { sql in
                _ = try await Events.append(sql, type: .inspectionOutcomeChanged, subject: "inspection/T", actor: "test", jurisdiction: "440300", at: s.clock.stamp,
                                            payload: OutcomeChanged(from: "pass", to: "fail", origin: "draw", category: "10", concludedOn: CivilDate("2026-11-16")))
            }
            try await settle(s)
            #expect(try await s.catalog.foldDashboard() == 1, "and back, so the page below reads one failure again")
            let ttl = try await s.db.read { try await DashboardStore.facts($0, metric: "ttl") }
            #expect(ttl == [FactKey("ttl", "2026-Q4", "commitment", "440000", "0"): 1], "\(ttl)")

            let d = try await s.catalog.dashboard(year: 2026, province: nil)
            let food = try #require(d.byCategory.first { $0.key == "10" })
            #expect(food.checks == 3 && food.failures == 1 && food.licensed == 1)
            #expect(d.timeToLicense.count == 1 && d.timeToLicense[0].median == 0 && d.editions.map(\.categoryCount) == [60, 38, 24, 10, 10, 14])

            let page = try await client.get("/dashboard?lang=en&year=2026")
            #expect(page.status == .ok && page.text.contains("33.3%") && page.text.contains("2026-Q4 commitment") && page.text.contains("<svg")
                    && page.text.contains(">Guangdong<"), "provinces are named in English on the English page")
            #expect(try await client.get("/dashboard?lang=zh").text.contains("双随机抽查覆盖和不合格率"))
            let officer = try await client.browser("officer")
            #expect(try await client.get("/dashboard", headers: [.cookie: officer.cookie]).text.contains(#"value="440000" selected"#),
                    "an officer's view starts from their own province")
            #expect(DashboardStore.province("440305") == "440000" && DashboardStore.province(Routing.national) == "national" && DashboardStore.province("") == "")
            let csv = try await client.get("/dashboard.csv?table=categories&year=2026&lang=en")
            #expect(csv.status == .ok && csv.text.contains("33.3%") && csv.text.hasPrefix("\u{FEFF}"))
            #expect(try await client.get("/dashboard.csv?table=nothing").status == .notFound)
            #expect(try await client.get("/dashboard?province=449999").status == .badRequest)
            let shanghai = try await s.catalog.dashboard(year: 2026, province: "310000")
            #expect(shanghai.byCategory.first { $0.key == "10" }?.checks == 0 && shanghai.timeToLicense.isEmpty, "one province's figures only")
        }
    }

    /// The median of a histogram of working days, with an even number of cases.
    @Test func theMedianComesFromTheHistogram() async throws {
        try await Harness.run { _, s in
            try await s.db.write { sql in
                _ = try await DashboardStore.fold(sql, [FactKey("ttl", "2026-Q1", "ordinary", "440000", "3"): 1, FactKey("ttl", "2026-Q1", "ordinary", "440000", "8"): 2,
                                                        FactKey("ttl", "2026-Q1", "ordinary", "330000", "20"): 1], from: .start, to: FeedCursor(tx: 0, id: 1))
            }
            let all = try #require(try await s.catalog.dashboard(year: 2026, province: nil).timeToLicense.first)
            #expect(all.cases == 4 && all.median == 8 && all.mean == 9.75)
            let gd = try #require(try await s.catalog.dashboard(year: 2026, province: "440000").timeToLicense.first)
            #expect(gd.cases == 3 && gd.median == 8)
        }
    }
}
