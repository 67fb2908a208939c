extension Migrations {
    static let v2Licensing = Migration(version: 2, name: "licensing", statements: [
        "ALTER TABLE users ADD COLUMN email TEXT",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE TABLE counters (name TEXT PRIMARY KEY, last {bigint} NOT NULL)",
        // A province's choice of prefecture or county bureaus for a category, where the edition allows it.
        """
        CREATE TABLE delegations (
            province TEXT NOT NULL,
            category_no TEXT NOT NULL,
            division_code TEXT NOT NULL REFERENCES divisions (code),
            PRIMARY KEY (province, category_no, division_code)
        )
        """,
        // Official product codes for license numbers ("13-006"), where known.
        "CREATE TABLE product_codes (unit_no TEXT PRIMARY KEY, code TEXT NOT NULL)",
        // Credit facts that bar the commitment route; the credit issue manages them.
        """
        CREATE TABLE credit_flags (
            id {id},
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            kind TEXT NOT NULL,
            since TEXT NOT NULL,
            until TEXT,
            note TEXT NOT NULL
        )
        """,
        "CREATE INDEX credit_flags_uscc ON credit_flags (uscc)",
        // Results of provincial-or-higher spot checks, recorded as facts (they spare a renewal test).
        """
        CREATE TABLE spot_check_results (
            id {id},
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            unit_no TEXT NOT NULL,
            level TEXT NOT NULL,
            passed {bigint} NOT NULL,
            checked_on TEXT NOT NULL,
            reference TEXT NOT NULL
        )
        """,
        "CREATE INDEX spot_check_results_uscc ON spot_check_results (uscc, checked_on)",
        """
        CREATE TABLE uploads (
            sha256 TEXT PRIMARY KEY,
            media_type TEXT NOT NULL,
            size {bigint} NOT NULL,
            uploaded_by {bigint} NOT NULL REFERENCES users (id),
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE licenses (
            id {id},
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            number TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            version {bigint} NOT NULL,
            authority TEXT NOT NULL,
            first_issued_on TEXT NOT NULL,
            decided_on TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            name TEXT NOT NULL,
            domicile TEXT NOT NULL,
            addresses TEXT NOT NULL,
            units TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        // 一企一证: one license in force per enterprise; an ended one stays on record under its own number.
        "CREATE UNIQUE INDEX licenses_one_live ON licenses (uscc) WHERE status IN ('valid', 'suspended')",
        "CREATE INDEX licenses_uscc ON licenses (uscc, id)",
        "CREATE INDEX licenses_authority ON licenses (authority, status)",
        "CREATE INDEX licenses_valid_until ON licenses (status, valid_until)",
        """
        CREATE TABLE license_versions (
            license_id {bigint} NOT NULL REFERENCES licenses (id),
            version {bigint} NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL,
            application_id {bigint},
            snapshot TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (license_id, version)
        )
        """,
        """
        CREATE TABLE applications (
            id {id},
            number TEXT NOT NULL UNIQUE,
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            kind TEXT NOT NULL,
            route TEXT NOT NULL,
            state TEXT NOT NULL,
            is_open {bigint} NOT NULL,
            version {bigint} NOT NULL,
            changes TEXT NOT NULL,
            units TEXT NOT NULL,
            edition TEXT NOT NULL,
            authority TEXT NOT NULL,
            verification_need TEXT NOT NULL,
            simplified {bigint} NOT NULL,
            corrections {bigint} NOT NULL,
            last_outcome TEXT,
            license_id {bigint} REFERENCES licenses (id),
            form TEXT NOT NULL,
            commitment_text TEXT NOT NULL,
            commitment_sha256 TEXT NOT NULL,
            submitted_on TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            accepted_on TEXT,
            deemed TEXT NOT NULL,
            decided_on TEXT,
            refusal_reasons TEXT,
            issued_on TEXT,
            due_on TEXT,
            -- Working days from submission to the license, for statistics; set on issuance.
            elapsed_days {bigint},
            updated_at TEXT NOT NULL
        )
        """,
        // 一企一证 and no double filing: at most one open case per enterprise, enforced by the database.
        "CREATE UNIQUE INDEX applications_one_open ON applications (uscc) WHERE is_open = 1",
        "CREATE INDEX applications_worklist ON applications (authority, is_open, due_on)",
        "CREATE INDEX applications_state ON applications (state, submitted_on)",
        """
        CREATE TABLE materials (
            application_id {bigint} NOT NULL REFERENCES applications (id),
            position {bigint} NOT NULL,
            kind TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES uploads (sha256),
            filename TEXT NOT NULL,
            lab TEXT,
            report_no TEXT,
            report_date TEXT,
            units TEXT,
            PRIMARY KEY (application_id, position)
        )
        """,
        "CREATE INDEX materials_sha256 ON materials (sha256)",
        """
        CREATE TABLE correction_notices (
            application_id {bigint} NOT NULL PRIMARY KEY REFERENCES applications (id),
            items TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            answered_on TEXT
        )
        """,
        """
        CREATE TABLE clock_stops (
            id {id},
            application_id {bigint} NOT NULL REFERENCES applications (id),
            reason TEXT NOT NULL,
            from_date TEXT NOT NULL,
            until_date TEXT,
            note TEXT NOT NULL
        )
        """,
        "CREATE INDEX clock_stops_application ON clock_stops (application_id)",
        """
        CREATE TABLE verifications (
            id {id},
            application_id {bigint} REFERENCES applications (id),
            license_id {bigint} REFERENCES licenses (id),
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            authority TEXT NOT NULL,
            assigned_on TEXT,
            due_on TEXT NOT NULL,
            rectify_by TEXT,
            outcome TEXT,
            concluded_on TEXT,
            summary TEXT NOT NULL
        )
        """,
        "CREATE INDEX verifications_application ON verifications (application_id)",
        "CREATE INDEX verifications_due ON verifications (state, due_on)",
        """
        CREATE TABLE verification_members (
            verification_id {bigint} NOT NULL REFERENCES verifications (id),
            user_id {bigint} NOT NULL REFERENCES users (id),
            PRIMARY KEY (verification_id, user_id)
        )
        """,
        "CREATE INDEX verification_members_user ON verification_members (user_id)",
        """
        CREATE TABLE findings (
            verification_id {bigint} NOT NULL REFERENCES verifications (id),
            item TEXT NOT NULL,
            result TEXT NOT NULL,
            note TEXT NOT NULL,
            recorded_by {bigint} NOT NULL REFERENCES users (id),
            at TEXT NOT NULL,
            PRIMARY KEY (verification_id, item)
        )
        """,
        """
        CREATE TABLE notifications (
            id {id},
            user_id {bigint} NOT NULL REFERENCES users (id),
            event_id {bigint} NOT NULL REFERENCES events (id),
            subject TEXT NOT NULL,
            created_at TEXT NOT NULL,
            read_at TEXT
        )
        """,
        "CREATE INDEX notifications_user ON notifications (user_id, id)",
        """
        CREATE TABLE mail_queue (
            id {id},
            notification_id {bigint} NOT NULL REFERENCES notifications (id),
            to_address TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            attempts {bigint} NOT NULL
        )
        """,
        "CREATE INDEX mail_queue_pending ON mail_queue (sent_at, id)",
    ])
}
