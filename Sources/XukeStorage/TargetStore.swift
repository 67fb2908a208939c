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
        let rows = try await sql.raw("""
            SELECT l.uscc, e.division_code, l.units FROM licenses l JOIN enterprises e ON e.uscc = l.uscc
            WHERE l.status IN ('valid', 'suspended') AND e.division_code LIKE \(bind: prefix + "%")
            """).all()
        return try rows.map { r in
            let units = try StoredJSON.decode([LicenseUnit].self, try r.decode(column: "units", as: String.self), "licenses.units")
            return LicensedTarget(uscc: try r.decode(column: "uscc", as: String.self), county: try r.decode(column: "division_code", as: String.self),
                                  categories: Array(Set(units.map(\.categoryNo))).sorted())
        }
    }

    public struct Delicensed: Sendable, Codable, Equatable {
        public var uscc: String
        public var name: String
        public var county: String
        public var category: String
        public var since: String
        public var note: String

        public init(uscc: String, name: String, county: String, category: String, since: String, note: String) {
            self.uscc = uscc
            self.name = name
            self.county = county
            self.category = category
            self.since = since
            self.note = note
        }
    }

    public static func delicensed(_ sql: any SQLDatabase, countyPrefix prefix: String) async throws -> [Delicensed] {
        try await sql.raw("""
            SELECT d.*, e.name, e.division_code FROM delicensed_makers d JOIN enterprises e ON e.uscc = d.uscc
            WHERE e.division_code LIKE \(bind: prefix + "%") ORDER BY d.uscc
            """).all().map { r in
            Delicensed(uscc: try r.decode(column: "uscc", as: String.self), name: try r.decode(column: "name", as: String.self),
                       county: try r.decode(column: "division_code", as: String.self), category: try r.decode(column: "category", as: String.self),
                       since: try r.decode(column: "since", as: String.self), note: try r.decode(column: "note", as: String.self))
        }
    }

    public static func addDelicensed(_ sql: any SQLDatabase, uscc: String, category: String, since: String, note: String, by: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO delicensed_makers (uscc, category, since, note, added_by, added_at)
            VALUES (\(bind: uscc), \(bind: category), \(bind: since), \(bind: note), \(bind: by), \(bind: at))
            ON CONFLICT (uscc) DO UPDATE SET category = excluded.category, since = excluded.since, note = excluded.note
            """).run()
    }

    /// The members of each enterprise's most recent inspection team, by roster code.
    public static func lastTeams(_ sql: any SQLDatabase) async throws -> [String: [String]] {
        let rows = try await sql.raw("""
            SELECT x.uscc, i.code FROM inspections x
            JOIN inspection_members m ON m.inspection_id = x.id JOIN inspectors i ON i.user_id = m.user_id
            WHERE x.id = (SELECT MAX(y.id) FROM inspections y WHERE y.uscc = x.uscc AND y.state IN ('visited', 'concluded'))
            """).all()
        var out: [String: [String]] = [:]
        for r in rows { out[try r.decode(column: "uscc", as: String.self), default: []].append(try r.decode(column: "code", as: String.self)) }
        return out.mapValues { $0.sorted() }
    }

    /// Risk classes from the record since a day (docs/DOMAIN.md §9: problems mean more checks). High: a failed inspection
    /// or a reported accident; low: passed inspections and neither; everyone else is normal and absent from the map.
    /// The record risk is judged on (RiskPolicy) since `day`, for every enterprise that has one: concluded
    /// inspections and whether one failed, and reported accidents.
    public static func riskRecords(_ sql: any SQLDatabase, since day: CivilDate) async throws -> [String: RiskPolicy.Record] {
        var records: [String: RiskPolicy.Record] = [:]
        for r in try await sql.raw("""
            SELECT uscc, MAX(CASE WHEN outcome = 'fail' THEN 1 ELSE 0 END) AS failed FROM inspections
            WHERE outcome IS NOT NULL AND concluded_on >= \(bind: day.description) GROUP BY uscc
            """).all() {
            records[try r.decode(column: "uscc", as: String.self), default: .init()].inspected = true
            if try r.decode(column: "failed", as: Int.self) == 1 { records[try r.decode(column: "uscc", as: String.self)]?.failed = true }
        }
        // Accidents are stored as UTC moments; the day starts at midnight in China.
        let since = Timestamp.string(Date(timeIntervalSince1970: TimeInterval(day.startInChina)))
        for r in try await sql.raw("SELECT DISTINCT uscc FROM accident_reports WHERE occurred_at >= \(bind: since)").all() {
            records[try r.decode(column: "uscc", as: String.self), default: .init()].accident = true
        }
        return records
    }

    /// Every category number any catalog edition has used (de-licensed categories included).
    public static func categoryNumbers(_ sql: any SQLDatabase) async throws -> Set<String> {
        Set(try await sql.raw("SELECT DISTINCT category_no FROM catalog_categories").all().map { try $0.decode(column: "category_no", as: String.self) })
    }
}
