public import SQLKit
public import XukeTrust
import Foundation

public struct SigningKeyRecord: Sendable, Equatable {
    public var kid: String
    public var authority: String
    public var publicKey: [UInt8]
    public var createdAt: String
    public var retiredAt: String?

    public init(kid: String, authority: String, publicKey: [UInt8], createdAt: String, retiredAt: String? = nil) {
        self.kid = kid
        self.authority = authority
        self.publicKey = publicKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }

    public var jwk: JWK { JWK(publicKey: publicKey, authority: authority, retired: retiredAt) }
}

public struct CredentialRecord: Sendable, Equatable {
    public var id: Int
    public var licenseID: Int
    public var version: Int
    public var list: String
    public var index: Int
    public var status: StatusList.Status
    public var kid: String
    public var jws: String
    public var sha256: String
    public var issuedAt: String
}

/// Issuer keys (public halves), the credentials signed with them, and their entries in the status lists.
public enum CredentialStore {
    /// A signing_keys row (`RowCoding`): the public key in base64url.
    struct KeyRow: Codable {
        var kid: String
        var authority: String
        var publicKey: String
        var createdAt: String
        var retiredAt: String?

        var record: SigningKeyRecord {
            get throws {
                SigningKeyRecord(kid: kid, authority: authority, publicKey: try Base64URL.decode(publicKey).orThrow("signing_keys.public_key"),
                                 createdAt: createdAt, retiredAt: retiredAt)
            }
        }
    }

    public static func keys(_ sql: any SQLDatabase) async throws -> [SigningKeyRecord] {
        try await sql.rows("SELECT * FROM signing_keys ORDER BY created_at, kid", as: KeyRow.self).map { try $0.record }
    }

    public static func activeKey(_ sql: any SQLDatabase, authority: String) async throws -> SigningKeyRecord? {
        try await sql.row("SELECT * FROM signing_keys WHERE authority = \(bind: authority) AND retired_at IS NULL", as: KeyRow.self)?.record
    }

    public static func insertKey(_ sql: any SQLDatabase, _ k: SigningKeyRecord) async throws {
        let row = KeyRow(kid: k.kid, authority: k.authority, publicKey: Base64URL.encode(k.publicKey), createdAt: k.createdAt, retiredAt: nil)
        try await sql.insert(into: "signing_keys").model(row, with: RowCoding.encoder).run()
    }

    public static func retireKey(_ sql: any SQLDatabase, kid: String, at: String) async throws {
        try await sql.raw("UPDATE signing_keys SET retired_at = \(bind: at) WHERE kid = \(bind: kid) AND retired_at IS NULL").run()
    }

    /// A credentials row (`RowCoding`): the status-list entry as its number.
    struct CredentialRow: Codable {
        var licenseId: Int
        var version: Int
        var list: String
        var idx: Int
        var status: Int
        var kid: String
        var jws: String
        var sha256: String
        var issuedAt: String

        static func record(_ r: Identified<CredentialRow>) throws -> CredentialRecord {
            let c = r.columns
            return CredentialRecord(id: r.id, licenseID: c.licenseId, version: c.version, list: c.list, index: c.idx,
                                    status: try CredentialStore.status(c.status),
                                    kid: c.kid, jws: c.jws, sha256: c.sha256, issuedAt: c.issuedAt)
        }
    }

