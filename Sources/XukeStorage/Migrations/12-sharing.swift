extension Migrations {
    static let v12Sharing = Migration(version: 12, name: "sharing", statements: [
        // The writing transaction of each event, so the change feed can read in commit-safe order (FeedCursor).
        "ALTER TABLE events ADD COLUMN tx {bigint} NOT NULL DEFAULT {xact}",
        "CREATE INDEX events_feed ON events (tx, id)",
        """
        CREATE TABLE agency_clients (
            user_id {bigint} PRIMARY KEY REFERENCES users (id),
            agency TEXT NOT NULL,
            sector TEXT NOT NULL,
            scopes TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE webhooks (
            id {id},
            client_id {bigint} NOT NULL REFERENCES agency_clients (user_id),
            url TEXT NOT NULL,
            secret TEXT NOT NULL,
            scopes TEXT NOT NULL,
            position TEXT NOT NULL,
            active {bigint} NOT NULL,
            failures {bigint} NOT NULL,
            next_attempt_at TEXT NOT NULL,
            lease_until TEXT,
            last_error TEXT,
            last_delivered_at TEXT,
            disabled_reason TEXT,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX webhooks_client ON webhooks (client_id)",
        """
        CREATE TABLE webhook_dead_letters (
            id {id},
            webhook_id {bigint} NOT NULL REFERENCES webhooks (id),
            from_position TEXT NOT NULL,
            to_position TEXT NOT NULL,
            events {bigint} NOT NULL,
            body TEXT NOT NULL,
            attempts {bigint} NOT NULL,
            last_error TEXT NOT NULL,
            created_at TEXT NOT NULL,
            redelivered_at TEXT
        )
        """,
        "CREATE INDEX webhook_dead_letters_hook ON webhook_dead_letters (webhook_id, id)",
        """
        CREATE TABLE bulk_dumps (
            day TEXT NOT NULL,
            dataset TEXT NOT NULL,
            format TEXT NOT NULL,
            rows {bigint} NOT NULL,
            bytes {bigint} NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (day, dataset, format)
        )
        """,
    ])
}
