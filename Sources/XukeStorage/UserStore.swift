public import SQLKit
public import XukeDomain

public struct User: Sendable, Codable, Equatable {
    public var id: Int
    public var username: String
    public var displayName: String
    public var role: Role
    /// Division code of an officer's jurisdiction; nil = national.
    public var jurisdiction: String?
    public var enterpriseUSCC: String?
    public var disabled: Bool

    /// How events name the user who caused them.
    public var actor: String { "user/\(id)" }

    /// An officer of `authority` or of a level above it.
    public func oversees(_ authority: String) -> Bool {
        role == .officer && Jurisdiction(divisionCode: jurisdiction).covers(authority: authority)
    }

    /// The records this user may see.
    public var visibility: Visibility {
        switch role {
        case .administrator: .everything
        case .officer: jurisdiction.map { .divisions(prefix: Jurisdiction(divisionCode: $0).prefix) } ?? .everything
        case .enterprise: enterpriseUSCC.map { .enterprise(uscc: $0) } ?? .nothing
        case .verifier, .lab, .agency: .nothing
        }
    }
}

public enum UserStore {
    static func user(_ r: any SQLRow) throws -> User {
        User(id: try r.decode(column: "id", as: Int.self),
             username: try r.decode(column: "username", as: String.self),
             displayName: try r.decode(column: "display_name", as: String.self),
             role: Role(rawValue: try r.decode(column: "role", as: String.self)) ?? .enterprise,
             jurisdiction: try r.decode(column: "jurisdiction", as: String?.self),
             enterpriseUSCC: try r.decode(column: "enterprise_uscc", as: String?.self),
             disabled: try r.decode(column: "disabled", as: Int.self) != 0)
    }

    public static func create(_ sql: any SQLDatabase, username: String, displayName: String, passwordHash: String, role: Role,
                              jurisdiction: String?, enterpriseUSCC: String?, actor: String) async throws -> User {
        if try await sql.raw("SELECT 1 AS x FROM users WHERE username = \(bind: username)").first() != nil {
            throw DomainError(.conflict, code: "user.exists", zh: "用户名“\(username)”已被使用", en: "the username “\(username)” is taken")
        }
        let row = try await sql.raw("""
            INSERT INTO users (username, display_name, password_hash, role, jurisdiction, enterprise_uscc, created_at, disabled)
            VALUES (\(bind: username), \(bind: displayName), \(bind: passwordHash), \(bind: role.rawValue), \(bind: jurisdiction),
                    \(bind: enterpriseUSCC), \(bind: Timestamp.now()), 0)
            RETURNING id
            """).first()
        let id = try row!.decode(column: "id", as: Int.self)
        struct Payload: Codable, Sendable { var username: String; var role: String; var jurisdiction: String?; var enterprise: String? }
        try await Events.append(sql, type: "user.created", subject: "user/\(id)", actor: actor, jurisdiction: jurisdiction,
                                payload: Payload(username: username, role: role.rawValue, jurisdiction: jurisdiction, enterprise: enterpriseUSCC))
        return User(id: id, username: username, displayName: displayName, role: role, jurisdiction: jurisdiction,
                    enterpriseUSCC: enterpriseUSCC, disabled: false)
    }

    public static func credentials(_ sql: any SQLDatabase, username: String) async throws -> (User, String)? {
        guard let r = try await sql.raw("SELECT * FROM users WHERE username = \(bind: username)").first() else { return nil }
        return (try user(r), try r.decode(column: "password_hash", as: String.self))
    }

    public static func get(_ sql: any SQLDatabase, id: Int) async throws -> User? {
        try await sql.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(user)
    }

