extension Migrations {
    static let v8Labs = Migration(version: 8, name: "labs", statements: [
        // The testing-lab registry. A lab's code is made from its id, so a withdrawn lab's code is never reused.
        """
        CREATE TABLE labs (
            id {id},
            code TEXT UNIQUE,
            name TEXT NOT NULL,
            uscc TEXT NOT NULL,
            cma_number TEXT NOT NULL UNIQUE,
            grade {bigint} NOT NULL,
            division_code TEXT NOT NULL REFERENCES divisions (code),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE lab_periods (
            lab_id {bigint} NOT NULL REFERENCES labs (id),
            since TEXT NOT NULL,
            until TEXT,
            status TEXT NOT NULL,
            note TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (lab_id, since)
        )
        """,
        """
        CREATE TABLE lab_scopes (
            id {id},
            lab_id {bigint} NOT NULL REFERENCES labs (id),
            unit_no TEXT NOT NULL,
            standard TEXT NOT NULL,
            from_on TEXT NOT NULL,
            until TEXT
        )
        """,
        "CREATE INDEX lab_scopes_lab ON lab_scopes (lab_id)",
        // Users who act for a lab: they upload its reports.
        """
        CREATE TABLE lab_members (
            user_id {bigint} PRIMARY KEY REFERENCES users (id),
            lab_id {bigint} NOT NULL REFERENCES labs (id)
        )
        """,
        // A test report as its lab filed it; an application names it by lab and report number.
        """
        CREATE TABLE test_reports (
            id {id},
            lab_id {bigint} NOT NULL REFERENCES labs (id),
            report_no TEXT NOT NULL,
            uscc TEXT NOT NULL,
            units TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            conclusion TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            filed_by TEXT NOT NULL,
            filed_at TEXT NOT NULL,
            UNIQUE (lab_id, report_no)
        )
        """,
    ])
}
