public import SQLKit
public import XukeDomain
import Foundation

public struct CertBody: Sendable, Codable, Equatable {
    public var id: Int
    public var code: String?
    public var name: String
    public var uscc: String
    public var approvalNumber: String
}

public enum CCCStore {
    public static func bodies(_ sql: any SQLDatabase) async throws -> [CertBody] {
        try await sql.rows("SELECT id, code, name, uscc, approval_number FROM cert_bodies ORDER BY id", as: CertBody.self)
    }

    /// Nil when the approval number is already registered.
    public static func insertBody(_ sql: any SQLDatabase, name: String, uscc: String, approvalNumber: String, by: String, at: String) async throws -> CertBody? {
        guard let id = try await sql.raw("""
            INSERT INTO cert_bodies (name, uscc, approval_number, created_by, created_at) VALUES (\(bind: name), \(bind: uscc), \(bind: approvalNumber), \(bind: by), \(bind: at))
            ON CONFLICT DO NOTHING
            RETURNING id
            """).first()?.decode(column: "id", as: Int.self) else { return nil }
        let code = "CB-" + String(format: "%06d", id)
        try await sql.raw("UPDATE cert_bodies SET code = \(bind: code) WHERE id = \(bind: id)").run()
        return CertBody(id: id, code: code, name: name, uscc: uscc, approvalNumber: approvalNumber)
    }

    /// Writes certificates, replacing any with the same number, in statements of 500 rows.
    public static func upsert(_ sql: any SQLDatabase, _ certificates: [CCCCertificate], at: String) async throws {
        for start in stride(from: 0, to: certificates.count, by: 500) {
            var q: SQLQueryString = "INSERT INTO ccc_certificates (number, holder_uscc, product, standard, body, status, issued_on, expires_on, imported_at) VALUES "
            for (n, c) in certificates[start..<min(start + 500, certificates.count)].enumerated() {
                q = q + (n == 0 ? "" : ", ") + """
                    (\(bind: c.number), \(bind: c.holderUscc), \(bind: c.product), \(bind: c.standard), \(bind: c.body), \(bind: c.status.rawValue), \(bind: c.issuedOn.description), \(bind: c.expiresOn.description), \(bind: at))
                    """
            }
            q = q + """
                 ON CONFLICT (number) DO UPDATE SET holder_uscc = excluded.holder_uscc, product = excluded.product, standard = excluded.standard,
                    body = excluded.body, status = excluded.status, issued_on = excluded.issued_on, expires_on = excluded.expires_on, imported_at = excluded.imported_at
                """
            try await sql.raw(q).run()
        }
    }

    /// Certificates by number or by holder, in number order; `after` a number, for the next page.
    public static func find(_ sql: any SQLDatabase, number: String?, holder: String?, limit: Int = 200, after: String? = nil) async throws -> [CCCCertificate] {
        var q: SQLQueryString = "SELECT * FROM ccc_certificates WHERE 1 = 1"
        if let after { q = q + " AND number > \(bind: after)" }
        if let number { q = q + " AND number = \(bind: number)" }
        if let holder { q = q + " AND holder_uscc = \(bind: holder)" }
        return try await sql.rows(q + " ORDER BY number LIMIT \(bind: limit)", as: CCCCertificate.self)
    }

    public static func count(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM ccc_certificates").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
