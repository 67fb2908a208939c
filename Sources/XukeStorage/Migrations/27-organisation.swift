extension Migrations {
    /// Organising an authority's officers: a case's named handler and the history of its assignments, officers' ranks,
    /// each authority's own settings (time limits, simplified renewal, the sign-off chain), and the signatures of
    /// each decision's chain.
    static let v27Organisation = Migration(version: 27, name: "organisation", statements: [
        "ALTER TABLE applications ADD COLUMN handler_id {bigint} REFERENCES users (id)",
        "CREATE INDEX applications_handler ON applications (handler_id, is_open)",
        """
        CREATE TABLE case_assignments (
            id {id},
            application_id {bigint} NOT NULL REFERENCES applications (id),
            handler_id {bigint} NOT NULL REFERENCES users (id),
            assigned_by {bigint} NOT NULL REFERENCES users (id),
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX case_assignments_application ON case_assignments (application_id, id)",
        "ALTER TABLE users ADD COLUMN officer_rank TEXT",
        """
        CREATE TABLE authority_settings (
            authority TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by {bigint} REFERENCES users (id)
        )
        """,
        """
        CREATE TABLE signoffs (
            id {id},
            application_id {bigint} NOT NULL REFERENCES applications (id),
            round {bigint} NOT NULL,
            step {bigint} NOT NULL,
            rank TEXT NOT NULL,
            decision TEXT NOT NULL,
            reasons TEXT NOT NULL,
            user_id {bigint} NOT NULL REFERENCES users (id),
            outcome TEXT NOT NULL,
            note TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (application_id, round, step)
        )
        """,
    ])
}
