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
        /// The beacon value has been entered by one officer and confirmed by another.
        case beacon
        /// The secret revealed, dr-v1 run, the draw published and its inspections created.
        case drawn
        /// The secret was not revealed by its deadline: the plan can never be drawn, and says so publicly.
        case forfeited
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
    /// The beacon value one officer entered (hex), waiting for a second officer to enter the same.
    public var beaconProposedValue: String? = nil
    public var beaconProposedBy: String? = nil
    public var beaconProposedAt: String? = nil
    public var beaconConfirmedBy: String? = nil
    /// The moment by which the organiser must reveal the secret, set when the beacon value stands.
    public var revealDue: String? = nil
    public var forfeitedAt: String? = nil
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

    static let inspectorQuery: SQLQueryString = "SELECT i.*, u.display_name FROM inspectors i JOIN users u ON u.id = i.user_id"

    /// Inspectors whose county lies under `prefix` ("" for all).
    public static func inspectors(_ sql: any SQLDatabase, countyPrefix prefix: String, activeOnly: Bool = false) async throws -> [InspectorRecord] {
        try await sql.raw(inspectorQuery + """
             WHERE i.county LIKE \(bind: prefix + "%") \(unsafeRaw: activeOnly ? "AND i.active = 1 AND u.disabled = 0" : "") ORDER BY i.code
            """).all().map(inspector)
    }

    public static func inspector(_ sql: any SQLDatabase, userID: Int) async throws -> InspectorRecord? {
        try await sql.raw(inspectorQuery + " WHERE i.user_id = \(bind: userID)").first().map(inspector)
    }

    public static func inspectors(_ sql: any SQLDatabase, codes: [String]) async throws -> [InspectorRecord] {
        guard !codes.isEmpty else { return [] }
        // One read of the whole register (thousands of rows at most) rather than a query per code.
        let wanted = Set(codes)
        return try await inspectors(sql, countyPrefix: "").filter { wanted.contains($0.code) }
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
    public static func riskSince(_ sql: any SQLDatabase, _ day: String) async throws -> [String: RiskClass] {
        var risk: [String: RiskClass] = [:]
        for r in try await sql.raw("""
            SELECT uscc, MAX(CASE WHEN outcome = 'fail' THEN 1 ELSE 0 END) AS failed FROM inspections
            WHERE outcome IS NOT NULL AND concluded_on >= \(bind: day) GROUP BY uscc
            """).all() {
            risk[try r.decode(column: "uscc", as: String.self)] = try r.decode(column: "failed", as: Int.self) == 1 ? .high : .low
        }
        // Accidents are stored as UTC moments; the day starts at midnight in China.
        let since = CivilDate(day).map { Timestamp.string(Date(timeIntervalSince1970: TimeInterval($0.startInChina))) } ?? day
        for r in try await sql.raw("SELECT DISTINCT uscc FROM accident_reports WHERE occurred_at >= \(bind: since)").all() {
            risk[try r.decode(column: "uscc", as: String.self)] = .high
        }
        return risk
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
}

extension SupervisionStore {
    /// Every category number any catalog edition has used (de-licensed categories included).
    public static func categoryNumbers(_ sql: any SQLDatabase) async throws -> Set<String> {
        Set(try await sql.raw("SELECT DISTINCT category_no FROM catalog_categories").all().map { try $0.decode(column: "category_no", as: String.self) })
    }
}

// MARK: Inspection work

extension SupervisionStore {
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
                summary = \(bind: i.summary), visited_on = \(bind: i.visitedOn), concluded_on = \(bind: i.concludedOn),
                publish_due = \(bind: i.publishDue), published_at = \(bind: i.publishedAt), updated_at = \(bind: i.updatedAt)
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

    /// Published results, newest first: the public side of 一公开, read in one query.
    public static func publishedResults(_ sql: any SQLDatabase, uscc: String?, limit: Int = 200) async throws -> [Result] {
        var q = resultQuery + " WHERE x.published_at IS NOT NULL"
        if let uscc { q = q + " AND x.uscc = \(bind: uscc)" }
        return try await sql.raw(q + " ORDER BY x.published_at DESC, x.id DESC LIMIT \(bind: limit)").all().map(result)
    }

    /// Inspections of authorities under a prefix, or of one team member, or of one enterprise, newest first.
    public static func inspections(_ sql: any SQLDatabase, authorityPrefix: String? = nil, memberID: Int? = nil, uscc: String? = nil,
                                   limit: Int = 200) async throws -> [InspectionRecord] {
        var q: SQLQueryString = "SELECT * FROM inspections WHERE 1 = 1"
        if let authorityPrefix { q = q + " AND authority LIKE \(bind: authorityPrefix + "%")" }
        if let memberID { q = q + " AND id IN (SELECT inspection_id FROM inspection_members WHERE user_id = \(bind: memberID))" }
        if let uscc { q = q + " AND uscc = \(bind: uscc) AND hidden = 0" }
        let rows = try await sql.raw(q + " ORDER BY id DESC LIMIT \(bind: limit)").all()
        let ids = try rows.map { try $0.decode(column: "id", as: Int.self) }
        let teams = try await teams(sql, ids)
        return try zip(rows, ids).map { try inspectionRow($0, team: teams[$1] ?? []) }
    }
}

// MARK: Enforcement

public struct EnforcementRecord: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 约谈
        case interview
        /// 书面报告: the enterprise explains in writing.
        case writtenReport = "written_report"
        /// 责令整改, with a working-day deadline and a re-check when it falls due.
        case rectification
        /// 暂停: the license is suspended until lifted.
        case suspension
        /// 撤销: the grant is withdrawn (fraud, a false commitment); no new application for 3 years.
        case revocation
        /// 吊销: the license is withdrawn as a penalty; no new application for the same products for 3 years.
        case withdrawal
    }

    public enum State: String, Sendable, Codable {
        case open, done
    }

    public var id: Int
    public var number: String
    public var uscc: String
    public var authority: String
    public var kind: Kind
    /// What it follows from: `inspection/<number>`, `enforcement/<number>` (a failed re-check) or `note`.
    public var cause: String
    public var state: State
    public var dueOn: String?
    public var note: String
    public var outcome: String
    public var licenseID: Int?
    public var createdBy: String
    public var createdAt: String
    public var closedAt: String?
}

