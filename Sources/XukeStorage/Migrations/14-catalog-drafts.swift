extension Migrations {
    static let v14CatalogDrafts = Migration(version: 14, name: "catalog_drafts", statements: [
        // A draft edition: its changes and the organisations consulted are kept as JSON lists on the row; every
        // change to them is an event on the draft's subject, which is its history.
        """
        CREATE TABLE catalog_drafts (
            id {id},
            code TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            base_edition TEXT NOT NULL,
            edition_code TEXT NOT NULL,
            in_force TEXT NOT NULL,
            state TEXT NOT NULL,
            actions TEXT NOT NULL,
            consultees TEXT NOT NULL,
            comments_until TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            published_at TEXT
        )
        """,
        """
        CREATE TABLE catalog_draft_comments (
            id {id},
            draft_id {bigint} NOT NULL REFERENCES catalog_drafts (id),
            organisation TEXT NOT NULL,
            body TEXT NOT NULL,
            received_on TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            answer TEXT,
            answered_by TEXT,
            answered_at TEXT
        )
        """,
        "CREATE INDEX catalog_draft_comments_draft ON catalog_draft_comments (draft_id, id)",
    ])
}
