public import SQLKit
public import XukeTrust
import Foundation

public struct LogEntry: Sendable, Equatable {
    public var index: Int
    public var kind: String
    public var subject: String
    public var entry: [UInt8]
    public var at: String
}

/// The public log's rows: entries, the hash of every complete subtree, and the checkpoints handed out.
public enum TransparencyStore {
    public static let maxEntryBytes = 65_535

    public static func size(_ sql: any SQLDatabase) async throws -> Int {
        guard let r = try await sql.raw("SELECT size FROM log_head WHERE id = 1").first() else { throw StorageError.corruptRow("log_head") }
        return try r.decode(column: "size", as: Int.self)
    }

    /// Appends one entry inside the caller's transaction and returns its index. Bumping the head first
    /// takes its row lock (PostgreSQL) or rides the single writer (SQLite), so appends never interleave.
    @discardableResult
    public static func append(_ sql: any SQLDatabase, kind: String, subject: String, entry: [UInt8], at: String) async throws -> Int {
        precondition(entry.count <= maxEntryBytes, "log entries are at most 65,535 bytes")
        guard let r = try await sql.raw("UPDATE log_head SET size = size + 1 WHERE id = 1 RETURNING size").first() else {
            throw StorageError.corruptRow("log_head")
        }
        let index = try r.decode(column: "size", as: Int.self) - 1
        let plan = Merkle.appendPlan(leaf: index)
        let lefts = try await hashes(sql, plan.reads)
        let computed = Merkle.appendHashes(leafHash: Merkle.leafHash(entry), lefts: try plan.reads.map { try lefts[$0].orThrow("log_hashes \($0)") })
        try await sql.raw("""
            INSERT INTO log_entries (idx, kind, subject, entry, at)
            VALUES (\(bind: index), \(bind: kind), \(bind: subject), \(bind: Data(entry)), \(bind: at))
            """).run()
        var values: [SQLQueryString] = []
        for (node, hash) in zip(plan.writes, computed) { values.append("(\(bind: node.storageIndex), \(bind: Data(hash)))") }
        try await sql.raw("INSERT INTO log_hashes (id, hash) VALUES \(values.joined(separator: ", "))").run()
        return index
    }

    /// Stored hashes by node; missing nodes are simply absent.
    public static func hashes(_ sql: any SQLDatabase, _ nodes: [Merkle.Node]) async throws -> [Merkle.Node: Merkle.Hash] {
        guard !nodes.isEmpty else { return [:] }
        let byIndex = Dictionary(nodes.map { ($0.storageIndex, $0) }, uniquingKeysWith: { a, _ in a })
        let ids = SQLQueryString(byIndex.keys.sorted().map(String.init).joined(separator: ","))
        var out: [Merkle.Node: Merkle.Hash] = [:]
        for r in try await sql.raw("SELECT id, hash FROM log_hashes WHERE id IN (\(ids))").all() {
            let id = try r.decode(column: "id", as: Int.self)
            if let node = byIndex[id] { out[node] = [UInt8](try r.decode(column: "hash", as: Data.self)) }
        }
        return out
    }

    /// MTH of each leaf range (all within a tree of the given size), read in one query.
    public static func rangeHashes(_ sql: any SQLDatabase, _ ranges: [Range<Int>]) async throws -> [Merkle.Hash] {
        let nodes = ranges.flatMap { Merkle.nodes(covering: $0) }
        let stored = try await hashes(sql, nodes)
        return try ranges.map { range in try Merkle.rangeHash(range) { try stored[$0].orThrow("log_hashes \($0)") } }
    }

    public static func root(_ sql: any SQLDatabase, size: Int) async throws -> Merkle.Hash {
        size == 0 ? Merkle.emptyRoot : try await rangeHashes(sql, [0..<size])[0]
    }

    public static func inclusionProof(_ sql: any SQLDatabase, leaf: Int, size: Int) async throws -> [Merkle.Hash] {
        try await rangeHashes(sql, Merkle.inclusionRanges(leaf: leaf, size: size))
    }

    public static func consistencyProof(_ sql: any SQLDatabase, from: Int, to: Int) async throws -> [Merkle.Hash] {
        try await rangeHashes(sql, Merkle.consistencyRanges(from: from, to: to))
    }

    /// The hashes of tlog-tiles tile `level`/`index`: `width` subtrees of height 8·level, 256 to a full tile.
    public static func tile(_ sql: any SQLDatabase, level: Int, index: Int, width: Int) async throws -> [Merkle.Hash] {
        let nodes = (0..<width).map { Merkle.Node(level: 8 * level, index: 256 * index + $0) }
        let stored = try await hashes(sql, nodes)
        return try nodes.map { try stored[$0].orThrow("log_hashes \($0)") }
    }

    static func logEntry(_ r: any SQLRow) throws -> LogEntry {
        LogEntry(index: try r.decode(column: "idx", as: Int.self), kind: try r.decode(column: "kind", as: String.self),
                 subject: try r.decode(column: "subject", as: String.self),
                 entry: [UInt8](try r.decode(column: "entry", as: Data.self)), at: try r.decode(column: "at", as: String.self))
    }

