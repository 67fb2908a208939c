extension Migrations {
    static let v16Hardening = Migration(version: 16, name: "hardening", statements: [
        // Sign-in failures per key (account from an address, address, account), with the moment (Unix seconds)
        // before which no further attempt is checked.
        """
        CREATE TABLE login_throttle (
            key TEXT PRIMARY KEY,
            failures {bigint} NOT NULL,
            window_start {bigint} NOT NULL,
            next_at {bigint} NOT NULL
        )
        """,
        // Tokens made before this migration expire counted from their creation.
        "ALTER TABLE api_tokens ADD COLUMN expires_at TEXT",
        """
        CREATE TABLE password_resets (
            token_hash TEXT PRIMARY KEY,
            user_id {bigint} NOT NULL REFERENCES users (id),
            created_by {bigint} NOT NULL REFERENCES users (id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """,
        // Who may use an upload: everyone who uploaded those bytes, each on their own.
        """
        CREATE TABLE upload_owners (
            sha256 TEXT NOT NULL REFERENCES uploads (sha256),
            user_id {bigint} NOT NULL REFERENCES users (id),
            created_at TEXT NOT NULL,
            PRIMARY KEY (sha256, user_id)
        )
        """,
        "INSERT INTO upload_owners (sha256, user_id, created_at) SELECT sha256, uploaded_by, created_at FROM uploads",
        // A beacon value stands once a second officer confirms it; the secret must then be revealed by a deadline.
        "ALTER TABLE spot_plans ADD COLUMN beacon_proposed_value TEXT",
        "ALTER TABLE spot_plans ADD COLUMN beacon_proposed_by TEXT",
        "ALTER TABLE spot_plans ADD COLUMN beacon_proposed_at TEXT",
        "ALTER TABLE spot_plans ADD COLUMN beacon_confirmed_by TEXT",
        "ALTER TABLE spot_plans ADD COLUMN reveal_due TEXT",
        "ALTER TABLE spot_plans ADD COLUMN forfeited_at TEXT",
    ])
}
