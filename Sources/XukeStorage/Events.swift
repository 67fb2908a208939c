public import SQLKit
public import XukeDomain
import XukeTrust
public import Foundation

/// The spine of the platform: every state change appends one event in the same transaction as the change.
public struct Event: Sendable, Equatable, Encodable {
    public var id: Int
    public var type: String
    public var subject: String
    public var actor: String
    public var at: String
    public var jurisdiction: String?
    /// The stored JSON text of the payload.
    public var payload: String

    enum CodingKeys: String, CodingKey { case id, type, subject, actor, at, jurisdiction, payload }

    /// Written out, the payload is the JSON object it is, not a string holding it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(subject, forKey: .subject)
        try c.encode(actor, forKey: .actor)
        try c.encode(at, forKey: .at)
        try c.encode(jurisdiction, forKey: .jurisdiction)
        if let object = try? JSONValue.parse(Array(payload.utf8)) { try c.encode(object, forKey: .payload) } else { try c.encode(payload, forKey: .payload) }
    }
}

public enum Events {
    /// Appends an event inside the caller's transaction and returns its id. The payload must be of the type's
    /// payload type (`EventType.payloadType`); it is stored as snake_case JSON with sorted keys.
    @discardableResult
    public static func append<Payload: EventPayload>(_ sql: any SQLDatabase, type event: EventType, subject: String, actor: String,
                                                     jurisdiction: String? = nil, at: String, payload: Payload) async throws -> Int {
        guard Payload.self == event.payloadType else {
            throw StorageError.corruptRow("events: \(event.rawValue) carries \(event.payloadType), not \(Payload.self)")
        }
        // The change feed writes these three into JSON without escaping them (SharingStore.feed).
        let type = event.rawValue
        guard plain(type), plain(at), jurisdiction.map(plain) ?? true else { throw StorageError.corruptRow("events: type, time or jurisdiction needs escaping") }
        let json = String(decoding: try payloadEncoder.encode(payload), as: UTF8.self)
        let row = try await sql.raw("""
            INSERT INTO events (type, subject, actor, at, jurisdiction, payload)
            VALUES (\(bind: type), \(bind: subject), \(bind: actor), \(bind: at), \(bind: jurisdiction), \(bind: json))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { throw StorageError.corruptRow("events.id") }
        return id
    }

    /// Appends many events of one type at once (an import), a few hundred rows a statement.
    public static func appendMany<Payload: EventPayload>(_ sql: any SQLDatabase, type event: EventType, actor: String, at: String,
                                                         _ events: [(subject: String, jurisdiction: String?, payload: Payload)]) async throws {
        guard Payload.self == event.payloadType else {
            throw StorageError.corruptRow("events: \(event.rawValue) carries \(event.payloadType), not \(Payload.self)")
        }
        guard plain(event.rawValue), plain(at), events.allSatisfy({ $0.jurisdiction.map(plain) ?? true }) else {
            throw StorageError.corruptRow("events: type, time or jurisdiction needs escaping")
        }
        try await sql.insertRows(into: "events", try events.map {
            EventRow(type: event.rawValue, subject: $0.subject, actor: actor, at: at, jurisdiction: $0.jurisdiction,
                     payload: String(decoding: try payloadEncoder.encode($0.payload), as: UTF8.self))
        })
    }

    struct EventRow: Encodable {
        var type: String
        var subject: String
        var actor: String
        var at: String
        var jurisdiction: String?
        var payload: String
    }

    /// The one JSON convention of event payloads: snake_case keys, sorted.
    public static let payloadEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    /// Reads payloads of either convention: events stored before migration 18 had camelCase keys. Snake_case keys
    /// become the Swift names, acronyms included (`user_id` → `userID`), which `.convertFromSnakeCase` would miss.
    public static let payloadDecoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .custom { path in PayloadKey(swiftName(path.last!.stringValue)) }
        return d
    }()

    static let acronyms: [Substring: String] = ["id": "ID", "uscc": "USCC", "sha256": "SHA256"]

    static func swiftName(_ key: String) -> String {
        guard key.contains("_") else { return key }
        let words = key.split(separator: "_")
        guard let first = words.first else { return key }
        return String(first) + words.dropFirst().map { acronyms[$0] ?? $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    struct PayloadKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A stored payload read as its type and written in the one convention; nil when it does not read as that type.
    public static func normalized<Payload: EventPayload>(_ stored: String, as type: Payload.Type) -> String? {
        guard let value = try? payloadDecoder.decode(Payload.self, from: Data(stored.utf8)),
              let data = try? payloadEncoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Printable ASCII without quotes or backslashes: text that is the same inside a JSON string.
    static func plain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    }

    public static func list(_ sql: any SQLDatabase, subject: String? = nil, after: Int = 0, limit: Int = 100) async throws -> [Event] {
        if let subject {
            return try await sql.rows("""
                SELECT * FROM events WHERE subject = \(bind: subject) AND id > \(bind: after) ORDER BY id LIMIT \(bind: limit)
                """, as: Event.self)
        }
        return try await sql.rows("SELECT * FROM events WHERE id > \(bind: after) ORDER BY id LIMIT \(bind: limit)", as: Event.self)
    }
}

/// Read from an events row, where the payload is its stored text.
extension Event: Decodable {}
