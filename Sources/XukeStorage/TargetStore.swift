public import SQLKit
public import XukeDomain
import Foundation

/// A license in force, as the target roster needs it.
public struct LicensedTarget: Sendable {
    public var uscc: String
    public var county: String
    public var categories: [String]
}

/// What a plan may draw: licensed enterprises with their risk, and makers of products that left the catalog.
public enum TargetStore {

    /// Holders of a license in force (or suspended) whose registered county lies under `prefix`.
    public static func licensedTargets(_ sql: any SQLDatabase, countyPrefix prefix: String) async throws -> [LicensedTarget] {
        try await sql.rows("""
            SELECT l.uscc, e.division_code, l.units FROM licenses l JOIN enterprises e ON e.uscc = l.uscc
            WHERE l.status IN ('valid', 'suspended') AND e.division_code LIKE \(bind: prefix + "%")
            """, as: TargetRow.self).map { r in
            let units = try StoredJSON.decode([LicenseUnit].self, r.units, "licenses.units")
            return LicensedTarget(uscc: r.uscc, county: r.divisionCode, categories: Array(Set(units.map(\.categoryNo))).sorted())
        }
    }

    struct TargetRow: Decodable {
        var uscc: String
        var divisionCode: String
        var units: String
    }

    public struct Delicensed: Sendable, Codable, Equatable {
        public var uscc: String
        public var name: String
        public var county: String
        public var category: String
        public var since: CivilDate
        public var note: String

        public init(uscc: String, name: String, county: String, category: String, since: CivilDate, note: String) {
            self.uscc = uscc
            self.name = name
            self.county = county
            self.category = category
            self.since = since
            self.note = note
        }
    }

    public static func delicensed(_ sql: any SQLDatabase, countyPrefix prefix: String) async throws -> [Delicensed] {
        try await sql.rows("""
            SELECT d.uscc, d.category, d.since, d.note, e.name, e.division_code AS county FROM delicensed_makers d JOIN enterprises e ON e.uscc = d.uscc
            WHERE e.division_code LIKE \(bind: prefix + "%") ORDER BY d.uscc
            """, as: Delicensed.self)
    }

    public static func addDelicensed(_ sql: any SQLDatabase, uscc: String, category: String, since: CivilDate, note: String, by: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO delicensed_makers (uscc, category, since, note, added_by, added_at)
            VALUES (\(bind: uscc), \(bind: category), \(bind: since.description), \(bind: note), \(bind: by), \(bind: at))
            ON CONFLICT (uscc) DO UPDATE SET category = excluded.category, since = excluded.since, note = excluded.note
            """).run()
    }

    struct TeamSeat: Decodable {
        var uscc: String
        var code: String
    }

    /// The members of each enterprise's most recent inspection team, by roster code.
    public static func lastTeams(_ sql: any SQLDatabase) async throws -> [String: [String]] {
        let rows = try await sql.rows("""
            SELECT x.uscc, i.code FROM inspections x
            JOIN inspection_members m ON m.inspection_id = x.id JOIN inspectors i ON i.user_id = m.user_id
            WHERE x.id = (SELECT MAX(y.id) FROM inspections y WHERE y.uscc = x.uscc AND y.state IN ('visited', 'concluded'))
            """, as: TeamSeat.self)
        var out: [String: [String]] = [:]
        for r in rows { out[r.uscc, default: []].append(r.code) }
        return out.mapValues { $0.sorted() }
    }

    struct Inspected: Decodable {
        var uscc: String
        var failed: Int
    }

    struct Enterprise: Decodable {
        var uscc: String
    }

    /// Risk classes from the record since a day (docs/DOMAIN.md §9: problems mean more checks). High: a failed inspection
    /// or a reported accident; low: passed inspections and neither; everyone else is normal and absent from the map.
    /// The record risk is judged on (RiskPolicy) since `day`, for every enterprise that has one: concluded
    /// inspections and whether one failed, and reported accidents.
    public static func riskRecords(_ sql: any SQLDatabase, since day: CivilDate) async throws -> [String: RiskPolicy.Record] {
        var records: [String: RiskPolicy.Record] = [:]
        for r in try await sql.rows("""
            SELECT uscc, MAX(CASE WHEN outcome = 'fail' THEN 1 ELSE 0 END) AS failed FROM inspections
            WHERE outcome IS NOT NULL AND concluded_on >= \(bind: day.description) GROUP BY uscc
            """, as: Inspected.self) {
            records[r.uscc, default: .init()].inspected = true
            if r.failed == 1 { records[r.uscc]?.failed = true }
        }
        // Accidents are stored as UTC moments; the day starts at midnight in China.
        let since = Timestamp.string(Date(timeIntervalSince1970: TimeInterval(day.startInChina)))
        for r in try await sql.rows("SELECT DISTINCT uscc FROM accident_reports WHERE occurred_at >= \(bind: since)", as: Enterprise.self) {
            records[r.uscc, default: .init()].accident = true
        }
        return records
    }

    /// Every category number any catalog edition has used (de-licensed categories included).
    public static func categoryNumbers(_ sql: any SQLDatabase) async throws -> Set<String> {
        Set(try await sql.rows("SELECT DISTINCT category_no FROM catalog_categories", as: CatalogStore.CategoryNumber.self).map(\.categoryNo))
    }
}
