extension Migrations {
    /// Mail that leaves: an outbox with attempts, the next try and a dead-letter state, and the links that confirm
    /// an address. No address could be set before, so none was ever confirmed: whatever the old queue and
    /// `users.email` hold is dropped rather than sent.
    static let v22Mail = Migration(version: 22, name: "mail", statements: [
        """
        CREATE TABLE mail_outbox (
            id {id},
            user_id {bigint} REFERENCES users (id),
            notification_id {bigint} REFERENCES notifications (id),
            to_address TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts {bigint} NOT NULL,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            sent_at TEXT,
            dead_at TEXT
        )
        """,
        "CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE sent_at IS NULL AND dead_at IS NULL",
        "CREATE INDEX mail_outbox_dead ON mail_outbox (dead_at, id) WHERE dead_at IS NOT NULL",
        "DROP TABLE mail_queue",
        "UPDATE users SET email = NULL",
        """
        CREATE TABLE email_confirmations (
            token_hash TEXT PRIMARY KEY,
            user_id {bigint} NOT NULL REFERENCES users (id),
            address TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """,
        "CREATE INDEX email_confirmations_user ON email_confirmations (user_id, created_at)",
    ])
}
