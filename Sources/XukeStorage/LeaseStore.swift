public import SQLKit

/// Leases on periodic jobs: when several servers share one database, each job runs on the one server that holds
/// its lease, and another takes it over once the holder stops renewing it.
public enum LeaseStore {
    public struct Lease: Sendable, Codable, Equatable {
        public var name: String
        public var holder: String
        /// Unix seconds.
        public var expiresAt: Int64
        public var takenAt: String
    }

    /// Takes `name` for `holder`, or renews it, until `until` (Unix seconds): true when `holder` has it now, false
    /// when another holder's lease has not yet run out at `now`.
    public static func take(_ sql: any SQLDatabase, name: String, holder: String, now: Int64, until: Int64, at: String) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO job_leases (name, holder, expires_at, taken_at) VALUES (\(bind: name), \(bind: holder), \(bind: until), \(bind: at))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                taken_at = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.taken_at ELSE excluded.taken_at END
            WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < \(bind: now)
            RETURNING holder
            """).first() != nil
    }

    /// Gives the lease up (a server shutting down), so another may take it at once.
    public static func release(_ sql: any SQLDatabase, name: String, holder: String) async throws {
        try await sql.raw("DELETE FROM job_leases WHERE name = \(bind: name) AND holder = \(bind: holder)").run()
    }

    public static func leases(_ sql: any SQLDatabase) async throws -> [Lease] {
        try await sql.rows("SELECT * FROM job_leases ORDER BY name", as: Lease.self)
    }
}
