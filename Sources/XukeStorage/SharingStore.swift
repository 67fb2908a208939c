public import SQLKit
public import XukeDomain
import Foundation

/// Another agency's system: a user of role `agency` with the scopes of data it may read.
public struct AgencyClient: Sendable, Codable, Equatable {
    public var userId: Int
    public var username: String
    public var displayName: String
    public var agency: String
    public var sector: AgencySector
    public var scopes: String
    public var disabled: Bool
    public var createdBy: String
    public var createdAt: String

    public var scopeSet: Set<ShareScope> { (try? ShareScope.parseList(scopes)) ?? [] }
}

/// One event as the change feed hands it out: its position and its JSON object, which the database writes (a page of
/// ten thousand events is on the hot path, and the payload is stored as JSON already).
public struct FeedEvent: Sendable, Equatable {
    public var tx: Int64
    public var id: Int64
    public var json: String

    public var position: FeedCursor { FeedCursor(tx: tx, id: id) }

    /// The position written near the start of a feed object: `{"id":N,"position":"TX-ID",…`.
    static func position(in json: String) -> FeedCursor? {
        var tx: Int64 = 0, id: Int64 = 0, quotes = 0, inTx = true
        for u in json.utf8 {
            if u == 0x22 {
                quotes += 1
                if quotes == 6 { return FeedCursor(tx: tx, id: id) }
            } else if quotes == 5 {
                if u == 0x2D { inTx = false; continue }
                guard u >= 0x30 && u <= 0x39 else { return nil }
                if inTx { tx = tx * 10 + Int64(u - 0x30) } else { id = id * 10 + Int64(u - 0x30) }
            }
        }
        return nil
    }
}

public struct Webhook: Sendable, Codable, Equatable {
    public var id: Int
    public var clientId: Int
    public var url: String
    public var scopes: String
    /// The feed position up to which every event has been delivered (or parked as a dead letter).
    public var position: String
    public var active: Bool
    public var failures: Int
    public var nextAttemptAt: String
    public var lastError: String?
    public var lastDeliveredAt: String?
    public var disabledReason: String?
    public var createdAt: String
}

public struct DeadLetter: Sendable, Codable, Equatable {
    public var id: Int
    public var webhookId: Int
    public var fromPosition: String
    public var toPosition: String
    public var events: Int
    public var attempts: Int
    public var lastError: String
    public var createdAt: String
    public var redeliveredAt: String?
}

public enum SharingStore {
    // MARK: Agency clients

