public import SQLKit
public import XukeDomain
import Foundation

/// One licensing case as stored.
public struct CaseRecord: Sendable, Codable, Equatable {
    public var id: Int
    public var number: String
    public var uscc: String
    public var kind: ApplicationKind
    public var route: Route
    public var state: CaseState
    /// Incremented on every write, so two officers acting on one case cannot both succeed.
    public var version: Int
    public var changes: [ChangeItem]
    public var units: [Routing.Unit]
    public var edition: String
    public var authority: String
    public var verificationNeed: VerificationNeed
    public var simplified: Bool
    public var corrections: Int
    public var lastOutcome: VerificationOutcome?
    public var licenseID: Int?
    public var form: ApplicationForm
    public var commitmentText: String
    public var commitmentSHA256: String
    public var submittedOn: CivilDate
    public var submittedAt: String
    public var acceptedOn: CivilDate?
    /// Steps the law completed by the authority's silence: "acceptance", "renewal".
    public var deemed: [String]
    public var decidedOn: CivilDate?
    public var refusalReasons: String?
    public var issuedOn: CivilDate?
    /// The deadline of the step the case is waiting on, for work lists.
    public var dueOn: CivilDate?
    /// Working days from submission to the license (statistics), set on issuance.
    public var elapsedDays: Int? = nil
    /// The officer handling the case, once one is named.
    public var handlerID: Int? = nil
    public var updatedAt: String

    public init(id: Int, number: String, uscc: String, kind: ApplicationKind, route: Route, state: CaseState, version: Int, changes: [ChangeItem], units: [Routing.Unit], edition: String, authority: String, verificationNeed: VerificationNeed, simplified: Bool, corrections: Int, lastOutcome: VerificationOutcome?, licenseID: Int?, form: ApplicationForm, commitmentText: String, commitmentSHA256: String, submittedOn: CivilDate, submittedAt: String, acceptedOn: CivilDate?, deemed: [String], decidedOn: CivilDate?, refusalReasons: String?, issuedOn: CivilDate?, dueOn: CivilDate?, updatedAt: String) {
        self.id = id
        self.number = number
        self.uscc = uscc
        self.kind = kind
        self.route = route
        self.state = state
        self.version = version
        self.changes = changes
        self.units = units
        self.edition = edition
        self.authority = authority
        self.verificationNeed = verificationNeed
        self.simplified = simplified
        self.corrections = corrections
        self.lastOutcome = lastOutcome
        self.licenseID = licenseID
        self.form = form
        self.commitmentText = commitmentText
        self.commitmentSHA256 = commitmentSHA256
        self.submittedOn = submittedOn
        self.submittedAt = submittedAt
        self.acceptedOn = acceptedOn
        self.deemed = deemed
        self.decidedOn = decidedOn
        self.refusalReasons = refusalReasons
        self.issuedOn = issuedOn
        self.dueOn = dueOn
        self.updatedAt = updatedAt
    }
    public var facts: CaseFacts {
        CaseFacts(kind: kind, route: route, state: state, verification: verificationNeed, corrections: corrections, lastOutcome: lastOutcome)
    }
}

public struct MaterialRecord: Sendable, Codable, Equatable {
    public var position: Int
    public var kind: MaterialKind
    public var sha256: String
    public var filename: String
    public var lab: String?
    public var reportNo: String?
    public var reportDate: CivilDate?
    public var units: [String]?
    public var mediaType: String
    public var size: Int

    public init(position: Int, kind: MaterialKind, sha256: String, filename: String, lab: String? = nil, reportNo: String? = nil,
                reportDate: CivilDate? = nil, units: [String]? = nil, mediaType: String = "", size: Int = 0) {
        self.position = position
        self.kind = kind
        self.sha256 = sha256
        self.filename = filename
        self.lab = lab
        self.reportNo = reportNo
        self.reportDate = reportDate
        self.units = units
        self.mediaType = mediaType
        self.size = size
    }
}

public struct ClockStopRecord: Sendable, Codable, Equatable {
    public var id: Int
    public var reason: StopReason
    public var from: CivilDate
    public var until: CivilDate?
    public var note: String
    public var stop: ClockStop { ClockStop(reason: reason, from: from, until: until) }
}

