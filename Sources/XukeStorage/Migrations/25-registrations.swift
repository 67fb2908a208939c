extension Migrations {
    /// Enterprises signing themselves up: a registration waits for its e-mail address to be confirmed, then for an
    /// officer of the enterprise's area (or the automatic match with the register) to link the account to the
    /// enterprise. The first account of an enterprise administers its other users. A password-reset link can also
    /// confirm the address it was mailed to (a user an enterprise administrator added).
    static let v25Registrations = Migration(version: 25, name: "registrations", statements: [
        """
        CREATE TABLE registrations (
            id {id},
            uscc TEXT NOT NULL,
            enterprise_name TEXT NOT NULL,
            legal_representative TEXT NOT NULL,
            username TEXT NOT NULL,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            email TEXT NOT NULL,
            licence_sha256 TEXT NOT NULL,
            licence_type TEXT NOT NULL,
            area TEXT NOT NULL,
            state TEXT NOT NULL,
            token_hash TEXT UNIQUE,
            token_expires_at TEXT NOT NULL,
            decided_by {bigint} REFERENCES users (id),
            decision_note TEXT NOT NULL,
            user_id {bigint} REFERENCES users (id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX registrations_state ON registrations (state, area, id)",
        "CREATE INDEX registrations_email ON registrations (email, created_at)",
        // A username is held by an open registration as by an account.
        "CREATE UNIQUE INDEX registrations_open_username ON registrations (username) WHERE state IN ('email_pending', 'waiting')",
        "ALTER TABLE users ADD COLUMN enterprise_admin {bigint} NOT NULL DEFAULT 0",
        "ALTER TABLE password_resets ADD COLUMN confirms_email TEXT",
    ])
}
