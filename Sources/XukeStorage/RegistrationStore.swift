public import SQLKit
public import XukeDomain

/// Where a self-registration stands.
public enum RegistrationState: String, Sendable, Codable, CaseIterable {
    /// Waiting for the applicant to open the link mailed to the address given.
    case emailPending = "email_pending"
    /// Waiting for an officer of the enterprise's area.
    case waiting
    case approved
    case refused
    /// Its link was never opened in time; the username it held is free again.
    case expired
}

/// An enterprise's self-registration: who asked, for which enterprise, and what became of it.
public struct Registration: Sendable, Codable, Equatable {
    public var id: Int
    public var uscc: String
    public var enterpriseName: String
    public var legalRepresentative: String
    public var username: String
    public var displayName: String
    public var email: String
    public var licenceSha256: String
    public var licenceType: String
    /// The division whose officers decide: the enterprise's in the register, else the one its USCC names.
    public var area: String
    public var state: RegistrationState
    public var decidedBy: Int?
    public var decisionNote: String
    public var userId: Int?
    public var createdAt: String
    public var updatedAt: String

    /// A new registration as the applicant gave it, before it is stored.
    public init(uscc: String, enterpriseName: String, legalRepresentative: String, username: String, displayName: String, email: String,
                licenceSha256: String, licenceType: String, area: String, at: String) {
        (self.id, self.uscc, self.enterpriseName, self.legalRepresentative) = (0, uscc, enterpriseName, legalRepresentative)
        (self.username, self.displayName, self.email) = (username, displayName, email)
        (self.licenceSha256, self.licenceType, self.area, self.state) = (licenceSha256, licenceType, area, .emailPending)
        (self.decidedBy, self.decisionNote, self.userId, self.createdAt, self.updatedAt) = (nil, "", nil, at, at)
    }
}

/// What a registration event records: never the password, the address or the file.
public struct RegistrationEvent: EventPayload, Equatable {
    public var registration: Int
    public var uscc: String
    public var username: String
    public var note: String?

    public init(_ r: Registration, note: String? = nil) {
        registration = r.id; uscc = r.uscc; username = r.username; self.note = note
    }
}

public enum RegistrationStore {
    struct Row: Codable {
        var uscc: String
        var enterpriseName: String
        var legalRepresentative: String
        var username: String
        var displayName: String
        var passwordHash: String
        var email: String
        var licenceSha256: String
        var licenceType: String
        var area: String
        var state: RegistrationState
        var tokenHash: String?
        var tokenExpiresAt: String
        var decidedBy: Int?
        var decisionNote: String
        var userId: Int?
        var createdAt: String
        var updatedAt: String

        func registration(id: Int) -> Registration {
            var r = Registration(uscc: uscc, enterpriseName: enterpriseName, legalRepresentative: legalRepresentative, username: username,
                                 displayName: displayName, email: email, licenceSha256: licenceSha256, licenceType: licenceType, area: area, at: createdAt)
            (r.id, r.state, r.decidedBy, r.decisionNote, r.userId, r.updatedAt) = (id, state, decidedBy, decisionNote, userId, updatedAt)
            return r
        }
    }

    /// A new registration, waiting for its address; the caller has checked the username is free.
    public static func create(_ sql: any SQLDatabase, _ r: Registration, passwordHash: String, tokenHash: String, expiresAt: String) async throws -> Registration {
        var r = r
        let row = Row(uscc: r.uscc, enterpriseName: r.enterpriseName, legalRepresentative: r.legalRepresentative, username: r.username,
                      displayName: r.displayName, passwordHash: passwordHash, email: r.email, licenceSha256: r.licenceSha256,
                      licenceType: r.licenceType, area: r.area, state: .emailPending, tokenHash: tokenHash, tokenExpiresAt: expiresAt,
                      decidedBy: nil, decisionNote: "", userId: nil, createdAt: r.createdAt, updatedAt: r.createdAt)
        r.id = try await sql.insertRow(into: "registrations", row)
        r.state = .emailPending
        try await Events.append(sql, type: .registrationSubmitted, subject: "registration/\(r.id)", actor: "registration/\(r.id)",
                                jurisdiction: r.area, at: r.createdAt, payload: RegistrationEvent(r))
        return r
    }

    /// Lets go of what registrations whose links expired unopened held: their usernames.
    public static func expirePending(_ sql: any SQLDatabase, now: String) async throws {
        try await sql.raw("""
            UPDATE registrations SET state = 'expired', token_hash = NULL, updated_at = \(bind: now)
            WHERE state = 'email_pending' AND token_expires_at <= \(bind: now)
            """).run()
    }

    /// Whether a username is taken by an account or held by an open registration.
    public static func usernameTaken(_ sql: any SQLDatabase, _ username: String, now: String) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS x FROM users WHERE username = \(bind: username)
            UNION SELECT 1 AS x FROM registrations WHERE username = \(bind: username)
              AND (state = 'waiting' OR (state = 'email_pending' AND token_expires_at > \(bind: now)))
            """).first() != nil
    }

    /// Registrations asked with this address since a moment.
    public static func countByEmail(_ sql: any SQLDatabase, _ email: String, since: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM registrations WHERE email = \(bind: email) AND created_at >= \(bind: since)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    public static func get(_ sql: any SQLDatabase, id: Int) async throws -> Registration? {
        try await sql.row("SELECT * FROM registrations WHERE id = \(bind: id)", as: Identified<Row>.self).map { $0.columns.registration(id: $0.id) }
    }

    /// The password hash the account will get when the registration is approved.
    public static func passwordHash(_ sql: any SQLDatabase, id: Int) async throws -> String? {
        try await sql.row("SELECT * FROM registrations WHERE id = \(bind: id)", as: Row.self)?.passwordHash
    }

    /// The registration a mailed link confirms, if it is still waiting for its address and the link has not expired.
    public static func byToken(_ sql: any SQLDatabase, tokenHash: String, now: String) async throws -> Registration? {
        try await sql.row("""
            SELECT * FROM registrations WHERE token_hash = \(bind: tokenHash) AND state = 'email_pending' AND token_expires_at > \(bind: now)
            """, as: Identified<Row>.self).map { $0.columns.registration(id: $0.id) }
    }

    /// Moves a registration from `from` to its next state; false when someone moved it first.
    public static func advance(_ sql: any SQLDatabase, id: Int, from: RegistrationState, to: RegistrationState, decidedBy: Int? = nil,
                               note: String = "", userID: Int? = nil, at: String) async throws -> Bool {
        try await sql.raw("""
            UPDATE registrations SET state = \(bind: to.rawValue), token_hash = NULL, decided_by = \(bind: decidedBy), decision_note = \(bind: note),
                user_id = \(bind: userID), updated_at = \(bind: at)
            WHERE id = \(bind: id) AND state = \(bind: from.rawValue) RETURNING id
            """).first() != nil
    }

    /// Registrations in a state whose area lies in a jurisdiction (nil: everywhere), oldest first.
    public static func list(_ sql: any SQLDatabase, state: RegistrationState, areaPrefix: String, limit: Int, offset: Int) async throws -> [Registration] {
        try await sql.rows("""
            SELECT * FROM registrations WHERE state = \(bind: state.rawValue) AND area LIKE \(bind: areaPrefix + "%")
            ORDER BY id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """, as: Identified<Row>.self).map { $0.columns.registration(id: $0.id) }
    }
}
