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

public struct LicenseUnit: Sendable, Codable, Equatable {
    public var unitNo: String
    public var categoryNo: String
    public var nameZh: String
    public var nameEn: String
    public var route: Route
    public var since: CivilDate

    public init(unitNo: String, categoryNo: String, nameZh: String, nameEn: String, route: Route, since: CivilDate) {
        self.unitNo = unitNo
        self.categoryNo = categoryNo
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.route = route
        self.since = since
    }
}

public struct LicenseRecord: Sendable, Codable, Equatable {
    public var id: Int
    public var uscc: String
    public var number: String
    /// As stored; `status(on:)` also applies expiry.
    public var storedStatus: LicenseStatus
    public var version: Int
    public var authority: String
    public var firstIssuedOn: CivilDate
    public var decidedOn: CivilDate
    public var issuedOn: CivilDate
    public var validUntil: CivilDate
    public var name: String
    public var domicile: String
    public var addresses: [ProductionAddress]
    public var units: [LicenseUnit]
    public var updatedAt: String


    public init(id: Int, uscc: String, number: String, storedStatus: LicenseStatus, version: Int, authority: String, firstIssuedOn: CivilDate, decidedOn: CivilDate, issuedOn: CivilDate, validUntil: CivilDate, name: String, domicile: String, addresses: [ProductionAddress], units: [LicenseUnit], updatedAt: String) {
        self.id = id
        self.uscc = uscc
        self.number = number
        self.storedStatus = storedStatus
        self.version = version
        self.authority = authority
        self.firstIssuedOn = firstIssuedOn
        self.decidedOn = decidedOn
        self.issuedOn = issuedOn
        self.validUntil = validUntil
        self.name = name
        self.domicile = domicile
        self.addresses = addresses
        self.units = units
        self.updatedAt = updatedAt
    }
    public func status(on today: CivilDate) -> LicenseStatus { storedStatus.on(today, validUntil: validUntil) }
}

public struct LicenseVersion: Sendable, Codable, Equatable {
    public var version: Int
    public var status: LicenseStatus
    public var reason: String
    public var applicationID: Int?
    public var snapshot: LicenseRecord
    public var at: String
}

