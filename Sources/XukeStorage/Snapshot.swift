public import Foundation
import SQLKit

extension Database {
    /// A consistent copy of a SQLite database in a new file, taken while the server runs (`VACUUM INTO`).
    public func copySQLite(to path: String) async throws {
        precondition(kind == .sqlite)
        try await read { try await $0.raw("VACUUM INTO \(bind: path)").run() }
    }

    /// True once the platform's tables exist here (a restore writes only into a database without them).
    public func holdsSchema() async throws -> Bool {
        let table: SQLQueryString = kind == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            : "SELECT to_regclass('public.schema_migrations')::text AS name"
        let row = try await read { try await $0.raw(table).first() }
        return try row?.decode(column: "name", as: String?.self) != nil
    }
}
