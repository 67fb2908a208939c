public import SQLKit
public import XukeDomain
import Foundation

public struct PlanRecord: Sendable, Codable, Equatable {
    public typealias State = PlanState

    public var id: Int
    public var code: String
    public var authority: String
    public var state: State
    public var draft: SpotCheckPlan
    /// Canonical JSON of the plan as announced: what dr-v1 hashes into the seed.
    public var published: String?
    public var enterpriseRoot: String?
    public var inspectorRoot: String?
    public var enterpriseCount: Int?
    public var inspectorCount: Int?
    /// Hex of the beacon value's bytes.
    public var beaconValue: String?
    /// Hex of the revealed secret.
    public var secret: String?
    /// Canonical JSON of the dr-v1 result.
    public var result: String?
    public var createdBy: String
    public var createdAt: String
    public var announcedAt: String?
    public var frozenAt: String?
    public var beaconAt: String?
    public var drawnAt: String?
    public var updatedAt: String
    /// The beacon value one officer entered (hex), waiting for a second officer to enter the same.
    public var beaconProposedValue: String? = nil
    public var beaconProposedBy: String? = nil
    public var beaconProposedAt: String? = nil
    public var beaconConfirmedBy: String? = nil
    /// The moment by which the organiser must reveal the secret, set when the beacon value stands.
    public var revealDue: String? = nil
    public var forfeitedAt: String? = nil
}

/// A roster line as frozen: the member's id and its canonical JSON.
public struct RosterLine: Sendable, Equatable {
    public var member: String
    public var line: String
    public init(member: String, line: String) {
        self.member = member
        self.line = line
    }
}

/// Double-random spot-check plans through their steps (docs/FORMATS.md §3).
public enum PlanStore {

    static func plan(_ r: any SQLRow) throws -> PlanRecord {
        PlanRecord(
            id: try r.decode(column: "id", as: Int.self), code: try r.decode(column: "code", as: String.self),
            authority: try r.decode(column: "authority", as: String.self),
            state: try PlanRecord.State(rawValue: try r.decode(column: "state", as: String.self)).orThrow("spot_plans.state"),
            draft: try JSONDecoder().decode(SpotCheckPlan.self, from: Data(try r.decode(column: "draft", as: String.self).utf8)),
            published: try r.decode(column: "published", as: String?.self),
            enterpriseRoot: try r.decode(column: "enterprise_root", as: String?.self), inspectorRoot: try r.decode(column: "inspector_root", as: String?.self),
            enterpriseCount: try r.decode(column: "enterprise_count", as: Int?.self), inspectorCount: try r.decode(column: "inspector_count", as: Int?.self),
            beaconValue: try r.decode(column: "beacon_value", as: String?.self), secret: try r.decode(column: "secret", as: String?.self),
            result: try r.decode(column: "result", as: String?.self), createdBy: try r.decode(column: "created_by", as: String.self),
            createdAt: try r.decode(column: "created_at", as: String.self), announcedAt: try r.decode(column: "announced_at", as: String?.self),
            frozenAt: try r.decode(column: "frozen_at", as: String?.self), beaconAt: try r.decode(column: "beacon_at", as: String?.self),
            drawnAt: try r.decode(column: "drawn_at", as: String?.self), updatedAt: try r.decode(column: "updated_at", as: String.self),
            beaconProposedValue: try r.decode(column: "beacon_proposed_value", as: String?.self),
            beaconProposedBy: try r.decode(column: "beacon_proposed_by", as: String?.self),
            beaconProposedAt: try r.decode(column: "beacon_proposed_at", as: String?.self),
            beaconConfirmedBy: try r.decode(column: "beacon_confirmed_by", as: String?.self),
            revealDue: try r.decode(column: "reveal_due", as: String?.self), forfeitedAt: try r.decode(column: "forfeited_at", as: String?.self))
    }

    public static func insertPlan(_ sql: any SQLDatabase, _ draft: SpotCheckPlan, authority: String, by: String, at: String) async throws -> Int {
        let json = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        let row = try await sql.raw("""
            INSERT INTO spot_plans (code, authority, state, draft, created_by, created_at, updated_at)
            VALUES (\(bind: draft.code), \(bind: authority), 'draft', \(bind: json), \(bind: by), \(bind: at), \(bind: at))
            RETURNING id
            """).first()
        return try (row?.decode(column: "id", as: Int.self)).orThrow("spot_plans.id")
    }

