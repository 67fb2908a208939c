extension Migrations {
    static let v7DutiesAndLeads = Migration(version: 7, name: "duties_and_leads", statements: [
        // Public self-declarations (product standards applied, quality commitment); every version kept.
        """
        CREATE TABLE declarations (
            id {id},
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            kind TEXT NOT NULL,
            version {bigint} NOT NULL,
            body TEXT NOT NULL,
            published_at TEXT NOT NULL,
            published_by TEXT NOT NULL,
            UNIQUE (uscc, kind, version)
        )
        """,
        // Quality-safety accidents; due_at is the occurrence plus the reporting window in force when reported.
        """
        CREATE TABLE accident_reports (
            id {id},
            number TEXT NOT NULL UNIQUE,
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            authority TEXT NOT NULL,
            product TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            due_at TEXT NOT NULL,
            description TEXT NOT NULL,
            injuries {bigint} NOT NULL,
            deaths {bigint} NOT NULL,
            measures TEXT NOT NULL,
            reported_by TEXT NOT NULL
        )
        """,
        "CREATE INDEX accident_reports_authority ON accident_reports (authority, id)",
        """
        CREATE TABLE recalls (
            id {id},
            number TEXT NOT NULL UNIQUE,
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            authority TEXT NOT NULL,
            product TEXT NOT NULL,
            batches TEXT NOT NULL,
            defect TEXT NOT NULL,
            quantity {bigint} NOT NULL,
            decided_on TEXT NOT NULL,
            reported_on TEXT NOT NULL,
            due_on TEXT NOT NULL,
            state TEXT NOT NULL,
            recovered {bigint} NOT NULL,
            summary TEXT NOT NULL,
            reported_by TEXT NOT NULL,
            closed_at TEXT
        )
        """,
        "CREATE INDEX recalls_authority ON recalls (authority, id)",
        """
        CREATE TABLE recall_updates (
            recall_id {bigint} NOT NULL REFERENCES recalls (id),
            position {bigint} NOT NULL,
            at TEXT NOT NULL,
            recovered {bigint} NOT NULL,
            note TEXT NOT NULL,
            added_by TEXT NOT NULL,
            PRIMARY KEY (recall_id, position)
        )
        """,
        // The yearly self-inspection report, one per enterprise and year, due by 30 June of the next year.
        """
        CREATE TABLE self_reports (
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            year {bigint} NOT NULL,
            authority TEXT NOT NULL,
            due_on TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            body TEXT NOT NULL,
            submitted_by TEXT NOT NULL,
            PRIMARY KEY (uscc, year)
        )
        """,
        // Reminders sent, so the sweep sends each one once.
        """
        CREATE TABLE duty_reminders (
            uscc TEXT NOT NULL,
            duty TEXT NOT NULL,
            period TEXT NOT NULL,
            stage TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (uscc, duty, period, stage)
        )
        """,
        // Problem leads: complaints and reports from the public (the reporter keeps a tracking code, stored
        // only as its hash), failed spot checks and accident reports. Officers open flying inspections from them.
        """
        CREATE TABLE leads (
            id {id},
            number TEXT NOT NULL UNIQUE,
            tracking_hash TEXT UNIQUE,
            source TEXT NOT NULL,
            authority TEXT NOT NULL,
            uscc TEXT,
            subject TEXT NOT NULL,
            product TEXT NOT NULL,
            description TEXT NOT NULL,
            contact TEXT NOT NULL,
            cause TEXT,
            state TEXT NOT NULL,
            inspection_id {bigint} REFERENCES inspections (id),
            reply TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT,
            closed_by TEXT
        )
        """,
        "CREATE INDEX leads_authority ON leads (authority, state, id)",
    ])
}
