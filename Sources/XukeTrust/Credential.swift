public import Crypto
public import Foundation
public import XukeDomain

/// The claims of an e-license (docs/FORMATS.md §1). Inside `lic` the keys are short because the whole
/// JWS has to fit a QR code a phone reads from paper.
public struct LicenseCredential: Sendable, Equatable {
    public struct Unit: Sendable, Equatable, Codable {
        public var no: String
        public var name: String
        public init(no: String, name: String) { self.no = no; self.name = name }
    }

    public static let type = "lic+jwt"

    public var issuer: String
    public var holder: String
    public var number: String
    public var issuedAt: Int64
    public var notBefore: Int64
    public var expiresAt: Int64
    public var version: Int
    public var holderName: String
    public var domicile: String
    public var addresses: [String]
    public var units: [Unit]
    public var authorityName: String
    public var statusIndex: Int
    public var statusURI: String
    /// Signed when a licence of before the platform was brought in (`lic.imp`): the platform did not decide it.
    public var imported: Bool

    public init(issuer: String, holder: String, number: String, issuedAt: Int64, notBefore: Int64, expiresAt: Int64, version: Int,
                holderName: String, domicile: String, addresses: [String], units: [Unit], authorityName: String,
                statusIndex: Int, statusURI: String, imported: Bool = false) {
        self.issuer = issuer
        self.holder = holder
        self.number = number
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.version = version
        self.holderName = holderName
        self.domicile = domicile
        self.addresses = addresses
        self.units = units
        self.authorityName = authorityName
        self.statusIndex = statusIndex
        self.statusURI = statusURI
        self.imported = imported
    }

    public var claims: JSONValue {
        var lic: [String: JSONValue] = [
            "name": .string(holderName), "dom": .string(domicile), "addr": .array(addresses.map { .string($0) }),
            "units": .array(units.map { [.string($0.no), .string($0.name)] }), "auth": .string(authorityName),
        ]
        if imported { lic["imp"] = .bool(true) }
        return [
            "iss": .string(issuer), "sub": .string(holder), "jti": .string(number),
            "iat": .int(issuedAt), "nbf": .int(notBefore), "exp": .int(expiresAt), "ver": .int(Int64(version)),
            "lic": .object(lic),
            "status": ["status_list": ["idx": .int(Int64(statusIndex)), "uri": .string(statusURI)]],
        ]
    }

    public init?(claims c: JSONValue) {
        guard let iss = c["iss"]?.stringValue, let sub = c["sub"]?.stringValue, let jti = c["jti"]?.stringValue,
              let iat = c["iat"]?.intValue, let nbf = c["nbf"]?.intValue, let exp = c["exp"]?.intValue,
              let ver = c["ver"]?.intValue, let lic = c["lic"],
              let name = lic["name"]?.stringValue, let dom = lic["dom"]?.stringValue, let auth = lic["auth"]?.stringValue,
              let addr = lic["addr"]?.arrayValue, let units = lic["units"]?.arrayValue,
              let sl = c["status"]?["status_list"], let idx = sl["idx"]?.intValue, idx >= 0, let uri = sl["uri"]?.stringValue
        else { return nil }
        let addresses = addr.compactMap(\.stringValue)
        let pairs = units.compactMap { u -> Unit? in
            guard let a = u.arrayValue, a.count == 2, let no = a[0].stringValue, let n = a[1].stringValue else { return nil }
            return Unit(no: no, name: n)
        }
        guard addresses.count == addr.count, pairs.count == units.count else { return nil }
        self.init(issuer: iss, holder: sub, number: jti, issuedAt: iat, notBefore: nbf, expiresAt: exp, version: Int(ver),
                  holderName: name, domicile: dom, addresses: addresses, units: pairs, authorityName: auth,
                  statusIndex: Int(idx), statusURI: uri, imported: lic["imp"]?.boolValue ?? false)
    }

    /// 00:00 Beijing time (UTC+8, no daylight saving since 1991) of a day, as a NumericDate: `nbf` is the
    /// start of the issue day and `exp` the start of the day after the last day of validity.
    public static func start(of day: CivilDate) -> Int64 { day.startInChina }

