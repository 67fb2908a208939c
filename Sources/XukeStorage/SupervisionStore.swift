public import SQLKit
public import XukeDomain
import Foundation

public struct InspectorRecord: Sendable, Codable, Equatable {
    public var userID: Int
    public var code: String
    public var name: String
    public var county: String
    /// Categories the inspector is qualified for; empty means any.
    public var qualified: [String]
    /// Teams the inspector may join in one draw.
    public var capacity: Int
    public var active: Bool
    public var updatedAt: String

    public init(userID: Int, code: String, name: String, county: String, qualified: [String], capacity: Int, active: Bool, updatedAt: String) {
        self.userID = userID
        self.code = code
        self.name = name
        self.county = county
        self.qualified = qualified
        self.capacity = capacity
        self.active = active
        self.updatedAt = updatedAt
    }

    /// The roster id of a user: stable, and free of personal data.
    public static func code(userID: Int) -> String { String(format: "INS-%06d", userID) }
}

public struct PlanRecord: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Being drafted; nothing public yet.
        case draft
        /// Published and logged: strata, quotas, team size, beacon source and the secret's commitment are fixed.
        case announced
        /// Both rosters frozen and their roots logged, before the beacon value exists.
        case frozen
        /// The beacon value has been entered.
        case beacon
        /// The secret revealed, dr-v1 run, the draw published and its inspections created.
        case drawn
    }

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
}

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
    public var visitedOn: String?
    public var concludedOn: String?
    public var publishDue: String?
    public var publishedAt: String?
    public var team: [Member]
    public var createdAt: String
    public var updatedAt: String
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

/// A license in force, as the target roster needs it.
public struct LicensedTarget: Sendable {
    public var uscc: String
    public var county: String
    public var categories: [String]
}

public enum SupervisionStore {
    // MARK: Inspectors

    static func inspector(_ r: any SQLRow) throws -> InspectorRecord {
        InspectorRecord(
            userID: try r.decode(column: "user_id", as: Int.self), code: try r.decode(column: "code", as: String.self),
            name: try r.decode(column: "display_name", as: String.self), county: try r.decode(column: "county", as: String.self),
            qualified: try JSONDecoder().decode([String].self, from: Data(try r.decode(column: "qualified", as: String.self).utf8)),
            capacity: try r.decode(column: "capacity", as: Int.self), active: try r.decode(column: "active", as: Int.self) == 1,
            updatedAt: try r.decode(column: "updated_at", as: String.self))
    }

    /// Inspectors whose county lies under `prefix` ("" for all).
    public static func inspectors(_ sql: any SQLDatabase, countyPrefix prefix: String, activeOnly: Bool = false) async throws -> [InspectorRecord] {
        try await sql.raw("""
            SELECT i.*, u.display_name FROM inspectors i JOIN users u ON u.id = i.user_id
            WHERE i.county LIKE \(bind: prefix + "%") \(unsafeRaw: activeOnly ? "AND i.active = 1 AND u.disabled = 0" : "")
            ORDER BY i.code
            """).all().map(inspector)
    }

    public static func inspector(_ sql: any SQLDatabase, userID: Int) async throws -> InspectorRecord? {
        try await sql.raw("SELECT i.*, u.display_name FROM inspectors i JOIN users u ON u.id = i.user_id WHERE i.user_id = \(bind: userID)")
            .first().map(inspector)
    }

    public static func inspectors(_ sql: any SQLDatabase, codes: [String]) async throws -> [InspectorRecord] {
        guard !codes.isEmpty else { return [] }
        var out: [InspectorRecord] = []
        for code in Set(codes) {
            if let r = try await sql.raw("SELECT i.*, u.display_name FROM inspectors i JOIN users u ON u.id = i.user_id WHERE i.code = \(bind: code)").first() {
                out.append(try inspector(r))
            }
        }
        return out
    }

    public static func saveInspector(_ sql: any SQLDatabase, _ i: InspectorRecord) async throws {
        let qualified = String(decoding: try JSONEncoder().encode(i.qualified), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO inspectors (user_id, code, county, qualified, capacity, active, updated_at)
            VALUES (\(bind: i.userID), \(bind: i.code), \(bind: i.county), \(bind: qualified), \(bind: i.capacity), \(bind: i.active ? 1 : 0), \(bind: i.updatedAt))
            ON CONFLICT (user_id) DO UPDATE SET county = excluded.county, qualified = excluded.qualified, capacity = excluded.capacity,
                active = excluded.active, updated_at = excluded.updated_at
            """).run()
    }

    // MARK: Targets

    /// Holders of a license in force (or suspended) whose registered county lies under `prefix`.
    public static func licensedTargets(_ sql: any SQLDatabase, countyPrefix prefix: String) async throws -> [LicensedTarget] {
        let rows = try await sql.raw("""
            SELECT l.uscc, e.division_code, l.units FROM licenses l JOIN enterprises e ON e.uscc = l.uscc
            WHERE l.status IN ('valid', 'suspended') AND e.division_code LIKE \(bind: prefix + "%")
            """).all()
        struct Unit: Decodable { var categoryNo: String }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try rows.map { r in
            let units = try decoder.decode([Unit].self, from: Data(try r.decode(column: "units", as: String.self).utf8))
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

    /// Enterprises whose inspection failed since a day: they go into the high-risk strata.
    public static func failedSince(_ sql: any SQLDatabase, _ day: String) async throws -> Set<String> {
        Set(try await sql.raw("""
            SELECT DISTINCT uscc FROM inspections WHERE outcome = 'fail' AND concluded_on >= \(bind: day)
            """).all().map { try $0.decode(column: "uscc", as: String.self) })
    }

    // MARK: Plans

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
            drawnAt: try r.decode(column: "drawn_at", as: String?.self), updatedAt: try r.decode(column: "updated_at", as: String.self))
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

    /// Plans of authorities under `prefix` (national plans only for ""), newest first; `publicOnly` leaves out drafts.
    public static func plans(_ sql: any SQLDatabase, authorityPrefix prefix: String?, publicOnly: Bool) async throws -> [PlanRecord] {
        var q: SQLQueryString = "SELECT * FROM spot_plans WHERE 1 = 1"
        if let prefix { q = q + " AND authority LIKE \(bind: prefix + "%")" }
        if publicOnly { q = q + " AND state <> 'draft'" }
        return try await sql.raw(q + " ORDER BY id DESC LIMIT 500").all().map(plan)
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
                drawn_at = \(bind: p.drawnAt), updated_at = \(bind: p.updatedAt)
            WHERE id = \(bind: p.id) AND state = \(bind: expecting.rawValue)
            RETURNING id
            """).first()
        guard done != nil else {
            throw DomainError(.conflict, code: "plan.concurrent_change", zh: "计划已被他人同时修改，请刷新后重试", en: "Someone changed the plan at the same time; reload and try again")
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

    // MARK: Inspections

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
            visitedOn: try r.decode(column: "visited_on", as: String?.self), concludedOn: try r.decode(column: "concluded_on", as: String?.self),
            publishDue: try r.decode(column: "publish_due", as: String?.self), publishedAt: try r.decode(column: "published_at", as: String?.self),
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
}

extension SupervisionStore {
    /// Every category number any catalog edition has used (de-licensed categories included).
    public static func categoryNumbers(_ sql: any SQLDatabase) async throws -> Set<String> {
        Set(try await sql.raw("SELECT DISTINCT category_no FROM catalog_categories").all().map { try $0.decode(column: "category_no", as: String.self) })
    }
}