    static func credentials(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> [CredentialRecord] {
        try await sql.rows(query, as: Identified<CredentialRow>.self).map(CredentialRow.record)
    }

    /// `sha256` is the hex digest of the JWS, as the log records it.
    public static func insertCredential(_ sql: any SQLDatabase, licenseID: Int, version: Int, list: String, index: Int,
                                        kid: String, jws: String, sha256: String, at: String) async throws {
        try await insertCredentials(sql, [NewCredential(licenseID: licenseID, version: version, list: list, index: index, kid: kid, jws: jws, sha256: sha256)], at: at)
    }

    public struct NewCredential: Sendable {
        public var licenseID: Int
        public var version: Int
        public var list: String
        public var index: Int
        public var kid: String
        public var jws: String
        public var sha256: String

        public init(licenseID: Int, version: Int, list: String, index: Int, kid: String, jws: String, sha256: String) {
            self.licenseID = licenseID
            self.version = version
            self.list = list
            self.index = index
            self.kid = kid
            self.jws = jws
            self.sha256 = sha256
        }
    }

    /// Many new credentials at once, each valid in its status list (an import).
    public static func insertCredentials(_ sql: any SQLDatabase, _ credentials: [NewCredential], at: String) async throws {
        try await sql.insertRows(into: "credentials", credentials.map {
            CredentialRow(licenseId: $0.licenseID, version: $0.version, list: $0.list, idx: $0.index, status: 0, kid: $0.kid, jws: $0.jws, sha256: $0.sha256, issuedAt: at)
        })
    }

    /// The credential a license shows now: its newest.
    public static func current(_ sql: any SQLDatabase, licenseID: Int) async throws -> CredentialRecord? {
        try await credentials(sql, "SELECT * FROM credentials WHERE license_id = \(bind: licenseID) ORDER BY version DESC LIMIT 1").first
    }

    /// What a verification needs of a status-list entry: whose it is, and its status. The credential itself (a
    /// kilobyte or more) stays unread, on the path every scanned QR code takes.
    public struct StatusEntry: Sendable, Decodable {
        public var licenseId: Int
        public var version: Int
        public var status: StatusList.Status
        /// The hex digest of the credential the entry belongs to.
        public var sha256: String

        enum Keys: String, CodingKey { case licenseId, version, status, sha256 }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            licenseId = try c.decode(Int.self, forKey: .licenseId)
            version = try c.decode(Int.self, forKey: .version)
            status = try CredentialStore.status(try c.decode(Int.self, forKey: .status))
            sha256 = try c.decode(String.self, forKey: .sha256)
        }
    }

    /// A stored status-list entry: anything but a status is a corrupt row.
    static func status(_ stored: Int) throws -> StatusList.Status {
        try UInt8(exactly: stored).flatMap(StatusList.Status.init(rawValue:)).orThrow("credentials.status")
    }

    public static func statusEntry(_ sql: any SQLDatabase, list: String, index: Int) async throws -> StatusEntry? {
        try await sql.row("SELECT license_id, version, status, sha256 FROM credentials WHERE list = \(bind: list) AND idx = \(bind: index)",
                          as: StatusEntry.self)
    }

    /// Sets the status of a license's credentials: `newest` for the current one, revoked for every earlier one.
    public static func setStatus(_ sql: any SQLDatabase, licenseID: Int, newest: StatusList.Status) async throws {
        try await sql.raw("""
            UPDATE credentials SET status = CASE WHEN version = (SELECT MAX(version) FROM credentials WHERE license_id = \(bind: licenseID))
                THEN \(bind: Int(newest.rawValue)) ELSE 1 END
            WHERE license_id = \(bind: licenseID)
            """).run()
    }

    struct Entry: Decodable {
        var idx: Int
        var status: Int
    }

    /// One status list: its length and the entries that are not 0 (almost all are).
    public static func statusList(_ sql: any SQLDatabase, list: String) async throws -> StatusList {
        let length = try await sql.raw("SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM credentials WHERE list = \(bind: list)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        var out = StatusList(count: length)
        for r in try await sql.rows("SELECT idx, status FROM credentials WHERE list = \(bind: list) AND status <> 0", as: Entry.self) {
            out[r.idx] = try CredentialStore.status(r.status).rawValue
        }
        return out
    }

    struct Digest: Decodable {
        var licenseId: Int
        var version: Int
        var sha256: String
    }

    public static func shas(_ sql: any SQLDatabase, licenseIDs: [Int]) async throws -> [Int: [Int: String]] {
        guard !licenseIDs.isEmpty else { return [:] }
        let ids = integerList(licenseIDs)
        var out: [Int: [Int: String]] = [:]
        for r in try await sql.rows("SELECT license_id, version, sha256 FROM credentials WHERE license_id IN (\(ids))", as: Digest.self) {
            out[r.licenseId, default: [:]][r.version] = r.sha256
        }
        return out
    }

    public static func everything(_ sql: any SQLDatabase) async throws -> [CredentialRecord] {
        try await credentials(sql, "SELECT * FROM credentials ORDER BY id")
    }
}
