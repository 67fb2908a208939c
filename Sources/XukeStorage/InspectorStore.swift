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

/// An inspectors row (`RowCoding`): qualified categories as JSON text, active as 0 or 1. The name is the user's.
struct InspectorRow: Codable {
    var userId: Int
    var code: String
    var county: String
    var qualified: String
    var capacity: Int
    var active: Int
    var updatedAt: String

    init(_ i: InspectorRecord) throws {
        userId = i.userID; code = i.code; county = i.county; qualified = String(decoding: try JSONEncoder().encode(i.qualified), as: UTF8.self)
        capacity = i.capacity; active = i.active ? 1 : 0; updatedAt = i.updatedAt
    }

    func record(name: String) throws -> InspectorRecord {
        InspectorRecord(userID: userId, code: code, name: name, county: county,
                        qualified: try JSONDecoder().decode([String].self, from: Data(qualified.utf8)), capacity: capacity,
                        active: active == 1, updatedAt: updatedAt)
    }
}

/// Inspectors on the roster of a supervising authority.
public enum InspectorStore {

    static func inspector(_ r: any SQLRow) throws -> InspectorRecord {
        try r.decode(model: InspectorRow.self, with: RowCoding.decoder).record(name: try r.decode(column: "display_name", as: String.self))
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

    /// Adds an inspector to the roster, or changes the entry already there (their code stays).
    public static func saveInspector(_ sql: any SQLDatabase, _ i: InspectorRecord) async throws {
        try await sql.insert(into: "inspectors").model(InspectorRow(i), with: RowCoding.encoder)
            .onConflict(with: "user_id") { update in
                ["county", "qualified", "capacity", "active", "updated_at"].reduce(update) { $0.set(excludedValueOf: $1) }
            }
            .run()
    }

}