/// An applications row as its columns hold it: lists and the form as JSON text, flags as 0 or 1, days as
/// YYYY-MM-DD text (NULL when absent) (`RowCoding`). The database sets `id`; `version` goes up on every write.
struct CaseRow: Codable {
    var version: Int
    var number: String
    var uscc: String
    var kind: ApplicationKind
    var route: Route
    var state: CaseState
    var isOpen: Int
    var changes: String
    var units: String
    var edition: String
    var authority: String
    var verificationNeed: VerificationNeed
    var simplified: Int
    var corrections: Int
    var lastOutcome: VerificationOutcome?
    var licenseId: Int?
    var form: String
    var commitmentText: String
    var commitmentSha256: String
    var submittedOn: CivilDate
    var submittedAt: String
    var acceptedOn: CivilDate?
    var deemed: String
    var decidedOn: CivilDate?
    var refusalReasons: String?
    var issuedOn: CivilDate?
    var dueOn: CivilDate?
    var elapsedDays: Int?
    var updatedAt: String
    var handlerId: Int?

    init(_ c: CaseRecord) throws {
        version = c.version; number = c.number; uscc = c.uscc; kind = c.kind; route = c.route; state = c.state; isOpen = c.state.isFinal ? 0 : 1
        changes = try StoredJSON.json(c.changes); units = try StoredJSON.json(c.units); edition = c.edition; authority = c.authority
        verificationNeed = c.verificationNeed; simplified = c.simplified ? 1 : 0; corrections = c.corrections; lastOutcome = c.lastOutcome
        licenseId = c.licenseID; form = try StoredJSON.json(c.form); commitmentText = c.commitmentText; commitmentSha256 = c.commitmentSHA256
        submittedOn = c.submittedOn; submittedAt = c.submittedAt; acceptedOn = c.acceptedOn; deemed = try StoredJSON.json(c.deemed)
        decidedOn = c.decidedOn; refusalReasons = c.refusalReasons; issuedOn = c.issuedOn; dueOn = c.dueOn
        elapsedDays = c.elapsedDays
        updatedAt = c.updatedAt
        handlerId = c.handlerID
    }

    func record(id: Int) throws -> CaseRecord {
        var c = CaseRecord(
            id: id, number: number, uscc: uscc, kind: kind, route: route, state: state, version: version,
            changes: try StoredJSON.decode([ChangeItem].self, changes, "applications.changes"),
            units: try StoredJSON.decode([Routing.Unit].self, units, "applications.units"),
            edition: edition, authority: authority, verificationNeed: verificationNeed, simplified: simplified != 0, corrections: corrections,
            lastOutcome: lastOutcome, licenseID: licenseId, form: try StoredJSON.decode(ApplicationForm.self, form, "applications.form"),
            commitmentText: commitmentText, commitmentSHA256: commitmentSha256, submittedOn: submittedOn, submittedAt: submittedAt,
            acceptedOn: acceptedOn, deemed: try StoredJSON.decode([String].self, deemed, "applications.deemed"),
            decidedOn: decidedOn, refusalReasons: refusalReasons, issuedOn: issuedOn, dueOn: dueOn,
            updatedAt: updatedAt)
        c.elapsedDays = elapsedDays
        c.handlerID = handlerId
        return c
    }
}

/// Applications (cases) with their materials, correction notices and clock stops.
public enum CaseStore {

    public static func insertCase(_ sql: any SQLDatabase, _ c: CaseRecord) async throws -> Int {
        try await sql.insertRow(into: "applications", CaseRow(c))
    }

    /// Writes the case back if nobody changed it since it was read; otherwise a 409.
    public static func updateCase(_ sql: any SQLDatabase, _ c: CaseRecord) async throws {
        var row = try CaseRow(c)
        row.version += 1
        guard try await sql.updateRow("applications", row, id: c.id, expected: c.version) else { throw concurrentChange }
    }

    /// Someone acted on the case after it was read: by the version check here, or by the version a person saw.
    public static let concurrentChange = DomainError(.cases.concurrentChange)

    static func caseRecord(_ r: any SQLRow) throws -> CaseRecord {
        let stored = try Identified<CaseRow>.of(r)
        return try stored.columns.record(id: stored.id)
    }

    public static func getCase(_ sql: any SQLDatabase, id: Int) async throws -> CaseRecord? {
        try await sql.raw("SELECT a.* FROM applications a WHERE a.id = \(bind: id)").first().map(caseRecord)
    }

    public static func getCase(_ sql: any SQLDatabase, number: String) async throws -> CaseRecord? {
        try await sql.raw("SELECT a.* FROM applications a WHERE a.number = \(bind: number)").first().map(caseRecord)
    }

    public struct CaseDays: Sendable, Decodable {
        public var submittedOn: CivilDate
        public var decidedOn: CivilDate?
    }

