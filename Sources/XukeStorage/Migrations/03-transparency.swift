extension Migrations {
    static let v3Transparency = Migration(version: 3, name: "transparency", statements: [
        // Public keys only; the private halves live in files under the keys directory.
        """
        CREATE TABLE signing_keys (
            kid TEXT PRIMARY KEY,
            authority TEXT NOT NULL,
            public_key TEXT NOT NULL,
            created_at TEXT NOT NULL,
            retired_at TEXT
        )
        """,
        "CREATE UNIQUE INDEX signing_keys_active ON signing_keys (authority) WHERE retired_at IS NULL",
        """
        CREATE TABLE credentials (
            id {id},
            license_id {bigint} NOT NULL REFERENCES licenses (id),
            version {bigint} NOT NULL,
            list TEXT NOT NULL,
            idx {bigint} NOT NULL,
            status {bigint} NOT NULL,
            kid TEXT NOT NULL REFERENCES signing_keys (kid),
            jws TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            UNIQUE (license_id, version),
            UNIQUE (list, idx)
        )
        """,
        "CREATE INDEX credentials_list_status ON credentials (list, status)",
        // One row: the log's size. Appenders update it first, which queues them one behind another.
        "CREATE TABLE log_head (id {bigint} PRIMARY KEY, size {bigint} NOT NULL)",
        "INSERT INTO log_head (id, size) VALUES (1, 0)",
        """
        CREATE TABLE log_entries (
            idx {bigint} PRIMARY KEY,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            entry {blob} NOT NULL,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX log_entries_subject ON log_entries (subject, idx)",
        // Every complete subtree's hash, at its position in append order (Merkle.Node.storageIndex).
        "CREATE TABLE log_hashes (id {bigint} PRIMARY KEY, hash {blob} NOT NULL)",
        "CREATE TABLE log_checkpoints (size {bigint} PRIMARY KEY, note TEXT NOT NULL, at TEXT NOT NULL)",
    ])
}
