public import SQLKit
public import XukeDomain

/// An officer's rank in the sign-off chain of their authority's decisions.
public enum OfficerRank: String, Sendable, Codable, CaseIterable {
    /// 承办人: handles cases; the first signature of a chain is the case's handler's.
    case handler
    /// 科长 (section chief): the office head, who assigns cases.
    case sectionChief = "section_chief"
    /// 处长 or 局长 (director).
    case director

    public var name: LocalizedText {
        switch self {
        case .handler: LocalizedText(zh: "承办人", en: "handler")
        case .sectionChief: LocalizedText(zh: "科长", en: "section chief")
        case .director: LocalizedText(zh: "处长（局长）", en: "director")
        }
    }
}

/// What an authority sets for itself, within the statutory maxima (docs/DOMAIN.md §5–§7).
public struct AuthoritySettings: Sendable, Codable, Equatable {
    /// Working-day limits; nil keeps the platform's.
    public var acceptanceDays: Int?
    public var verificationDays: Int?
    public var decisionDays: Int?
    public var issuanceDays: Int?
    /// Whether simplified renewal (no new test report) is open (it is, until the authority closes it), and for which
    /// units (empty: every unit it may cover).
    public var simplifiedRenewal = true
    public var simplifiedUnits: [String] = []
    /// The ranks that sign a decision, in order; empty: the officer who decides signs alone.
    public var signOff: [OfficerRank] = []

    public init() {}

    /// A submitted setting may name only some values; the rest keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        acceptanceDays = try c.decodeIfPresent(Int.self, forKey: .acceptanceDays)
        verificationDays = try c.decodeIfPresent(Int.self, forKey: .verificationDays)
        decisionDays = try c.decodeIfPresent(Int.self, forKey: .decisionDays)
        issuanceDays = try c.decodeIfPresent(Int.self, forKey: .issuanceDays)
        simplifiedRenewal = try c.decodeIfPresent(Bool.self, forKey: .simplifiedRenewal) ?? true
        simplifiedUnits = try c.decodeIfPresent([String].self, forKey: .simplifiedUnits) ?? []
        signOff = try c.decodeIfPresent([OfficerRank].self, forKey: .signOff) ?? []
        guard simplifiedUnits.count <= 100 else {
            throw DecodingError.dataCorruptedError(forKey: .simplifiedUnits, in: c, debugDescription: "at most 100 units")
        }
    }
}

/// One signature in a decision's chain, or the return that ended a round.
public struct Signoff: Sendable, Codable, Equatable {
    public var id: Int
    public var applicationId: Int
    public var round: Int
    public var step: Int
    public var rank: OfficerRank
    /// `approve` or `refuse`.
    public var decision: String
    public var reasons: String
    public var userId: Int
    /// `signed`, or `returned` (the round ends, the decision is not taken).
    public var outcome: String
    public var note: String
    public var at: String

    public init(id: Int, applicationId: Int, round: Int, step: Int, rank: OfficerRank, decision: String, reasons: String, userId: Int,
                outcome: String, note: String, at: String) {
        (self.id, self.applicationId, self.round, self.step, self.rank) = (id, applicationId, round, step, rank)
        (self.decision, self.reasons, self.userId, self.outcome, self.note, self.at) = (decision, reasons, userId, outcome, note, at)
    }
}

public struct CaseAssignment: Sendable, Codable, Equatable {
    public var id: Int
    public var applicationId: Int
    public var handlerId: Int
    public var assignedBy: Int
    public var reason: String
    public var at: String
}

public enum OrganisationStore {
    // MARK: Assignments

    struct AssignmentRow: Codable { var applicationId: Int; var handlerId: Int; var assignedBy: Int; var reason: String; var at: String }

    public static func recordAssignment(_ sql: any SQLDatabase, applicationID: Int, handlerID: Int, by: Int, reason: String, at: String) async throws {
        _ = try await sql.insertRow(into: "case_assignments", AssignmentRow(applicationId: applicationID, handlerId: handlerID, assignedBy: by, reason: reason, at: at))
    }

    public static func assignments(_ sql: any SQLDatabase, applicationID: Int) async throws -> [CaseAssignment] {
        try await sql.rows("SELECT * FROM case_assignments WHERE application_id = \(bind: applicationID) ORDER BY id", as: Identified<AssignmentRow>.self).map {
            CaseAssignment(id: $0.id, applicationId: $0.columns.applicationId, handlerId: $0.columns.handlerId, assignedBy: $0.columns.assignedBy,
                           reason: $0.columns.reason, at: $0.columns.at)
        }
    }

