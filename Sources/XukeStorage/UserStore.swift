public import SQLKit
public import XukeDomain
public import Foundation

public struct User: Sendable, Codable, Equatable {
    public var id: Int
    public var username: String
    public var displayName: String
    public var role: Role
    /// Division code of an officer's jurisdiction; nil = national.
    public var jurisdiction: String?
    public var enterpriseUSCC: String?
    public var disabled: Bool
    /// A confirmed address: mail goes only there.
    public var email: String? = nil
    /// An enterprise's administrator: adds and removes the enterprise's other users.
    public var enterpriseAdmin = false
    /// An officer's rank in sign-off chains (nil: a handler).
    public var officerRank: OfficerRank? = nil

    public init(id: Int, username: String, displayName: String, role: Role, jurisdiction: String?, enterpriseUSCC: String?, disabled: Bool,
                email: String? = nil, enterpriseAdmin: Bool = false) {
        (self.id, self.username, self.displayName, self.role) = (id, username, displayName, role)
        (self.jurisdiction, self.enterpriseUSCC, self.disabled, self.email) = (jurisdiction, enterpriseUSCC, disabled, email)
        self.enterpriseAdmin = enterpriseAdmin
    }

    func ranked(_ rank: OfficerRank?) -> User {
        var u = self
        u.officerRank = rank
        return u
    }

    /// How events name the user who caused them.
    public var actor: String { "user/\(id)" }

    /// An officer of `authority` or of a level above it.
    public func oversees(_ authority: String) -> Bool {
        role == .officer && Jurisdiction(divisionCode: jurisdiction).covers(authority: authority)
    }

    /// The records this user may see.
    public var visibility: Visibility { .of(role: role, jurisdiction: jurisdiction, enterprise: enterpriseUSCC) }
}

public enum UserStore {
    /// A users row without its secret (`RowCoding`): the flag as 0 or 1.
    struct UserRow: Codable {
        var username: String
        var displayName: String
        var role: Role
        var jurisdiction: String?
        var enterpriseUscc: String?
        var disabled: Int
        var email: String? = nil
        var enterpriseAdmin = 0
        var officerRank: OfficerRank? = nil
    }

    /// What only creating a user and signing in touch.
    struct Secret: Codable {
        var passwordHash: String
    }

    struct Created: Codable {
        var createdAt: String
    }

    static func user(_ r: Identified<UserRow>) -> User {
        let u = r.columns
        return User(id: r.id, username: u.username, displayName: u.displayName, role: u.role, jurisdiction: u.jurisdiction,
                    enterpriseUSCC: u.enterpriseUscc, disabled: u.disabled != 0, email: u.email, enterpriseAdmin: u.enterpriseAdmin != 0)
            .ranked(u.officerRank)
    }

