public import SQLKit
public import XukeDomain
import Foundation

/// The spine of the platform: every state change appends one event in the same transaction as the change.
public struct Event: Sendable, Codable, Equatable {
    public var id: Int
    public var type: String
    public var subject: String
    public var actor: String
    public var at: String
    public var jurisdiction: String?
    public var payload: String
}

public enum Events {
    /// Appends an event inside the caller's transaction and returns its id. `payload` is stored as JSON with sorted keys.
    @discardableResult
    public static func append(_ sql: any SQLDatabase, type event: EventType, subject: String, actor: String,
                              jurisdiction: String? = nil, at: String,
                              payload: some Encodable & Sendable) async throws -> Int {
        // The change feed writes these three into JSON without escaping them (SharingStore.feed).
        let type = event.rawValue
        guard plain(type), plain(at), jurisdiction.map(plain) ?? true else { throw StorageError.corruptRow("events: type, time or jurisdiction needs escaping") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        let row = try await sql.raw("""
            INSERT INTO events (type, subject, actor, at, jurisdiction, payload)
            VALUES (\(bind: type), \(bind: subject), \(bind: actor), \(bind: at), \(bind: jurisdiction), \(bind: json))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { throw StorageError.corruptRow("events.id") }
        return id
    }

    /// Printable ASCII without quotes or backslashes: text that is the same inside a JSON string.
    static func plain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    }

    public static func list(_ sql: any SQLDatabase, subject: String? = nil, after: Int = 0, limit: Int = 100) async throws -> [Event] {
        let rows: [any SQLRow]
        if let subject {
            rows = try await sql.raw("""
                SELECT * FROM events WHERE subject = \(bind: subject) AND id > \(bind: after) ORDER BY id LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await sql.raw("SELECT * FROM events WHERE id > \(bind: after) ORDER BY id LIMIT \(bind: limit)").all()
        }
        return try rows.map { r in
            Event(id: try r.decode(column: "id", as: Int.self),
                  type: try r.decode(column: "type", as: String.self),
                  subject: try r.decode(column: "subject", as: String.self),
                  actor: try r.decode(column: "actor", as: String.self),
                  at: try r.decode(column: "at", as: String.self),
                  jurisdiction: try r.decode(column: "jurisdiction", as: String?.self),
                  payload: try r.decode(column: "payload", as: String.self))
        }
    }
}
