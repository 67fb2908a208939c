public import Foundation
import HTTPTypes
public import SQLKit
import Synchronization
public import XukeDomain
public import XukeStorage
public import XukeTrust

/// The verifiable side of licensing (docs/FORMATS.md §1, §2, §4): issuer keys, e-license credentials, status lists
/// and the public log. Every write here runs inside the caller's transaction, next to the change it records.
public final class Transparency: Sendable {
    public let keys: KeyRing
    public let origin: String
    let publicURL: String
    let logKey: SigningKey
    private let jwksCache = Mutex<JWKSet?>(nil)

    /// Events after which the license holds a freshly signed credential.
    static let credentialEvents: Set<EventType> = [.licenseIssued, .licenseChanged, .licenseRenewed, .licenseReissued]

    let clock: PlatformClock

    init(config: AppConfig, clock: PlatformClock, keys: KeyRing, logKey: SigningKey) {
        self.keys = keys
        origin = config.logOrigin
        publicURL = config.effectivePublicURL
        self.clock = clock
        self.logKey = logKey
    }

    /// The database key under which the log's public key is recorded when it is first made.
    static let recordedLogKey = "log_public_key"

    /// Opens the key directory for a database. The log has one key however many servers share the database: its
    /// public half is recorded there when first made, and a server whose file is missing or different refuses to
    /// start (KeyRingError) instead of signing checkpoints nobody else's key verifies.
    public static func open(config: AppConfig, clock: PlatformClock, db: Database) async throws -> Transparency {
        let keys = KeyRing(directory: config.effectiveKeysDirectory)
        let recorded = try await db.read { try await SettingsStore.value($0, key: recordedLogKey) }
        let local = try keys.existingLogKey()
        if local == nil, recorded != nil { throw KeyRingError.logKeyElsewhere(keys.path("log.key")) }
        let key = local ?? keys.newLogKey(origin: config.logOrigin)
        let mine = Base64URL.encode(key.publicKey)
        let trust = Transparency(config: config, clock: clock, keys: keys, logKey: key)
        if recorded == nil, let latest = try await db.read({ try await TransparencyStore.latestCheckpoint($0) }),
           (try? Checkpoint.open(latest.note, key: trust.verifierKey)) == nil {
            // A database from before keys were recorded: its newest checkpoint tells which key is the log's.
            throw KeyRingError.logKeyDiffers(path: keys.path("log.key"), recorded: "the key that signed checkpoint \(latest.size)", local: mine)
        }
        // A key the database records must also be saved here: find out first that it can be.
        if local == nil { try keys.checkWritable() }
        let agreed = try await db.write { try await SettingsStore.recordOnce($0, key: recordedLogKey, value: mine, at: clock.stamp) }
        guard agreed == mine else {
            // A new key lost the race to another server starting at once: nothing was written here.
            if local == nil { throw KeyRingError.logKeyElsewhere(keys.path("log.key")) }
            throw KeyRingError.logKeyDiffers(path: keys.path("log.key"), recorded: agreed, local: mine)
        }
        if local == nil { _ = try keys.saveLogKey(key, at: clock.stamp) }
        return trust
    }

    /// Every issuer key in use has its private half here, and it is that key: a server that would sign with an
    /// authority's key must hold it.
    func checkIssuerKeys(_ db: Database) async throws {
        for k in try await db.read({ try await CredentialStore.keys($0) }) where k.retiredAt == nil {
            let local: SigningKey
            do {
                local = try keys.key(kid: k.kid)
            } catch KeyRingError.missing {
                throw KeyRingError.issuerKeyMissing(kid: k.kid, path: keys.path(forKid: k.kid))
            }  // a key file readable by others, or not a key, says so itself
            guard local.publicKey == k.publicKey else { throw KeyRingError.issuerKeyMissing(kid: k.kid, path: keys.path(forKid: k.kid)) }
        }
    }

    public var verifierKey: NoteVerifierKey { NoteVerifierKey(name: origin, publicKey: logKey.publicKey) }

    func statusURI(_ list: String) -> String { "\(publicURL)/status/\(list)" }

    // MARK: Keys

    /// A new key for an authority: its file is written, its public half published and logged, and the
    /// authority's previous key retired (it stays published so what it signed still verifies).
    @discardableResult
    public func addKey(_ sql: any SQLDatabase, authority: String, at: String) async throws -> SigningKey {
        let key = try keys.generate(authority: authority, at: at)
        if let old = try await CredentialStore.activeKey(sql, authority: authority) { try await retireKey(sql, kid: old.kid, at: at) }
        let record = SigningKeyRecord(kid: key.kid, authority: authority, publicKey: key.publicKey, createdAt: at)
        try await CredentialStore.insertKey(sql, record)
        try await TransparencyStore.append(sql, kind: "key.added", subject: "key/\(key.kid)", entry: Self.keyEntry("key.added", record, at: at).canonical, at: at)
        jwksCache.withLock { $0 = nil }
        return key
    }

