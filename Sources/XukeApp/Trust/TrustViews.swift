import Foundation
import Hummingbird
import SQLKit
import Synchronization
import XukeDomain
import XukeQR
import XukeStorage
public import XukeTrust

extension TrustService {
    /// Any licence, with its QR code and log position read in the same transaction.
    func licenseWithCredential(id: Int) async throws -> (LicenseRecord, CredentialBlock?) {
        try await db.read { sql in
            guard let l = try await LicenseStore.license(sql, id: id) else { throw AppError.notFound("license \(id)") }
            return (l, try await credentialBlock(sql, l))
        }
    }

    /// The QR code and log position shown beside a licence, read in the same transaction as the licence.
    func credentialBlock(_ sql: any SQLDatabase, _ l: LicenseRecord) async throws -> CredentialBlock? {
        guard let c = try await CredentialStore.current(sql, licenseID: l.id) else { return nil }
        return CredentialBlock(jws: c.jws, svg: try qrCode(c.jws).svg(), logIndex: try await TransparencyStore.lastIndex(sql, subject: "license/\(l.id)"), id: l.id)
    }

    /// A license as anyone may see it: what is printed on the certificate, nothing more.
    struct PublicLicense: Encodable, Sendable {
        struct Unit: Encodable, Sendable { var no: String; var nameZh: String; var nameEn: String }
        var id: Int
        var number: String
        var holder: String
        var uscc: String
        var domicile: String
        var addresses: [String]
        var units: [Unit]
        var status: LicenseStatus
        var statusName: LocalizedText
        var issuedOn: CivilDate
        var validUntil: CivilDate
        var authority: String
        var authorityName: String
        var version: Int
    }

    func publicLicense(_ l: LicenseRecord) -> PublicLicense {
        let status = l.status(on: clock.today)
        return PublicLicense(id: l.id, number: l.number, holder: l.name, uscc: l.uscc, domicile: l.domicile, addresses: l.addresses.map(\.address),
                             units: l.units.map { .init(no: $0.unitNo, nameZh: $0.nameZh, nameEn: $0.nameEn) }, status: status,
                             statusName: status.name, issuedOn: l.issuedOn, validUntil: l.validUntil, authority: l.authority,
                             authorityName: authorityName(l.authority), version: l.version)
    }

