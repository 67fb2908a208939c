public import SQLKit
public import XukeDomain
import Foundation

public struct InspectorRecord: Sendable, Codable, Equatable {
    public var userID: Int
    public var code: String
    public var name: String
    public var county: String
    /// Categories the inspector is qualified for; empty means any.
    public var qualified: [String]
    /// Teams the inspector may join in one draw.
    public var capacity: Int
    public var active: Bool
    public var updatedAt: String

    public init(userID: Int, code: String, name: String, county: String, qualified: [String], capacity: Int, active: Bool, updatedAt: String) {
        self.userID = userID
        self.code = code
        self.name = name
        self.county = county
        self.qualified = qualified
        self.capacity = capacity
        self.active = active
        self.updatedAt = updatedAt
    }

    /// The roster id of a user: stable, and free of personal data.
    public static func code(userID: Int) -> String { String(format: "INS-%06d", userID) }
}

/// Inspectors on the roster of a supervising authority.
public enum InspectorStore {

    static func inspector(_ r: any SQLRow) throws -> InspectorRecord {
        InspectorRecord(
            userID: try r.decode(column: "user_id", as: Int.self), code: try r.decode(column: "code", as: String.self),
            name: try r.decode(column: "display_name", as: String.self), county: try r.decode(column: "county", as: String.self),
            qualified: try JSONDecoder().decode([String].self, from: Data(try r.decode(column: "qualified", as: String.self).utf8)),
            capacity: try r.decode(column: "capacity", as: Int.self), active: try r.decode(column: "active", as: Int.self) == 1,
            updatedAt: try r.decode(column: "updated_at", as: String.self))
    }

    static let inspectorQuery: SQLQueryString = "SELECT i.*, u.display_name FROM inspectors i JOIN users u ON u.id = i.user_id"

    /// Inspectors whose county lies under `prefix` ("" for all).
    public static func inspectors(_ sql: any SQLDatabase, countyPrefix prefix: String, activeOnly: Bool = false) async throws -> [InspectorRecord] {
        try await sql.raw(inspectorQuery + """
             WHERE i.county LIKE \(bind: prefix + "%") \(unsafeRaw: activeOnly ? "AND i.active = 1 AND u.disabled = 0" : "") ORDER BY i.code
            """).all().map(inspector)
    }

    public static func inspector(_ sql: any SQLDatabase, userID: Int) async throws -> InspectorRecord? {
        try await sql.raw(inspectorQuery + " WHERE i.user_id = \(bind: userID)").first().map(inspector)
    }

    public static func inspectors(_ sql: any SQLDatabase, codes: [String]) async throws -> [InspectorRecord] {
        guard !codes.isEmpty else { return [] }
        // One read of the whole register (thousands of rows at most) rather than a query per code.
        let wanted = Set(codes)
        return try await inspectors(sql, countyPrefix: "").filter { wanted.contains($0.code) }
    }

    public static func saveInspector(_ sql: any SQLDatabase, _ i: InspectorRecord) async throws {
        let qualified = String(decoding: try JSONEncoder().encode(i.qualified), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO inspectors (user_id, code, county, qualified, capacity, active, updated_at)
            VALUES (\(bind: i.userID), \(bind: i.code), \(bind: i.county), \(bind: qualified), \(bind: i.capacity), \(bind: i.active ? 1 : 0), \(bind: i.updatedAt))
            ON CONFLICT (user_id) DO UPDATE SET county = excluded.county, qualified = excluded.qualified, capacity = excluded.capacity,
                active = excluded.active, updated_at = excluded.updated_at
            """).run()
    }

}