    public static func plan(_ sql: any SQLDatabase, id: Int) async throws -> PlanRecord? {
        try await sql.raw("SELECT * FROM spot_plans WHERE id = \(bind: id)").first().map(plan)
    }

    public static func plan(_ sql: any SQLDatabase, code: String) async throws -> PlanRecord? {
        try await sql.raw("SELECT * FROM spot_plans WHERE code = \(bind: code)").first().map(plan)
    }

    /// Plans whose secret was due before `now` and is still unrevealed.
    public static func plansPastReveal(_ sql: any SQLDatabase, now: String) async throws -> [PlanRecord] {
        try await sql.raw("SELECT * FROM spot_plans WHERE state = 'beacon' AND reveal_due IS NOT NULL AND reveal_due < \(bind: now) ORDER BY id").all().map(plan)
    }

    public static func plans(_ sql: any SQLDatabase, state: PlanRecord.State) async throws -> [PlanRecord] {
        try await sql.raw("SELECT * FROM spot_plans WHERE state = \(bind: state.rawValue) ORDER BY id").all().map(plan)
    }

    /// Plans of authorities under `prefix` (national plans only for ""), newest first; `publicOnly` leaves out drafts.
    /// Newest first; `before` an id, for the next page.
    public static func plans(_ sql: any SQLDatabase, authorityPrefix prefix: String?, publicOnly: Bool, limit: Int = 500, before: Int? = nil) async throws -> [PlanRecord] {
        var q: SQLQueryString = "SELECT * FROM spot_plans WHERE 1 = 1"
        if let prefix { q = q + " AND authority LIKE \(bind: prefix + "%")" }
        if publicOnly { q = q + " AND state <> 'draft'" }
        if let before { q = q + " AND id < \(bind: before)" }
        return try await sql.raw(q + " ORDER BY id DESC LIMIT \(bind: limit)").all().map(plan)
    }

    /// Saves a plan's mutable columns, provided it is still in the state the caller read.
    public static func savePlan(_ sql: any SQLDatabase, _ p: PlanRecord, expecting: PlanRecord.State) async throws {
        let json = String(decoding: try JSONEncoder().encode(p.draft), as: UTF8.self)
        let done = try await sql.raw("""
            UPDATE spot_plans SET state = \(bind: p.state.rawValue), draft = \(bind: json), published = \(bind: p.published),
                enterprise_root = \(bind: p.enterpriseRoot), inspector_root = \(bind: p.inspectorRoot),
                enterprise_count = \(bind: p.enterpriseCount), inspector_count = \(bind: p.inspectorCount),
                beacon_value = \(bind: p.beaconValue), secret = \(bind: p.secret), result = \(bind: p.result),
                announced_at = \(bind: p.announcedAt), frozen_at = \(bind: p.frozenAt), beacon_at = \(bind: p.beaconAt),
                drawn_at = \(bind: p.drawnAt), updated_at = \(bind: p.updatedAt),
                beacon_proposed_value = \(bind: p.beaconProposedValue), beacon_proposed_by = \(bind: p.beaconProposedBy),
                beacon_proposed_at = \(bind: p.beaconProposedAt), beacon_confirmed_by = \(bind: p.beaconConfirmedBy),
                reveal_due = \(bind: p.revealDue), forfeited_at = \(bind: p.forfeitedAt)
            WHERE id = \(bind: p.id) AND state = \(bind: expecting.rawValue)
            RETURNING id
            """).first()
        guard done != nil else {
            throw DomainError(.plan.concurrentChange)
        }
    }

    public static func insertRoster(_ sql: any SQLDatabase, planID: Int, roster: String, _ lines: [RosterLine]) async throws {
        for start in stride(from: 0, to: lines.count, by: 2_000) {
            var insert = sql.insert(into: "plan_rosters").columns("plan_id", "roster", "member", "line")
            for l in lines[start..<min(start + 2_000, lines.count)] { insert = insert.values([planID, roster, l.member, l.line] as [any Encodable & Sendable]) }
            try await insert.run()
        }
    }

    public static func roster(_ sql: any SQLDatabase, planID: Int, roster: String) async throws -> [RosterLine] {
        try await sql.raw("SELECT member, line FROM plan_rosters WHERE plan_id = \(bind: planID) AND roster = \(bind: roster) ORDER BY member").all().map {
            RosterLine(member: try $0.decode(column: "member", as: String.self), line: try $0.decode(column: "line", as: String.self))
        }
    }

}
