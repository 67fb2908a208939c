extension Migrations {
    /// Files kept in the database for a cluster (`XUKE_BLOBS=database`): each named file lists its chunks, and each
    /// chunk is stored once by its SHA-256, so the same bytes uploaded twice, or dumps that repeat, cost nothing more.
    static let v23Blobs = Migration(version: 23, name: "blobs", statements: [
        """
        CREATE TABLE blob_chunks (
            sha256 TEXT PRIMARY KEY,
            data {blob} NOT NULL
        )
        """,
        """
        CREATE TABLE blobs (
            name TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            size {bigint} NOT NULL,
            chunks TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
    ])
}
