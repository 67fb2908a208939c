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
    static func key(_ r: any SQLRow) throws -> SigningKeyRecord {
        SigningKeyRecord(kid: try r.decode(column: "kid", as: String.self), authority: try r.decode(column: "authority", as: String.self),
                         publicKey: try Base64URL.decode(try r.decode(column: "public_key", as: String.self)).orThrow("signing_keys.public_key"),
                         createdAt: try r.decode(column: "created_at", as: String.self), retiredAt: try r.decode(column: "retired_at", as: String?.self))
    }

    public static func keys(_ sql: any SQLDatabase) async throws -> [SigningKeyRecord] {
        try await sql.raw("SELECT * FROM signing_keys ORDER BY created_at, kid").all().map(key)
    }

    public static func activeKey(_ sql: any SQLDatabase, authority: String) async throws -> SigningKeyRecord? {
        try await sql.raw("SELECT * FROM signing_keys WHERE authority = \(bind: authority) AND retired_at IS NULL").first().map(key)
    }

    public static func insertKey(_ sql: any SQLDatabase, _ k: SigningKeyRecord) async throws {
        try await sql.raw("""
            INSERT INTO signing_keys (kid, authority, public_key, created_at, retired_at)
            VALUES (\(bind: k.kid), \(bind: k.authority), \(bind: Base64URL.encode(k.publicKey)), \(bind: k.createdAt), NULL)
            """).run()
    }

    public static func retireKey(_ sql: any SQLDatabase, kid: String, at: String) async throws {
        try await sql.raw("UPDATE signing_keys SET retired_at = \(bind: at) WHERE kid = \(bind: kid) AND retired_at IS NULL").run()
    }

    static func credential(_ r: any SQLRow) throws -> CredentialRecord {
        CredentialRecord(
            id: try r.decode(column: "id", as: Int.self), licenseID: try r.decode(column: "license_id", as: Int.self),
            version: try r.decode(column: "version", as: Int.self), list: try r.decode(column: "list", as: String.self),
            index: try r.decode(column: "idx", as: Int.self),
            status: try StatusList.Status(rawValue: UInt8(try r.decode(column: "status", as: Int.self))).orThrow("credentials.status"),
            kid: try r.decode(column: "kid", as: String.self), jws: try r.decode(column: "jws", as: String.self),
            sha256: try r.decode(column: "sha256", as: String.self), issuedAt: try r.decode(column: "issued_at", as: String.self))
    }

    /// `sha256` is the hex digest of the JWS, as the log records it.
    public static func insertCredential(_ sql: any SQLDatabase, licenseID: Int, version: Int, list: String, index: Int,
                                        kid: String, jws: String, sha256: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO credentials (license_id, version, list, idx, status, kid, jws, sha256, issued_at)
            VALUES (\(bind: licenseID), \(bind: version), \(bind: list), \(bind: index), 0, \(bind: kid), \(bind: jws),
                    \(bind: sha256), \(bind: at))
            """).run()
    }

    /// The credential a license shows now: its newest.
    public static func current(_ sql: any SQLDatabase, licenseID: Int) async throws -> CredentialRecord? {
        try await sql.raw("SELECT * FROM credentials WHERE license_id = \(bind: licenseID) ORDER BY version DESC LIMIT 1").first().map(credential)
    }

    public static func at(_ sql: any SQLDatabase, list: String, index: Int) async throws -> CredentialRecord? {
        try await sql.raw("SELECT * FROM credentials WHERE list = \(bind: list) AND idx = \(bind: index)").first().map(credential)
    }

    /// Sets the status of a license's credentials: `newest` for the current one, revoked for every earlier one.
    public static func setStatus(_ sql: any SQLDatabase, licenseID: Int, newest: StatusList.Status) async throws {
        try await sql.raw("""
            UPDATE credentials SET status = CASE WHEN version = (SELECT MAX(version) FROM credentials WHERE license_id = \(bind: licenseID))
                THEN \(bind: Int(newest.rawValue)) ELSE 1 END
            WHERE license_id = \(bind: licenseID)
            """).run()
    }

    /// One status list: its length and the entries that are not 0 (almost all are).
    public static func statusList(_ sql: any SQLDatabase, list: String) async throws -> StatusList {
        let length = try await sql.raw("SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM credentials WHERE list = \(bind: list)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        var out = StatusList(count: length)
        for r in try await sql.raw("SELECT idx, status FROM credentials WHERE list = \(bind: list) AND status <> 0").all() {
            out[try r.decode(column: "idx", as: Int.self)] = UInt8(try r.decode(column: "status", as: Int.self))
        }
        return out
    }

    public static func shas(_ sql: any SQLDatabase, licenseIDs: [Int]) async throws -> [Int: [Int: String]] {
        guard !licenseIDs.isEmpty else { return [:] }
        let ids = integerList(licenseIDs)
        var out: [Int: [Int: String]] = [:]
        for r in try await sql.raw("SELECT license_id, version, sha256 FROM credentials WHERE license_id IN (\(ids))").all() {
            out[try r.decode(column: "license_id", as: Int.self), default: [:]][try r.decode(column: "version", as: Int.self)] =
                try r.decode(column: "sha256", as: String.self)
        }
        return out
    }

    public static func everything(_ sql: any SQLDatabase) async throws -> [CredentialRecord] {
        try await sql.raw("SELECT * FROM credentials ORDER BY id").all().map(credential)
    }
}
