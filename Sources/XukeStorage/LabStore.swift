public import SQLKit
public import XukeDomain
import Foundation

/// A test report as its lab filed it.
public struct TestReport: Sendable, Codable, Equatable {
    public var id: Int
    public var labId: Int
    public var reportNo: String
    public var uscc: String
    public var units: [String]
    public var issuedOn: CivilDate
    /// pass or fail.
    public var conclusion: String
    public var sha256: String
    public var filedBy: String
    public var filedAt: String

    public init(id: Int, labId: Int, reportNo: String, uscc: String, units: [String], issuedOn: CivilDate, conclusion: String, sha256: String, filedBy: String, filedAt: String) {
        self.id = id
        self.labId = labId
        self.reportNo = reportNo
        self.uscc = uscc
        self.units = units
        self.issuedOn = issuedOn
        self.conclusion = conclusion
        self.sha256 = sha256
        self.filedBy = filedBy
        self.filedAt = filedAt
    }
}

public enum LabStore {
    /// A test_reports row: its units are stored as a JSON array.
    private struct ReportRow: Decodable {
        var id: Int, labId: Int, reportNo: String, uscc: String, units: String, issuedOn: CivilDate, conclusion: String
        var sha256: String, filedBy: String, filedAt: String

        func report() throws -> TestReport {
            TestReport(id: id, labId: labId, reportNo: reportNo, uscc: uscc, units: try StoredJSON.decode([String].self, units, "test_reports.units"),
                       issuedOn: issuedOn, conclusion: conclusion, sha256: sha256, filedBy: filedBy, filedAt: filedAt)
        }
    }

    struct Row: Decodable {
        var id: Int
        var code: String?
        var name: String
        var uscc: String
        var cmaNumber: String
        var grade: Int
        var divisionCode: String
    }

    struct PeriodRow: Decodable {
        var labId: Int
        var since: CivilDate
        var until: CivilDate?
        var status: Lab.Status
        var note: String
    }

    struct ScopeRow: Decodable {
        var labId: Int
        var unitNo: String
        var standard: String
        var fromOn: CivilDate
        var until: CivilDate?
    }

    /// Labs with their periods and scopes, read in three queries.
    static func labs(_ sql: any SQLDatabase, where filter: SQLQueryString) async throws -> [Lab] {
        let rows = try await sql.rows("SELECT * FROM labs WHERE " + filter + " ORDER BY id", as: Row.self)
        guard !rows.isEmpty else { return [] }
        let ids = SQLQueryString(rows.map { String($0.id) }.joined(separator: ","))
        let periods = Dictionary(grouping: try await sql.rows("SELECT * FROM lab_periods WHERE lab_id IN (" + ids + ") ORDER BY since", as: PeriodRow.self), by: \.labId)
        let scopes = Dictionary(grouping: try await sql.rows("SELECT * FROM lab_scopes WHERE lab_id IN (" + ids + ") ORDER BY id", as: ScopeRow.self), by: \.labId)
        return rows.map { r in
            Lab(id: r.id, code: r.code ?? Lab.code(id: r.id), name: r.name, uscc: r.uscc, cmaNumber: r.cmaNumber, grade: r.grade, divisionCode: r.divisionCode,
                periods: (periods[r.id] ?? []).map { Lab.Period(status: $0.status, since: $0.since, until: $0.until, note: $0.note) },
                scopes: (scopes[r.id] ?? []).map { Lab.Scope(unitNo: $0.unitNo, standard: $0.standard, from: $0.fromOn, until: $0.until) })
        }
    }

    public static func lab(_ sql: any SQLDatabase, code: String) async throws -> Lab? {
        try await labs(sql, where: "code = \(bind: code)").first
    }

    public static func lab(_ sql: any SQLDatabase, cma: String) async throws -> Lab? {
        try await labs(sql, where: "cma_number = \(bind: cma)").first
    }

    public static func lab(_ sql: any SQLDatabase, id: Int) async throws -> Lab? {
        try await labs(sql, where: "id = \(bind: id)").first
    }

    public static func all(_ sql: any SQLDatabase) async throws -> [Lab] {
        try await labs(sql, where: "1 = 1")
    }

    struct UnitNumber: Decodable {
        var unitNo: String
    }

    /// Every unit number any catalog edition lists.
    public static func allUnitNumbers(_ sql: any SQLDatabase) async throws -> [String] {
        try await sql.rows("SELECT DISTINCT unit_no FROM catalog_units ORDER BY unit_no", as: UnitNumber.self).map(\.unitNo)
    }

