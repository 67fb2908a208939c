public import SQLKit
import XukeDomain

/// The in-app inbox and the outbound mail queue. Both are filled from events, in the event's transaction.
public enum Notifications {
    /// What a user is told: the subject in the inbox and the mail's subject, and the mail's body.
    public struct Notice: Sendable {
        public var subject: String
        public var body: String
        public init(subject: String, body: String) { (self.subject, self.body) = (subject, body) }
    }

    public struct Item: Sendable, Codable, Equatable {
        public var id: Int
        public var eventID: Int
        public var subject: String
        public var createdAt: String
        public var readAt: String?
    }

    /// Delivers a case event to the enterprise's users, the officers of the handling authority and
    /// the case's verifiers, except the person who acted.
    public static func deliver(_ sql: any SQLDatabase, eventID: Int, caseID: Int?, uscc: String, authority: String,
                               notice: Notice, except actor: Int?, at: String) async throws {
        let officers: SQLQueryString
        if let jurisdiction = Recipients.caseOfficers(authority: authority) {
            officers = "(role = 'officer' AND jurisdiction = \(bind: jurisdiction))"
        } else {
            officers = "(role = 'officer' AND jurisdiction IS NULL)"
        }
        var q: SQLQueryString = "SELECT id, email FROM users WHERE disabled = 0 AND ((role = 'enterprise' AND enterprise_uscc = \(bind: uscc)) OR "
        q = q + officers
        if let caseID {
            q = q + " OR id IN (SELECT m.user_id FROM verification_members m JOIN verifications v ON v.id = m.verification_id WHERE v.application_id = \(bind: caseID))"
        }
        q = q + ")"
        try await send(sql, recipients: q, eventID: eventID, notice: notice, except: actor, at: at)
    }

    /// Delivers a duty's event (an accident, a recall, a reminder) to the enterprise's users and, when `division`
    /// is given, to the officers over that county: its own, its city's, its province's and the national ones.
    public static func deliver(_ sql: any SQLDatabase, eventID: Int, uscc: String, officersOver division: String?,
                               notice: Notice, except actor: Int?, at: String) async throws {
        var q: SQLQueryString = "SELECT id, email FROM users WHERE disabled = 0 AND ((role = 'enterprise' AND enterprise_uscc = \(bind: uscc))"
        if let division {
            let levels = Recipients.jurisdictionsOver(division: division).map { SQLQueryString("\(bind: $0)") }.joined(separator: ", ")
            q = q + " OR (role = 'officer' AND (jurisdiction IS NULL OR jurisdiction IN (" + levels + ")))"
        }
        try await send(sql, recipients: q + ")", eventID: eventID, notice: notice, except: actor, at: at)
    }

    /// Delivers an institution's event to its own users and to the provincial and national officers over it.
    public static func deliver(_ sql: any SQLDatabase, eventID: Int, users: [Int], officersOfProvince province: String,
                               notice: Notice, except actor: Int?, at: String) async throws {
        let members: SQLQueryString = users.isEmpty ? "0 = 1" : "id IN (\(integerList(users)))"
        let q: SQLQueryString = "SELECT id, email FROM users WHERE disabled = 0 AND (" + members
            + " OR (role = 'officer' AND (jurisdiction IS NULL OR jurisdiction = \(bind: province))))"
        try await send(sql, recipients: q, eventID: eventID, notice: notice, except: actor, at: at)
    }

    static func send(_ sql: any SQLDatabase, recipients: SQLQueryString, eventID: Int, notice: Notice, except actor: Int?, at: String) async throws {
        for row in try await sql.raw(recipients).all() {
            let userID = try row.decode(column: "id", as: Int.self)
            if userID == actor { continue }
            let n = try await sql.raw("""
                INSERT INTO notifications (user_id, event_id, subject, created_at) VALUES (\(bind: userID), \(bind: eventID), \(bind: notice.subject), \(bind: at))
                RETURNING id
                """).first()
            if let email = try row.decode(column: "email", as: String?.self), !email.isEmpty, let id = try n?.decode(column: "id", as: Int.self) {
                try await MailStore.enqueue(sql, userID: userID, notificationID: id, to: email, subject: notice.subject, body: notice.body, at: at)
            }
        }
    }

    struct ItemRow: Decodable {
        var eventId: Int
        var subject: String
        var createdAt: String
        var readAt: String?
    }

    /// Newest first; `before` an id, for the next page.
    public static func inbox(_ sql: any SQLDatabase, userID: Int, limit: Int = 50, before: Int? = nil) async throws -> [Item] {
        let older: SQLQueryString = before.map { " AND id < \(bind: $0)" } ?? ""
        return try await sql.rows("SELECT * FROM notifications WHERE user_id = \(bind: userID)" + older + " ORDER BY id DESC LIMIT \(bind: limit)",
                                  as: Identified<ItemRow>.self).map {
            Item(id: $0.id, eventID: $0.columns.eventId, subject: $0.columns.subject, createdAt: $0.columns.createdAt, readAt: $0.columns.readAt)
        }
    }

    public static func markRead(_ sql: any SQLDatabase, userID: Int, id: Int, at: String) async throws {
        try await sql.raw("UPDATE notifications SET read_at = \(bind: at) WHERE id = \(bind: id) AND user_id = \(bind: userID) AND read_at IS NULL").run()
    }
}