    // MARK: Ranks

    public static func rank(_ sql: any SQLDatabase, userID: Int) async throws -> OfficerRank {
        struct R: Decodable { var officerRank: String? }
        let r = try await sql.row("SELECT officer_rank FROM users WHERE id = \(bind: userID)", as: R.self)
        return r?.officerRank.flatMap(OfficerRank.init(rawValue:)) ?? .handler
    }

    public static func setRank(_ sql: any SQLDatabase, userID: Int, rank: OfficerRank, actor: String, at: String) async throws {
        guard try await sql.raw("UPDATE users SET officer_rank = \(bind: rank.rawValue) WHERE id = \(bind: userID) AND role = 'officer' RETURNING id").first() != nil else {
            throw DomainError(.user.notFound)
        }
        try await Events.append(sql, type: .userRankChanged, subject: "user/\(userID)", actor: actor, at: at, payload: RankChanged(rank: rank.rawValue))
    }

    /// The enabled officers of exactly this jurisdiction, with their ranks.
    public static func officers(_ sql: any SQLDatabase, jurisdiction: String?) async throws -> [(id: Int, name: String, username: String, rank: OfficerRank)] {
        struct R: Decodable { var id: Int; var displayName: String; var username: String; var officerRank: String? }
        let filter: SQLQueryString = jurisdiction.map { "jurisdiction = \(bind: $0)" } ?? "jurisdiction IS NULL"
        return try await sql.rows("SELECT id, display_name, username, officer_rank FROM users WHERE role = 'officer' AND disabled = 0 AND \(filter) ORDER BY id", as: R.self)
            .map { ($0.id, $0.displayName, $0.username, $0.officerRank.flatMap(OfficerRank.init(rawValue:)) ?? .handler) }
    }

    // MARK: Authority settings

    public static func settings(_ sql: any SQLDatabase, authority: String) async throws -> AuthoritySettings {
        struct R: Decodable { var value: String }
        guard let r = try await sql.row("SELECT value FROM authority_settings WHERE authority = \(bind: authority)", as: R.self) else { return AuthoritySettings() }
        return try StoredJSON.decode(AuthoritySettings.self, r.value, "authority_settings.value")
    }

    public static func saveSettings(_ sql: any SQLDatabase, authority: String, _ s: AuthoritySettings, by userID: Int, at: String) async throws {
        let value = try StoredJSON.json(s)
        try await sql.raw("""
            INSERT INTO authority_settings (authority, value, updated_at, updated_by) VALUES (\(bind: authority), \(bind: value), \(bind: at), \(bind: userID))
            ON CONFLICT (authority) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """).run()
        try await Events.append(sql, type: .settingsAuthorityChanged, subject: "authority/\(authority)", actor: "user/\(userID)", jurisdiction: authority,
                                at: at, payload: s)
    }

    // MARK: Sign-offs

    struct SignoffRow: Codable {
        var applicationId: Int; var round: Int; var step: Int; var rank: OfficerRank; var decision: String; var reasons: String
        var userId: Int; var outcome: String; var note: String; var at: String
    }

    public static func signoffs(_ sql: any SQLDatabase, applicationID: Int) async throws -> [Signoff] {
        try await sql.rows("SELECT * FROM signoffs WHERE application_id = \(bind: applicationID) ORDER BY round, step", as: Identified<SignoffRow>.self).map {
            let r = $0.columns
            return Signoff(id: $0.id, applicationId: r.applicationId, round: r.round, step: r.step, rank: r.rank, decision: r.decision, reasons: r.reasons,
                           userId: r.userId, outcome: r.outcome, note: r.note, at: r.at)
        }
    }

    /// Adds a signature; the unique (case, round, step) makes two officers signing the same step at once fail for one.
    public static func sign(_ sql: any SQLDatabase, _ s: Signoff) async throws {
        _ = try await sql.insertRow(into: "signoffs", SignoffRow(applicationId: s.applicationId, round: s.round, step: s.step, rank: s.rank, decision: s.decision,
                                                                reasons: s.reasons, userId: s.userId, outcome: s.outcome, note: s.note, at: s.at))
    }
}

public struct RankChanged: EventPayload, Equatable { public var rank: String }