extension SupervisionStore {
    static func enforcement(_ r: any SQLRow) throws -> EnforcementRecord {
        EnforcementRecord(
            id: try r.decode(column: "id", as: Int.self), number: try r.decode(column: "number", as: String.self),
            uscc: try r.decode(column: "uscc", as: String.self), authority: try r.decode(column: "authority", as: String.self),
            kind: try EnforcementRecord.Kind(rawValue: try r.decode(column: "kind", as: String.self)).orThrow("enforcement_actions.kind"),
            cause: try r.decode(column: "cause", as: String.self),
            state: try EnforcementRecord.State(rawValue: try r.decode(column: "state", as: String.self)).orThrow("enforcement_actions.state"),
            dueOn: try r.decode(column: "due_on", as: String?.self), note: try r.decode(column: "note", as: String.self),
            outcome: try r.decode(column: "outcome", as: String.self), licenseID: try r.decode(column: "license_id", as: Int?.self),
            createdBy: try r.decode(column: "created_by", as: String.self), createdAt: try r.decode(column: "created_at", as: String.self),
            closedAt: try r.decode(column: "closed_at", as: String?.self))
    }

    public static func insertEnforcement(_ sql: any SQLDatabase, number: String, uscc: String, authority: String, kind: EnforcementRecord.Kind,
                                         cause: String, state: EnforcementRecord.State, dueOn: String?, note: String, licenseID: Int?,
                                         by: String, at: String) async throws -> EnforcementRecord {
        let row = try await sql.raw("""
            INSERT INTO enforcement_actions (number, uscc, authority, kind, cause, state, due_on, note, outcome, license_id, created_by, created_at, closed_at)
            VALUES (\(bind: number), \(bind: uscc), \(bind: authority), \(bind: kind.rawValue), \(bind: cause), \(bind: state.rawValue), \(bind: dueOn),
                    \(bind: note), '', \(bind: licenseID), \(bind: by), \(bind: at), \(bind: state == .done ? at : nil))
            RETURNING *
            """).first()
        return try enforcement(try row.orThrow("enforcement_actions"))
    }

    public static func enforcement(_ sql: any SQLDatabase, id: Int) async throws -> EnforcementRecord? {
        try await sql.raw("SELECT * FROM enforcement_actions WHERE id = \(bind: id)").first().map(enforcement)
    }

    public static func closeEnforcement(_ sql: any SQLDatabase, id: Int, outcome: String, at: String) async throws {
        try await sql.raw("""
            UPDATE enforcement_actions SET state = 'done', outcome = \(bind: outcome), closed_at = \(bind: at) WHERE id = \(bind: id)
            """).run()
    }

    /// Actions of authorities under a prefix, or against one enterprise, newest first.
    public static func enforcements(_ sql: any SQLDatabase, authorityPrefix: String? = nil, uscc: String? = nil, limit: Int = 200) async throws -> [EnforcementRecord] {
        var q: SQLQueryString = "SELECT * FROM enforcement_actions WHERE 1 = 1"
        if let authorityPrefix { q = q + " AND authority LIKE \(bind: authorityPrefix + "%")" }
        if let uscc { q = q + " AND uscc = \(bind: uscc)" }
        return try await sql.raw(q + " ORDER BY id DESC LIMIT \(bind: limit)").all().map(enforcement)
    }

    /// A bar on new applications in force: the grant revoked (every product) or the license withdrawn (its products).
    public struct ApplicationBar: Sendable {
        public var grantRevoked: Bool
        /// The license it came from; its units are the products a withdrawal bars.
        public var license: String
        public var until: String
    }

    /// Every bar in force on a day. Each flag names its license in `note`, so the barred products are read from
    /// the license itself rather than copied. A flag runs from `since` up to the day before `until`, so a bar
    /// until the same day three years on lasts exactly three years.
    public static func applicationBars(_ sql: any SQLDatabase, uscc: String, today: CivilDate) async throws -> [ApplicationBar] {
        try await sql.raw("""
            SELECT kind, until, note FROM credit_flags WHERE uscc = \(bind: uscc) AND kind IN ('grant_revoked', 'license_withdrawn')
              AND since <= \(bind: today.description) AND (until IS NULL OR until > \(bind: today.description))
            ORDER BY until
            """).all().map {
            ApplicationBar(grantRevoked: try $0.decode(column: "kind", as: String.self) == "grant_revoked",
                           license: try $0.decode(column: "note", as: String.self), until: try $0.decode(column: "until", as: String?.self) ?? "")
        }
    }
}
