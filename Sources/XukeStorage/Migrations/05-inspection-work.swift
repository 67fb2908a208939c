extension Migrations {
    static let v5InspectionWork = Migration(version: 5, name: "inspection_work", statements: [
        """
        CREATE TABLE inspection_findings (
            inspection_id {bigint} NOT NULL REFERENCES inspections (id),
            position {bigint} NOT NULL,
            item TEXT NOT NULL,
            result TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (inspection_id, position)
        )
        """,
        """
        CREATE TABLE inspection_samples (
            inspection_id {bigint} NOT NULL REFERENCES inspections (id),
            position {bigint} NOT NULL,
            product TEXT NOT NULL,
            batch TEXT NOT NULL,
            quantity TEXT NOT NULL,
            lab TEXT NOT NULL,
            report_no TEXT NOT NULL,
            lab_result TEXT NOT NULL,
            PRIMARY KEY (inspection_id, position)
        )
        """,
        // Evidence files are uploads (stored by SHA-256); this binds them to the inspection.
        """
        CREATE TABLE inspection_evidence (
            inspection_id {bigint} NOT NULL REFERENCES inspections (id),
            sha256 TEXT NOT NULL,
            filename TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (inspection_id, sha256)
        )
        """,
        """
        CREATE TABLE objections (
            id {id},
            inspection_id {bigint} NOT NULL REFERENCES inspections (id),
            uscc TEXT NOT NULL REFERENCES enterprises (uscc),
            reason TEXT NOT NULL,
            retest {bigint} NOT NULL,
            state TEXT NOT NULL,
            outcome TEXT NOT NULL,
            filed_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT
        )
        """,
        "CREATE INDEX objections_inspection ON objections (inspection_id)",
    ])
}
