extension Migrations {
    static let v6Enforcement = Migration(version: 6, name: "enforcement", statements: [
        // Measures against an enterprise, each linked to its cause (an inspection, a lead, a report).
        """
        CREATE TABLE enforcement_actions (
            id {id},
            number TEXT NOT NULL UNIQUE,
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            authority TEXT NOT NULL,
            kind TEXT NOT NULL,
            cause TEXT NOT NULL,
            state TEXT NOT NULL,
            due_on TEXT,
            note TEXT NOT NULL,
            outcome TEXT NOT NULL,
            license_id {bigint} REFERENCES licenses (id),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        )
        """,
        "CREATE INDEX enforcement_uscc ON enforcement_actions (uscc, id)",
        "CREATE INDEX enforcement_authority ON enforcement_actions (authority, state)",
    ])
}
