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

extension Database {
    /// How far the read replica is behind the primary: WAL bytes not yet replayed, and the seconds since the last
    /// transaction it replayed (zero when it has replayed everything, so an idle primary shows no lag). Nil without
    /// a replica.
    public func replicaLag() async throws -> (seconds: Double, bytes: Int)? {
        guard let replica else { return nil }
        struct Replayed: Decodable { var lsn: String?; var seconds: Double? }
        let replayed = try await replica.read { sql in
            try await sql.raw("""
                SELECT pg_last_wal_replay_lsn()::text AS lsn,
                       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS seconds
                """).first(decoding: Replayed.self)
        }
        guard let lsn = replayed?.lsn else { throw StorageError.corruptRow("the read replica is not replaying (is it a standby?)") }
        let bytes = try await read { sql in
            try await sql.raw("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), \(bind: lsn)::pg_lsn)::bigint AS n").first()?.decode(column: "n", as: Int.self)
        } ?? 0
        return (bytes > 0 ? max(0, replayed?.seconds ?? 0) : 0, max(0, bytes))
    }
}
