public import SQLKit
public import XukeDomain
import Foundation

public struct InspectionRecord: Sendable, Codable, Equatable {
    public enum Origin: String, Sendable, Codable, CaseIterable {
        case draw
        case flying
        case followUp = "follow_up"
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        /// Drawn, but no team could be staffed by the rules; published as such, never filled by hand.
        case unstaffed
        case assigned
        case visited
        case concluded
    }

    public struct Member: Sendable, Codable, Equatable {
        public var userID: Int
        public var code: String
        public var name: String
    }

    public var id: Int
    public var number: String
    public var origin: Origin
    public var planID: Int?
    public var uscc: String
    public var authority: String
    public var category: String
    public var state: State
    /// Flying inspections stay hidden from the enterprise until the visit is recorded.
    public var hidden: Bool
    public var items: [String]
    public var outcome: String?
    public var summary: String
    public var visitedOn: CivilDate?
    public var concludedOn: CivilDate?
    public var publishDue: CivilDate?
    public var publishedAt: String?
    public var team: [Member]
    public var createdAt: String
    public var updatedAt: String
}

/// Inspections from opening to published result: findings, samples, evidence and objections.
public enum InspectionStore {

    public struct NewInspection: Sendable {
        public var origin: InspectionRecord.Origin
        public var planID: Int?
        public var uscc: String
        public var authority: String
        public var category: String
        public var state: InspectionRecord.State
        public var hidden: Bool
        public var items: [String]
        public var team: [Int]

        public init(origin: InspectionRecord.Origin, planID: Int?, uscc: String, authority: String, category: String,
                    state: InspectionRecord.State, hidden: Bool, items: [String], team: [Int]) {
            self.origin = origin
            self.planID = planID
            self.uscc = uscc
            self.authority = authority
            self.category = category
            self.state = state
            self.hidden = hidden
            self.items = items
            self.team = team
        }
    }

    @discardableResult
    public static func insertInspection(_ sql: any SQLDatabase, _ n: NewInspection, number: String, at: String) async throws -> Int {
        let items = String(decoding: try JSONEncoder().encode(n.items), as: UTF8.self)
        let row = try await sql.raw("""
            INSERT INTO inspections (number, origin, plan_id, uscc, authority, category, state, hidden, items, summary, created_at, updated_at)
            VALUES (\(bind: number), \(bind: n.origin.rawValue), \(bind: n.planID), \(bind: n.uscc), \(bind: n.authority), \(bind: n.category),
                    \(bind: n.state.rawValue), \(bind: n.hidden ? 1 : 0), \(bind: items), '', \(bind: at), \(bind: at))
            RETURNING id
            """).first()
        let id = try (row?.decode(column: "id", as: Int.self)).orThrow("inspections.id")
        try await setTeam(sql, inspectionID: id, n.team)
        return id
    }

    public static func setTeam(_ sql: any SQLDatabase, inspectionID: Int, _ userIDs: [Int]) async throws {
        try await sql.raw("DELETE FROM inspection_members WHERE inspection_id = \(bind: inspectionID)").run()
        for u in userIDs {
            try await sql.raw("INSERT INTO inspection_members (inspection_id, user_id) VALUES (\(bind: inspectionID), \(bind: u))").run()
        }
    }

    static func inspectionRow(_ r: any SQLRow, team: [InspectionRecord.Member]) throws -> InspectionRecord {
        InspectionRecord(
            id: try r.decode(column: "id", as: Int.self), number: try r.decode(column: "number", as: String.self),
            origin: try InspectionRecord.Origin(rawValue: try r.decode(column: "origin", as: String.self)).orThrow("inspections.origin"),
            planID: try r.decode(column: "plan_id", as: Int?.self), uscc: try r.decode(column: "uscc", as: String.self),
            authority: try r.decode(column: "authority", as: String.self), category: try r.decode(column: "category", as: String.self),
            state: try InspectionRecord.State(rawValue: try r.decode(column: "state", as: String.self)).orThrow("inspections.state"),
            hidden: try r.decode(column: "hidden", as: Int.self) == 1,
            items: try JSONDecoder().decode([String].self, from: Data(try r.decode(column: "items", as: String.self).utf8)),
            outcome: try r.decode(column: "outcome", as: String?.self), summary: try r.decode(column: "summary", as: String.self),
            visitedOn: try r.dayIfPresent("visited_on"), concludedOn: try r.dayIfPresent("concluded_on"),
            publishDue: try r.dayIfPresent("publish_due"), publishedAt: try r.decode(column: "published_at", as: String?.self),
            team: team, createdAt: try r.decode(column: "created_at", as: String.self), updatedAt: try r.decode(column: "updated_at", as: String.self))
    }