    /// The unit numbers among `units` that some catalog edition lists.
    public static func knownUnits(_ sql: any SQLDatabase, _ units: [String]) async throws -> Set<String> {
        guard !units.isEmpty else { return [] }
        var list: SQLQueryString = ""
        for (n, u) in units.enumerated() { list = list + (n == 0 ? "" : ", ") + "\(bind: u)" }
        return Set(try await sql.raw("SELECT DISTINCT unit_no FROM catalog_units WHERE unit_no IN (" + list + ")").all().map { try $0.decode(column: "unit_no", as: String.self) })
    }

    public static func cmaTaken(_ sql: any SQLDatabase, _ number: String) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM labs WHERE cma_number = \(bind: number)").first() != nil
    }

    /// Registers a lab; its first period starts on `since`. Returns the lab as stored.
    public static func insert(_ sql: any SQLDatabase, _ lab: Lab, by: String, at: String) async throws -> Lab {
        let row = try await sql.raw("""
            INSERT INTO labs (name, uscc, cma_number, grade, division_code, created_at, created_by)
            VALUES (\(bind: lab.name), \(bind: lab.uscc), \(bind: lab.cmaNumber), \(bind: lab.grade), \(bind: lab.divisionCode), \(bind: at), \(bind: by))
            RETURNING id
            """).first()
        let id = try (try row?.decode(column: "id", as: Int.self)).orThrow("labs.id")
        try await sql.raw("UPDATE labs SET code = \(bind: Lab.code(id: id)) WHERE id = \(bind: id)").run()
        for p in lab.periods { try await addPeriod(sql, labID: id, p, by: by, at: at) }
        try await addScopes(sql, labID: id, lab.scopes)
        return try await self.lab(sql, id: id).orThrow("labs \(id)")
    }

    public static func addPeriod(_ sql: any SQLDatabase, labID: Int, _ p: Lab.Period, by: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO lab_periods (lab_id, since, until, status, note, recorded_by, recorded_at)
            VALUES (\(bind: labID), \(bind: p.since.description), \(bind: p.until?.description), \(bind: p.status.rawValue), \(bind: p.note), \(bind: by), \(bind: at))
            """).run()
    }

    /// Ends the open period on `day`; false when there was no open period (a concurrent change came first).
    public static func closePeriod(_ sql: any SQLDatabase, labID: Int, since: CivilDate, on day: CivilDate) async throws -> Bool {
        try await sql.raw("""
            UPDATE lab_periods SET until = \(bind: day.description) WHERE lab_id = \(bind: labID) AND since = \(bind: since.description) AND until IS NULL
            RETURNING lab_id
            """).first() != nil
    }

    public static func addScopes(_ sql: any SQLDatabase, labID: Int, _ scopes: [Lab.Scope]) async throws {
        for s in scopes {
            try await sql.raw("""
                INSERT INTO lab_scopes (lab_id, unit_no, standard, from_on, until)
                VALUES (\(bind: labID), \(bind: s.unitNo), \(bind: s.standard), \(bind: s.from.description), \(bind: s.until?.description))
                """).run()
        }
    }

    public static func addMember(_ sql: any SQLDatabase, userID: Int, labID: Int) async throws {
        try await sql.raw("""
            INSERT INTO lab_members (user_id, lab_id) VALUES (\(bind: userID), \(bind: labID))
            ON CONFLICT (user_id) DO UPDATE SET lab_id = \(bind: labID)
            """).run()
    }

    public static func labID(_ sql: any SQLDatabase, member userID: Int) async throws -> Int? {
        try await sql.raw("SELECT lab_id FROM lab_members WHERE user_id = \(bind: userID)").first()?.decode(column: "lab_id", as: Int.self)
    }

    /// False when the lab already filed a report with that number.
    public static func insertReport(_ sql: any SQLDatabase, _ r: TestReport) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO test_reports (lab_id, report_no, uscc, units, issued_on, conclusion, sha256, filed_by, filed_at)
            VALUES (\(bind: r.labId), \(bind: r.reportNo), \(bind: r.uscc), \(bind: try StoredJSON.json(r.units)), \(bind: r.issuedOn.description), \(bind: r.conclusion),
                    \(bind: r.sha256), \(bind: r.filedBy), \(bind: r.filedAt))
            ON CONFLICT DO NOTHING
            RETURNING id
            """).first() != nil
    }

    public static func report(_ sql: any SQLDatabase, labID: Int, reportNo: String) async throws -> TestReport? {
        try await sql.rows("SELECT * FROM test_reports WHERE lab_id = \(bind: labID) AND report_no = \(bind: reportNo)", as: ReportRow.self).first?.report()
    }

    public static func reports(_ sql: any SQLDatabase, labID: Int, limit: Int = 200) async throws -> [TestReport] {
        try await sql.rows("SELECT * FROM test_reports WHERE lab_id = \(bind: labID) ORDER BY id DESC LIMIT \(bind: limit)", as: ReportRow.self).map { try $0.report() }
    }
}