    public func retireKey(_ sql: any SQLDatabase, kid: String, at: String) async throws {
        guard let k = try await CredentialStore.keys(sql).first(where: { $0.kid == kid }), k.retiredAt == nil else {
            throw AppError(.key.notActive, ["kid": "\(kid)"])
        }
        try await CredentialStore.retireKey(sql, kid: kid, at: at)
        try await TransparencyStore.append(sql, kind: "key.retired", subject: "key/\(kid)", entry: Self.keyEntry("key.retired", k, at: at).canonical, at: at)
        jwksCache.withLock { $0 = nil }
    }

    static func keyEntry(_ type: String, _ k: SigningKeyRecord, at: String) -> JSONValue {
        ["type": .string(type), "at": .string(at), "kid": .string(k.kid), "authority": .string(k.authority),
         "public_key": .string(Base64URL.encode(k.publicKey))]
    }

    /// The authority's signing key, created on first need so a fresh installation can issue at once.
    func signer(_ sql: any SQLDatabase, authority: String, at: String) async throws -> SigningKey {
        if let active = try await CredentialStore.activeKey(sql, authority: authority) { return try keys.key(kid: active.kid) }
        return try await addKey(sql, authority: authority, at: at)
    }

    /// The published key set, as stored now.
    public func jwks(_ sql: any SQLDatabase) async throws -> JWKSet {
        let set = JWKSet(keys: try await CredentialStore.keys(sql).map(\.jwk))
        jwksCache.withLock { $0 = set }
        return set
    }

    /// The key set for verifying a credential signed with `kid`, from memory unless that key is not there yet:
    /// `xuke keys generate` runs in another process, so this one learns of new keys on first sight.
    func jwks(_ db: Database, for kid: String?) async throws -> JWKSet {
        if let cached = jwksCache.withLock({ $0 }), kid.map({ cached.key($0) != nil }) ?? true { return cached }
        return try await db.read { try await jwks($0) }
    }

    // MARK: License events

    /// Records a license event: a new credential where the event grants one, the status-list entries,
    /// and the log entry. Returns the entry as logged, and its index.
    public func record(_ sql: any SQLDatabase, _ l: LicenseRecord, type: EventType, at: String, authorityName: String) async throws -> (entry: JSONValue, index: Int) {
        var credentialSHA: String? = nil
        if l.storedStatus == .valid, Self.credentialEvents.contains(type) {
            let signer = try await signer(sql, authority: l.authority, at: at)
            let index = try await SettingsStore.nextSerial(sql, "status:\(l.authority)") - 1
            let jws = try Self.credential(l, at: Timestamp.date(at) ?? clock.now(), authorityName: authorityName, statusIndex: index, statusURI: statusURI(l.authority))
                .sign(kid: signer.kid, key: signer.privateKey)
            let sha = sha256Hex(Data(jws.utf8))
            try await CredentialStore.insertCredential(sql, licenseID: l.id, version: l.version, list: l.authority, index: index,
                                                       kid: signer.kid, jws: jws, sha256: sha, at: at)
            credentialSHA = sha
        }
        try await CredentialStore.setStatus(sql, licenseID: l.id, newest: Self.listStatus(l.storedStatus))
        let entry = Self.licenseEntry(type: type.rawValue, at: at, l, credentialSHA: credentialSHA)
        return (entry, try await TransparencyStore.append(sql, kind: type.rawValue, subject: "license/\(l.id)", entry: entry.canonical, at: at))
    }

