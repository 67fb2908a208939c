import Foundation
import Hummingbird
import Synchronization
import XukeDomain
import XukeQR
import XukeStorage
import XukeTrust

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

    func credentialView(licenseID: Int) async throws -> CredentialView {
        try await db.read { sql in
            guard let l = try await LicensingStore.license(sql, id: licenseID),
                  let c = try await CredentialStore.current(sql, licenseID: licenseID) else {
                throw AppError(.notFound, code: "credential.none", zh: "该许可证没有电子证照", en: "This license has no e-license credential")
            }
            return CredentialView(license: publicLicense(l), jws: c.jws, kid: c.kid, statusIndex: c.index, statusList: trust.statusURI(c.list),
                                  logIndex: try await TransparencyStore.lastIndex(sql, subject: "license/\(l.id)"))
        }
    }

    func qrCode(_ jws: String) throws -> QRCode { try QRCode.encode(Array(jws.utf8), level: .M) }

    // MARK: Verification

    struct VerifyResult: Encodable, Sendable {
        var verdict: CredentialCheck.Verdict
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
    func verifyCredential(_ token: String) async throws -> VerifyResult {
        let token = String(token.trimmingCharacters(in: .whitespacesAndNewlines).prefix(8 * 1024))
        let now = Int64(clock.now().timeIntervalSince1970)
        return try await db.read { sql in
            var check = CredentialCheck.verify(token, keys: try await trust.jwks(sql), now: now)
            if let c = check.credential {
                let stored = try await CredentialStore.at(sql, list: c.issuer, index: c.statusIndex)
                guard let stored, stored.sha256 == Merkle.sha256(Array(token.utf8)).hex else {
                    check = CredentialCheck(verdict: .notGenuine, code: "credential.not_on_record",
                                            reason: LocalizedText(zh: "签名虽有效，但平台没有签发过此证照记录", en: "The signature checks out but the platform has no record of issuing it"),
                                            credential: c, kid: check.kid, statusChecked: true)
                    return VerifyResult(check)
                }
                check.statusChecked = true
                if stored.status == .revoked {
                    let superseded = try await CredentialStore.current(sql, licenseID: stored.licenseID).map { $0.version > stored.version } ?? false
                    check.verdict = .revoked
                    check.code = superseded ? "credential.superseded" : "credential.revoked"
                    check.reason = superseded
                        ? LocalizedText(zh: "此证照已被新版本取代，请使用最新证照", en: "A newer version of this license replaces this credential")
                        : LocalizedText(zh: "许可证已被撤销、吊销或注销", en: "The license has been revoked or cancelled")
                } else if stored.status == .suspended {
                    check.verdict = .suspended
                    check.code = "credential.suspended"
                    check.reason = LocalizedText(zh: "许可证已被暂停", en: "The license is suspended")
                } else if check.code == "credential.valid_unchecked" {
                    check.code = "credential.valid"
                    check.reason = LocalizedText(zh: "许可证有效", en: "The license is valid")
                }
            }
            return VerifyResult(check)
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
                   authority: $0.authorityName, validUntil: CivilDate(dayNumber: Int(($0.expiresAt + 8 * 3600) / 86_400) - 1).description)
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