    /// The last day of validity, as printed on the certificate.
    public var lastValidDay: CivilDate { CivilDate(inChinaAt: expiresAt).adding(days: -1) }

    public func sign(kid: String, key: Curve25519.Signing.PrivateKey) throws -> String {
        try CompactJWS.sign(typ: Self.type, kid: kid, claims: claims, key: key)
    }
}

/// What a verifier concludes about a scanned credential, with the reason in both languages.
public struct CredentialCheck: Sendable {
    public enum Verdict: String, Sendable, Codable {
        case valid, revoked, suspended, expired
        case notYetValid = "not_yet_valid"
        case notGenuine = "not_genuine"
    }

    public var verdict: Verdict
    public var code: String
    public var reason: LocalizedText
    public var credential: LicenseCredential?
    public var kid: String?
    /// False when no (fresh) status list was at hand, so revocation could not be ruled out.
    public var statusChecked: Bool

    public init(verdict: Verdict, code: String, reason: LocalizedText, credential: LicenseCredential?, kid: String?, statusChecked: Bool) {
        self.verdict = verdict
        self.code = code
        self.reason = reason
        self.credential = credential
        self.kid = kid
        self.statusChecked = statusChecked
    }

    /// A pasted token without the spaces and line breaks around it (ASCII only: a JWS is ASCII).
    public static func trimmed(_ text: String) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        let u = text.utf8
        guard let first = u.firstIndex(where: { !isSpace($0) }), let last = u.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    static func fake(_ code: String, zh: String, en: String) -> CredentialCheck {
        CredentialCheck(verdict: .notGenuine, code: code, reason: LocalizedText(zh: zh, en: en), credential: nil, kid: nil, statusChecked: false)
    }

    /// Verifies offline: the JWK Set, and optionally the status lists already fetched (keyed by their URI).
    public static func verify(_ token: String, keys: JWKSet, statusLists: [String: StatusList.Token] = [:], now: Int64) -> CredentialCheck {
        verify(parsed: try? CompactJWS.parse(trimmed(token)), keys: keys, statusLists: statusLists, now: now)
    }

    /// The same, for a token already split and decoded (nil: it could not be).
    public static func verify(parsed: CompactJWS?, keys: JWKSet, statusLists: [String: StatusList.Token] = [:], now: Int64) -> CredentialCheck {
        guard let jws = parsed else {
            return fake("credential.malformed", zh: "不是完整的电子证照编码（可能被截断或改动）", en: "Not a complete credential (truncated or altered)")
        }
        guard jws.typ == LicenseCredential.type else {
            return fake("credential.wrong_type", zh: "这不是许可证电子证照（typ 不符）", en: "This is not a license credential (wrong typ)")
        }
        let jwk: JWK
        do { jwk = try jws.verify(with: keys) } catch TrustError.unknownKey {
            return fake("credential.unknown_key", zh: "签名密钥不是任何发证机关公布的密钥", en: "Signed with a key no issuing authority has published")
        } catch {
            return fake("credential.bad_signature", zh: "签名不符：内容已被篡改或伪造", en: "The signature does not match: altered or forged")
        }
        guard let c = LicenseCredential(claims: jws.claims) else {
            return fake("credential.claims", zh: "电子证照缺少必需内容", en: "The credential lacks required claims")
        }
        guard c.issuer == jwk.iss else {
            return fake("credential.wrong_issuer", zh: "签名密钥不属于证照上的发证机关", en: "The key does not belong to the issuer named on the credential")
        }
        // A retired key signs nothing new: a credential it signed after retiring was made with a key that left service.
        if jwk.signedAfterRetirement(c.issuedAt) {
            return fake("credential.key_retired", zh: "签名密钥在此证照签发前已停用", en: "The signing key was retired before this credential was issued")
        }
        // Only the issuer's own, unexpired list speaks for the credential.
        let list = statusLists[c.statusURI].flatMap { list in
            list.issuer == c.issuer && (list.expiresAt.map { $0 > now } ?? true) ? list : nil
        }
        return CredentialCheck(verdict: .valid, code: "credential.valid", reason: LocalizedText(zh: "许可证有效", en: "The license is valid"),
                               credential: c, kid: jwk.kid, statusChecked: false)
            .judged(status: list?.list.status(at: c.statusIndex), now: now)
    }