    static func teams(_ sql: any SQLDatabase, _ ids: [Int]) async throws -> [Int: [InspectionRecord.Member]] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int: [InspectionRecord.Member]] = [:]
        for r in try await sql.raw("""
            SELECT m.inspection_id, m.user_id, i.code, u.display_name FROM inspection_members m
            JOIN users u ON u.id = m.user_id LEFT JOIN inspectors i ON i.user_id = m.user_id
            WHERE m.inspection_id IN (\(integerList(ids))) ORDER BY i.code
            """).all() {
            out[try r.decode(column: "inspection_id", as: Int.self), default: []].append(InspectionRecord.Member(
                userID: try r.decode(column: "user_id", as: Int.self), code: try r.decode(column: "code", as: String?.self) ?? "",
                name: try r.decode(column: "display_name", as: String.self)))
        }
        return out
    }

    public static func inspection(_ sql: any SQLDatabase, number: String) async throws -> InspectionRecord? {
        guard let id = try await sql.raw("SELECT id FROM inspections WHERE number = \(bind: number)").first()?.decode(column: "id", as: Int.self) else { return nil }
        return try await inspection(sql, id: id)
    }

    public static func inspection(_ sql: any SQLDatabase, id: Int) async throws -> InspectionRecord? {
        guard let r = try await sql.raw("SELECT * FROM inspections WHERE id = \(bind: id)").first() else { return nil }
        return try inspectionRow(r, team: try await teams(sql, [id])[id] ?? [])
    }

    public static func inspections(_ sql: any SQLDatabase, planID: Int) async throws -> [InspectionRecord] {
        let rows = try await sql.raw("SELECT * FROM inspections WHERE plan_id = \(bind: planID) ORDER BY id").all()
        let ids = try rows.map { try $0.decode(column: "id", as: Int.self) }
        let teams = try await teams(sql, ids)
        return try zip(rows, ids).map { try inspectionRow($0, team: teams[$1] ?? []) }
    }

    public enum Outcome: String, Sendable, Codable {
        case pass, fail
    }

    public struct Finding: Sendable, Codable, Equatable {
        public enum Result: String, Sendable, Codable {
            case conforms, nonconforming
            case notApplicable = "not_applicable"
        }
        public var item: String
        public var result: Result
        public var note: String

        public init(item: String, result: Result, note: String) {
            self.item = item
            self.result = result
            self.note = note
        }
    }

    public struct Sample: Sendable, Codable, Equatable {
        public enum LabResult: String, Sendable, Codable {
            case pending, pass, fail
        }
        public var product: String
        public var batch: String
        public var quantity: String
        public var lab: String
        public var reportNo: String
        public var labResult: LabResult

        public init(product: String, batch: String, quantity: String, lab: String, reportNo: String, labResult: LabResult) {
            self.product = product
            self.batch = batch
            self.quantity = quantity
            self.lab = lab
            self.reportNo = reportNo
            self.labResult = labResult
        }
    }

    public struct Objection: Sendable, Codable, Equatable {
        public enum State: String, Sendable, Codable {
            case open
            /// A re-test is ordered; its outcome decides.
            case retest
            case dismissed
            case upheld
            case retestPassed = "retest_passed"
            case retestFailed = "retest_failed"
        }
        public var id: Int
        public var inspectionID: Int
        public var uscc: String
        public var reason: String
        public var retest: Bool
        public var state: State
        public var outcome: String
        public var filedAt: String
        public var decidedAt: String?
        public var decidedBy: String?
    }

    public static func saveFindings(_ sql: any SQLDatabase, inspectionID: Int, _ findings: [Finding]) async throws {
        try await sql.raw("DELETE FROM inspection_findings WHERE inspection_id = \(bind: inspectionID)").run()
        for (n, f) in findings.enumerated() {
            try await sql.raw("""
                INSERT INTO inspection_findings (inspection_id, position, item, result, note)
                VALUES (\(bind: inspectionID), \(bind: n + 1), \(bind: f.item), \(bind: f.result.rawValue), \(bind: f.note))
                """).run()
        }
    }

    public static func findings(_ sql: any SQLDatabase, inspectionID: Int) async throws -> [Finding] {
        try await sql.raw("SELECT * FROM inspection_findings WHERE inspection_id = \(bind: inspectionID) ORDER BY position").all().map {
            Finding(item: try $0.decode(column: "item", as: String.self),
                    result: try Finding.Result(rawValue: try $0.decode(column: "result", as: String.self)).orThrow("inspection_findings.result"),
                    note: try $0.decode(column: "note", as: String.self))
        }
    }

    public static func saveSamples(_ sql: any SQLDatabase, inspectionID: Int, _ samples: [Sample]) async throws {
        try await sql.raw("DELETE FROM inspection_samples WHERE inspection_id = \(bind: inspectionID)").run()
        for (n, s) in samples.enumerated() {
            try await sql.raw("""
                INSERT INTO inspection_samples (inspection_id, position, product, batch, quantity, lab, report_no, lab_result)
                VALUES (\(bind: inspectionID), \(bind: n + 1), \(bind: s.product), \(bind: s.batch), \(bind: s.quantity), \(bind: s.lab),
                        \(bind: s.reportNo), \(bind: s.labResult.rawValue))
                """).run()
        }
    }

    public static func samples(_ sql: any SQLDatabase, inspectionID: Int) async throws -> [Sample] {
        try await sql.raw("SELECT * FROM inspection_samples WHERE inspection_id = \(bind: inspectionID) ORDER BY position").all().map {
            Sample(product: try $0.decode(column: "product", as: String.self), batch: try $0.decode(column: "batch", as: String.self),
                   quantity: try $0.decode(column: "quantity", as: String.self), lab: try $0.decode(column: "lab", as: String.self),
                   reportNo: try $0.decode(column: "report_no", as: String.self),
                   labResult: try Sample.LabResult(rawValue: try $0.decode(column: "lab_result", as: String.self)).orThrow("inspection_samples.lab_result"))
        }
    }

    /// Saves an inspection's changing columns (its team is saved with `setTeam`).
    public static func saveInspection(_ sql: any SQLDatabase, _ i: InspectionRecord) async throws {
        try await sql.raw("""
            UPDATE inspections SET state = \(bind: i.state.rawValue), hidden = \(bind: i.hidden ? 1 : 0), outcome = \(bind: i.outcome),
                summary = \(bind: i.summary), visited_on = \(bind: i.visitedOn?.description), concluded_on = \(bind: i.concludedOn?.description),
                publish_due = \(bind: i.publishDue?.description), published_at = \(bind: i.publishedAt), updated_at = \(bind: i.updatedAt)
            WHERE id = \(bind: i.id)
            """).run()
    }

    static func objection(_ r: any SQLRow) throws -> Objection {
        Objection(id: try r.decode(column: "id", as: Int.self), inspectionID: try r.decode(column: "inspection_id", as: Int.self),
                  uscc: try r.decode(column: "uscc", as: String.self), reason: try r.decode(column: "reason", as: String.self),
                  retest: try r.decode(column: "retest", as: Int.self) == 1,
                  state: try Objection.State(rawValue: try r.decode(column: "state", as: String.self)).orThrow("objections.state"),
                  outcome: try r.decode(column: "outcome", as: String.self), filedAt: try r.decode(column: "filed_at", as: String.self),
                  decidedAt: try r.decode(column: "decided_at", as: String?.self), decidedBy: try r.decode(column: "decided_by", as: String?.self))
    }

    public static func insertObjection(_ sql: any SQLDatabase, inspectionID: Int, uscc: String, reason: String, retest: Bool, at: String) async throws -> Objection {
        let row = try await sql.raw("""
            INSERT INTO objections (inspection_id, uscc, reason, retest, state, outcome, filed_at)
            VALUES (\(bind: inspectionID), \(bind: uscc), \(bind: reason), \(bind: retest ? 1 : 0), 'open', '', \(bind: at))
            RETURNING *
            """).first()
        return try objection(try row.orThrow("objections"))
    }

    public static func objections(_ sql: any SQLDatabase, inspectionID: Int) async throws -> [Objection] {
        try await sql.raw("SELECT * FROM objections WHERE inspection_id = \(bind: inspectionID) ORDER BY id").all().map(objection)
    }

    public static func saveObjection(_ sql: any SQLDatabase, _ o: Objection) async throws {
        try await sql.raw("""
            UPDATE objections SET state = \(bind: o.state.rawValue), outcome = \(bind: o.outcome), decided_at = \(bind: o.decidedAt),
                decided_by = \(bind: o.decidedBy) WHERE id = \(bind: o.id)
            """).run()
    }

    public struct Evidence: Sendable, Codable, Equatable {
        public var sha256: String
        public var filename: String
        public var addedBy: String
        public var addedAt: String
    }

    public static func addEvidence(_ sql: any SQLDatabase, inspectionID: Int, sha256: String, filename: String, by: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO inspection_evidence (inspection_id, sha256, filename, added_by, added_at)
            VALUES (\(bind: inspectionID), \(bind: sha256), \(bind: filename), \(bind: by), \(bind: at))
            ON CONFLICT (inspection_id, sha256) DO NOTHING
            """).run()
    }

    public static func evidence(_ sql: any SQLDatabase, inspectionID: Int) async throws -> [Evidence] {
        try await sql.raw("SELECT * FROM inspection_evidence WHERE inspection_id = \(bind: inspectionID) ORDER BY added_at, sha256").all().map {
            Evidence(sha256: try $0.decode(column: "sha256", as: String.self), filename: try $0.decode(column: "filename", as: String.self),
                     addedBy: try $0.decode(column: "added_by", as: String.self), addedAt: try $0.decode(column: "added_at", as: String.self))
        }
    }

    /// An inspection with what its published result names besides its own row: the plan's code and the holder's name.
    public struct Result: Sendable {
        public var inspection: InspectionRecord
        public var planCode: String?
        public var holderName: String
    }

    static let resultQuery: SQLQueryString = """
        SELECT x.*, p.code AS plan_code, e.name AS holder_name FROM inspections x
        LEFT JOIN spot_plans p ON p.id = x.plan_id JOIN enterprises e ON e.uscc = x.uscc
        """

    static func result(_ r: any SQLRow) throws -> Result {
        Result(inspection: try inspectionRow(r, team: []), planCode: try r.decode(column: "plan_code", as: String?.self),
               holderName: try r.decode(column: "holder_name", as: String.self))
    }

    public static func result(_ sql: any SQLDatabase, inspectionID: Int) async throws -> Result? {
        try await sql.raw(resultQuery + " WHERE x.id = \(bind: inspectionID)").first().map(result)
    }

    /// Published results, newest first: the public side of 一公开, read in one query. `before` the publication
    /// moment and id of the last result of the previous page.
    public static func publishedResults(_ sql: any SQLDatabase, uscc: String?, limit: Int = 200, before: (at: String, id: Int)? = nil) async throws -> [Result] {
        var q = resultQuery + " WHERE x.published_at IS NOT NULL"
        if let uscc { q = q + " AND x.uscc = \(bind: uscc)" }
        if let before { q = q + " AND (x.published_at < \(bind: before.at) OR (x.published_at = \(bind: before.at) AND x.id < \(bind: before.id)))" }
        return try await sql.raw(q + " ORDER BY x.published_at DESC, x.id DESC LIMIT \(bind: limit)").all().map(result)
    }

    /// Inspections of authorities under a prefix, or of one team member, or of one enterprise, newest first.
    public static func inspections(_ sql: any SQLDatabase, authorityPrefix: String? = nil, memberID: Int? = nil, uscc: String? = nil,
                                   limit: Int = 200, before: Int? = nil) async throws -> [InspectionRecord] {
        var q: SQLQueryString = "SELECT * FROM inspections WHERE 1 = 1"
        if let before { q = q + " AND id < \(bind: before)" }
        if let authorityPrefix { q = q + " AND authority LIKE \(bind: authorityPrefix + "%")" }
        if let memberID { q = q + " AND id IN (SELECT inspection_id FROM inspection_members WHERE user_id = \(bind: memberID))" }
        if let uscc { q = q + " AND uscc = \(bind: uscc) AND hidden = 0" }
        let rows = try await sql.raw(q + " ORDER BY id DESC LIMIT \(bind: limit)").all()
        let ids = try rows.map { try $0.decode(column: "id", as: Int.self) }
        let teams = try await teams(sql, ids)
        return try zip(rows, ids).map { try inspectionRow($0, team: teams[$1] ?? []) }
    }
}
