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

/// Applications (cases) with their materials, correction notices and clock stops.
public enum CaseStore {

    public static func insertCase(_ sql: any SQLDatabase, _ c: CaseRecord) async throws -> Int {
        let row = try await sql.raw("""
            INSERT INTO applications (number, uscc, kind, route, state, is_open, version, changes, units, edition, authority,
                verification_need, simplified, corrections, last_outcome, license_id, form, commitment_text, commitment_sha256,
                submitted_on, submitted_at, accepted_on, deemed, decided_on, refusal_reasons, issued_on, due_on, updated_at)
            VALUES (\(bind: c.number), \(bind: c.uscc), \(bind: c.kind.rawValue), \(bind: c.route.rawValue), \(bind: c.state.rawValue),
                \(bind: c.state.isFinal ? 0 : 1), \(bind: c.version), \(bind: try StoredJSON.json(c.changes)), \(bind: try StoredJSON.json(c.units)),
                \(bind: c.edition), \(bind: c.authority), \(bind: c.verificationNeed.rawValue), \(bind: c.simplified ? 1 : 0),
                \(bind: c.corrections), \(bind: c.lastOutcome?.rawValue), \(bind: c.licenseID), \(bind: try StoredJSON.json(c.form)),
                \(bind: c.commitmentText), \(bind: c.commitmentSHA256), \(bind: c.submittedOn.description), \(bind: c.submittedAt),
                \(bind: c.acceptedOn?.description), \(bind: c.deemed.joined(separator: ",")), \(bind: c.decidedOn?.description),
                \(bind: c.refusalReasons), \(bind: c.issuedOn?.description), \(bind: c.dueOn?.description), \(bind: c.updatedAt))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { throw StorageError.corruptRow("applications.id") }
        return id
    }

    /// Writes the case back if nobody changed it since it was read; otherwise a 409.
    public static func updateCase(_ sql: any SQLDatabase, _ c: CaseRecord) async throws {
        let done = try await sql.raw("""
            UPDATE applications SET state = \(bind: c.state.rawValue), is_open = \(bind: c.state.isFinal ? 0 : 1),
                version = version + 1, changes = \(bind: try StoredJSON.json(c.changes)), units = \(bind: try StoredJSON.json(c.units)),
                authority = \(bind: c.authority), verification_need = \(bind: c.verificationNeed.rawValue),
                simplified = \(bind: c.simplified ? 1 : 0), corrections = \(bind: c.corrections), last_outcome = \(bind: c.lastOutcome?.rawValue),
                license_id = \(bind: c.licenseID), form = \(bind: try StoredJSON.json(c.form)), accepted_on = \(bind: c.acceptedOn?.description),
                deemed = \(bind: c.deemed.joined(separator: ",")), decided_on = \(bind: c.decidedOn?.description),
                refusal_reasons = \(bind: c.refusalReasons), issued_on = \(bind: c.issuedOn?.description),
                due_on = \(bind: c.dueOn?.description), elapsed_days = \(bind: c.elapsedDays), updated_at = \(bind: c.updatedAt)
            WHERE id = \(bind: c.id) AND version = \(bind: c.version)
            RETURNING version
            """).first()
        guard done != nil else { throw concurrentChange }
    }

    /// Someone acted on the case after it was read: by the version check here, or by the version a person saw.
    public static let concurrentChange = DomainError(.cases.concurrentChange)

    static func caseRecord(_ r: any SQLRow) throws -> CaseRecord {
        func s(_ c: String) throws -> String { try r.decode(column: c, as: String.self) }
        func o(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
        let deemed = try s("deemed")
        var c = CaseRecord(
            id: try r.decode(column: "id", as: Int.self), number: try s("number"), uscc: try s("uscc"),
            kind: try StoredJSON.enumValue(ApplicationKind.self, try s("kind"), "applications.kind"),
            route: try StoredJSON.enumValue(Route.self, try s("route"), "applications.route"),
            state: try StoredJSON.enumValue(CaseState.self, try s("state"), "applications.state"),
            version: try r.decode(column: "version", as: Int.self),
            changes: try StoredJSON.decode([ChangeItem].self, try s("changes"), "applications.changes"),
            units: try StoredJSON.decode([Routing.Unit].self, try s("units"), "applications.units"),
            edition: try s("edition"), authority: try s("authority"),
            verificationNeed: try StoredJSON.enumValue(VerificationNeed.self, try s("verification_need"), "applications.verification_need"),
            simplified: try r.decode(column: "simplified", as: Int.self) != 0,
            corrections: try r.decode(column: "corrections", as: Int.self),
            lastOutcome: try o("last_outcome").map { try StoredJSON.enumValue(VerificationOutcome.self, $0, "applications.last_outcome") },
            licenseID: try r.decode(column: "license_id", as: Int?.self),
            form: try StoredJSON.decode(ApplicationForm.self, try s("form"), "applications.form"),
            commitmentText: try s("commitment_text"), commitmentSHA256: try s("commitment_sha256"),
            submittedOn: try StoredJSON.date(try s("submitted_on")).orThrow("applications.submitted_on"), submittedAt: try s("submitted_at"),
            acceptedOn: StoredJSON.date(try o("accepted_on")), deemed: deemed.isEmpty ? [] : deemed.split(separator: ",").map(String.init),
            decidedOn: StoredJSON.date(try o("decided_on")), refusalReasons: try o("refusal_reasons"), issuedOn: StoredJSON.date(try o("issued_on")),
            dueOn: StoredJSON.date(try o("due_on")), updatedAt: try s("updated_at"))
        c.elapsedDays = try r.decode(column: "elapsed_days", as: Int?.self)
        return c
    }

    public static func getCase(_ sql: any SQLDatabase, id: Int) async throws -> CaseRecord? {
        try await sql.raw("SELECT a.* FROM applications a WHERE a.id = \(bind: id)").first().map(caseRecord)
    }

    public static func getCase(_ sql: any SQLDatabase, number: String) async throws -> CaseRecord? {
        try await sql.raw("SELECT a.* FROM applications a WHERE a.number = \(bind: number)").first().map(caseRecord)
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
        public var state: CaseState?
        public var dueBy: CivilDate?
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
        for (i, m) in materials.enumerated() {
            try await sql.raw("""
                INSERT INTO materials (application_id, position, kind, sha256, filename, lab, report_no, report_date, units)
                VALUES (\(bind: applicationID), \(bind: start + i + 1), \(bind: m.kind.rawValue), \(bind: m.sha256), \(bind: m.filename),
                        \(bind: m.lab), \(bind: m.reportNo), \(bind: m.reportDate?.description), \(bind: try m.units.map { try StoredJSON.json($0) }))
                """).run()
        }
    }

    public static func materials(_ sql: any SQLDatabase, applicationID: Int) async throws -> [MaterialRecord] {
        try await sql.raw("""
            SELECT m.*, u.media_type, u.size FROM materials m JOIN uploads u ON u.sha256 = m.sha256
            WHERE m.application_id = \(bind: applicationID) ORDER BY m.position
            """).all().map { r in
            MaterialRecord(position: try r.decode(column: "position", as: Int.self),
                           kind: try StoredJSON.enumValue(MaterialKind.self, try r.decode(column: "kind", as: String.self), "materials.kind"),
                           sha256: try r.decode(column: "sha256", as: String.self), filename: try r.decode(column: "filename", as: String.self),
                           lab: try r.decode(column: "lab", as: String?.self), reportNo: try r.decode(column: "report_no", as: String?.self),
                           reportDate: StoredJSON.date(try r.decode(column: "report_date", as: String?.self)),
                           units: try r.decode(column: "units", as: String?.self).map { try StoredJSON.decode([String].self, $0, "materials.units") },
                           mediaType: try r.decode(column: "media_type", as: String.self), size: try r.decode(column: "size", as: Int.self))
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

    public static func correctionNotice(_ sql: any SQLDatabase, applicationID: Int) async throws -> (items: [String], issuedOn: CivilDate, answeredOn: CivilDate?)? {
        guard let r = try await sql.raw("SELECT * FROM correction_notices WHERE application_id = \(bind: applicationID)").first() else { return nil }
        return (try StoredJSON.decode([String].self, try r.decode(column: "items", as: String.self), "correction_notices.items"),
                try StoredJSON.date(try r.decode(column: "issued_on", as: String.self)).orThrow("correction_notices.issued_on"),
                StoredJSON.date(try r.decode(column: "answered_on", as: String?.self)))
    }

    public static func clockStops(_ sql: any SQLDatabase, applicationID: Int) async throws -> [ClockStopRecord] {
        try await sql.raw("SELECT * FROM clock_stops WHERE application_id = \(bind: applicationID) ORDER BY id").all().map { r in
            ClockStopRecord(id: try r.decode(column: "id", as: Int.self),
                            reason: try StoredJSON.enumValue(StopReason.self, try r.decode(column: "reason", as: String.self), "clock_stops.reason"),
                            from: try StoredJSON.date(try r.decode(column: "from_date", as: String.self)).orThrow("clock_stops.from_date"),
                            until: StoredJSON.date(try r.decode(column: "until_date", as: String?.self)),
                            note: try r.decode(column: "note", as: String.self))
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