    /// At most 50 licences, newest first, or a page of them.
    func publicSearch(text: String, unit: String?, province: String?, paging: Paging? = nil) async throws -> [PublicLicense] {
        let text = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(60))
        if let unit, !(unit.count == 4 && unit.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw AppError(.query.unit)
        }
        if let province, !(province.count == 6 && province.allSatisfy { $0.isASCII && $0.isNumber } && province.hasSuffix("0000")) {
            throw AppError(.query.province)
        }
        guard !text.isEmpty || unit != nil || province != nil else {
            throw AppError(.query.empty)
        }
        let before = try paging?.afterID()
        return try await db.read { try await LicenseStore.publicSearch($0, text: text, unit: unit, province: province, limit: paging?.fetch ?? 50, before: before) }
            .map(publicLicense)
    }

    // MARK: Credentials

    struct CredentialView: Encodable, Sendable {
        var license: PublicLicense
        var jws: String
        var kid: String
        var statusIndex: Int
        var statusList: String
        /// The log entry of the event that stands behind the license's current state.
        var logIndex: Int?
    }

    /// The license's current credential, or nil when it holds none (licenses never issued one, say).
    func credentialView(_ sql: any SQLDatabase, _ l: LicenseRecord) async throws -> CredentialView? {
        guard let c = try await CredentialStore.current(sql, licenseID: l.id) else { return nil }
        return CredentialView(license: publicLicense(l), jws: c.jws, kid: c.kid, statusIndex: c.index, statusList: transparency.statusURI(c.list),
                              logIndex: try await TransparencyStore.lastIndex(sql, subject: "license/\(l.id)"))
    }

    static let noCredential = AppError(.credential.`none`)

    func credentialView(licenseID: Int) async throws -> CredentialView {
        try await db.read { sql in
            guard let l = try await LicenseStore.license(sql, id: licenseID), let v = try await credentialView(sql, l) else { throw Self.noCredential }
            return v
        }
    }

    /// Just the JWS, for the QR images.
    func currentCredential(licenseID: Int) async throws -> String {
        guard let c = try await db.read({ try await CredentialStore.current($0, licenseID: licenseID) }) else { throw Self.noCredential }
        return c.jws
    }

    func qrCode(_ jws: String) throws -> QRCode { try QRCode.encode(Array(jws.utf8), level: .M) }

    // MARK: Verification

    public struct VerifyResult: Encodable, Sendable {
        public var verdict: CredentialCheck.Verdict
        var code: String
        var reason: LocalizedText
        var statusChecked: Bool
        var kid: String?
        var license: Claims?
        struct Claims: Encodable, Sendable {
            var number: String
            var holder: String
            var uscc: String
            var version: Int
            var units: [LicenseCredential.Unit]
            var authority: String
            var validUntil: String
        }

        /// The same fields as the Codable form, written without JSONEncoder: this answer is the hot path of
        /// the public verify endpoint.
        var json: JSONValue {
            var m: [String: JSONValue] = ["verdict": .string(verdict.rawValue), "code": .string(code),
                                          "reason": ["zh": .string(reason.zh), "en": .string(reason.en)], "status_checked": .bool(statusChecked)]
            if let kid { m["kid"] = .string(kid) }
            if let l = license {
                m["license"] = ["number": .string(l.number), "holder": .string(l.holder), "uscc": .string(l.uscc), "version": .int(Int64(l.version)),
                                "units": .array(l.units.map { ["no": .string($0.no), "name": .string($0.name)] }),
                                "authority": .string(l.authority), "valid_until": .string(l.validUntil)]
            }
            return .object(m)
        }
    }

    /// The verify endpoint's answer as JSON bytes: reused while the credential's status is fresh, since the
    /// same QR codes are scanned again and again.
    func verifyAnswer(_ token: String) async throws -> [UInt8] {
        let token = Self.verifiable(token)
        let now = clock.seconds
        let generation = db.writeGeneration
        if let bytes = verifyCache.answer(token, generation: generation, now: now) { return bytes }
        let bytes = try await verify(token, now: now).json.canonical
        verifyCache.setAnswer(token, bytes, generation: generation, now: now)
        return bytes
    }

    /// The token as verified: without surrounding spaces, and no longer than any credential can be.
    static func verifiable(_ token: String) -> String {
        String(decoding: CredentialCheck.trimmed(token).utf8.prefix(8 * 1024), as: UTF8.self)
    }

    /// Verifies a scanned credential against the published keys and the live status of its list entry. A
    /// credential that verifies but that this platform never recorded is treated as forged.
    public func verifyCredential(_ token: String) async throws -> VerifyResult {
        try await verify(Self.verifiable(token), now: clock.seconds)
    }

    /// One verification at one moment, so the verdict and any answer cached from it agree on the time.
    func verify(_ token: String, now: Int64) async throws -> VerifyResult {
        let check: CredentialCheck
        if let known = verifyCache.signature(token) {
            check = known
        } else {
            let parsed = try? CompactJWS.parse(token)
            let keys = try await transparency.jwks(db, for: parsed?.kid)
            check = CredentialCheck.verify(parsed: parsed, keys: keys, now: now)
            if check.credential != nil { verifyCache.setSignature(token, check) }
        }
        guard let c = check.credential else { return VerifyResult(check) }
        guard let live = try await liveStatus(token, c) else {
            return VerifyResult(CredentialCheck(
                verdict: .notGenuine, code: "credential.not_on_record",
                reason: LocalizedText(zh: "签名虽有效，但平台没有签发过此证照记录", en: "The signature checks out but the platform has no record of issuing it"),
                credential: c, kid: check.kid, statusChecked: true))
        }
        return VerifyResult(check.judged(status: live.status, now: now, superseded: live.superseded))
    }

    /// The status of the credential's own row, which must hold this very credential (nil: it does not).
    func liveStatus(_ token: String, _ c: LicenseCredential) async throws -> VerifyCache.Status? {
        let generation = db.writeGeneration, readAt = ContinuousClock.now
        if let known = verifyCache.status(token, generation: generation) { return known }
        let value = try await db.read { sql -> VerifyCache.Status? in
            guard let stored = try await CredentialStore.statusEntry(sql, list: c.issuer, index: c.statusIndex),
                  stored.sha256 == sha256Hex(Data(token.utf8)) else { return nil }
            var superseded: Bool? = nil
            if stored.status == .revoked, let newest = try await CredentialStore.current(sql, licenseID: stored.licenseId) {
                superseded = newest.version > stored.version
            }
            return VerifyCache.Status(status: stored.status.rawValue, superseded: superseded)
        }
        verifyCache.setStatus(token, value, generation: generation, readAt: readAt)
        return value
    }
}