    static func users(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> [User] {
        try await sql.rows(query, as: Identified<UserRow>.self).map(user)
    }

    public static func create(_ sql: any SQLDatabase, username: String, displayName: String, passwordHash: String, role: Role,
                              jurisdiction: String?, enterpriseUSCC: String?, email: String? = nil, enterpriseAdmin: Bool = false,
                              actor: String, at: String) async throws -> User {
        if try await sql.raw("SELECT 1 AS x FROM users WHERE username = \(bind: username)").first() != nil {
            throw DomainError(.user.exists, ["username": "\(username)"])
        }
        let row = UserRow(username: username, displayName: displayName, role: role, jurisdiction: jurisdiction, enterpriseUscc: enterpriseUSCC, disabled: 0,
                          email: email, enterpriseAdmin: enterpriseAdmin ? 1 : 0)
        let id = try await sql.insertRow(into: "users", Pair(first: row, second: Pair(first: Secret(passwordHash: passwordHash), second: Created(createdAt: at))))
        try await Events.append(sql, type: .userCreated, subject: "user/\(id)", actor: actor, jurisdiction: jurisdiction, at: at,
                                payload: UserCreated(username: username, role: role.rawValue, jurisdiction: jurisdiction, enterprise: enterpriseUSCC))
        return User(id: id, username: username, displayName: displayName, role: role, jurisdiction: jurisdiction,
                    enterpriseUSCC: enterpriseUSCC, disabled: false, email: email, enterpriseAdmin: enterpriseAdmin)
    }

    public static func credentials(_ sql: any SQLDatabase, username: String) async throws -> (User, String)? {
        guard let r = try await sql.row("SELECT * FROM users WHERE username = \(bind: username)", as: Pair<Secret, Identified<UserRow>>.self) else { return nil }
        return (user(r.second), r.first.passwordHash)
    }

    public static func get(_ sql: any SQLDatabase, id: Int) async throws -> User? {
        try await users(sql, "SELECT * FROM users WHERE id = \(bind: id)").first
    }

    /// Several users in one query, by id.
    public static func get(_ sql: any SQLDatabase, ids: [Int]) async throws -> [Int: User] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await users(sql, "SELECT * FROM users WHERE id IN (\(integerList(ids)))").map { ($0.id, $0) })
    }

    /// Display names for event actors ("user/7" → "name (username)"; "system" and "cli" are left out).
    public static func actorNames(_ sql: any SQLDatabase, _ actors: [String]) async throws -> [String: String] {
        let users = try await get(sql, ids: Set(actors).compactMap { $0.hasPrefix("user/") ? Int($0.dropFirst(5)) : nil })
        return Dictionary(uniqueKeysWithValues: users.values.map { ("user/\($0.id)", "\($0.displayName) (\($0.username))") })
    }

    /// Every user, or those of one role (a case page lists verifiers, not every enterprise user).
    public static func list(_ sql: any SQLDatabase, role: Role? = nil) async throws -> [User] {
        if let role { return try await users(sql, "SELECT * FROM users WHERE role = \(bind: role.rawValue) ORDER BY id") }
        return try await users(sql, "SELECT * FROM users ORDER BY id")
    }

    public static func setPassword(_ sql: any SQLDatabase, userID: Int, passwordHash: String, actor: String, at: String) async throws {
        try await sql.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: userID)").run()
        // A changed password ends every session and every API token of the user.
        try await endAccess(sql, userID: userID, at: at)
        try await Events.append(sql, type: .userPasswordChanged, subject: "user/\(userID)", actor: actor, at: at, payload: NoDetails())
    }

    // MARK: Sessions (in the database so several app servers share them)

    struct SessionColumns: Decodable {
        var csrfToken: String
    }

    public static func createSession(_ sql: any SQLDatabase, tokenHash: String, userID: Int, csrf: String, at: String, expiresAt: String) async throws {
        try await sql.raw("""
            INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
            VALUES (\(bind: tokenHash), \(bind: userID), \(bind: csrf), \(bind: at), \(bind: expiresAt))
            """).run()
        try await Events.append(sql, type: .userSignedIn, subject: "user/\(userID)", actor: "user/\(userID)", at: at, payload: NoDetails())
    }

    public static func session(_ sql: any SQLDatabase, tokenHash: String, now: String) async throws -> (User, csrf: String)? {
        guard let r = try await sql.row("""
            SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: tokenHash) AND s.expires_at > \(bind: now) AND u.disabled = 0
            """, as: Pair<SessionColumns, Identified<UserRow>>.self) else { return nil }
        return (user(r.second), r.first.csrfToken)
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
        public var expiresAt: String?
        public var lastUsedAt: String?
        public var revokedAt: String?
    }

    struct TokenRow: Encodable {
        var userId: Int
        var name: String
        var tokenHash: String
        var createdAt: String
        var expiresAt: String
    }

    public static func createToken(_ sql: any SQLDatabase, userID: Int, name: String, tokenHash: String, now: String, expiresAt: String) async throws -> APIToken {
        let id = try await sql.insertRow(into: "api_tokens", TokenRow(userId: userID, name: name, tokenHash: tokenHash, createdAt: now, expiresAt: expiresAt))
        try await Events.append(sql, type: .userTokenCreated, subject: "user/\(userID)", actor: "user/\(userID)", at: now, payload: TokenEvent(tokenID: id))
        return APIToken(id: id, name: name, createdAt: now, expiresAt: expiresAt, lastUsedAt: nil, revokedAt: nil)
    }

    public static func tokens(_ sql: any SQLDatabase, userID: Int) async throws -> [APIToken] {
        try await sql.rows("SELECT * FROM api_tokens WHERE user_id = \(bind: userID) ORDER BY id", as: APIToken.self)
    }

    public static func revokeToken(_ sql: any SQLDatabase, userID: Int, tokenID: Int, at: String) async throws {
        let row = try await sql.raw("""
            UPDATE api_tokens SET revoked_at = \(bind: at)
            WHERE id = \(bind: tokenID) AND user_id = \(bind: userID) AND revoked_at IS NULL RETURNING id
            """).first()
        guard row != nil else {
            throw DomainError(.token.notFound)
        }
        try await Events.append(sql, type: .userTokenRevoked, subject: "user/\(userID)", actor: "user/\(userID)", at: at, payload: TokenEvent(tokenID: tokenID))
    }

    struct TokenExpiry: Decodable {
        var tokenExpires: String?
    }

    /// The user of an unrevoked, unexpired token. Tokens from before expiry existed carry none and are refused
    /// once `legacyExpiry` (their creation plus the token lifetime) has passed.
    public static func userForToken(_ sql: any SQLDatabase, tokenHash: String, now: String) async throws -> User? {
        guard let r = try await sql.row("""
            SELECT u.*, t.expires_at AS token_expires FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: tokenHash) AND t.revoked_at IS NULL AND u.disabled = 0
            """, as: Pair<TokenExpiry, Identified<UserRow>>.self) else { return nil }
        guard let expires = r.first.tokenExpires, expires > now else { return nil }
        return user(r.second)
    }

    /// Gives tokens made before expiry existed an end: their creation plus `days`.
    public static func dateLegacyTokens(_ sql: any SQLDatabase, days: Int, now: Date) async throws {
        for r in try await sql.rows("SELECT id, created_at FROM api_tokens WHERE expires_at IS NULL", as: Identified<Created>.self) {
            let created = Timestamp.date(r.columns.createdAt) ?? now
            try await sql.raw("UPDATE api_tokens SET expires_at = \(bind: Timestamp.string(created.addingTimeInterval(Double(days) * 86400))) WHERE id = \(bind: r.id)").run()
        }
    }

    /// Takes the user's row lock until the transaction ends (an update that changes nothing, on both databases), so
    /// a count-then-insert for one user runs one at a time.
    public static func lockForUpdate(_ sql: any SQLDatabase, id: Int) async throws {
        try await sql.raw("UPDATE users SET id = id WHERE id = \(bind: id)").run()
    }

    // MARK: Sign-in throttling

    /// Records one failed attempt up front for every key, unless one of them still has to wait: then nothing is
    /// recorded and the longest wait (seconds) is returned. Runs inside a write transaction; on PostgreSQL the rows
    /// are locked so concurrent attempts count one after another. Also returns when each key may next be tried.
    public static func takeSignInAttempt(_ sql: any SQLDatabase, keys: [(String, SignInThrottle)], now: Int64, lock: Bool) async throws -> (wait: Int, nextAt: [String: Int64]) {
        var states: [String: SignInThrottle.State] = [:]
        for (key, _) in keys {
            try await sql.raw("""
                INSERT INTO login_throttle (key, failures, window_start, next_at) VALUES (\(bind: key), 0, \(bind: now), \(bind: now))
                ON CONFLICT (key) DO NOTHING
                """).run()
            states[key] = try await sql.row("SELECT * FROM login_throttle WHERE key = \(bind: key)\(unsafeRaw: lock ? " FOR UPDATE" : "")",
                                            as: SignInThrottle.State.self) ?? SignInThrottle.State(failures: 0, windowStart: now, nextAt: now)
        }
        let wait = keys.map { $0.1.wait(states[$0.0]!, now: now) }.max() ?? 0
        guard wait == 0 else { return (wait, states.mapValues(\.nextAt)) }
        var next: [String: Int64] = [:]
        for (key, rule) in keys {
            let s = rule.failed(states[key]!, now: now)
            try await saveThrottle(sql, key, s)
            next[key] = s.nextAt
        }
        return (0, next)
    }

    /// Takes back the failure counted up front for an attempt that succeeded; `forget` keys start afresh.
    public static func signInSucceeded(_ sql: any SQLDatabase, keys: [(String, SignInThrottle)], forget: Set<String>) async throws {
        for (key, rule) in keys {
            if forget.contains(key) {
                try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run()
                continue
            }
            guard let s = try await sql.row("SELECT * FROM login_throttle WHERE key = \(bind: key)", as: SignInThrottle.State.self) else { continue }
            try await saveThrottle(sql, key, rule.succeeded(s))
        }
    }

    static func saveThrottle(_ sql: any SQLDatabase, _ key: String, _ s: SignInThrottle.State) async throws {
        try await sql.raw("""
            UPDATE login_throttle SET failures = \(bind: s.failures), window_start = \(bind: s.windowStart), next_at = \(bind: s.nextAt)
            WHERE key = \(bind: key)
            """).run()
    }

    /// Forgets throttling rows older than a day (the sweep calls this).
    public static func purgeThrottle(_ sql: any SQLDatabase, before: Int64) async throws {
        try await sql.raw("DELETE FROM login_throttle WHERE next_at < \(bind: before) AND window_start < \(bind: before)").run()
    }

    // MARK: Accounts: disabling and password resets

    /// Ends every session and revokes every API token of a user.
    static func endAccess(_ sql: any SQLDatabase, userID: Int, at: String) async throws {
        try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
        try await sql.raw("UPDATE api_tokens SET revoked_at = \(bind: at) WHERE user_id = \(bind: userID) AND revoked_at IS NULL").run()
    }

    public static func setDisabled(_ sql: any SQLDatabase, userID: Int, disabled: Bool, actor: String, at: String) async throws {
        let row = try await sql.raw("UPDATE users SET disabled = \(bind: disabled ? 1 : 0) WHERE id = \(bind: userID) RETURNING id").first()
        guard row != nil else { throw DomainError(.user.notFound) }
        if disabled {
            try await endAccess(sql, userID: userID, at: at)
            try await MailStore.abandon(sql, userID: userID, keep: nil, reason: "account disabled", at: at)
        }
        try await Events.append(sql, type: disabled ? .userDisabled : .userEnabled, subject: "user/\(userID)", actor: actor, at: at, payload: NoDetails())
    }

    /// The users of an enterprise, its administrators first.
    public static func enterpriseUsers(_ sql: any SQLDatabase, uscc: String) async throws -> [User] {
        try await users(sql, "SELECT * FROM users WHERE role = 'enterprise' AND enterprise_uscc = \(bind: uscc) ORDER BY enterprise_admin DESC, id")
    }

    /// Enabled accounts a forgotten-password request may mean: by username, or by confirmed address (a few at most).
    public static func byLogin(_ sql: any SQLDatabase, _ login: String) async throws -> [User] {
        try await users(sql, "SELECT * FROM users WHERE disabled = 0 AND (username = \(bind: login.lowercased()) OR email = \(bind: login)) ORDER BY id LIMIT 5")
    }

    /// Reset links made for a user since a moment.
    public static func resetsSince(_ sql: any SQLDatabase, userID: Int, since: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM password_resets WHERE user_id = \(bind: userID) AND created_at >= \(bind: since)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// A one-time link to set a password. `confirmsEmail`: the address the link is mailed to, which becomes the
    /// user's confirmed address when the link is used (opening it proves the address is theirs).
    public static func createPasswordReset(_ sql: any SQLDatabase, tokenHash: String, userID: Int, by adminID: Int, now: String, expiresAt: String,
                                           confirmsEmail: String? = nil, event: EventType = .userPasswordResetIssued) async throws {
        guard try await get(sql, id: userID) != nil else { throw DomainError(.user.notFound) }
        // One link at a time: an earlier unused one stops working. A link the user asked for by mail leaves the others
        // standing, so that a stranger who knows the username cannot cancel the one the user is about to open.
        if event != .userPasswordResetRequested {
            try await sql.raw("UPDATE password_resets SET used_at = \(bind: now) WHERE user_id = \(bind: userID) AND used_at IS NULL").run()
        }
        try await sql.raw("""
            INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, confirms_email)
            VALUES (\(bind: tokenHash), \(bind: userID), \(bind: adminID), \(bind: now), \(bind: expiresAt), \(bind: confirmsEmail))
            """).run()
        try await Events.append(sql, type: event, subject: "user/\(userID)", actor: "user/\(adminID)", at: now, payload: NoDetails())
    }

    /// The user a reset link belongs to, if it is unused and unexpired; `consume` marks it used.
    public static func passwordReset(_ sql: any SQLDatabase, tokenHash: String, now: String, consume: Bool) async throws -> User? {
        guard let u = try await users(sql, """
            SELECT u.* FROM password_resets p JOIN users u ON u.id = p.user_id
            WHERE p.token_hash = \(bind: tokenHash) AND p.used_at IS NULL AND p.expires_at > \(bind: now) AND u.disabled = 0
            """).first else { return nil }
        if consume {
            guard let used = try await sql.raw("""
                UPDATE password_resets SET used_at = \(bind: now) WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL RETURNING confirms_email
                """).first() else { return nil }
            if let address = try used.decode(column: "confirms_email", as: String?.self) {
                try await sql.raw("UPDATE users SET email = \(bind: address) WHERE id = \(bind: u.id)").run()
            }
        }
        return u
    }
}
