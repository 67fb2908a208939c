extension Migrations {
    /// Requests per client and minute, summed over the servers that share the database.
    static let v21RateCounts = Migration(version: 21, name: "rate_counts", statements: [
        """
        CREATE TABLE rate_counts (
            client TEXT NOT NULL,
            minute {bigint} NOT NULL,
            n {bigint} NOT NULL,
            PRIMARY KEY (client, minute)
        )
        """,
        "CREATE INDEX rate_counts_minute ON rate_counts (minute)",
    ])
}
