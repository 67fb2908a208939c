public import SQLKit
public import XukeDomain

/// The outbox the mail worker empties, and the links that confirm a user's address. A message is written in the
/// transaction of what it tells, so it is never lost; it leaves `sent`, or `dead` after its last attempt (an
/// administrator can put it back).
public enum MailStore {
    public struct Outgoing: Sendable, Codable, Equatable {
        public var id: Int
        public var toAddress: String
        public var subject: String
        public var body: String
        public var attempts: Int
    }

    public struct DeadLetter: Sendable, Codable, Equatable {
        public var id: Int
        public var toAddress: String
        public var subject: String
        public var createdAt: String
        public var attempts: Int
        public var lastError: String?
        public var deadAt: String?
    }

    public struct Counts: Sendable, Codable, Equatable {
        /// Waiting for their first or next attempt.
        public var pending: Int
        /// Of those, how many have failed at least once.
        public var retrying: Int
        public var dead: Int
        public var sentSince: Int
    }

    struct NewMail: Encodable {
        var userId: Int?
        var notificationId: Int?
        var toAddress: String
        var subject: String
        var body: String
        var createdAt: String
        var attempts = 0
        var nextAttemptAt: String
    }

    public static func enqueue(_ sql: any SQLDatabase, userID: Int?, notificationID: Int? = nil, to: String, subject: String, body: String,
                               at: String) async throws {
        _ = try await sql.insertRow(into: "mail_outbox", NewMail(userId: userID, notificationId: notificationID, toAddress: to,
                                                                subject: subject, body: body, createdAt: at, nextAttemptAt: at))
    }

    /// What is due now, oldest first.
    public static func due(_ sql: any SQLDatabase, now: String, limit: Int) async throws -> [Outgoing] {
        try await sql.rows("""
            SELECT id, to_address, subject, body, attempts FROM mail_outbox
            WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= \(bind: now) ORDER BY next_attempt_at, id LIMIT \(bind: limit)
            """, as: Outgoing.self)
    }

    public static func sent(_ sql: any SQLDatabase, id: Int, attempts: Int, at: String) async throws {
        try await sql.raw("UPDATE mail_outbox SET sent_at = \(bind: at), attempts = \(bind: attempts), last_error = NULL WHERE id = \(bind: id)").run()
    }

    /// The server could not be used at all (unreachable, TLS or sign-in refused): the message is tried again at
    /// `retryAt` without counting an attempt, so an outage of any length kills nothing.
    public static func postponed(_ sql: any SQLDatabase, id: Int, error: String, retryAt: String) async throws {
        try await sql.raw("UPDATE mail_outbox SET last_error = \(bind: error), next_attempt_at = \(bind: retryAt) WHERE id = \(bind: id)").run()
    }

    /// Gives up a user's unsent mail to any address but `keep`: the address was removed or replaced, or the user
    /// was disabled (`keep` nil).
    public static func abandon(_ sql: any SQLDatabase, userID: Int, keep: String?, reason: String, at: String) async throws {
        let other: SQLQueryString = keep.map { " AND to_address <> \(bind: $0)" } ?? ""
        try await sql.raw("""
            UPDATE mail_outbox SET dead_at = \(bind: at), last_error = \(bind: reason)
            WHERE user_id = \(bind: userID) AND sent_at IS NULL AND dead_at IS NULL
            """ + other).run()
    }

