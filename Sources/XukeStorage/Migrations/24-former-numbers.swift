extension Migrations {
    /// The numbers of licences issued before the platform that an imported licence replaced (一企一证: several old
    /// licences of one enterprise become one). A query by an old number finds the licence that replaced it.
    static let v24FormerNumbers = Migration(version: 24, name: "former_numbers", statements: [
        """
        CREATE TABLE license_former_numbers (
            number TEXT PRIMARY KEY,
            license_id {bigint} NOT NULL REFERENCES licenses (id),
            recorded_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX license_former_numbers_license ON license_former_numbers (license_id)",
    ])
}