extension TrustService.VerifyResult {
    init(_ c: CredentialCheck) {
        verdict = c.verdict
        code = c.code
        reason = c.reason
        statusChecked = c.statusChecked
        kid = c.kid
        license = c.credential.map {
            Claims(number: $0.number, holder: $0.holderName, uscc: $0.holder, version: $0.version, units: $0.units,
                   authority: $0.authorityName, validUntil: $0.lastValidDay.description)
        }
    }
}

/// What the verify endpoint has already worked out, by the credential's exact text. The same QR codes are
/// scanned over and over; an Ed25519 check costs more than the rest of a verification, and a database read
/// more than the HTTP exchange.
///
/// A signature, once checked, stays checked. A status is reused for at most `statusSeconds`, and only while
/// this server has committed no write since it was read, so a change made here is seen at once and one made
/// by another server or a command-line tool within `statusSeconds`. (The status lists themselves may be
/// cached by their readers for five minutes.)
final class VerifyCache: Sendable {
    struct Status: Sendable {
        var status: UInt8
        var superseded: Bool?
    }

    let capacity: Int
    let statusSeconds: Double
    private struct Entry {
        var check: CredentialCheck
        var status: Status?? = nil
        var generation = -1
        var readAt: ContinuousClock.Instant = .now
        /// The encoded answer for that status, good while the time stays within `window` (the verdict on a
        /// genuine credential changes with the time only at its start and its end).
        var answer: (bytes: [UInt8], window: Range<Int64>)? = nil
    }
    private let entries = Mutex<[String: Entry]>([:])

    private func fresh(_ e: Entry, generation: Int) -> Bool {
        e.status != nil && e.generation == generation && ContinuousClock.now - e.readAt < .seconds(statusSeconds)
    }

    /// The encoded answer, if its status is still fresh and the time has not crossed the credential's start or end.
    func answer(_ token: String, generation: Int, now: Int64) -> [UInt8]? {
        entries.withLock { m in
            guard let e = m[token], fresh(e, generation: generation), let a = e.answer, a.window.contains(now) else { return nil }
            return a.bytes
        }
    }

    func setAnswer(_ token: String, _ bytes: [UInt8], generation: Int, now: Int64) {
        entries.withLock { m in
            guard let e = m[token], fresh(e, generation: generation), let c = e.check.credential else { return }
            let window: Range<Int64> = now < c.notBefore ? Int64.min..<c.notBefore : now < c.expiresAt ? c.notBefore..<c.expiresAt : c.expiresAt..<Int64.max
            m[token]?.answer = (bytes, window)
        }
    }

    init(capacity: Int = 10_000, statusSeconds: Double = 1) {
        self.capacity = capacity
        self.statusSeconds = statusSeconds
    }

    func signature(_ token: String) -> CredentialCheck? { entries.withLock { $0[token]?.check } }

    func setSignature(_ token: String, _ check: CredentialCheck) {
        entries.withLock { m in
            // A concurrent first scan may have filled it already, status and all.
            guard m[token] == nil else { return }
            // A crude bound: the credentials in use come back at once.
            if m.count >= capacity { m.removeAll(keepingCapacity: true) }
            m[token] = Entry(check: check)
        }
    }

    /// The cached status (itself nil when the credential is not on record), if still good.
    func status(_ token: String, generation: Int) -> Status?? {
        entries.withLock { m in
            guard let e = m[token], fresh(e, generation: generation) else { return nil }
            return e.status
        }
    }

    /// `readAt` is taken before the query, so a status is never reused for longer than `statusSeconds` after it was asked for.
    func setStatus(_ token: String, _ status: Status?, generation: Int, readAt: ContinuousClock.Instant) {
        entries.withLock { m in
            guard var e = m[token] else { return }
            e.status = .some(status)
            e.generation = generation
            e.readAt = readAt
            e.answer = nil
            m[token] = e
        }
    }
}


/// The QR code and links a certificate page shows, when the license holds a credential.
struct CredentialBlock: Encodable, Sendable {
    var jws: String
    var svg: String
    var logIndex: Int?
    var id: Int
}
