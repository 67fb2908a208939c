extension Migrations {
    /// Mail that leaves: an outbox with attempts, the next try and a dead-letter state (the old queue had none and
    /// no address could be set, so it is copied over and dropped), and the links that confirm an address.
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
        """
        INSERT INTO mail_outbox (user_id, notification_id, to_address, subject, body, created_at, attempts, next_attempt_at)
        SELECT n.user_id, q.notification_id, q.to_address, q.subject, q.body, q.created_at, 0, q.created_at
        FROM mail_queue q JOIN notifications n ON n.id = q.notification_id WHERE q.sent_at IS NULL ORDER BY q.id
        """,
        "DROP TABLE mail_queue",
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
