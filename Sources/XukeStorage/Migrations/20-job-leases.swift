extension Migrations {
    /// Which server runs each periodic job: the holder of its lease, renewed while the server lives.
    static let v20JobLeases = Migration(version: 20, name: "job_leases", statements: [
        """
        CREATE TABLE job_leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at {bigint} NOT NULL,
            taken_at TEXT NOT NULL
        )
        """,
    ])
}
