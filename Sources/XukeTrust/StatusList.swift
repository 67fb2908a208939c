public import Crypto
import XukeZlib

/// IETF OAuth Token Status List with 2 bits per entry: entry i sits at bit i·2 counted from the least
/// significant bit of byte 0.
public struct StatusList: Sendable, Equatable {
    public enum Status: UInt8, Sendable, Codable { case valid = 0, revoked = 1, suspended = 2 }
    public static let bits = 2
    public private(set) var bytes: [UInt8]

    public init(count: Int = 0) { bytes = [UInt8](repeating: 0, count: (count * Self.bits + 7) / 8) }
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var capacity: Int { bytes.count * 8 / Self.bits }

    /// The entry at `index`, or nil when the list does not reach that far: a verifier must not read an entry the
    /// issuer never wrote as "valid".
    public func status(at index: Int) -> UInt8? {
        index >= 0 && index < capacity ? self[index] : nil
    }

    public subscript(index: Int) -> UInt8 {
        get {
            guard index >= 0, index < capacity else { return 0 }
            let bit = index * Self.bits
            return (bytes[bit / 8] >> UInt8(bit % 8)) & 0b11
        }
        set {
            let bit = index * Self.bits
            while bit / 8 >= bytes.count { bytes.append(0) }
            bytes[bit / 8] = bytes[bit / 8] & ~(0b11 << UInt8(bit % 8)) | ((newValue & 0b11) << UInt8(bit % 8))
        }
    }

    /// The signed `statuslist+jwt` for this list at `uri`.
    public func token(uri: String, issuer: String, issuedAt: Int64, expiresAt: Int64, ttl: Int64, kid: String,
                      key: Curve25519.Signing.PrivateKey) throws -> String {
        let claims: JSONValue = [
            "iss": .string(issuer), "sub": .string(uri), "iat": .int(issuedAt), "exp": .int(expiresAt), "ttl": .int(ttl),
            "status_list": ["bits": .int(Int64(Self.bits)), "lst": .string(Base64URL.encode(Zlib.compress(bytes)))],
        ]
        return try CompactJWS.sign(typ: "statuslist+jwt", kid: kid, claims: claims, key: key)
    }

    /// A status list token checked against the key set: its signature, type and (given `now`) expiry.
    public struct Token: Sendable {
        public var uri: String
        /// The authority whose key signed the list (and whom its `iss` names).
        public var issuer: String
        public var issuedAt: Int64?
        public var expiresAt: Int64?
        public var list: StatusList
    }

    public static func open(_ token: String, keys: JWKSet) throws -> Token {
        let jws = try CompactJWS.parse(token)
        guard jws.typ == "statuslist+jwt" else { throw TrustError.malformed("typ is not statuslist+jwt") }
        let jwk = try jws.verify(with: keys)
        guard jws.claims["iss"]?.stringValue == jwk.iss else { throw TrustError.malformed("the list's iss is not the authority of its key") }
        if let iat = jws.claims["iat"]?.intValue, jwk.signedAfterRetirement(iat) {
            throw TrustError.malformed("the list was signed by a key after its retirement")
        }
        guard let uri = jws.claims["sub"]?.stringValue, let sl = jws.claims["status_list"],
              sl["bits"]?.intValue == Int64(bits), let lst = sl["lst"]?.stringValue, let packed = Base64URL.decode(lst) else {
            throw TrustError.malformed("status_list needs sub, bits = 2 and lst")
        }
        return Token(uri: uri, issuer: jwk.iss, issuedAt: jws.claims["iat"]?.intValue, expiresAt: jws.claims["exp"]?.intValue, list: StatusList(bytes: try Zlib.decompress(packed)))
    }
}