    /// A failed attempt: tried again at `retryAt`, or dead when that is nil.
    public static func failed(_ sql: any SQLDatabase, id: Int, attempts: Int, error: String, retryAt: String?, at: String) async throws {
        if let retryAt {
            try await sql.raw("""
                UPDATE mail_outbox SET attempts = \(bind: attempts), last_error = \(bind: error), next_attempt_at = \(bind: retryAt) WHERE id = \(bind: id)
                """).run()
        } else {
            try await sql.raw("""
                UPDATE mail_outbox SET attempts = \(bind: attempts), last_error = \(bind: error), dead_at = \(bind: at) WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Puts a dead message back in the queue with its attempts counted afresh.
    public static func retry(_ sql: any SQLDatabase, id: Int, actor: String, at: String) async throws {
        let row = try await sql.raw("SELECT dead_at FROM mail_outbox WHERE id = \(bind: id)").first()
        guard let row else { throw DomainError(.mail.notFound) }
        guard try row.decode(column: "dead_at", as: String?.self) != nil else { throw DomainError(.mail.notDead) }
        try await sql.raw("UPDATE mail_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = \(bind: at) WHERE id = \(bind: id)").run()
        try await Events.append(sql, type: .mailRetried, subject: "mail/\(id)", actor: actor, at: at, payload: NoDetails())
    }

    public static func counts(_ sql: any SQLDatabase, sentSince: String) async throws -> Counts {
        let row = try await sql.raw("""
            SELECT
              (SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND dead_at IS NULL) AS pending,
              (SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND dead_at IS NULL AND attempts > 0) AS retrying,
              (SELECT COUNT(*) FROM mail_outbox WHERE dead_at IS NOT NULL) AS dead,
              (SELECT COUNT(*) FROM mail_outbox WHERE sent_at >= \(bind: sentSince)) AS sent_since
            """).first(decoding: Counts.self, keyDecodingStrategy: RowCoding.decoding)
        guard let row else { throw StorageError.corruptRow("mail_outbox counts") }
        return row
    }

    /// Dead letters, newest first.
    public static func dead(_ sql: any SQLDatabase, limit: Int) async throws -> [DeadLetter] {
        try await sql.rows("""
            SELECT id, to_address, subject, created_at, attempts, last_error, dead_at FROM mail_outbox
            WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, id DESC LIMIT \(bind: limit)
            """, as: DeadLetter.self)
    }

    // MARK: Confirming an address

    /// Links asked for since `since` by this user, and for this address by anyone: the page limits both, so neither
    /// one account nor many can mail a stranger's inbox more than a few times a day.
    public static func confirmationsAsked(_ sql: any SQLDatabase, userID: Int, address: String, since: String) async throws -> (byUser: Int, toAddress: Int) {
        struct Counts: Decodable { var byUser: Int; var toAddress: Int }
        let row = try await sql.row("""
            SELECT (SELECT COUNT(*) FROM email_confirmations WHERE user_id = \(bind: userID) AND created_at >= \(bind: since)) AS by_user,
                   (SELECT COUNT(*) FROM email_confirmations WHERE address = \(bind: address) AND created_at >= \(bind: since)) AS to_address
            """, as: Counts.self)
        return (row?.byUser ?? 0, row?.toAddress ?? 0)
    }

    /// Records a link for `address` and queues the mail that carries it, in one transaction; earlier unused links stop working.
    public static func askConfirmation(_ sql: any SQLDatabase, tokenHash: String, userID: Int, address: String, now: String, expiresAt: String,
                                       subject: String, body: String) async throws {
        try await sql.raw("UPDATE email_confirmations SET used_at = \(bind: now) WHERE user_id = \(bind: userID) AND used_at IS NULL").run()
        try await sql.raw("""
            INSERT INTO email_confirmations (token_hash, user_id, address, created_at, expires_at)
            VALUES (\(bind: tokenHash), \(bind: userID), \(bind: address), \(bind: now), \(bind: expiresAt))
            """).run()
        try await enqueue(sql, userID: userID, to: address, subject: subject, body: body, at: now)
        try await Events.append(sql, type: .userEmailConfirmationSent, subject: "user/\(userID)", actor: "user/\(userID)", at: now, payload: NoDetails())
    }

    public struct Pending: Sendable, Codable, Equatable {
        public var address: String
        public var expiresAt: String
        public init(address: String, expiresAt: String) { (self.address, self.expiresAt) = (address, expiresAt) }
    }

    /// The address waiting for confirmation, if its link is still usable.
    public static func pending(_ sql: any SQLDatabase, userID: Int, now: String) async throws -> Pending? {
        try await sql.row("""
            SELECT address, expires_at FROM email_confirmations
            WHERE user_id = \(bind: userID) AND used_at IS NULL AND expires_at > \(bind: now) ORDER BY created_at DESC LIMIT 1
            """, as: Pending.self)
    }

    /// The user and address of a usable link; `consume` uses it up and makes the address the user's.
    public static func confirmation(_ sql: any SQLDatabase, tokenHash: String, now: String, consume: Bool) async throws -> (userID: Int, address: String)? {
        struct Row: Decodable { var userId: Int; var address: String }
        guard let row = try await sql.row("""
            SELECT c.user_id, c.address FROM email_confirmations c JOIN users u ON u.id = c.user_id
            WHERE c.token_hash = \(bind: tokenHash) AND c.used_at IS NULL AND c.expires_at > \(bind: now) AND u.disabled = 0
            """, as: Row.self) else { return nil }
        if consume {
            guard try await sql.raw("""
                UPDATE email_confirmations SET used_at = \(bind: now) WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL RETURNING user_id
                """).first() != nil else { return nil }
            try await sql.raw("UPDATE users SET email = \(bind: row.address) WHERE id = \(bind: row.userId)").run()
            try await abandon(sql, userID: row.userId, keep: row.address, reason: "address replaced", at: now)
            try await Events.append(sql, type: .userEmailConfirmed, subject: "user/\(row.userId)", actor: "user/\(row.userId)", at: now, payload: NoDetails())
        }
        return (row.userId, row.address)
    }

    /// Forgets a user's address and any link still open: no more mail goes out to it.
    public static func removeAddress(_ sql: any SQLDatabase, userID: Int, at: String) async throws {
        try await sql.raw("UPDATE users SET email = NULL WHERE id = \(bind: userID)").run()
        try await abandon(sql, userID: userID, keep: nil, reason: "address removed", at: at)
        try await sql.raw("UPDATE email_confirmations SET used_at = \(bind: at) WHERE user_id = \(bind: userID) AND used_at IS NULL").run()
        try await Events.append(sql, type: .userEmailRemoved, subject: "user/\(userID)", actor: "user/\(userID)", at: at, payload: NoDetails())
    }
}