    /// A case's submission and decision days alone (the dashboard's reading of old events lacking them).
    public static func days(_ sql: any SQLDatabase, number: String) async throws -> CaseDays? {
        try await sql.row("SELECT submitted_on, decided_on FROM applications WHERE number = \(bind: number)", as: CaseDays.self)
    }

    public static func openCase(_ sql: any SQLDatabase, uscc: String) async throws -> CaseRecord? {
        try await sql.raw("SELECT a.* FROM applications a WHERE a.uscc = \(bind: uscc) AND a.is_open = 1").first().map(caseRecord)
    }

    /// Which cases a user may see: what their visibility covers (by the handling authority, or the applicant),
    /// and for verifiers the cases they are assigned to.
    public enum CaseScope: Sendable, Equatable {
        case visibility(Visibility)
        case verifier(userID: Int)

        public init(_ user: User) {
            self = user.role == .verifier ? .verifier(userID: user.id) : .visibility(user.visibility)
        }
    }

    static func scopeClause(_ scope: CaseScope) -> SQLQueryString {
        switch scope {
        case .visibility(let v): visibilityClause(v, division: "a.authority", uscc: "a.uscc")
        case .verifier(let id):
            "a.id IN (SELECT v.application_id FROM verifications v JOIN verification_members m ON m.verification_id = v.id WHERE m.user_id = \(bind: id))"
        }
    }

    public static func visible(_ sql: any SQLDatabase, id: Int, scope: CaseScope) async throws -> CaseRecord? {
        try await sql.raw("SELECT a.* FROM applications a WHERE a.id = \(bind: id) AND \(scopeClause(scope))").first().map(caseRecord)
    }

    /// Open cases only: a work list.
    public struct CaseFilter: Sendable {
        public enum Handler: Sendable, Equatable { case anyone, nobody, user(Int) }
        public var state: CaseState?
        public var dueBy: CivilDate?
        public var handler: Handler = .anyone
        public var uscc: String?
        /// A case number exactly, or part of the enterprise's name.
        public var text: String?
        public var limit = 50
        public var offset = 0
        /// Resume after this case of the list's order (its due day, nil when it has none, and its id).
        public var after: (dueOn: CivilDate?, id: Int)?
        public init() {}
    }

    /// A work list, most urgent first.
    public static func cases(_ sql: any SQLDatabase, scope: CaseScope, filter: CaseFilter) async throws -> [CaseRecord] {
        var q = SQLQueryString("SELECT a.* FROM applications a WHERE \(scopeClause(scope))")
        q.appendInterpolation(unsafeRaw: " AND a.is_open = 1")
        if let s = filter.state { q = q + " AND a.state = \(bind: s.rawValue)" }
        if let d = filter.dueBy { q = q + " AND a.due_on <= \(bind: d.description)" }
        switch filter.handler {
        case .anyone: break
        case .nobody: q = q + " AND a.handler_id IS NULL"
        case .user(let id): q = q + " AND a.handler_id = \(bind: id)"
        }
        if let u = filter.uscc { q = q + " AND a.uscc = \(bind: u)" }
        if let t = filter.text, !t.isEmpty {
            let pattern = "%" + EnterpriseStore.escapeLike(t) + "%"
            q = q + " AND (a.number = \(bind: t) OR a.uscc IN (SELECT e.uscc FROM enterprises e WHERE e.name LIKE \(bind: pattern) ESCAPE '\\'))"
        }
        if let after = filter.after {
            // The order is due day with undated cases last, then id: resume strictly after the given case.
            if let due = after.dueOn {
                q = q + " AND (a.due_on IS NULL OR a.due_on > \(bind: due.description) OR (a.due_on = \(bind: due.description) AND a.id > \(bind: after.id)))"
            } else {
                q = q + " AND a.due_on IS NULL AND a.id > \(bind: after.id)"
            }
        }
        q = q + " ORDER BY CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END, a.due_on, a.id LIMIT \(bind: filter.limit) OFFSET \(bind: filter.offset)"
        return try await sql.raw(q).all().map(caseRecord)
    }

    /// Open cases in one of `states`, optionally of one kind (for the deadline sweep).
    public static func openCases(_ sql: any SQLDatabase, states: [CaseState], kind: ApplicationKind? = nil) async throws -> [CaseRecord] {
        var q = SQLQueryString("SELECT a.* FROM applications a WHERE a.is_open = 1 AND a.state IN (")
        for (i, s) in states.enumerated() { q = q + (i == 0 ? "" : ", ") + "\(bind: s.rawValue)" }
        q = q + ")"
        if let kind { q = q + " AND a.kind = \(bind: kind.rawValue)" }
        q = q + " ORDER BY a.id"
        return try await sql.raw(q).all().map(caseRecord)
    }