    public static func entries(_ sql: any SQLDatabase, from: Int, count: Int) async throws -> [LogEntry] {
        try await sql.raw("""
            SELECT * FROM log_entries WHERE idx >= \(bind: from) AND idx < \(bind: from + count) ORDER BY idx
            """).all().map(logEntry)
    }

    public static func entries(_ sql: any SQLDatabase, subject: String) async throws -> [LogEntry] {
        try await sql.raw("SELECT * FROM log_entries WHERE subject = \(bind: subject) ORDER BY idx").all().map(logEntry)
    }

    public static func saveCheckpoint(_ sql: any SQLDatabase, size: Int, note: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO log_checkpoints (size, note, at) VALUES (\(bind: size), \(bind: note), \(bind: at)) ON CONFLICT (size) DO NOTHING
            """).run()
    }

    public static func checkpoint(_ sql: any SQLDatabase, size: Int) async throws -> String? {
        try await sql.raw("SELECT note FROM log_checkpoints WHERE size = \(bind: size)").first()?.decode(column: "note", as: String.self)
    }

    public static func latestCheckpoint(_ sql: any SQLDatabase) async throws -> (size: Int, note: String)? {
        guard let r = try await sql.raw("SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1").first() else { return nil }
        return (try r.decode(column: "size", as: Int.self), try r.decode(column: "note", as: String.self))
    }
}

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

    public static func insertCredential(_ sql: any SQLDatabase, licenseID: Int, version: Int, list: String, index: Int,
                                        kid: String, jws: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO credentials (license_id, version, list, idx, status, kid, jws, sha256, issued_at)
            VALUES (\(bind: licenseID), \(bind: version), \(bind: list), \(bind: index), 0, \(bind: kid), \(bind: jws),
                    \(bind: Merkle.sha256(Array(jws.utf8)).hex), \(bind: at))
            """).run()
    }

    /// The credential a license shows now: its newest.
    public static func current(_ sql: any SQLDatabase, licenseID: Int) async throws -> CredentialRecord? {
        try await sql.raw("SELECT * FROM credentials WHERE license_id = \(bind: licenseID) ORDER BY version DESC LIMIT 1").first().map(credential)
    }

    public static func all(_ sql: any SQLDatabase, licenseID: Int) async throws -> [CredentialRecord] {
        try await sql.raw("SELECT * FROM credentials WHERE license_id = \(bind: licenseID) ORDER BY version").all().map(credential)
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

    public static func lists(_ sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("SELECT DISTINCT list FROM credentials ORDER BY list").all().map { try $0.decode(column: "list", as: String.self) }
    }
}

extension LicensingStore {
    /// The public query: a license number or USCC exactly, or any part of the enterprise name; narrowed by a
    /// catalog unit and by the province the enterprise is registered in (USCC characters 3–4).
    public static func publicSearch(_ sql: any SQLDatabase, text: String, unit: String?, province: String?, limit: Int) async throws -> [LicenseRecord] {
        var q = SQLQueryString("SELECT * FROM licenses WHERE 1 = 1")
        if !text.isEmpty {
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            q = q + " AND (number = \(bind: text) OR uscc = \(bind: text.uppercased()) OR name LIKE \(bind: pattern) ESCAPE '\\')"
        }
        if let unit { q = q + " AND units LIKE \(bind: "%\"unit_no\":\"\(unit)\"%")" }
        if let province { q = q + " AND substr(uscc, 3, 2) = \(bind: String(province.prefix(2)))" }
        q = q + " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await sql.raw(q).all().map(licenseRecord)
    }
}

extension TransparencyStore {
    /// Index of the last log entry about a subject, e.g. the event behind a license's current state.
    public static func lastIndex(_ sql: any SQLDatabase, subject: String) async throws -> Int? {
        try await sql.raw("SELECT MAX(idx) AS i FROM log_entries WHERE subject = \(bind: subject)").first()?.decode(column: "i", as: Int?.self)
    }
}

extension LicensingStore {
    /// Every stored version of the given licenses, by license and version (for the audit).
    public static func versions(_ sql: any SQLDatabase, licenseIDs: [Int]) async throws -> [Int: [Int: LicenseRecord]] {
        guard !licenseIDs.isEmpty else { return [:] }
        let ids = SQLQueryString(licenseIDs.map(String.init).joined(separator: ","))
        var out: [Int: [Int: LicenseRecord]] = [:]
        for r in try await sql.raw("SELECT license_id, version, snapshot FROM license_versions WHERE license_id IN (\(ids))").all() {
            let snapshot = try decode(LicenseRecord.self, try r.decode(column: "snapshot", as: String.self), "license_versions.snapshot")
            out[try r.decode(column: "license_id", as: Int.self), default: [:]][try r.decode(column: "version", as: Int.self)] = snapshot
        }
        return out
    }

    public static func allLicenses(_ sql: any SQLDatabase) async throws -> [LicenseRecord] {
        try await sql.raw("SELECT * FROM licenses ORDER BY id").all().map(licenseRecord)
    }
}

extension CredentialStore {
    public static func shas(_ sql: any SQLDatabase, licenseIDs: [Int]) async throws -> [Int: [Int: String]] {
        guard !licenseIDs.isEmpty else { return [:] }
        let ids = SQLQueryString(licenseIDs.map(String.init).joined(separator: ","))
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
