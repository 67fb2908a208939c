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

/// A spot_plans row (`RowCoding`): the draft as the JSON text JSONEncoder wrote it from the start.
struct PlanRow: Codable {
    var code: String
    var authority: String
    var state: PlanRecord.State
    var draft: String
    var published: String?
    var enterpriseRoot: String?
    var inspectorRoot: String?
    var enterpriseCount: Int?
    var inspectorCount: Int?
    var beaconValue: String?
    var secret: String?
    var result: String?
    var createdBy: String
    var createdAt: String
    var announcedAt: String?
    var frozenAt: String?
    var beaconAt: String?
    var drawnAt: String?
    var updatedAt: String
    var beaconProposedValue: String?
    var beaconProposedBy: String?
    var beaconProposedAt: String?
    var beaconConfirmedBy: String?
    var revealDue: String?
    var forfeitedAt: String?

    init(_ p: PlanRecord) throws {
        code = p.code; authority = p.authority; state = p.state; draft = String(decoding: try JSONEncoder().encode(p.draft), as: UTF8.self)
        published = p.published; enterpriseRoot = p.enterpriseRoot; inspectorRoot = p.inspectorRoot
        enterpriseCount = p.enterpriseCount; inspectorCount = p.inspectorCount; beaconValue = p.beaconValue; secret = p.secret
        result = p.result; createdBy = p.createdBy; createdAt = p.createdAt; announcedAt = p.announcedAt; frozenAt = p.frozenAt
        beaconAt = p.beaconAt; drawnAt = p.drawnAt; updatedAt = p.updatedAt; beaconProposedValue = p.beaconProposedValue
        beaconProposedBy = p.beaconProposedBy; beaconProposedAt = p.beaconProposedAt; beaconConfirmedBy = p.beaconConfirmedBy
        revealDue = p.revealDue; forfeitedAt = p.forfeitedAt
    }

    func record(id: Int) throws -> PlanRecord {
        var p = PlanRecord(id: id, code: code, authority: authority, state: state,
                           draft: try JSONDecoder().decode(SpotCheckPlan.self, from: Data(draft.utf8)), published: published,
                           enterpriseRoot: enterpriseRoot, inspectorRoot: inspectorRoot, enterpriseCount: enterpriseCount,
                           inspectorCount: inspectorCount, beaconValue: beaconValue, secret: secret, result: result, createdBy: createdBy,
                           createdAt: createdAt, announcedAt: announcedAt, frozenAt: frozenAt, beaconAt: beaconAt, drawnAt: drawnAt,
                           updatedAt: updatedAt)
        p.beaconProposedValue = beaconProposedValue; p.beaconProposedBy = beaconProposedBy; p.beaconProposedAt = beaconProposedAt
        p.beaconConfirmedBy = beaconConfirmedBy; p.revealDue = revealDue; p.forfeitedAt = forfeitedAt
        return p
    }
}

/// Double-random spot-check plans through their steps (docs/FORMATS.md §3).
public enum PlanStore {

    static func plan(_ r: any SQLRow) throws -> PlanRecord {
        let stored = try Identified<PlanRow>.of(r)
        return try stored.columns.record(id: stored.id)
    }

    public static func insertPlan(_ sql: any SQLDatabase, _ draft: SpotCheckPlan, authority: String, by: String, at: String) async throws -> Int {
        let plan = PlanRecord(id: 0, code: draft.code, authority: authority, state: .draft, draft: draft, published: nil, enterpriseRoot: nil,
                              inspectorRoot: nil, enterpriseCount: nil, inspectorCount: nil, beaconValue: nil, secret: nil, result: nil,
                              createdBy: by, createdAt: at, announcedAt: nil, frozenAt: nil, beaconAt: nil, drawnAt: nil, updatedAt: at)
        return try await sql.insertRow(into: "spot_plans", PlanRow(plan))
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
        let done = try await sql.updateRow("spot_plans", PlanRow(p)) { $0.where("id", .equal, p.id).where("state", .equal, expecting.rawValue) }
        guard done else {
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
