extension Migrations {
    static let v9Credit = Migration(version: 9, name: "credit", statements: [
        // Entries on the abnormal-operation (经营异常名录) and serious-violation (严重违法失信名单) lists (docs/DOMAIN.md §10).
        """
        CREATE TABLE credit_entries (
            id {id},
            number TEXT NOT NULL UNIQUE,
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            list TEXT NOT NULL,
            cause TEXT NOT NULL,
            note TEXT NOT NULL,
            authority TEXT NOT NULL,
            listed_on TEXT NOT NULL,
            earliest_removal TEXT NOT NULL,
            ends_on TEXT,
            removed_on TEXT,
            removal TEXT NOT NULL,
            moved_from {bigint},
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX credit_entries_uscc ON credit_entries (uscc, list)",
        """
        CREATE TABLE credit_repairs (
            id {id},
            entry_id {bigint} NOT NULL REFERENCES credit_entries (id),
            statement TEXT NOT NULL,
            state TEXT NOT NULL,
            filed_by TEXT NOT NULL,
            filed_at TEXT NOT NULL,
            decided_by TEXT,
            decided_at TEXT,
            decision TEXT NOT NULL
        )
        """,
        "CREATE INDEX credit_repairs_entry ON credit_repairs (entry_id)",
        // Life bans of institutions and persons who lost credit.
        """
        CREATE TABLE bans (
            id {id},
            number TEXT NOT NULL UNIQUE,
            subject_kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            name TEXT NOT NULL,
            cause TEXT NOT NULL,
            authority TEXT NOT NULL,
            since TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (subject_kind, subject)
        )
        """,
    ])
}
