public import SQLKit
public import XukeDomain
import Foundation

public struct VerificationRecord: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case preIssue = "pre_issue", followUp = "follow_up" }
    public enum State: String, Sendable, Codable { case pending, assigned, rectification, concluded }
    public struct Finding: Sendable, Codable, Equatable {
        public var item: String
        /// A `FindingResult` raw value; kept as text so a result recorded under an older checklist still loads.
        public var result: String
        public var note: String
        public var recordedBy: Int
        public var at: String

        public var finding: FindingResult? { FindingResult(rawValue: result) }

        public init(item: String, result: String, note: String, recordedBy: Int, at: String) {
            self.item = item
            self.result = result
            self.note = note
            self.recordedBy = recordedBy
            self.at = at
        }
    }

    public var id: Int
    public var applicationID: Int?
    public var licenseID: Int?
    public var kind: Kind
    public var state: State
    public var authority: String
    public var assignedOn: CivilDate?
    public var dueOn: CivilDate
    public var rectifyBy: CivilDate?
    public var outcome: VerificationOutcome?
    public var concludedOn: CivilDate?
    public var summary: String
    public var members: [Int]
    public var findings: [Finding]

    public init(id: Int, applicationID: Int?, licenseID: Int?, kind: Kind, state: State, authority: String, assignedOn: CivilDate?, dueOn: CivilDate, rectifyBy: CivilDate?, outcome: VerificationOutcome?, concludedOn: CivilDate?, summary: String, members: [Int], findings: [Finding]) {
        self.id = id
        self.applicationID = applicationID
        self.licenseID = licenseID
        self.kind = kind
        self.state = state
        self.authority = authority
        self.assignedOn = assignedOn
        self.dueOn = dueOn
        self.rectifyBy = rectifyBy
        self.outcome = outcome
        self.concludedOn = concludedOn
        self.summary = summary
        self.members = members
        self.findings = findings
    }
}

/// A verifications row (`RowCoding`).
struct VerificationRow: Codable {
    var applicationId: Int?
    var licenseId: Int?
    var kind: VerificationRecord.Kind
    var state: VerificationRecord.State
    var authority: String
    var assignedOn: CivilDate?
    var dueOn: CivilDate
    var rectifyBy: CivilDate?
    var outcome: VerificationOutcome?
    var concludedOn: CivilDate?
    var summary: String

    init(_ v: VerificationRecord) {
        applicationId = v.applicationID; licenseId = v.licenseID; kind = v.kind; state = v.state; authority = v.authority
        assignedOn = v.assignedOn; dueOn = v.dueOn; rectifyBy = v.rectifyBy; outcome = v.outcome
        concludedOn = v.concludedOn; summary = v.summary
    }

    func record(id: Int, members: [Int], findings: [VerificationRecord.Finding]) -> VerificationRecord {
        VerificationRecord(id: id, applicationID: applicationId, licenseID: licenseId, kind: kind, state: state, authority: authority,
                           assignedOn: assignedOn, dueOn: dueOn, rectifyBy: rectifyBy, outcome: outcome,
                           concludedOn: concludedOn, summary: summary, members: members, findings: findings)
    }
}

/// A findings row: one checklist item's result in a verification.
struct FindingRow: Codable {
    var verificationId: Int
    var item: String
    var result: String
    var note: String
    var recordedBy: Int
    var at: String

    var finding: VerificationRecord.Finding { .init(item: item, result: result, note: note, recordedBy: recordedBy, at: at) }
}

/// Site verifications of applications and of licences granted on the commitment route.
public enum VerificationStore {
    // MARK: Verifications

    public static func insertVerification(_ sql: any SQLDatabase, _ v: VerificationRecord) async throws -> Int {
        let id = try await sql.insertRow(into: "verifications", VerificationRow(v))
        try await writeMembers(sql, verificationID: id, v.members)
        return id
    }

    public static func updateVerification(_ sql: any SQLDatabase, _ v: VerificationRecord) async throws {
        _ = try await sql.updateRow("verifications", VerificationRow(v)) { $0.where("id", .equal, v.id) }
        try await sql.raw("DELETE FROM verification_members WHERE verification_id = \(bind: v.id)").run()
        try await writeMembers(sql, verificationID: v.id, v.members)
    }

    static func writeMembers(_ sql: any SQLDatabase, verificationID: Int, _ members: [Int]) async throws {
        for m in members {
            try await sql.raw("INSERT INTO verification_members (verification_id, user_id) VALUES (\(bind: verificationID), \(bind: m))").run()
        }
    }

    public static func recordFinding(_ sql: any SQLDatabase, verificationID: Int, _ f: VerificationRecord.Finding) async throws {
        try await sql.raw("""
            INSERT INTO findings (verification_id, item, result, note, recorded_by, at)
            VALUES (\(bind: verificationID), \(bind: f.item), \(bind: f.result), \(bind: f.note), \(bind: f.recordedBy), \(bind: f.at))
            ON CONFLICT (verification_id, item) DO UPDATE SET result = excluded.result, note = excluded.note,
                recorded_by = excluded.recorded_by, at = excluded.at
            """).run()
    }

    /// Verifications from their rows, with their members and findings read in one query each.
    static func verifications(_ sql: any SQLDatabase, rows: [any SQLRow]) async throws -> [VerificationRecord] {
        let stored = try rows.map { try Identified<VerificationRow>.of($0) }
        let ids = stored.map(\.id)
        guard !ids.isEmpty else { return [] }
        var members: [Int: [Int]] = [:], findings: [Int: [VerificationRecord.Finding]] = [:]
        for r in try await sql.raw("""
            SELECT verification_id, user_id FROM verification_members WHERE verification_id IN (\(integerList(ids))) ORDER BY verification_id, user_id
            """).all() {
            members[try r.decode(column: "verification_id", as: Int.self), default: []].append(try r.decode(column: "user_id", as: Int.self))
        }
        for f in try await sql.rows("SELECT * FROM findings WHERE verification_id IN (\(integerList(ids))) ORDER BY verification_id, item", as: FindingRow.self) {
            findings[f.verificationId, default: []].append(f.finding)
        }
        return stored.map { $0.columns.record(id: $0.id, members: members[$0.id] ?? [], findings: findings[$0.id] ?? []) }
    }

    public static func verifications(_ sql: any SQLDatabase, applicationID: Int) async throws -> [VerificationRecord] {
        try await verifications(sql, rows: try await sql.raw("SELECT * FROM verifications WHERE application_id = \(bind: applicationID) ORDER BY id").all())
    }

    public static func getVerification(_ sql: any SQLDatabase, id: Int) async throws -> VerificationRecord? {
        try await verifications(sql, rows: try await sql.raw("SELECT * FROM verifications WHERE id = \(bind: id)").all()).first
    }

}