public enum LicensingStore {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    /// Stored JSON: sorted keys, snake_case; read back by `decode`.
    public static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String, _ what: String) throws -> T {
        do { return try decoder.decode(type, from: Data(text.utf8)) } catch { throw StorageError.corruptRow(what) }
    }

    static func date(_ text: String?) -> CivilDate? { text.flatMap { CivilDate($0) } }

    static func enumValue<T: RawRepresentable>(_ type: T.Type, _ raw: String, _ what: String) throws -> T where T.RawValue == String {
        guard let v = T(rawValue: raw) else { throw StorageError.corruptRow(what) }
        return v
    }

    // MARK: Counters and settings

    /// The next number in a named sequence, inside the caller's transaction.
    public static func nextSerial(_ sql: any SQLDatabase, _ name: String) async throws -> Int {
        let row = try await sql.raw("""
            INSERT INTO counters (name, last) VALUES (\(bind: name), 1)
            ON CONFLICT (name) DO UPDATE SET last = counters.last + 1
            RETURNING last
            """).first()
        guard let n = try row?.decode(column: "last", as: Int.self) else { throw StorageError.corruptRow("counters.last") }
        return n
    }

    public static func rules(_ sql: any SQLDatabase) async throws -> LicensingRules {
        guard let row = try await sql.raw("SELECT value FROM settings WHERE key = 'licensing'").first() else { return LicensingRules() }
        return try decode(LicensingRules.self, try row.decode(column: "value", as: String.self), "settings.licensing")
    }

    public static func setRules(_ sql: any SQLDatabase, _ rules: LicensingRules, actor: String, at: String) async throws {
        let value = try json(rules)
        try await sql.raw("""
            INSERT INTO settings (key, value, updated_at) VALUES ('licensing', \(bind: value), \(bind: at))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """).run()
        try await Events.append(sql, type: .settingsLicensingChanged, subject: "settings/licensing", actor: actor, at: at, payload: rules)
    }

    public static func delegations(_ sql: any SQLDatabase) async throws -> [Routing.Delegation] {
        try await sql.raw("SELECT province, category_no, division_code FROM delegations ORDER BY province, category_no, division_code").all().map {
            Routing.Delegation(province: try $0.decode(column: "province", as: String.self),
                               categoryNo: try $0.decode(column: "category_no", as: String.self),
                               divisionCode: try $0.decode(column: "division_code", as: String.self))
        }
    }

    public static func productCode(_ sql: any SQLDatabase, unitNo: String) async throws -> String {
        try await sql.raw("SELECT code FROM product_codes WHERE unit_no = \(bind: unitNo)").first()?
            .decode(column: "code", as: String.self) ?? LicenseNumber.provisionalCode(unitNo: unitNo)
    }

    /// True when a credit fact in force on `today` bars the commitment route: a false commitment on record, or an
    /// entry on either credit list (docs/DOMAIN.md §6, §10).
    public static func commitmentBarred(_ sql: any SQLDatabase, uscc: String, today: CivilDate) async throws -> Bool {
        if try await sql.raw("""
            SELECT 1 AS x FROM credit_flags WHERE uscc = \(bind: uscc)
              AND kind IN ('serious_violation', 'false_commitment')
              AND since <= \(bind: today.description) AND (until IS NULL OR until > \(bind: today.description))
            """).first() != nil { return true }
        return try await sql.raw("SELECT 1 AS x FROM credit_entries c WHERE c.uscc = \(bind: uscc) AND " + CreditStore.inForce(today)).first() != nil
    }

    /// Units that passed a provincial-or-higher spot check on or after `since`.
    public static func unitsWithRecentSpotCheck(_ sql: any SQLDatabase, uscc: String, since: CivilDate) async throws -> Set<String> {
        Set(try await sql.raw("""
            SELECT unit_no FROM spot_check_results WHERE uscc = \(bind: uscc) AND passed = 1
              AND level IN ('national', 'provincial') AND checked_on >= \(bind: since.description)
            """).all().map { try $0.decode(column: "unit_no", as: String.self) })
    }

    // MARK: Uploads

    public static func recordUpload(_ sql: any SQLDatabase, sha256: String, type: UploadType, size: Int, userID: Int, at: String) async throws {
        try await sql.raw("""
            INSERT INTO uploads (sha256, media_type, size, uploaded_by, created_at)
            VALUES (\(bind: sha256), \(bind: type.rawValue), \(bind: size), \(bind: userID), \(bind: at))
            ON CONFLICT (sha256) DO NOTHING
            """).run()
        // The bytes are stored once; each uploader owns their own use of them.
        try await sql.raw("""
            INSERT INTO upload_owners (sha256, user_id, created_at) VALUES (\(bind: sha256), \(bind: userID), \(bind: at))
            ON CONFLICT (sha256, user_id) DO NOTHING
            """).run()
    }

    public static func addUploadOwners(_ sql: any SQLDatabase, sha256: String, userIDs: [Int], at: String) async throws {
        for chunk in stride(from: 0, to: userIDs.count, by: 500) {
            var q = SQLQueryString("INSERT INTO upload_owners (sha256, user_id, created_at) VALUES ")
            for (i, id) in userIDs[chunk..<min(chunk + 500, userIDs.count)].enumerated() {
                q = q + (i == 0 ? "" : ", ") + "(\(bind: sha256), \(bind: id), \(bind: at))"
            }
            try await sql.raw(q + " ON CONFLICT (sha256, user_id) DO NOTHING").run()
        }
    }

    public static func isUploadOwner(_ sql: any SQLDatabase, sha256: String, userID: Int) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM upload_owners WHERE sha256 = \(bind: sha256) AND user_id = \(bind: userID)").first() != nil
    }

    /// Which of these digests an application of `uscc` may attach: files a user of that enterprise uploaded, and
    /// the files of test reports a lab filed for it.
    public static func attachable(_ sql: any SQLDatabase, _ shas: [String], uscc: String) async throws -> Set<String> {
        guard !shas.isEmpty else { return [] }
        var list = SQLQueryString("")
        for (i, sha) in Set(shas).enumerated() { list = list + (i == 0 ? "" : ", ") + "\(bind: sha)" }
        let q = SQLQueryString("SELECT o.sha256 FROM upload_owners o JOIN users u ON u.id = o.user_id WHERE u.enterprise_uscc = \(bind: uscc) AND o.sha256 IN (")
            + list + SQLQueryString(") UNION SELECT sha256 FROM test_reports WHERE uscc = \(bind: uscc) AND sha256 IN (") + list + ")"
        return Set(try await sql.raw(q).all().map { try $0.decode(column: "sha256", as: String.self) })
    }

    public static func upload(_ sql: any SQLDatabase, sha256: String) async throws -> (type: UploadType, size: Int)? {
        guard let row = try await sql.raw("SELECT media_type, size FROM uploads WHERE sha256 = \(bind: sha256)").first() else { return nil }
        return (try enumValue(UploadType.self, try row.decode(column: "media_type", as: String.self), "uploads.media_type"),
                try row.decode(column: "size", as: Int.self))
    }

    // MARK: Cases

    public static func insertCase(_ sql: any SQLDatabase, _ c: CaseRecord) async throws -> Int {
        let row = try await sql.raw("""
            INSERT INTO applications (number, uscc, kind, route, state, is_open, version, changes, units, edition, authority,
                verification_need, simplified, corrections, last_outcome, license_id, form, commitment_text, commitment_sha256,
                submitted_on, submitted_at, accepted_on, deemed, decided_on, refusal_reasons, issued_on, due_on, updated_at)
            VALUES (\(bind: c.number), \(bind: c.uscc), \(bind: c.kind.rawValue), \(bind: c.route.rawValue), \(bind: c.state.rawValue),
                \(bind: c.state.isFinal ? 0 : 1), \(bind: c.version), \(bind: try json(c.changes)), \(bind: try json(c.units)),
                \(bind: c.edition), \(bind: c.authority), \(bind: c.verificationNeed.rawValue), \(bind: c.simplified ? 1 : 0),
                \(bind: c.corrections), \(bind: c.lastOutcome?.rawValue), \(bind: c.licenseID), \(bind: try json(c.form)),
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
                version = version + 1, changes = \(bind: try json(c.changes)), units = \(bind: try json(c.units)),
                authority = \(bind: c.authority), verification_need = \(bind: c.verificationNeed.rawValue),
                simplified = \(bind: c.simplified ? 1 : 0), corrections = \(bind: c.corrections), last_outcome = \(bind: c.lastOutcome?.rawValue),
                license_id = \(bind: c.licenseID), form = \(bind: try json(c.form)), accepted_on = \(bind: c.acceptedOn?.description),
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
            kind: try enumValue(ApplicationKind.self, try s("kind"), "applications.kind"),
            route: try enumValue(Route.self, try s("route"), "applications.route"),
            state: try enumValue(CaseState.self, try s("state"), "applications.state"),
            version: try r.decode(column: "version", as: Int.self),
            changes: try decode([ChangeItem].self, try s("changes"), "applications.changes"),
            units: try decode([Routing.Unit].self, try s("units"), "applications.units"),
            edition: try s("edition"), authority: try s("authority"),
            verificationNeed: try enumValue(VerificationNeed.self, try s("verification_need"), "applications.verification_need"),
            simplified: try r.decode(column: "simplified", as: Int.self) != 0,
            corrections: try r.decode(column: "corrections", as: Int.self),
            lastOutcome: try o("last_outcome").map { try enumValue(VerificationOutcome.self, $0, "applications.last_outcome") },
            licenseID: try r.decode(column: "license_id", as: Int?.self),
            form: try decode(ApplicationForm.self, try s("form"), "applications.form"),
            commitmentText: try s("commitment_text"), commitmentSHA256: try s("commitment_sha256"),
            submittedOn: try date(try s("submitted_on")).orThrow("applications.submitted_on"), submittedAt: try s("submitted_at"),
            acceptedOn: date(try o("accepted_on")), deemed: deemed.isEmpty ? [] : deemed.split(separator: ",").map(String.init),
            decidedOn: date(try o("decided_on")), refusalReasons: try o("refusal_reasons"), issuedOn: date(try o("issued_on")),
            dueOn: date(try o("due_on")), updatedAt: try s("updated_at"))
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
        public init() {}
    }

    /// A work list, most urgent first.
    public static func cases(_ sql: any SQLDatabase, scope: CaseScope, filter: CaseFilter) async throws -> [CaseRecord] {
        var q = SQLQueryString("SELECT a.* FROM applications a WHERE \(scopeClause(scope))")
        q.appendInterpolation(unsafeRaw: " AND a.is_open = 1")
        if let s = filter.state { q = q + " AND a.state = \(bind: s.rawValue)" }
        if let d = filter.dueBy { q = q + " AND a.due_on <= \(bind: d.description)" }
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
                        \(bind: m.lab), \(bind: m.reportNo), \(bind: m.reportDate?.description), \(bind: try m.units.map { try json($0) }))
                """).run()
        }
    }

    public static func materials(_ sql: any SQLDatabase, applicationID: Int) async throws -> [MaterialRecord] {
        try await sql.raw("""
            SELECT m.*, u.media_type, u.size FROM materials m JOIN uploads u ON u.sha256 = m.sha256
            WHERE m.application_id = \(bind: applicationID) ORDER BY m.position
            """).all().map { r in
            MaterialRecord(position: try r.decode(column: "position", as: Int.self),
                           kind: try enumValue(MaterialKind.self, try r.decode(column: "kind", as: String.self), "materials.kind"),
                           sha256: try r.decode(column: "sha256", as: String.self), filename: try r.decode(column: "filename", as: String.self),
                           lab: try r.decode(column: "lab", as: String?.self), reportNo: try r.decode(column: "report_no", as: String?.self),
                           reportDate: date(try r.decode(column: "report_date", as: String?.self)),
                           units: try r.decode(column: "units", as: String?.self).map { try decode([String].self, $0, "materials.units") },
                           mediaType: try r.decode(column: "media_type", as: String.self), size: try r.decode(column: "size", as: Int.self))
        }
    }

    public static func setCorrectionNotice(_ sql: any SQLDatabase, applicationID: Int, items: [String], on day: CivilDate) async throws {
        try await sql.raw("""
            INSERT INTO correction_notices (application_id, items, issued_on) VALUES (\(bind: applicationID), \(bind: try json(items)), \(bind: day.description))
            """).run()
    }

    public static func answerCorrectionNotice(_ sql: any SQLDatabase, applicationID: Int, on day: CivilDate) async throws {
        try await sql.raw("UPDATE correction_notices SET answered_on = \(bind: day.description) WHERE application_id = \(bind: applicationID)").run()
    }

    public static func correctionNotice(_ sql: any SQLDatabase, applicationID: Int) async throws -> (items: [String], issuedOn: CivilDate, answeredOn: CivilDate?)? {
        guard let r = try await sql.raw("SELECT * FROM correction_notices WHERE application_id = \(bind: applicationID)").first() else { return nil }
        return (try decode([String].self, try r.decode(column: "items", as: String.self), "correction_notices.items"),
                try date(try r.decode(column: "issued_on", as: String.self)).orThrow("correction_notices.issued_on"),
                date(try r.decode(column: "answered_on", as: String?.self)))
    }

    public static func clockStops(_ sql: any SQLDatabase, applicationID: Int) async throws -> [ClockStopRecord] {
        try await sql.raw("SELECT * FROM clock_stops WHERE application_id = \(bind: applicationID) ORDER BY id").all().map { r in
            ClockStopRecord(id: try r.decode(column: "id", as: Int.self),
                            reason: try enumValue(StopReason.self, try r.decode(column: "reason", as: String.self), "clock_stops.reason"),
                            from: try date(try r.decode(column: "from_date", as: String.self)).orThrow("clock_stops.from_date"),
                            until: date(try r.decode(column: "until_date", as: String?.self)),
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
                kind: try enumValue(VerificationRecord.Kind.self, try r.decode(column: "kind", as: String.self), "verifications.kind"),
                state: try enumValue(VerificationRecord.State.self, try r.decode(column: "state", as: String.self), "verifications.state"),
                authority: try r.decode(column: "authority", as: String.self),
                assignedOn: date(try r.decode(column: "assigned_on", as: String?.self)),
                dueOn: try date(try r.decode(column: "due_on", as: String.self)).orThrow("verifications.due_on"),
                rectifyBy: date(try r.decode(column: "rectify_by", as: String?.self)),
                outcome: try r.decode(column: "outcome", as: String?.self).map { try enumValue(VerificationOutcome.self, $0, "verifications.outcome") },
                concludedOn: date(try r.decode(column: "concluded_on", as: String?.self)),
                summary: try r.decode(column: "summary", as: String.self), members: members[id] ?? [], findings: findings[id] ?? [])
        }
    }

    public static func verifications(_ sql: any SQLDatabase, applicationID: Int) async throws -> [VerificationRecord] {
        try await verifications(sql, rows: try await sql.raw("SELECT * FROM verifications WHERE application_id = \(bind: applicationID) ORDER BY id").all())
    }

    public static func getVerification(_ sql: any SQLDatabase, id: Int) async throws -> VerificationRecord? {
        try await verifications(sql, rows: try await sql.raw("SELECT * FROM verifications WHERE id = \(bind: id)").all()).first
    }

    // MARK: Licenses

    static func licenseRecord(_ r: any SQLRow) throws -> LicenseRecord {
        func s(_ c: String) throws -> String { try r.decode(column: c, as: String.self) }
        return LicenseRecord(
            id: try r.decode(column: "id", as: Int.self), uscc: try s("uscc"), number: try s("number"),
            storedStatus: try enumValue(LicenseStatus.self, try s("status"), "licenses.status"),
            version: try r.decode(column: "version", as: Int.self), authority: try s("authority"),
            firstIssuedOn: try date(try s("first_issued_on")).orThrow("licenses.first_issued_on"),
            decidedOn: try date(try s("decided_on")).orThrow("licenses.decided_on"),
            issuedOn: try date(try s("issued_on")).orThrow("licenses.issued_on"),
            validUntil: try date(try s("valid_until")).orThrow("licenses.valid_until"),
            name: try s("name"), domicile: try s("domicile"),
            addresses: try decode([ProductionAddress].self, try s("addresses"), "licenses.addresses"),
            units: try decode([LicenseUnit].self, try s("units"), "licenses.units"), updatedAt: try s("updated_at"))
    }

    /// The enterprise's latest license: the one in force, or else the one that ended last.
    public static func license(_ sql: any SQLDatabase, uscc: String) async throws -> LicenseRecord? {
        try await sql.raw("SELECT * FROM licenses WHERE uscc = \(bind: uscc) ORDER BY id DESC LIMIT 1").first().map(licenseRecord)
    }

    public static func license(_ sql: any SQLDatabase, id: Int) async throws -> LicenseRecord? {
        try await sql.raw("SELECT * FROM licenses WHERE id = \(bind: id)").first().map(licenseRecord)
    }

    public static func license(_ sql: any SQLDatabase, number: String) async throws -> LicenseRecord? {
        try await sql.raw("SELECT * FROM licenses WHERE number = \(bind: number)").first().map(licenseRecord)
    }

    /// Stores a license for the first time (version 1). A partial unique index keeps one in force per enterprise.
    public static func insertLicense(_ sql: any SQLDatabase, _ l: LicenseRecord, reason: String, applicationID: Int?, at: String) async throws -> LicenseRecord {
        let row = try await sql.raw("""
            INSERT INTO licenses (uscc, number, status, version, authority, first_issued_on, decided_on, issued_on, valid_until,
                                  name, domicile, addresses, units, updated_at)
            VALUES (\(bind: l.uscc), \(bind: l.number), \(bind: l.storedStatus.rawValue), 1, \(bind: l.authority),
                    \(bind: l.firstIssuedOn.description), \(bind: l.decidedOn.description), \(bind: l.issuedOn.description),
                    \(bind: l.validUntil.description), \(bind: l.name), \(bind: l.domicile), \(bind: try json(l.addresses)),
                    \(bind: try json(l.units)), \(bind: at))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { throw StorageError.corruptRow("licenses.id") }
        var stored = l
        stored.id = id
        stored.version = 1
        stored.updatedAt = at
        try await insertVersion(sql, stored, reason: reason, applicationID: applicationID, at: at)
        return stored
    }

    /// Saves a changed license as its next version, keeping the previous one in the history.
    public static func updateLicense(_ sql: any SQLDatabase, _ l: LicenseRecord, reason: String, applicationID: Int?, at: String) async throws -> LicenseRecord {
        var next = l
        next.version = l.version + 1
        next.updatedAt = at
        let done = try await sql.raw("""
            UPDATE licenses SET status = \(bind: next.storedStatus.rawValue), version = \(bind: next.version), authority = \(bind: next.authority),
                decided_on = \(bind: next.decidedOn.description), issued_on = \(bind: next.issuedOn.description),
                valid_until = \(bind: next.validUntil.description), name = \(bind: next.name), domicile = \(bind: next.domicile),
                addresses = \(bind: try json(next.addresses)), units = \(bind: try json(next.units)), updated_at = \(bind: at)
            WHERE id = \(bind: l.id) AND version = \(bind: l.version)
            RETURNING id
            """).first()
        guard done != nil else {
            throw DomainError(.license.concurrentChange)
        }
        try await insertVersion(sql, next, reason: reason, applicationID: applicationID, at: at)
        return next
    }

    static func insertVersion(_ sql: any SQLDatabase, _ l: LicenseRecord, reason: String, applicationID: Int?, at: String) async throws {
        try await sql.raw("""
            INSERT INTO license_versions (license_id, version, status, reason, application_id, snapshot, at)
            VALUES (\(bind: l.id), \(bind: l.version), \(bind: l.storedStatus.rawValue), \(bind: reason), \(bind: applicationID),
                    \(bind: try json(l)), \(bind: at))
            """).run()
    }

    public static func licenseVersions(_ sql: any SQLDatabase, licenseID: Int) async throws -> [LicenseVersion] {
        try await sql.raw("SELECT * FROM license_versions WHERE license_id = \(bind: licenseID) ORDER BY version").all().map { r in
            LicenseVersion(version: try r.decode(column: "version", as: Int.self),
                           status: try enumValue(LicenseStatus.self, try r.decode(column: "status", as: String.self), "license_versions.status"),
                           reason: try r.decode(column: "reason", as: String.self),
                           applicationID: try r.decode(column: "application_id", as: Int?.self),
                           snapshot: try decode(LicenseRecord.self, try r.decode(column: "snapshot", as: String.self), "license_versions.snapshot"),
                           at: try r.decode(column: "at", as: String.self))
        }
    }

    /// The public query: a license number or USCC exactly, or any part of the enterprise name; narrowed by a
    /// catalog unit and by the province the enterprise is registered in (USCC characters 3–4).
    public static func publicSearch(_ sql: any SQLDatabase, text: String, unit: String?, province: String?, limit: Int) async throws -> [LicenseRecord] {
        var q = SQLQueryString("SELECT * FROM licenses WHERE 1 = 1")
        if !text.isEmpty {
            let pattern = "%" + EnterpriseStore.escapeLike(text) + "%"
            q = q + " AND (number = \(bind: text) OR uscc = \(bind: text.uppercased()) OR name LIKE \(bind: pattern) ESCAPE '\\')"
        }
        if let unit { q = q + " AND units LIKE \(bind: "%\"unit_no\":\"\(unit)\"%")" }
        if let province { q = q + " AND substr(uscc, 3, 2) = \(bind: String(province.prefix(2)))" }
        q = q + " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await sql.raw(q).all().map(licenseRecord)
    }

    /// Every stored version of the given licenses, by license and version (for the audit).
    public static func versions(_ sql: any SQLDatabase, licenseIDs: [Int]) async throws -> [Int: [Int: LicenseRecord]] {
        guard !licenseIDs.isEmpty else { return [:] }
        let ids = integerList(licenseIDs)
        var out: [Int: [Int: LicenseRecord]] = [:]
        for r in try await sql.raw("SELECT license_id, version, snapshot FROM license_versions WHERE license_id IN (\(ids))").all() {
            let snapshot = try decode(LicenseRecord.self, try r.decode(column: "snapshot", as: String.self), "license_versions.snapshot")
            out[try r.decode(column: "license_id", as: Int.self), default: [:]][try r.decode(column: "version", as: Int.self)] = snapshot
        }
        return out
    }

    public static func allLicenses(_ sql: any SQLDatabase) async throws -> [LicenseRecord] {
        try await sql.raw("SELECT * FROM licenses ORDER BY id").all().map(licenseRecord)
    }

    /// Licenses stored as valid or suspended whose validity ended before `today` (the expiry sweep).
    /// Licenses in force that hold any of the units.
    public static func licensesInForce(_ sql: any SQLDatabase, holdingAny units: [String]) async throws -> [LicenseRecord] {
        guard !units.isEmpty else { return [] }
        // A first cut in SQL on the stored JSON text, then the exact test on the decoded units.
        let patterns = units.map { SQLQueryString("units LIKE \(bind: "%\"unit_no\":\"\($0)\"%")") }
        let wanted = Set(units)
        return try await sql.raw("""
            SELECT * FROM licenses WHERE status IN ('valid', 'suspended') AND (\(patterns.joined(separator: " OR "))) ORDER BY id
            """).all().map(licenseRecord).filter { l in l.units.contains { wanted.contains($0.unitNo) } }
    }

    public static func lapsedLicenses(_ sql: any SQLDatabase, before today: CivilDate) async throws -> [LicenseRecord] {
        try await sql.raw("""
            SELECT * FROM licenses WHERE status IN ('valid', 'suspended') AND valid_until < \(bind: today.description) ORDER BY id
            """).all().map(licenseRecord)
    }
}

extension Optional {
    public func orThrow(_ what: String) throws -> Wrapped {
        guard let self else { throw StorageError.corruptRow(what) }
        return self
    }
}