    /// The verdict on a genuine credential from its status entry (nil when no current list was at hand) and
    /// the time: a revocation or suspension outranks expiry. `superseded` says whether a revocation came from a
    /// newer version of the license, which only the issuer knows (nil: not known, as offline).
    public func judged(status: UInt8?, now: Int64, superseded: Bool? = nil) -> CredentialCheck {
        guard let c = credential else { return self }
        var check = self
        check.statusChecked = status != nil
        func say(_ verdict: Verdict, _ code: String, zh: String, en: String) -> CredentialCheck {
            check.verdict = verdict
            check.code = code
            check.reason = LocalizedText(zh: zh, en: en)
            return check
        }
        switch status {
        case StatusList.Status.revoked.rawValue?:
            switch superseded {
            case true?: return say(.revoked, "credential.superseded", zh: "此证照已被新版本取代，请使用最新证照", en: "A newer version of this license replaces this credential")
            case false?: return say(.revoked, "credential.revoked", zh: "许可证已被撤销、吊销或注销", en: "The license has been revoked or cancelled")
            case nil: return say(.revoked, "credential.revoked", zh: "该证照已失效（许可证被撤销、吊销、注销或已换发新版本）",
                                 en: "This credential is void (license revoked, cancelled, or replaced by a newer version)")
            }
        case StatusList.Status.suspended.rawValue?:
            return say(.suspended, "credential.suspended", zh: "许可证已被暂停", en: "The license is suspended")
        default: break
        }
        if now >= c.expiresAt {
            return say(.expired, "credential.expired", zh: "许可证已过有效期", en: "The license has passed its end of validity")
        }
        if now < c.notBefore {
            return say(.notYetValid, "credential.not_yet_valid", zh: "许可证尚未生效", en: "The license is not yet in force")
        }
        if status == nil {
            return say(.valid, "credential.valid_unchecked", zh: "签名有效、在有效期内；未能核对最新状态列表，无法排除已撤销",
                       en: "Genuine and within its validity; no current status list was at hand, so revocation is not ruled out")
        }
        return say(.valid, "credential.valid", zh: "许可证有效", en: "The license is valid")
    }
}

extension CredentialCheck {
    /// Input to an offline check that is not what the platform publishes.
    public struct InputError: Error, CustomStringConvertible {
        public var reason: LocalizedText
        public var description: String { "\(reason.zh) / \(reason.en)" }
    }

    /// Offline verification from what a verifier keeps: the JWK Set as served at /.well-known/jwks.json and
    /// any status list tokens saved from /status/<list>, each checked against those keys before it is believed.
    public static func verifyOffline(_ token: String, jwks: Data, statusTokens: [String], now: Int64) throws(InputError) -> CredentialCheck {
        guard let keys = try? JSONDecoder().decode(JWKSet.self, from: jwks) else {
            throw InputError(reason: LocalizedText(zh: "公钥集文件不是 JWK Set", en: "The key set is not a JWK Set"))
        }
        var lists: [String: StatusList.Token] = [:]
        for text in statusTokens {
            do {
                let list = try StatusList.open(trimmed(text), keys: keys)
                // Of two lists for one address, the newer speaks.
                if let held = lists[list.uri], (held.issuedAt ?? 0) > (list.issuedAt ?? 0) { continue }
                lists[list.uri] = list
            } catch {
                throw InputError(reason: LocalizedText(zh: "状态列表无效或不是这些公钥签发的（\(error)）",
                                                       en: "A status list is malformed or not signed by these keys (\(error))"))
            }
        }
        return verify(token, keys: keys, statusLists: lists, now: now)
    }
}
