import Foundation
import XukeDomain
import XukeStorage

/// Risk scores of the catalog's categories and units for a year, from the platform's own records (RiskScore has
/// the formula). Categories and units are those of the edition in force at the end of the year, plus any that
/// left the catalog but still had records.
extension CatalogService {
    struct RiskRow: Encodable, Sendable {
        var no: String
        var categoryNo: String
        var nameZh: String
        var nameEn: String
        var inEdition: Bool
        var rank: Int
        var risk: RiskScore
    }

    struct RiskReport: Encodable, Sendable {
        var year: Int
        var edition: String
        var categories: [RiskRow]
        var units: [RiskRow]
        /// Records of enterprises with no license that year: counted nowhere above.
        var unattributed: Int
        var years: [Int]
    }

    func riskReport(year: Int) async throws -> RiskReport {
        let (records, editions, years) = try await db.read { sql in
            (try await RiskStore.records(sql, year: year), try await CatalogStore.unitEditions(sql), try await RiskStore.years(sql))
        }
        let tally = records.tally()
        let yearEnd = min(CivilDate(year: year, month: 12, day: 31)!, clock.today)
        let edition = editions.last { $0.inForce <= yearEnd } ?? editions.first
        let names = editions.catalogNames()
        let listedCategories = Set(edition?.categories.map(\.categoryNo) ?? [])
        let listedUnits = Set(edition?.categories.flatMap { $0.units.map(\.unitNo) } ?? [])
        func ranked(_ rows: [RiskRow]) -> [RiskRow] {
            rows.sorted { ($0.risk.score, $1.no) > ($1.risk.score, $0.no) }.enumerated().map { i, row in
                var row = row
                row.rank = i + 1
                return row
            }
        }
        let categories = listedCategories.union(tally.categories.keys).map { no in
            RiskRow(no: no, categoryNo: no, nameZh: names[no]?.zh ?? no, nameEn: names[no]?.en ?? no, inEdition: listedCategories.contains(no),
                    rank: 0, risk: RiskScore(tally.categories[no] ?? .init()))
        }
        let units = listedUnits.union(tally.units.keys).map { no in
            RiskRow(no: no, categoryNo: names[no]?.categoryNo ?? "", nameZh: names[no]?.zh ?? no, nameEn: names[no]?.en ?? no,
                    inEdition: listedUnits.contains(no), rank: 0, risk: RiskScore(tally.units[no] ?? .init()))
        }
        return RiskReport(year: year, edition: edition?.code ?? "", categories: ranked(categories), units: ranked(units),
                          unattributed: tally.unattributed, years: Array(Set(years + [clock.today.year])).sorted(by: >))
    }

    static func riskCSV(_ report: RiskReport) -> String {
        let header = ["level", "rank", "no", "category_no", "name_zh", "name_en", "in_edition", "makers", "checks", "failures", "failure_rate",
                      "rate_lower_95", "rate_upper_95", "accidents", "deaths", "recalls", "complaints", "enforcement"]
            + RiskScore.partNames.map { "points_\($0)" } + ["score"]
        func f(_ d: Double?) -> String { d.map { String(format: "%.4f", $0) } ?? "" }
        var rows = [header]
        for (level, list) in [("category", report.categories), ("unit", report.units)] {
            for r in list {
                let i = r.risk.inputs
                rows.append([level, "\(r.rank)", r.no, r.categoryNo, r.nameZh, r.nameEn, r.inEdition ? "1" : "0", "\(i.makers)", "\(i.checks)",
                             "\(i.failures)", f(r.risk.failureRate.rate), f(r.risk.failureRate.lower), f(r.risk.failureRate.upper), "\(i.accidents)",
                             "\(i.deaths)", "\(i.recalls)", "\(i.complaints)", "\(i.enforcement)"]
                            + RiskScore.partNames.map { f(r.risk.parts[$0]) } + [String(format: "%.2f", r.risk.score)])
            }
        }
        return CSV.write(rows, bom: true)
    }
}
