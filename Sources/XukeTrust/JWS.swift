public import Crypto
import Foundation

/// An Ed25519 public key as a JWK (RFC 8037), with the authority it signs for and when it was retired.
public struct JWK: Sendable, Equatable, Codable {
    public var kty = "OKP"
    public var crv = "Ed25519"
    public var x: String
    public var kid: String
    public var alg = "EdDSA"
    public var use = "sig"
    /// The issuing authority whose credentials this key signs.
    public var iss: String
    /// Set once the key signs nothing new; it stays published so earlier credentials still verify.
    public var retired: String?

    public init(publicKey: [UInt8], authority: String, retired: String? = nil) {
        x = Base64URL.encode(publicKey)
        kid = JWK.keyID(publicKey)
        iss = authority
        self.retired = retired
    }

    /// A retired key signs nothing new. Whatever it claims to have signed (`iat`, Unix seconds) more than five
    /// minutes after its retirement is refused; the margin covers an issuance that overlapped the rotation and
    /// clocks a little apart. (A leaked key can backdate `iat`: this catches honest use, not theft.)
    public func signedAfterRetirement(_ issuedAt: Int64) -> Bool {
        guard let retired, let at = try? Date(retired, strategy: .iso8601) else { return false }
        return issuedAt > Int64(at.timeIntervalSince1970) + 300
    }

    /// The first 16 characters of the RFC 7638 thumbprint: short enough for a QR code, unique in practice.
    public static func keyID(_ publicKey: [UInt8]) -> String {
        let members: JSONValue = ["crv": "Ed25519", "kty": "OKP", "x": .string(Base64URL.encode(publicKey))]
        return String(Base64URL.encode(Merkle.sha256(members.canonical)).prefix(16))
    }

    public var publicKey: Curve25519.Signing.PublicKey? {
        guard kty == "OKP", crv == "Ed25519", let raw = Base64URL.decode(x), raw.count == 32 else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }
}

public struct JWKSet: Sendable, Equatable, Codable {
    public var keys: [JWK]
    public init(keys: [JWK]) { self.keys = keys }
    public func key(_ kid: String) -> JWK? { keys.first { $0.kid == kid } }
}

/// A compact JWS (RFC 7515) signed with Ed25519 over canonical JSON header and claims.
public struct CompactJWS: Sendable {
    public var header: JSONValue
    public var claims: JSONValue
    public var signingInput: [UInt8]
    public var signature: [UInt8]

    public static func sign(typ: String, kid: String, claims: JSONValue, key: Curve25519.Signing.PrivateKey) throws -> String {
        let header: JSONValue = ["alg": "EdDSA", "kid": .string(kid), "typ": .string(typ)]
        let input = Base64URL.encode(header.canonical) + "." + Base64URL.encode(claims.canonical)
        let signature = try key.signature(for: Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }

    /// Splits and decodes; says nothing yet about the signature.
    public static func parse(_ text: String) throws -> CompactJWS {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw TrustError.malformed("a compact JWS has three dot-separated parts") }
        guard let h = Base64URL.decode(parts[0]), let p = Base64URL.decode(parts[1]), let s = Base64URL.decode(parts[2]) else {
            throw TrustError.malformed("a part is not base64url")
        }
        guard let header = try? JSONValue.parse(h), case .object = header, let claims = try? JSONValue.parse(p), case .object = claims else {
            throw TrustError.malformed("header or claims are not a JSON object")
        }
        return CompactJWS(header: header, claims: claims, signingInput: Array(text.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)), signature: s)
    }

    public var kid: String? { header["kid"]?.stringValue }
    public var typ: String? { header["typ"]?.stringValue }

    /// Checks alg and the signature against the key set; throws the specific reason it fails.
    public func verify(with keys: JWKSet) throws -> JWK {
        guard header["alg"]?.stringValue == "EdDSA" else { throw TrustError.malformed("alg is not EdDSA") }
        guard let kid, let jwk = keys.key(kid), let pub = jwk.publicKey else { throw TrustError.unknownKey(kid ?? "(none)") }
        guard signature.count == 64, pub.isValidSignature(signature, for: signingInput) else { throw TrustError.badSignature }
        return jwk
    }
}
