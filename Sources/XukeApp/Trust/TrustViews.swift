import Foundation
import Hummingbird
import SQLKit
import Synchronization
import XukeDomain
import XukeQR
import XukeStorage
public import XukeTrust

extension AppServices {
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

    func publicSearch(text: String, unit: String?, province: String?) async throws -> [PublicLicense] {
        let text = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(60))
        if let unit, !(unit.count == 4 && unit.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw AppError(.badRequest, code: "query.unit", zh: "产品单元编号应为4位数字", en: "A product unit number has four digits")
        }
        if let province, !(province.count == 6 && province.allSatisfy { $0.isASCII && $0.isNumber } && province.hasSuffix("0000")) {
            throw AppError(.badRequest, code: "query.province", zh: "省份应为6位行政区划代码（如440000）", en: "A province is a six-digit division code such as 440000")
        }
        guard !text.isEmpty || unit != nil || province != nil else {
            throw AppError(.badRequest, code: "query.empty", zh: "请输入证书编号、信用代码、企业名称，或选择产品单元、省份",
                           en: "Enter a license number, USCC or part of a name, or choose a unit or province")
        }
        return try await db.read { try await LicensingStore.publicSearch($0, text: text, unit: unit, province: province, limit: 50) }
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
        return CredentialView(license: publicLicense(l), jws: c.jws, kid: c.kid, statusIndex: c.index, statusList: trust.statusURI(c.list),
                              logIndex: try await TransparencyStore.lastIndex(sql, subject: "license/\(l.id)"))
    }

    static let noCredential = AppError(.notFound, code: "credential.none", zh: "该许可证没有电子证照", en: "This license has no e-license credential")

    func credentialView(licenseID: Int) async throws -> CredentialView {
        try await db.read { sql in
            guard let l = try await LicensingStore.license(sql, id: licenseID), let v = try await credentialView(sql, l) else { throw Self.noCredential }
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
    }

    /// Verifies a scanned credential against the published keys and the live status of its list entry. A
    /// credential that verifies but that this platform never recorded is treated as forged.
    public func verifyCredential(_ token: String) async throws -> VerifyResult {
        let token = String(token.trimmingCharacters(in: .whitespacesAndNewlines).prefix(8 * 1024))
        let now = Int64(clock.now().timeIntervalSince1970)
        return try await db.read { sql in
            let kid = try? CompactJWS.parse(token).kid
            let check = CredentialCheck.verify(token, keys: try await trust.jwks(sql, for: kid), now: now)
            guard let c = check.credential else { return VerifyResult(check) }
            // The live status comes from the credential's own row, which must be the very credential shown.
            guard let stored = try await CredentialStore.at(sql, list: c.issuer, index: c.statusIndex),
                  stored.sha256 == sha256Hex(Data(token.utf8)) else {
                return VerifyResult(CredentialCheck(
                    verdict: .notGenuine, code: "credential.not_on_record",
                    reason: LocalizedText(zh: "签名虽有效，但平台没有签发过此证照记录", en: "The signature checks out but the platform has no record of issuing it"),
                    credential: c, kid: check.kid, statusChecked: true))
            }
            var superseded: Bool? = nil
            if stored.status == .revoked, let newest = try await CredentialStore.current(sql, licenseID: stored.licenseID) {
                superseded = newest.version > stored.version
            }
            return VerifyResult(check.judged(status: stored.status.rawValue, now: now, superseded: superseded))
        }
    }
}

extension AppServices.VerifyResult {
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

/// A fixed-window limit per client for the public endpoints, so nobody can copy the register wholesale.
final class RateLimiter: Sendable {
    let perMinute: Int
    private let windows = Mutex<(minute: Int64, counts: [String: Int])>((0, [:]))

    init(perMinute: Int) { self.perMinute = perMinute }

    func check(_ client: String) throws {
        let minute = Int64(Date().timeIntervalSince1970) / 60
        let allowed = windows.withLock { w -> Bool in
            if w.minute != minute { w = (minute, [:]) }
            w.counts[client, default: 0] += 1
            return w.counts[client]! <= perMinute
        }
        guard allowed else {
            var e = AppError(.tooManyRequests, code: "query.throttled", zh: "查询过于频繁，请一分钟后再试", en: "Too many queries; try again in a minute")
            e.headers[.retryAfter] = "60"
            throw e
        }
    }
}
