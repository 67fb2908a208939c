extension Migrations {
    /// Remedies: before a licence is revoked or withdrawn its holder is told of the right to a hearing, asks for one
    /// within 5 working days, and the hearing is scheduled, held and recorded; reconsideration and litigation
    /// outcomes are recorded against the decision's document, and a reversal records what it undid.
    static let v28Remedies = Migration(version: 28, name: "remedies", statements: [
        """
        CREATE TABLE hearings (
            id {id},
            license_id {bigint} NOT NULL REFERENCES licenses (id),
            uscc TEXT NOT NULL,
            authority TEXT NOT NULL,
            measure TEXT NOT NULL,
            reasons TEXT NOT NULL,
            notice_id {bigint} REFERENCES documents (id),
            notified_on TEXT NOT NULL,
            request_by TEXT NOT NULL,
            state TEXT NOT NULL,
            requested_on TEXT,
            scheduled_for TEXT,
            place TEXT NOT NULL,
            held_on TEXT,
            record TEXT NOT NULL,
            decided_on TEXT,
            version {bigint} NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX hearings_license ON hearings (license_id, id)",
        """
        CREATE TABLE remedies (
            id {id},
            document_id {bigint} NOT NULL REFERENCES documents (id),
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            filed_on TEXT NOT NULL,
            outcome TEXT NOT NULL,
            decided_on TEXT,
            note TEXT NOT NULL,
            undone TEXT NOT NULL,
            recorded_by {bigint} NOT NULL REFERENCES users (id),
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX remedies_document ON remedies (document_id, id)",
    ])
}
