extension Migrations {
    /// The official documents the steps of a case give (受理通知书, 补正材料通知书, decisions, the certificate): each
    /// kept as the content it was issued with and that content's SHA-256, which its QR code carries to the public
    /// check; the PDF is made from the same content on demand.
    static let v26Documents = Migration(version: 26, name: "documents", statements: [
        """
        CREATE TABLE documents (
            id {id},
            number TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            application_id {bigint} REFERENCES applications (id),
            license_id {bigint} REFERENCES licenses (id),
            uscc TEXT NOT NULL,
            authority TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            content TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX documents_application ON documents (application_id, id)",
        "CREATE INDEX documents_license ON documents (license_id, id)",
    ])
}
