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

/// Site verifications of applications and of licences granted on the commitment route.
public enum VerificationStore {
    // MARK: Verifications

    public static func insertVerification(_ sql: any SQLDatabase, _ v: VerificationRecord) async throws -> Int {
        let row = try await sql.raw("""
            INSERT INTO verifications (application_id, license_id, kind, state, authority, assigned_on, due_on, rectify_by, outcome, concluded_on, summary)
            VALUES (\(bind: v.applicationID), \(bind: v.licenseID), \(bind: v.kind.rawValue), \(bind: v.state.rawValue), \(bind: v.authority),
                    \(bind: v.assignedOn?.description), \(bind: v.dueOn.description), \(bind: v.rectifyBy?.description),
                    \(bind: v.outcome?.rawValue), \(bind: v.concludedOn?.description), \(bind: v.summary))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { throw StorageError.corruptRow("verifications.id") }
        try await writeMembers(sql, verificationID: id, v.members)
        return id
    }

    public static func updateVerification(_ sql: any SQLDatabase, _ v: VerificationRecord) async throws {
        try await sql.raw("""
            UPDATE verifications SET state = \(bind: v.state.rawValue), assigned_on = \(bind: v.assignedOn?.description),
                due_on = \(bind: v.dueOn.description), rectify_by = \(bind: v.rectifyBy?.description), outcome = \(bind: v.outcome?.rawValue),
                concluded_on = \(bind: v.concludedOn?.description), summary = \(bind: v.summary)
            WHERE id = \(bind: v.id)
            """).run()
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
        let ids = try rows.map { try $0.decode(column: "id", as: Int.self) }
        guard !ids.isEmpty else { return [] }
        var members: [Int: [Int]] = [:], findings: [Int: [VerificationRecord.Finding]] = [:]
        for r in try await sql.raw("""
            SELECT verification_id, user_id FROM verification_members WHERE verification_id IN (\(integerList(ids))) ORDER BY verification_id, user_id
            """).all() {
            members[try r.decode(column: "verification_id", as: Int.self), default: []].append(try r.decode(column: "user_id", as: Int.self))
        }
        for f in try await sql.raw("SELECT * FROM findings WHERE verification_id IN (\(integerList(ids))) ORDER BY verification_id, item").all() {
            findings[try f.decode(column: "verification_id", as: Int.self), default: []].append(VerificationRecord.Finding(
                item: try f.decode(column: "item", as: String.self), result: try f.decode(column: "result", as: String.self),
                note: try f.decode(column: "note", as: String.self),
                recordedBy: try f.decode(column: "recorded_by", as: Int.self), at: try f.decode(column: "at", as: String.self)))
        }
        return try zip(rows, ids).map { r, id in
            VerificationRecord(
                id: id, applicationID: try r.decode(column: "application_id", as: Int?.self), licenseID: try r.decode(column: "license_id", as: Int?.self),
                kind: try StoredJSON.enumValue(VerificationRecord.Kind.self, try r.decode(column: "kind", as: String.self), "verifications.kind"),
                state: try StoredJSON.enumValue(VerificationRecord.State.self, try r.decode(column: "state", as: String.self), "verifications.state"),
                authority: try r.decode(column: "authority", as: String.self),
                assignedOn: StoredJSON.date(try r.decode(column: "assigned_on", as: String?.self)),
                dueOn: try StoredJSON.date(try r.decode(column: "due_on", as: String.self)).orThrow("verifications.due_on"),
                rectifyBy: StoredJSON.date(try r.decode(column: "rectify_by", as: String?.self)),
                outcome: try r.decode(column: "outcome", as: String?.self).map { try StoredJSON.enumValue(VerificationOutcome.self, $0, "verifications.outcome") },
                concludedOn: StoredJSON.date(try r.decode(column: "concluded_on", as: String?.self)),
                summary: try r.decode(column: "summary", as: String.self), members: members[id] ?? [], findings: findings[id] ?? [])
        }
    }

    public static func verifications(_ sql: any SQLDatabase, applicationID: Int) async throws -> [VerificationRecord] {
        try await verifications(sql, rows: try await sql.raw("SELECT * FROM verifications WHERE application_id = \(bind: applicationID) ORDER BY id").all())
    }

    public static func getVerification(_ sql: any SQLDatabase, id: Int) async throws -> VerificationRecord? {
        try await verifications(sql, rows: try await sql.raw("SELECT * FROM verifications WHERE id = \(bind: id)").all()).first
    }

}
