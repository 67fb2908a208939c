import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

@Suite struct RiskTests {
    /// A licensed maker's random checks and recall of the year reach its category and units; a flying check and
    /// last year's check do not; the page, the CSV and the API agree with the formula.
    @Test func theRankingIsComputedFromTheRecords() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            _ = try await f.commitmentLicense()
            try await s.db.write { sql in
                for (n, origin, outcome, day) in [(1, "draw", "fail", "2026-05-01"), (2, "draw", "pass", "2026-06-01"), (3, "flying", "fail", "2026-07-01"),
                                                   (4, "draw", "fail", "2025-07-01")] {
                    try await sql.raw("""
                        INSERT INTO inspections (number, origin, uscc, authority, category, state, hidden, items, outcome, summary, concluded_on, created_at, updated_at)
                        VALUES (\(bind: "JC-RISK-\(n)"), \(bind: origin), \(bind: f.uscc), '440000', '10', 'concluded', 0, '[]', \(bind: outcome), 'x', \(bind: day),
                                '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
                        """).run()
                }
                // Eight hours before the year ends in UTC it is already 2027 in China: counted in 2027.
                try await sql.raw("""
                    INSERT INTO enforcement_actions (number, uscc, authority, kind, cause, state, note, outcome, created_by, created_at)
                    VALUES ('ZG-RISK-1', \(bind: f.uscc), '440000', 'interview', 'x', 'open', '', '', 'test', '2026-12-31T17:00:00Z')
                    """).run()
                try await sql.raw("""
                    INSERT INTO recalls (number, uscc, authority, product, batches, defect, quantity, decided_on, reported_on, due_on, state, recovered, summary, reported_by)
                    VALUES ('ZH-RISK-1', \(bind: f.uscc), '440000', '塑料餐盒', 'B1', '迁移量超标', 100, '2026-08-01', '2026-08-02', '2026-09-01', 'open', 0, '', 'test')
                    """).run()
            }
            let report = try await s.catalog.riskReport(year: 2026)
            let food = try #require(report.categories.first { $0.no == "10" })
            #expect(food.risk.inputs == RiskInputs(makers: 1, checks: 2, failures: 1, recalls: 1), "\(food.risk.inputs)")
            #expect(food.risk == RiskScore(food.risk.inputs))
            #expect(food.rank == 1 && report.categories.map(\.rank) == Array(1...report.categories.count))
            #expect(report.categories.count == 14 && report.edition == "2024", "every category of the edition in force, checked or not")
            let unit = try #require(report.units.first { $0.no == "1001" })
            #expect(unit.risk.inputs == food.risk.inputs && unit.categoryNo == "10")
            #expect(try await s.catalog.riskReport(year: 2025).categories.first { $0.no == "10" }?.risk.inputs.checks == 1)
            #expect(try await s.catalog.riskReport(year: 2027).categories.first { $0.no == "10" }?.risk.inputs.enforcement == 1, "years are China's")

            let api = try await client.get("/api/v1/public/risk?year=2026").json()
            let first = try #require((api["categories"] as? [[String: Any]])?.first)
            #expect(first["no"] as? String == "10" && abs(((first["risk"] as? [String: Any])?["score"] as? Double ?? 0) - food.risk.score) < 1e-9)
            let csv = try await client.get("/catalog/risk.csv?year=2026")
            #expect(csv.status == .ok && csv.text.contains("category,1,10,10,") && csv.text.contains(String(format: "%.2f", food.risk.score)))
            for lang in ["zh", "en"] {
                let page = try await client.get("/catalog/risk?year=2026&lang=\(lang)")
                #expect(page.status == .ok && page.text.contains("<svg") && page.text.contains(String(format: "%.1f", food.risk.score))
                        && page.text.contains(lang == "zh" ? "计算方法" : "How the score is computed"))
            }
            #expect(try await client.get("/catalog/risk?year=1999").status == .badRequest)
        }
    }
}
