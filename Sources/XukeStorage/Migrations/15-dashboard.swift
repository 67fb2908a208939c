extension Migrations {
    static let v15Dashboard = Migration(version: 15, name: "dashboard", statements: [
        // The dashboard's figures, folded from the events table: counts by metric, period and three dimensions,
        // and the feed position up to which events have been folded.
        """
        CREATE TABLE dashboard_facts (
            metric TEXT NOT NULL,
            period TEXT NOT NULL,
            d1 TEXT NOT NULL,
            d2 TEXT NOT NULL,
            d3 TEXT NOT NULL,
            n {bigint} NOT NULL,
            PRIMARY KEY (metric, period, d1, d2, d3)
        )
        """,
        "CREATE TABLE dashboard_state (id {bigint} PRIMARY KEY, position TEXT NOT NULL)",
        "INSERT INTO dashboard_state (id, position) VALUES (1, '0-0')",
    ])
}