    /// Records licences brought in from before the platform (`license.imported`): a credential marked as imported
    /// for each one still valid, its status-list entry, and the log entries naming the numbers each replaced. The
    /// status-list places of each authority are taken in one step. Answers each entry as logged, and its index.
    func recordImported(_ sql: any SQLDatabase, _ licences: [LicenseRecord], replaced: [Int: [String]], at: String,
                        authorityName: (String) -> String) async throws -> [(entry: JSONValue, index: Int)] {
        let issuedAt = Timestamp.date(at) ?? clock.now()
        var shas: [Int: String] = [:]
        var credentials: [CredentialStore.NewCredential] = []
        for (authority, group) in Dictionary(grouping: licences.filter { $0.storedStatus == .valid }, by: \.authority).sorted(by: { $0.key < $1.key }) {
            let signer = try await signer(sql, authority: authority, at: at)
            let first = try await SettingsStore.nextSerials(sql, "status:\(authority)", count: group.count) - group.count
            for (offset, l) in group.enumerated() {
                let jws = try Self.credential(l, at: issuedAt, authorityName: authorityName(authority), statusIndex: first + offset,
                                              statusURI: statusURI(authority), imported: true).sign(kid: signer.kid, key: signer.privateKey)
                let sha = sha256Hex(Data(jws.utf8))
                credentials.append(.init(licenseID: l.id, version: l.version, list: authority, index: first + offset, kid: signer.kid, jws: jws, sha256: sha))
                shas[l.id] = sha
            }
        }
        try await CredentialStore.insertCredentials(sql, credentials, at: at)
        let type = EventType.licenseImported.rawValue
        let entries = licences.map { Self.licenseEntry(type: type, at: at, $0, credentialSHA: shas[$0.id], replaces: replaced[$0.id] ?? []) }
        let first = try await TransparencyStore.appendMany(sql, zip(licences, entries).map { (type, "license/\($0.id)", $1.canonical) }, at: at)
        return entries.enumerated().map { ($0.element, first + $0.offset) }
    }

    static func listStatus(_ s: LicenseStatus) -> StatusList.Status {
        switch s {
        case .valid, .expired: .valid  // expiry is the credential's own `exp`
        case .suspended: .suspended
        case .revoked, .cancelled: .revoked
        }
    }

    /// What the log says of a license event: the public facts, never personal data.
    static func licenseEntry(type: String, at: String, _ l: LicenseRecord, credentialSHA: String?, replaces: [String] = []) -> JSONValue {
        var m: [String: JSONValue] = [
            "type": .string(type), "at": .string(at), "license": .string(l.number), "holder": .string(l.uscc),
            "version": .int(Int64(l.version)), "status": .string(l.storedStatus.rawValue), "authority": .string(l.authority),
            "valid_until": .string(l.validUntil.description), "units": .array(l.units.map { .string($0.unitNo) }),
        ]
        if let credentialSHA { m["credential_sha256"] = .string(credentialSHA) }
        if !replaces.isEmpty { m["replaces"] = .array(replaces.map { .string($0) }) }
        return .object(m)
    }

    static func credential(_ l: LicenseRecord, at: Date, authorityName: String, statusIndex: Int, statusURI: String, imported: Bool = false) -> LicenseCredential {
        LicenseCredential(
            issuer: l.authority, holder: l.uscc, number: l.number,
            issuedAt: Int64(at.timeIntervalSince1970),
            notBefore: LicenseCredential.start(of: l.issuedOn), expiresAt: LicenseCredential.start(of: l.validUntil.adding(days: 1)), version: l.version,
            holderName: l.name, domicile: l.domicile, addresses: l.addresses.map(\.address),
            units: l.units.map { .init(no: $0.unitNo, name: $0.nameZh) }, authorityName: authorityName,
            statusIndex: statusIndex, statusURI: statusURI, imported: imported)
    }

    // MARK: Publication

    /// The signed checkpoint of the log as it stands; each size is signed once and kept.
    public func checkpoint(_ db: Database) async throws -> String {
        let saved = try await db.read { sql in try await TransparencyStore.checkpoint(sql, size: try await TransparencyStore.size(sql)) }
        if let saved { return saved }
        return try await db.write { sql in
            let n = try await TransparencyStore.size(sql)
            if let saved = try await TransparencyStore.checkpoint(sql, size: n) { return saved }
            let note = try Checkpoint(origin: origin, size: n, root: try await TransparencyStore.root(sql, size: n))
                .signed(name: origin, key: logKey.privateKey)
            try await TransparencyStore.saveCheckpoint(sql, size: n, note: note, at: clock.stamp)
            return note
        }
    }

    /// The status list of one issuing authority as a signed `statuslist+jwt`, good for a day.
    public func statusToken(_ sql: any SQLDatabase, list: String, now: Date) async throws -> String {
        guard let active = try await CredentialStore.activeKey(sql, authority: list) else {
            throw AppError(.status.unknownList)
        }
        let key = try keys.key(kid: active.kid)
        let iat = Int64(now.timeIntervalSince1970)
        return try await CredentialStore.statusList(sql, list: list)
            .token(uri: statusURI(list), issuer: list, issuedAt: iat, expiresAt: iat + 86_400, ttl: 3600, kid: key.kid, key: key.privateKey)
    }
}