    public static func insertClient(_ sql: any SQLDatabase, userID: Int, agency: String, sector: AgencySector, scopes: Set<ShareScope>,
                                    by: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO agency_clients (user_id, agency, sector, scopes, created_by, created_at)
            VALUES (\(bind: userID), \(bind: agency), \(bind: sector.rawValue), \(bind: ShareScope.text(scopes)), \(bind: by), \(bind: at))
            """).run()
    }

    static let clientColumns: SQLQueryString = """
        SELECT c.user_id, u.username, u.display_name, c.agency, c.sector, c.scopes, (u.disabled <> 0) AS disabled, c.created_by, c.created_at
        FROM agency_clients c JOIN users u ON u.id = c.user_id
        """

    public static func clients(_ sql: any SQLDatabase) async throws -> [AgencyClient] {
        try await sql.rows(clientColumns + " ORDER BY c.user_id", as: AgencyClient.self)
    }

    public static func client(_ sql: any SQLDatabase, userID: Int) async throws -> AgencyClient? {
        try await sql.row(clientColumns + " WHERE c.user_id = \(bind: userID)", as: AgencyClient.self)
    }

    public static func setScopes(_ sql: any SQLDatabase, userID: Int, _ scopes: Set<ShareScope>) async throws -> Bool {
        try await sql.raw("UPDATE agency_clients SET scopes = \(bind: ShareScope.text(scopes)) WHERE user_id = \(bind: userID) RETURNING user_id").first() != nil
    }

    // MARK: Change feed

    /// Events after `after` whose type falls in `scopes`, in feed order. On PostgreSQL only events of transactions
    /// older than every transaction still running are returned: anything not yet visible then lands after them.
    /// Any write transaction still running anywhere on the PostgreSQL server holds the horizon back, so an event
    /// reaches the feed once every transaction that began before its own has ended: a lag, never a gap.
    public static func feed(_ sql: any SQLDatabase, after: FeedCursor, scopes: Set<ShareScope>, limit: Int) async throws -> [FeedEvent] {
        let horizon = horizon(sql)
        var typeFilter: [SQLQueryString] = []
        for prefix in scopes.sorted().flatMap(\.eventPrefixes) {
            // Every prefix ends in "."; the types that start with it sort from it up to the same text ending in "/".
            // That range test is a third cheaper than substr() in SQLite, whose byte order makes it exact; on
            // PostgreSQL a collation may order punctuation otherwise, so there the prefix is compared.
            typeFilter.append(sql.dialect.name == "postgresql" ? "substr(type, 1, \(unsafeRaw: String(prefix.utf8.count))) = \(bind: prefix)"
                              : "(type >= \(bind: prefix) AND type < \(bind: String(prefix.dropLast()) + "/"))")
        }
        guard !typeFilter.isEmpty else { return [] }
        let quote: (String) -> SQLQueryString = { column in
            sql.dialect.name == "postgresql" ? "to_json(\(unsafeRaw: column))::text" : "json_quote(\(unsafeRaw: column))"
        }
        // Type, time and jurisdiction are plain ASCII (Events.append checks), so only the subject is quoted: each
        // function call per row costs as much as the index search.
        let object: SQLQueryString = """
            '{"id":' || id || ',"position":"' || tx || '-' || id || '","type":"' || type || '","subject":' || \(quote("subject"))
            || ',"at":"' || at || '","jurisdiction":' || COALESCE('"' || jurisdiction || '"', 'null') || ',"payload":' || payload || '}'
            """
        let rows = try await sql.raw("""
            SELECT \(object) AS json FROM events
            WHERE \(past(after, sql)) AND tx < \(horizon) AND (\(typeFilter.joined(separator: " OR ")))
            ORDER BY tx, id LIMIT \(bind: limit)
            """).all()
        // One column per row: the position is read back from the object's start, which costs less than decoding two more.
        return try rows.map { r in
            let json = try r.decode(column: "json", as: String.self)
            guard let position = FeedEvent.position(in: json) else { throw StorageError.corruptRow("events feed object") }
            return FeedEvent(tx: position.tx, id: position.id, json: json)
        }
    }

    /// Past a cursor. SQLite searches its index by the first column of a row-value comparison only, which would scan
    /// every earlier event; there `tx` is always 0, so the cursor's id alone is the search key.
    static func past(_ cursor: FeedCursor, _ sql: any SQLDatabase) -> SQLQueryString {
        sql.dialect.name == "postgresql" ? "(tx, id) > (\(bind: cursor.tx), \(bind: cursor.id))"
            : "tx = \(bind: cursor.tx) AND id > \(bind: cursor.id)"
    }

    static func horizon(_ sql: any SQLDatabase) -> SQLQueryString {
        sql.dialect.name == "postgresql" ? "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)" : "\(unsafeRaw: String(Int64.max))"
    }

    /// Committed events the feed holds back for now, waiting on older transactions still running.
    public static func heldBack(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT count(*) AS n FROM events WHERE tx >= \(horizon(sql))").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: Webhooks

    public static func insertWebhook(_ sql: any SQLDatabase, clientID: Int, url: String, secret: String, scopes: Set<ShareScope>,
                                     position: FeedCursor, at: String) async throws -> Webhook {
        let row = try await sql.raw("""
            INSERT INTO webhooks (client_id, url, secret, scopes, position, active, failures, next_attempt_at, created_at)
            VALUES (\(bind: clientID), \(bind: url), \(bind: secret), \(bind: ShareScope.text(scopes)), \(bind: position.description), 1, 0, \(bind: at), \(bind: at))
            RETURNING id
            """).first()
        let id = try row.orThrow("webhooks.id").decode(column: "id", as: Int.self)
        return try await webhook(sql, id: id).orThrow("webhooks \(id)")
    }

    static let webhookColumns: SQLQueryString = """
        SELECT id, client_id, url, scopes, position, (active <> 0) AS active, failures, next_attempt_at, last_error, last_delivered_at, disabled_reason, created_at
        FROM webhooks
        """

    public static func webhook(_ sql: any SQLDatabase, id: Int) async throws -> Webhook? {
        try await sql.row(webhookColumns + " WHERE id = \(bind: id)", as: Webhook.self)
    }

    public static func webhooks(_ sql: any SQLDatabase, clientID: Int? = nil) async throws -> [Webhook] {
        if let clientID { return try await sql.rows(webhookColumns + " WHERE client_id = \(bind: clientID) ORDER BY id", as: Webhook.self) }
        return try await sql.rows(webhookColumns + " ORDER BY id", as: Webhook.self)
    }

    public static func secret(_ sql: any SQLDatabase, webhookID: Int) async throws -> String? {
        try await sql.raw("SELECT secret FROM webhooks WHERE id = \(bind: webhookID)").first()?.decode(column: "secret", as: String.self)
    }

    /// What a delivery round needs of a webhook, with the scopes its owner holds today.
    public struct DueWebhook: Sendable, Decodable {
        public var id: Int
        public var url: String
        public var secret: String
        public var scopes: String
        public var clientScopes: String
        public var position: String
        public var failures: Int

        /// The webhook's own scopes, cut down to what its owner may still read.
        public var readable: Set<ShareScope> {
            ((try? ShareScope.parseList(scopes)) ?? []).intersection((try? ShareScope.parseList(clientScopes)) ?? [])
        }
    }

    /// Active webhooks of enabled clients that are due and not being delivered by another server; a plain read, so
    /// an idle round takes no write lock.
    public static func dueWebhooks(_ sql: any SQLDatabase, now: String) async throws -> [DueWebhook] {
        try await sql.rows("""
            SELECT w.id, w.url, w.secret, w.scopes, c.scopes AS client_scopes, w.position, w.failures
            FROM webhooks w JOIN agency_clients c ON c.user_id = w.client_id JOIN users u ON u.id = w.client_id
            WHERE w.active = 1 AND u.disabled = 0 AND w.next_attempt_at <= \(bind: now) AND (w.lease_until IS NULL OR w.lease_until < \(bind: now))
            ORDER BY w.next_attempt_at, w.id
            """, as: DueWebhook.self)
    }

    /// Takes one webhook for delivery until `until`, returning where it stands now (another server may have moved it
    /// since it was read). A server that dies mid-delivery leaves a lease that simply runs out.
    public static func claim(_ sql: any SQLDatabase, webhookID: Int, now: String, until: String) async throws -> (position: String, failures: Int)? {
        guard let r = try await sql.raw("""
            UPDATE webhooks SET lease_until = \(bind: until)
            WHERE id = \(bind: webhookID) AND active = 1 AND next_attempt_at <= \(bind: now) AND (lease_until IS NULL OR lease_until < \(bind: now))
            RETURNING position, failures
            """).first() else { return nil }
        return (try r.decode(column: "position", as: String.self), try r.decode(column: "failures", as: Int.self))
    }

    public static func release(_ sql: any SQLDatabase, webhookID: Int) async throws {
        try await sql.raw("UPDATE webhooks SET lease_until = NULL WHERE id = \(bind: webhookID)").run()
    }

    /// Records a delivered batch. Guarded by the position it started from, so a stale server cannot move it back.
    public static func delivered(_ sql: any SQLDatabase, webhookID: Int, from: String, to: String, at: String) async throws -> Bool {
        try await sql.raw("""
            UPDATE webhooks SET position = \(bind: to), failures = 0, last_error = NULL, last_delivered_at = \(bind: at), next_attempt_at = \(bind: at)
            WHERE id = \(bind: webhookID) AND position = \(bind: from) RETURNING id
            """).first() != nil
    }

    public static func failed(_ sql: any SQLDatabase, webhookID: Int, from: String, failures: Int, error: String, retryAt: String) async throws {
        try await sql.raw("""
            UPDATE webhooks SET failures = \(bind: failures), last_error = \(bind: String(error.prefix(500))), next_attempt_at = \(bind: retryAt), lease_until = NULL
            WHERE id = \(bind: webhookID) AND position = \(bind: from)
            """).run()
    }

    /// Parks a batch that failed every attempt, moves past it and stops the webhook until its owner turns it back on.
    public static func park(_ sql: any SQLDatabase, webhookID: Int, from: String, to: String, events: Int, body: String,
                            attempts: Int, error: String, at: String) async throws -> DeadLetter? {
        guard try await sql.raw("""
            UPDATE webhooks SET position = \(bind: to), failures = 0, active = 0, disabled_reason = 'dead_letter',
                   last_error = \(bind: String(error.prefix(500))), lease_until = NULL
            WHERE id = \(bind: webhookID) AND position = \(bind: from) RETURNING id
            """).first() != nil else { return nil }
        let row = try await sql.raw("""
            INSERT INTO webhook_dead_letters (webhook_id, from_position, to_position, events, body, attempts, last_error, created_at)
            VALUES (\(bind: webhookID), \(bind: from), \(bind: to), \(bind: events), \(bind: body), \(bind: attempts), \(bind: String(error.prefix(500))), \(bind: at))
            RETURNING id
            """).first()
        let id = try row.orThrow("webhook_dead_letters.id").decode(column: "id", as: Int.self)
        return try await deadLetter(sql, id: id)
    }

    public static func setActive(_ sql: any SQLDatabase, webhookID: Int, active: Bool, reason: String?, at: String) async throws {
        try await sql.raw("""
            UPDATE webhooks SET active = \(bind: active ? 1 : 0), disabled_reason = \(bind: reason), failures = 0, next_attempt_at = \(bind: at)
            WHERE id = \(bind: webhookID)
            """).run()
    }

    static let deadLetterColumns: SQLQueryString = """
        SELECT id, webhook_id, from_position, to_position, events, attempts, last_error, created_at, redelivered_at FROM webhook_dead_letters
        """

    public static func deadLetters(_ sql: any SQLDatabase, webhookID: Int) async throws -> [DeadLetter] {
        try await sql.rows(deadLetterColumns + " WHERE webhook_id = \(bind: webhookID) ORDER BY id", as: DeadLetter.self)
    }

    public static func deadLetter(_ sql: any SQLDatabase, id: Int) async throws -> DeadLetter? {
        try await sql.row(deadLetterColumns + " WHERE id = \(bind: id)", as: DeadLetter.self)
    }

    public static func deadLetterBody(_ sql: any SQLDatabase, id: Int) async throws -> String? {
        try await sql.raw("SELECT body FROM webhook_dead_letters WHERE id = \(bind: id)").first()?.decode(column: "body", as: String.self)
    }

    public static func redelivered(_ sql: any SQLDatabase, deadLetterID: Int, at: String) async throws {
        try await sql.raw("UPDATE webhook_dead_letters SET redelivered_at = \(bind: at) WHERE id = \(bind: deadLetterID)").run()
    }
}
