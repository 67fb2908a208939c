public import SQLKit
public import Foundation

/// The database side of the blob store: named files as lists of content-addressed chunks.
public enum BlobRows {
    public struct Entry: Sendable, Codable, Equatable {
        public var name: String
        public var sha256: String
        public var size: Int
    }

    struct Row: Codable {
        var name: String
        var sha256: String
        var size: Int
        var chunks: String
        var createdAt: String
    }

    /// Stores a chunk unless a chunk with its digest is already there.
    public static func putChunk(_ sql: any SQLDatabase, sha256: String, data: Data) async throws {
        try await sql.raw("""
            INSERT INTO blob_chunks (sha256, data) VALUES (\(bind: sha256), \(bind: data)) ON CONFLICT (sha256) DO NOTHING
            """).run()
    }

    /// Names a file made of `chunks` (which must all be stored), replacing what the name held.
    public static func name(_ sql: any SQLDatabase, _ name: String, sha256: String, size: Int, chunks: [String], at: String) async throws {
        let list = String(decoding: try JSONEncoder().encode(chunks), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO blobs (name, sha256, size, chunks, created_at) VALUES (\(bind: name), \(bind: sha256), \(bind: size), \(bind: list), \(bind: at))
            ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, chunks = excluded.chunks, created_at = excluded.created_at
            """).run()
    }

    public static func entry(_ sql: any SQLDatabase, name: String) async throws -> (entry: Entry, chunks: [String])? {
        guard let row = try await sql.row("SELECT * FROM blobs WHERE name = \(bind: name)", as: Row.self) else { return nil }
        guard let chunks = try? JSONDecoder().decode([String].self, from: Data(row.chunks.utf8)) else { throw StorageError.corruptRow("blobs.chunks") }
        return (Entry(name: row.name, sha256: row.sha256, size: row.size), chunks)
    }

    public static func chunk(_ sql: any SQLDatabase, sha256: String) async throws -> Data? {
        try await sql.raw("SELECT data FROM blob_chunks WHERE sha256 = \(bind: sha256)").first()?.decode(column: "data", as: Data.self)
    }

    /// Every named file, in name order, a page at a time.
    public static func entries(_ sql: any SQLDatabase, after: String, limit: Int) async throws -> [Entry] {
        try await sql.rows("SELECT name, sha256, size FROM blobs WHERE name > \(bind: after) ORDER BY name LIMIT \(bind: limit)", as: Entry.self)
    }
}
