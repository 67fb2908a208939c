extension Migrations {
    static let v13ReviewBodies = Migration(version: 13, name: "review_bodies", statements: [
        """
        CREATE TABLE review_bodies (
            id {id},
            code TEXT UNIQUE,
            name TEXT NOT NULL,
            uscc TEXT NOT NULL UNIQUE,
            division_code TEXT NOT NULL REFERENCES divisions (code),
            status TEXT NOT NULL,
            status_since TEXT NOT NULL,
            status_reason TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE review_body_history (
            id {id},
            body_id {bigint} NOT NULL REFERENCES review_bodies (id),
            status TEXT NOT NULL,
            since TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX review_body_history_body ON review_body_history (body_id, id)",
        """
        CREATE TABLE review_body_members (
            user_id {bigint} PRIMARY KEY REFERENCES users (id),
            body_id {bigint} NOT NULL REFERENCES review_bodies (id)
        )
        """,
        """
        CREATE TABLE review_body_years (
            body_id {bigint} NOT NULL REFERENCES review_bodies (id),
            year {bigint} NOT NULL,
            report TEXT,
            report_filed_on TEXT,
            report_by TEXT,
            inspection_result TEXT,
            inspection_findings TEXT,
            inspected_on TEXT,
            inspected_by TEXT,
            PRIMARY KEY (body_id, year)
        )
        """,
    ])
}
