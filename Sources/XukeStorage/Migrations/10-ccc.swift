extension Migrations {
    static let v10Ccc = Migration(version: 10, name: "ccc", statements: [
        // Certification bodies (CCC) and the certificates they report; a certificate's number is its identity.
        """
        CREATE TABLE cert_bodies (
            id {id},
            code TEXT UNIQUE,
            name TEXT NOT NULL,
            uscc TEXT NOT NULL,
            approval_number TEXT NOT NULL UNIQUE,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE ccc_certificates (
            number TEXT PRIMARY KEY,
            holder_uscc TEXT NOT NULL,
            product TEXT NOT NULL,
            standard TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            expires_on TEXT NOT NULL,
            imported_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX ccc_certificates_holder ON ccc_certificates (holder_uscc)",
    ])
}