    // MARK: Materials, corrections, clock stops

    public static func addMaterials(_ sql: any SQLDatabase, applicationID: Int, _ materials: [MaterialRecord]) async throws {
        let start = try await sql.raw("SELECT COALESCE(MAX(position), 0) AS p FROM materials WHERE application_id = \(bind: applicationID)")
            .first()?.decode(column: "p", as: Int.self) ?? 0
        let rows = try materials.map {
            MaterialRow(kind: $0.kind, sha256: $0.sha256, filename: $0.filename, lab: $0.lab, reportNo: $0.reportNo, reportDate: $0.reportDate,
                        units: try $0.units.map { try StoredJSON.json($0) })
        }
        try await sql.insertOwned("materials", "application_id", applicationID, rows, ordered: true, after: start)
    }

    /// A materials row: the test report's units as JSON text.
    struct MaterialRow: Codable {
        var kind: MaterialKind
        var sha256: String
        var filename: String
        var lab: String?
        var reportNo: String?
        var reportDate: CivilDate?
        var units: String?
    }

    /// What a material's read adds to its row: its place in the list and what its upload says of the file.
    struct MaterialPlace: Decodable {
        var position: Int
        var mediaType: String
        var size: Int
    }

    public static func materials(_ sql: any SQLDatabase, applicationID: Int) async throws -> [MaterialRecord] {
        try await sql.rows("""
            SELECT m.*, u.media_type, u.size FROM materials m JOIN uploads u ON u.sha256 = m.sha256
            WHERE m.application_id = \(bind: applicationID) ORDER BY m.position
            """, as: Pair<MaterialPlace, MaterialRow>.self).map { read in
            let (p, m) = (read.first, read.second)
            return MaterialRecord(position: p.position, kind: m.kind, sha256: m.sha256, filename: m.filename, lab: m.lab, reportNo: m.reportNo,
                                  reportDate: m.reportDate, units: try m.units.map { try StoredJSON.decode([String].self, $0, "materials.units") },
                                  mediaType: p.mediaType, size: p.size)
        }
    }

    public static func setCorrectionNotice(_ sql: any SQLDatabase, applicationID: Int, items: [String], on day: CivilDate) async throws {
        try await sql.raw("""
            INSERT INTO correction_notices (application_id, items, issued_on) VALUES (\(bind: applicationID), \(bind: try StoredJSON.json(items)), \(bind: day.description))
            """).run()
    }

    public static func answerCorrectionNotice(_ sql: any SQLDatabase, applicationID: Int, on day: CivilDate) async throws {
        try await sql.raw("UPDATE correction_notices SET answered_on = \(bind: day.description) WHERE application_id = \(bind: applicationID)").run()
    }

    struct NoticeRow: Decodable {
        var items: String
        var issuedOn: CivilDate
        var answeredOn: CivilDate?
    }

    public static func correctionNotice(_ sql: any SQLDatabase, applicationID: Int) async throws -> (items: [String], issuedOn: CivilDate, answeredOn: CivilDate?)? {
        guard let n = try await sql.row("SELECT * FROM correction_notices WHERE application_id = \(bind: applicationID)", as: NoticeRow.self) else { return nil }
        return (try StoredJSON.decode([String].self, n.items, "correction_notices.items"), n.issuedOn, n.answeredOn)
    }

    struct StopRow: Decodable {
        var id: Int
        var reason: StopReason
        var fromDate: CivilDate
        var untilDate: CivilDate?
        var note: String
    }

    public static func clockStops(_ sql: any SQLDatabase, applicationID: Int) async throws -> [ClockStopRecord] {
        try await sql.rows("SELECT * FROM clock_stops WHERE application_id = \(bind: applicationID) ORDER BY id", as: StopRow.self).map {
            ClockStopRecord(id: $0.id, reason: $0.reason, from: $0.fromDate, until: $0.untilDate, note: $0.note)
        }
    }

    public static func stopClock(_ sql: any SQLDatabase, applicationID: Int, reason: StopReason, from day: CivilDate, note: String) async throws {
        try await sql.raw("""
            INSERT INTO clock_stops (application_id, reason, from_date, note) VALUES (\(bind: applicationID), \(bind: reason.rawValue), \(bind: day.description), \(bind: note))
            """).run()
    }

    public static func resumeClock(_ sql: any SQLDatabase, applicationID: Int, on day: CivilDate) async throws {
        try await sql.raw("UPDATE clock_stops SET until_date = \(bind: day.description) WHERE application_id = \(bind: applicationID) AND until_date IS NULL").run()
    }

}
