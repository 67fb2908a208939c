public import SQLKit
public import XukeDomain
import Foundation

/// Reads one year's records for the risk scores (RiskRecords): who held a license for what, the random spot
/// checks concluded, and accidents, recalls, complaints and enforcement actions.
public enum RiskStore {
    public static func records(_ sql: any SQLDatabase, year: Int) async throws -> RiskRecords {
        let (from, to) = ("\(year)-01-01", "\(year + 1)-01-01")
        // Timestamps are stored in UTC; the year is China's, which starts eight hours earlier.
        let (fromStamp, toStamp) = ("\(year - 1)-12-31T16:00:00Z", "\(year)-12-31T16:00:00Z")
        var r = RiskRecords()
        // A license counts for the year when it was issued by its end and had not ended before its start; an ended
        // license was last touched when it ended.
        for row in try await sql.rows("""
            SELECT uscc, units FROM licenses
            WHERE first_issued_on < \(bind: to) AND valid_until >= \(bind: from)
              AND (status IN ('valid', 'suspended') OR updated_at >= \(bind: fromStamp))
            """, as: Held.self) {
            let units = try StoredJSON.decode([LicenseUnit].self, row.units, "licenses.units")
            r.licensed[row.uscc, default: []].formUnion(units.map { .init(unitNo: $0.unitNo, categoryNo: $0.categoryNo) })
        }
        // Only checks drawn at random estimate a failure rate; flying checks go where problems were reported.
        for row in try await sql.rows("""
            SELECT uscc, category, outcome FROM inspections
            WHERE origin = 'draw' AND state = 'concluded' AND outcome IN ('pass', 'fail')
              AND concluded_on >= \(bind: from) AND concluded_on < \(bind: to)
            """, as: Checked.self) {
            r.checks.append((row.uscc, row.category, row.outcome == "fail"))
        }
        for row in try await sql.rows("""
            SELECT uscc, deaths FROM accident_reports WHERE occurred_at >= \(bind: fromStamp) AND occurred_at < \(bind: toStamp)
            """, as: Accident.self) {
            r.records.append((row.uscc, .accident(deaths: row.deaths)))
        }
        let simple: [(SQLQueryString, RiskRecords.Kind)] = [
            ("SELECT uscc FROM recalls WHERE decided_on >= \(bind: from) AND decided_on < \(bind: to)", .recall),
            // Leads made from failed checks and accident reports would count those twice.
            ("""
             SELECT uscc FROM leads WHERE source IN ('complaint', 'whistleblower') AND uscc IS NOT NULL
               AND created_at >= \(bind: fromStamp) AND created_at < \(bind: toStamp)
             """, .complaint),
            ("SELECT uscc FROM enforcement_actions WHERE created_at >= \(bind: fromStamp) AND created_at < \(bind: toStamp)", .enforcement),
        ]
        for (query, kind) in simple {
            for row in try await sql.rows(query, as: TargetStore.Enterprise.self) { r.records.append((row.uscc, kind)) }
        }
        return r
    }

    struct Held: Decodable {
        var uscc: String
        var units: String
    }

    struct Checked: Decodable {
        var uscc: String
        var category: String
        var outcome: String
    }

    struct Accident: Decodable {
        var uscc: String
        var deaths: Int
    }

    /// Years with any random spot check concluded, newest first, for the page's year choice.
    public static func years(_ sql: any SQLDatabase) async throws -> [Int] {
        try await sql.raw("""
            SELECT DISTINCT substr(concluded_on, 1, 4) AS y FROM inspections WHERE origin = 'draw' AND concluded_on IS NOT NULL ORDER BY y DESC
            """).all().compactMap { Int(try $0.decode(column: "y", as: String.self)) }
    }
}
