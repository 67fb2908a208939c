public import SQLKit
public import XukeDomain
import Foundation

/// Uploaded files: their bytes are on disk by SHA-256; the rows say what they are and who may use them.
public enum UploadStore {

    public static func recordUpload(_ sql: any SQLDatabase, sha256: String, type: UploadType, size: Int, userID: Int, at: String) async throws {
        try await sql.raw("""
            INSERT INTO uploads (sha256, media_type, size, uploaded_by, created_at)
            VALUES (\(bind: sha256), \(bind: type.rawValue), \(bind: size), \(bind: userID), \(bind: at))
            ON CONFLICT (sha256) DO NOTHING
            """).run()
        // The bytes are stored once; each uploader owns their own use of them.
        try await sql.raw("""
            INSERT INTO upload_owners (sha256, user_id, created_at) VALUES (\(bind: sha256), \(bind: userID), \(bind: at))
            ON CONFLICT (sha256, user_id) DO NOTHING
            """).run()
    }

    public static func addUploadOwners(_ sql: any SQLDatabase, sha256: String, userIDs: [Int], at: String) async throws {
        for chunk in stride(from: 0, to: userIDs.count, by: 500) {
            var q = SQLQueryString("INSERT INTO upload_owners (sha256, user_id, created_at) VALUES ")
            for (i, id) in userIDs[chunk..<min(chunk + 500, userIDs.count)].enumerated() {
                q = q + (i == 0 ? "" : ", ") + "(\(bind: sha256), \(bind: id), \(bind: at))"
            }
            try await sql.raw(q + " ON CONFLICT (sha256, user_id) DO NOTHING").run()
        }
    }

    public static func isUploadOwner(_ sql: any SQLDatabase, sha256: String, userID: Int) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM upload_owners WHERE sha256 = \(bind: sha256) AND user_id = \(bind: userID)").first() != nil
    }

    /// Which of these digests an application of `uscc` may attach: files a user of that enterprise uploaded, and
    /// the files of test reports a lab filed for it.
    public static func attachable(_ sql: any SQLDatabase, _ shas: [String], uscc: String) async throws -> Set<String> {
        guard !shas.isEmpty else { return [] }
        var list = SQLQueryString("")
        for (i, sha) in Set(shas).enumerated() { list = list + (i == 0 ? "" : ", ") + "\(bind: sha)" }
        let q = SQLQueryString("SELECT o.sha256 FROM upload_owners o JOIN users u ON u.id = o.user_id WHERE u.enterprise_uscc = \(bind: uscc) AND o.sha256 IN (")
            + list + SQLQueryString(") UNION SELECT sha256 FROM test_reports WHERE uscc = \(bind: uscc) AND sha256 IN (") + list + ")"
        return Set(try await sql.raw(q).all().map { try $0.decode(column: "sha256", as: String.self) })
    }

    struct Stored: Decodable {
        var mediaType: UploadType
        var size: Int
    }

    public static func upload(_ sql: any SQLDatabase, sha256: String) async throws -> (type: UploadType, size: Int)? {
        guard let row = try await sql.row("SELECT media_type, size FROM uploads WHERE sha256 = \(bind: sha256)", as: Stored.self) else { return nil }
        return (row.mediaType, row.size)
    }

}
