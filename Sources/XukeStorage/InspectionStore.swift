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
        let row = InspectionRow(number: number, origin: n.origin, planId: n.planID, uscc: n.uscc, authority: n.authority, category: n.category,
                                state: n.state, hidden: n.hidden ? 1 : 0, items: try StoredJSON.json(n.items), outcome: nil, summary: "",
                                visitedOn: nil, concludedOn: nil, publishDue: nil, publishedAt: nil, createdAt: at, updatedAt: at)
        let id = try await sql.insertRow(into: "inspections", row)
        try await setTeam(sql, inspectionID: id, n.team)
        return id
    }

    struct TeamRow: Encodable { var userId: Int }

    public static func setTeam(_ sql: any SQLDatabase, inspectionID: Int, _ userIDs: [Int]) async throws {
        try await sql.replaceOwned("inspection_members", "inspection_id", inspectionID, userIDs.map(TeamRow.init), ordered: false)
    }

    /// An inspections row (`RowCoding`): the flag as 0 or 1, the checklist items as JSON text.
    struct InspectionRow: Codable {
        var number: String
        var origin: InspectionRecord.Origin
        var planId: Int?
        var uscc: String
        var authority: String
        var category: String
        var state: InspectionRecord.State
        var hidden: Int
        var items: String
        var outcome: String?
        var summary: String
        var visitedOn: CivilDate?
        var concludedOn: CivilDate?
        var publishDue: CivilDate?
        var publishedAt: String?
        var createdAt: String
        var updatedAt: String

        init(number: String, origin: InspectionRecord.Origin, planId: Int?, uscc: String, authority: String, category: String,
             state: InspectionRecord.State, hidden: Int, items: String, outcome: String?, summary: String, visitedOn: CivilDate?,
             concludedOn: CivilDate?, publishDue: CivilDate?, publishedAt: String?, createdAt: String, updatedAt: String) {
            self.number = number; self.origin = origin; self.planId = planId; self.uscc = uscc; self.authority = authority
            self.category = category; self.state = state; self.hidden = hidden; self.items = items; self.outcome = outcome
            self.summary = summary; self.visitedOn = visitedOn; self.concludedOn = concludedOn; self.publishDue = publishDue
            self.publishedAt = publishedAt; self.createdAt = createdAt; self.updatedAt = updatedAt
        }

        init(_ i: InspectionRecord) throws {
            self.init(number: i.number, origin: i.origin, planId: i.planID, uscc: i.uscc, authority: i.authority, category: i.category,
                      state: i.state, hidden: i.hidden ? 1 : 0, items: try StoredJSON.json(i.items), outcome: i.outcome, summary: i.summary,
                      visitedOn: i.visitedOn, concludedOn: i.concludedOn, publishDue: i.publishDue, publishedAt: i.publishedAt,
                      createdAt: i.createdAt, updatedAt: i.updatedAt)
        }

        func record(id: Int, team: [InspectionRecord.Member]) throws -> InspectionRecord {
            InspectionRecord(id: id, number: number, origin: origin, planID: planId, uscc: uscc, authority: authority, category: category,
                             state: state, hidden: hidden == 1, items: try StoredJSON.decode([String].self, items, "inspections.items"),
                             outcome: outcome, summary: summary, visitedOn: visitedOn, concludedOn: concludedOn, publishDue: publishDue,
                             publishedAt: publishedAt, team: team, createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    static func withTeams(_ sql: any SQLDatabase, _ rows: [Identified<InspectionRow>]) async throws -> [InspectionRecord] {
        let teams = try await teams(sql, rows.map(\.id))
        return try rows.map { try $0.columns.record(id: $0.id, team: teams[$0.id] ?? []) }
    }

    struct MemberRow: Decodable {
        var inspectionId: Int
        var userId: Int
        var code: String?
        var displayName: String
    }

    static func teams(_ sql: any SQLDatabase, _ ids: [Int]) async throws -> [Int: [InspectionRecord.Member]] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int: [InspectionRecord.Member]] = [:]
        for m in try await sql.rows("""
            SELECT m.inspection_id, m.user_id, i.code, u.display_name FROM inspection_members m
            JOIN users u ON u.id = m.user_id LEFT JOIN inspectors i ON i.user_id = m.user_id
            WHERE m.inspection_id IN (\(integerList(ids))) ORDER BY i.code
            """, as: MemberRow.self) {
            out[m.inspectionId, default: []].append(InspectionRecord.Member(userID: m.userId, code: m.code ?? "", name: m.displayName))
        }
        return out
    }

    public static func inspection(_ sql: any SQLDatabase, number: String) async throws -> InspectionRecord? {
        guard let i = try await sql.row("SELECT * FROM inspections WHERE number = \(bind: number)", as: Identified<InspectionRow>.self) else { return nil }
        return try i.columns.record(id: i.id, team: try await teams(sql, [i.id])[i.id] ?? [])
    }

    public struct Kind: Sendable, Decodable {
        public var origin: InspectionRecord.Origin
        public var category: String
    }

    /// How an inspection came about and what it covered, alone (the dashboard's reading of old events lacking them).
    public static func kind(_ sql: any SQLDatabase, number: String) async throws -> Kind? {
        try await sql.row("SELECT origin, category FROM inspections WHERE number = \(bind: number)", as: Kind.self)
    }

    public static func inspection(_ sql: any SQLDatabase, id: Int) async throws -> InspectionRecord? {
        guard let i = try await sql.row("SELECT * FROM inspections WHERE id = \(bind: id)", as: Identified<InspectionRow>.self) else { return nil }
        return try i.columns.record(id: id, team: try await teams(sql, [id])[id] ?? [])
    }

    public static func inspections(_ sql: any SQLDatabase, planID: Int) async throws -> [InspectionRecord] {
        try await withTeams(sql, sql.rows("SELECT * FROM inspections WHERE plan_id = \(bind: planID) ORDER BY id", as: Identified<InspectionRow>.self))
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
        try await sql.replaceOwned("inspection_findings", "inspection_id", inspectionID, findings, ordered: true)
    }

    public static func findings(_ sql: any SQLDatabase, inspectionID: Int) async throws -> [Finding] {
        try await sql.rows("SELECT * FROM inspection_findings WHERE inspection_id = \(bind: inspectionID) ORDER BY position", as: Finding.self)
    }

    public static func saveSamples(_ sql: any SQLDatabase, inspectionID: Int, _ samples: [Sample]) async throws {
        try await sql.replaceOwned("inspection_samples", "inspection_id", inspectionID, samples, ordered: true)
    }

    public static func samples(_ sql: any SQLDatabase, inspectionID: Int) async throws -> [Sample] {
        try await sql.rows("SELECT * FROM inspection_samples WHERE inspection_id = \(bind: inspectionID) ORDER BY position", as: Sample.self)
    }

    /// Saves an inspection's columns (its team is saved with `setTeam`).
    public static func saveInspection(_ sql: any SQLDatabase, _ i: InspectionRecord) async throws {
        _ = try await sql.updateRow("inspections", try InspectionRow(i)) { $0.where("id", .equal, i.id) }
    }

    /// An objections row: the re-test request as 0 or 1.
    struct ObjectionRow: Codable {
        var inspectionId: Int
        var uscc: String
        var reason: String
        var retest: Int
        var state: Objection.State
        var outcome: String
        var filedAt: String
        var decidedAt: String?
        var decidedBy: String?

        func objection(id: Int) -> Objection {
            Objection(id: id, inspectionID: inspectionId, uscc: uscc, reason: reason, retest: retest == 1, state: state, outcome: outcome,
                      filedAt: filedAt, decidedAt: decidedAt, decidedBy: decidedBy)
        }
    }

    public static func insertObjection(_ sql: any SQLDatabase, inspectionID: Int, uscc: String, reason: String, retest: Bool, at: String) async throws -> Objection {
        let row = ObjectionRow(inspectionId: inspectionID, uscc: uscc, reason: reason, retest: retest ? 1 : 0, state: .open, outcome: "",
                               filedAt: at, decidedAt: nil, decidedBy: nil)
        return row.objection(id: try await sql.insertRow(into: "objections", row))
    }

    public static func objections(_ sql: any SQLDatabase, inspectionID: Int) async throws -> [Objection] {
        try await sql.rows("SELECT * FROM objections WHERE inspection_id = \(bind: inspectionID) ORDER BY id", as: Identified<ObjectionRow>.self)
            .map { $0.columns.objection(id: $0.id) }
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
        try await sql.rows("SELECT * FROM inspection_evidence WHERE inspection_id = \(bind: inspectionID) ORDER BY added_at, sha256", as: Evidence.self)
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

    /// What a result's read adds to the inspection's row.
    struct ResultNames: Decodable {
        var planCode: String?
        var holderName: String
    }

    static func result(_ read: Pair<ResultNames, Identified<InspectionRow>>) throws -> Result {
        Result(inspection: try read.second.columns.record(id: read.second.id, team: []), planCode: read.first.planCode, holderName: read.first.holderName)
    }

    public static func result(_ sql: any SQLDatabase, inspectionID: Int) async throws -> Result? {
        try await sql.row(resultQuery + " WHERE x.id = \(bind: inspectionID)", as: Pair<ResultNames, Identified<InspectionRow>>.self).map(result)
    }

    /// Published results, newest first: the public side of 一公开, read in one query. `before` the publication
    /// moment and id of the last result of the previous page.
    public static func publishedResults(_ sql: any SQLDatabase, uscc: String?, limit: Int = 200, before: (at: String, id: Int)? = nil) async throws -> [Result] {
        var q = resultQuery + " WHERE x.published_at IS NOT NULL"
        if let uscc { q = q + " AND x.uscc = \(bind: uscc)" }
        if let before { q = q + " AND (x.published_at < \(bind: before.at) OR (x.published_at = \(bind: before.at) AND x.id < \(bind: before.id)))" }
        return try await sql.rows(q + " ORDER BY x.published_at DESC, x.id DESC LIMIT \(bind: limit)", as: Pair<ResultNames, Identified<InspectionRow>>.self).map(result)
    }

    /// Inspections of authorities under a prefix, or of one team member, or of one enterprise, newest first.
    public static func inspections(_ sql: any SQLDatabase, authorityPrefix: String? = nil, memberID: Int? = nil, uscc: String? = nil,
                                   limit: Int = 200, before: Int? = nil) async throws -> [InspectionRecord] {
        var q: SQLQueryString = "SELECT * FROM inspections WHERE 1 = 1"
        if let before { q = q + " AND id < \(bind: before)" }
        if let authorityPrefix { q = q + " AND authority LIKE \(bind: authorityPrefix + "%")" }
        if let memberID { q = q + " AND id IN (SELECT inspection_id FROM inspection_members WHERE user_id = \(bind: memberID))" }
        if let uscc { q = q + " AND uscc = \(bind: uscc) AND hidden = 0" }
        return try await withTeams(sql, sql.rows(q + " ORDER BY id DESC LIMIT \(bind: limit)", as: Identified<InspectionRow>.self))
    }
}