    /// Several users in one query, by id.
    public static func get(_ sql: any SQLDatabase, ids: [Int]) async throws -> [Int: User] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT * FROM users WHERE id IN (\(integerList(ids)))").all().map(user).map { ($0.id, $0) })
    }

    /// Display names for event actors ("user/7" → "name (username)"; "system" and "cli" are left out).
    public static func actorNames(_ sql: any SQLDatabase, _ actors: [String]) async throws -> [String: String] {
        let users = try await get(sql, ids: Set(actors).compactMap { $0.hasPrefix("user/") ? Int($0.dropFirst(5)) : nil })
        return Dictionary(uniqueKeysWithValues: users.values.map { ("user/\($0.id)", "\($0.displayName) (\($0.username))") })
    }

    /// Every user, or those of one role (a case page lists verifiers, not every enterprise user).
    public static func list(_ sql: any SQLDatabase, role: Role? = nil) async throws -> [User] {
        if let role { return try await sql.raw("SELECT * FROM users WHERE role = \(bind: role.rawValue) ORDER BY id").all().map(user) }
        return try await sql.raw("SELECT * FROM users ORDER BY id").all().map(user)
    }

    public static func setPassword(_ sql: any SQLDatabase, userID: Int, passwordHash: String, actor: String) async throws {
        try await sql.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: userID)").run()
        // A changed password ends every other session of the user.
        try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
        try await Events.append(sql, type: "user.password_changed", subject: "user/\(userID)", actor: actor, payload: [String: String]())
    }

    // MARK: Sessions (in the database so several app servers share them)

    public static func createSession(_ sql: any SQLDatabase, tokenHash: String, userID: Int, csrf: String, expiresAt: String) async throws {
        try await sql.raw("""
            INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
            VALUES (\(bind: tokenHash), \(bind: userID), \(bind: csrf), \(bind: Timestamp.now()), \(bind: expiresAt))
            """).run()
        try await Events.append(sql, type: "user.signed_in", subject: "user/\(userID)", actor: "user/\(userID)", payload: [String: String]())
    }

    public static func session(_ sql: any SQLDatabase, tokenHash: String, now: String) async throws -> (User, csrf: String)? {
        guard let r = try await sql.raw("""
            SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: tokenHash) AND s.expires_at > \(bind: now) AND u.disabled = 0
            """).first() else { return nil }
        return (try user(r), try r.decode(column: "csrf_token", as: String.self))
    }

    public static func deleteSession(_ sql: any SQLDatabase, tokenHash: String) async throws {
        try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
    }

    public static func purgeExpiredSessions(_ sql: any SQLDatabase, now: String) async throws {
        try await sql.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now)").run()
    }

    // MARK: API tokens (hashed at rest; the plain token is shown once)

    public struct APIToken: Sendable, Codable, Equatable {
        public var id: Int
        public var name: String
        public var createdAt: String
        public var lastUsedAt: String?
        public var revokedAt: String?
    }

    public static func createToken(_ sql: any SQLDatabase, userID: Int, name: String, tokenHash: String) async throws -> APIToken {
        let now = Timestamp.now()
        let row = try await sql.raw("""
            INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (\(bind: userID), \(bind: name), \(bind: tokenHash), \(bind: now))
            RETURNING id
            """).first()
        let id = try row!.decode(column: "id", as: Int.self)
        try await Events.append(sql, type: "user.token_created", subject: "user/\(userID)", actor: "user/\(userID)", payload: ["token_id": id])
        return APIToken(id: id, name: name, createdAt: now, lastUsedAt: nil, revokedAt: nil)
    }

    public static func tokens(_ sql: any SQLDatabase, userID: Int) async throws -> [APIToken] {
        try await sql.raw("SELECT * FROM api_tokens WHERE user_id = \(bind: userID) ORDER BY id").all().map { r in
            APIToken(id: try r.decode(column: "id", as: Int.self), name: try r.decode(column: "name", as: String.self),
                     createdAt: try r.decode(column: "created_at", as: String.self),
                     lastUsedAt: try r.decode(column: "last_used_at", as: String?.self),
                     revokedAt: try r.decode(column: "revoked_at", as: String?.self))
        }
    }

    public static func revokeToken(_ sql: any SQLDatabase, userID: Int, tokenID: Int) async throws {
        let row = try await sql.raw("""
            UPDATE api_tokens SET revoked_at = \(bind: Timestamp.now())
            WHERE id = \(bind: tokenID) AND user_id = \(bind: userID) AND revoked_at IS NULL RETURNING id
            """).first()
        guard row != nil else {
            throw DomainError(.notFound, code: "token.not_found", zh: "找不到该令牌或已撤销", en: "no such active token")
        }
        try await Events.append(sql, type: "user.token_revoked", subject: "user/\(userID)", actor: "user/\(userID)", payload: ["token_id": tokenID])
    }

    public static func userForToken(_ sql: any SQLDatabase, tokenHash: String) async throws -> User? {
        guard let r = try await sql.raw("""
            SELECT u.*, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: tokenHash) AND t.revoked_at IS NULL AND u.disabled = 0
            """).first() else { return nil }
        return try user(r)
    }

    // MARK: Login throttling

    public static func recordLoginFailure(_ sql: any SQLDatabase, username: String) async throws {
        try await sql.raw("INSERT INTO login_failures (username, at) VALUES (\(bind: username), \(bind: Timestamp.now()))").run()
    }

    public static func loginFailures(_ sql: any SQLDatabase, username: String, since: String) async throws -> Int {
        let r = try await sql.raw("SELECT COUNT(*) AS n FROM login_failures WHERE username = \(bind: username) AND at > \(bind: since)").first()
        return try r?.decode(column: "n", as: Int.self) ?? 0
    }

    public static func clearLoginFailures(_ sql: any SQLDatabase, username: String) async throws {
        try await sql.raw("DELETE FROM login_failures WHERE username = \(bind: username)").run()
    }
}
