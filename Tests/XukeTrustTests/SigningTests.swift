import Crypto
import Foundation
import Testing
import XukeDomain
@testable import XukeTrust
import XukeZlib

@Suite struct CheckpointTests {
    @Test func reproducesTheCheckpointVectorByteForByte() throws {
        let v = try Vectors.json("checkpoint_vector")
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](hex: v["ed25519_seed_hex"] as! String)!)
        #expect(Array(key.publicKey.rawRepresentation).hex == v["public_key_hex"] as? String)
        let origin = v["origin"] as! String
        let verifier = NoteVerifierKey(name: origin, publicKey: Array(key.publicKey.rawRepresentation))
        #expect(verifier.keyID.hex == v["key_id_hex"] as? String)
        #expect(verifier.vkey == v["vkey"] as? String)
        let leaves = (try Vectors.json("rfc6962_vectors")["leaves_hex"] as! [String]).prefix(7).map { Merkle.leafHash([UInt8](hex: $0)!) }
        let checkpoint = Checkpoint(origin: origin, size: 7, root: Merkle.root(ofLeafHashes: leaves))
        let note = try checkpoint.signed(name: origin, key: key)
        #expect(note == v["checkpoint"] as? String)
        #expect(try Checkpoint.open(note, key: try #require(NoteVerifierKey(vkey: verifier.vkey))) == checkpoint)
    }

    @Test func refusesAlteredOrForeignNotes() throws {
        let key = Curve25519.Signing.PrivateKey()
        let other = Curve25519.Signing.PrivateKey()
        let cp = Checkpoint(origin: "example.org/log", size: 12, root: Merkle.sha256([1, 2, 3]))
        let note = try cp.signed(name: "example.org/log", key: key)
        let verifier = NoteVerifierKey(name: "example.org/log", publicKey: Array(key.publicKey.rawRepresentation))
        #expect(try Checkpoint.open(note, key: verifier) == cp)
        #expect(throws: TrustError.badSignature) { try Checkpoint.open(note.replacingOccurrences(of: "\n12\n", with: "\n13\n"), key: verifier) }
        let foreign = NoteVerifierKey(name: "example.org/log", publicKey: Array(other.publicKey.rawRepresentation))
        #expect(throws: TrustError.badSignature) { try Checkpoint.open(note, key: foreign) }
        #expect(throws: (any Error).self) { try Checkpoint.open("example.org/log\n12\n", key: verifier) }
        #expect(NoteVerifierKey(vkey: "name+00000000+AUa15o0fMoC8Bv44FCJJJiVT0LGxtZqxYKsbeVxLmNXN") == nil)
    }
}

@Suite struct CanonicalJSONTests {
    @Test func sortsKeysAndEscapesAsRFC8785() {
        let v: JSONValue = ["b": 1, "a": ["x": true, "é": .null], "c": "line\nquote\" \u{1} 许可 /"]
        #expect(v.canonicalString == #"{"a":{"x":true,"é":null},"b":1,"c":"line\nquote\" \u0001 许可 /"}"#)
        // Keys compare by UTF-16 code units, so U+1F600 (surrogates D83D DE00) sorts before U+FF21.
        let emoji: JSONValue = ["\u{FF21}": 1, "\u{1F600}": 2]
        #expect(emoji.canonicalString == "{\"\u{1F600}\":2,\"\u{FF21}\":1}")
    }

    @Test func parsesWhatItWritesAndRefusesWhatItNeverWrites() throws {
        let v: JSONValue = ["b": -9_223_372_036_854_775_808, "a": ["x": true, "y": false, "é": .null, "list": [1, "two", []]],
                            "c": "line\nquote\" \u{1} 许可 / \u{1F600}", "d": [:]]
        #expect(try JSONValue.parse(v.canonical) == v)
        #expect(try JSONValue.parse(Array(#" { "a" : [ 1 , 2 ] , "s" : "\u00e9\ud83d\ude00\/" } "#.utf8)) == ["a": [1, 2], "s": "é\u{1F600}/"])
        for bad in [#"{"a":1,"a":2}"#, "1.5", "1e3", "01", "-", #""\ud83d""#, #""\x""#, "\"tab\there\"", "[1,]", "{}{}",
                    "9223372036854775808", String(repeating: "[", count: 65) + String(repeating: "]", count: 65), #""\u12""#, "tru", ""] {
            #expect(throws: JSONValue.ParseError.self, "\(bad)") { try JSONValue.parse(Array(bad.utf8)) }
        }
    }

    @Test func base64urlHasOneEncodingPerByteString() {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + n) & 0xFF) }
            let text = Base64URL.encode(bytes)
            #expect(Base64URL.decode(text) == bytes)
            #expect(text == Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
        }
        #expect(Base64URL.decode("AB") == nil, "trailing bits set")
        #expect(Base64URL.decode("AA") == [0])
        for bad in ["A", "AA==", "A+B/", "AA AA", "ABCDE"] { #expect(Base64URL.decode(bad) == nil, "\(bad)") }
    }
}

@Suite struct CredentialTests {
    static var key: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32)) }
    static let jwk = JWK(publicKey: Array(key.publicKey.rawRepresentation), authority: "440000")
    static let keys = JWKSet(keys: [jwk])
    static let now: Int64 = 1_790_000_000

    static func sample(index: Int = 5, exp: Int64 = now + 86_400 * 365) -> LicenseCredential {
        LicenseCredential(issuer: "440000", holder: "91440300MA5FXXXX0X", number: "粤XK16-204-00012", issuedAt: now - 100,
                          notBefore: now - 100, expiresAt: exp, version: 2, holderName: "深圳市示例电线电缆有限公司",
                          domicile: "广东省深圳市宝安区示例路1号", addresses: ["广东省深圳市宝安区示例工业园3栋"],
                          units: [.init(no: "0601", name: "电线电缆"), .init(no: "0602", name: "电力电缆")],
                          authorityName: "广东省市场监督管理局", statusIndex: index, statusURI: "https://xuke.example/status/440000")
    }

    @Test func signsAndVerifiesAndFitsAQRCode() throws {
        let jws = try Self.sample().sign(kid: Self.jwk.kid, key: Self.key)
        #expect(jws.count < 800, "credential is \(jws.count) characters")
        #expect(jws.allSatisfy { $0.isASCII })
        let check = CredentialCheck.verify(jws, keys: Self.keys, now: Self.now)
        #expect(check.verdict == .valid)
        #expect(check.code == "credential.valid_unchecked")
        #expect(check.credential == Self.sample())
        let header = try CompactJWS.parse(jws).header
        #expect(header == ["alg": "EdDSA", "kid": .string(Self.jwk.kid), "typ": "lic+jwt"])
    }

    @Test func eachKindOfBadCredentialGetsItsOwnVerdict() throws {
        let jws = try Self.sample().sign(kid: Self.jwk.kid, key: Self.key)
        func verdict(_ t: String, lists: [String: StatusList.Token] = [:], now: Int64 = Self.now) -> (CredentialCheck.Verdict, String) {
            let c = CredentialCheck.verify(t, keys: Self.keys, statusLists: lists, now: now)
            return (c.verdict, c.code)
        }
        #expect(verdict(String(jws.dropLast(10))) == (.notGenuine, "credential.bad_signature"))
        #expect(verdict(String(jws.prefix(jws.count / 2))) == (.notGenuine, "credential.malformed"))
        #expect(verdict("garbage") == (.notGenuine, "credential.malformed"))
        let parts = jws.split(separator: ".")
        var claims = try CompactJWS.parse(jws).claims
        if case .object(var m) = claims { m["exp"] = .int(Self.now + 10 * 365 * 86_400); claims = .object(m) }
        #expect(verdict("\(parts[0]).\(Base64URL.encode(claims.canonical)).\(parts[2])") == (.notGenuine, "credential.bad_signature"))
        let stranger = Curve25519.Signing.PrivateKey()
        #expect(verdict(try Self.sample().sign(kid: Self.jwk.kid, key: stranger)) == (.notGenuine, "credential.bad_signature"))
        #expect(verdict(try Self.sample().sign(kid: JWK.keyID(Array(stranger.publicKey.rawRepresentation)), key: stranger)) == (.notGenuine, "credential.unknown_key"))
        let wrongType = try CompactJWS.sign(typ: "JWT", kid: Self.jwk.kid, claims: Self.sample().claims, key: Self.key)
        #expect(verdict(wrongType) == (.notGenuine, "credential.wrong_type"))
        var otherIssuer = Self.sample()
        otherIssuer.issuer = "110000"
        #expect(verdict(try otherIssuer.sign(kid: Self.jwk.kid, key: Self.key)) == (.notGenuine, "credential.wrong_issuer"))
        #expect(verdict(try Self.sample(exp: Self.now - 1).sign(kid: Self.jwk.kid, key: Self.key)) == (.expired, "credential.expired"))

        var list = StatusList(count: 10)
        list[5] = StatusList.Status.revoked.rawValue
        let uri = Self.sample().statusURI
        let token = try list.token(uri: uri, issuer: "440000", issuedAt: Self.now, expiresAt: Self.now + 3600, ttl: 600, kid: Self.jwk.kid, key: Self.key)
        let opened = try StatusList.open(token, keys: Self.keys)
        #expect(verdict(jws, lists: [uri: opened]) == (.revoked, "credential.revoked"))
        list[5] = StatusList.Status.suspended.rawValue
        let suspended = try StatusList.open(try list.token(uri: uri, issuer: "440000", issuedAt: Self.now, expiresAt: Self.now + 3600, ttl: 600,
                                                           kid: Self.jwk.kid, key: Self.key), keys: Self.keys)
        #expect(verdict(jws, lists: [uri: suspended]) == (.suspended, "credential.suspended"))
        list[5] = 0
        let clean = try StatusList.open(try list.token(uri: uri, issuer: "440000", issuedAt: Self.now, expiresAt: Self.now + 3600, ttl: 600,
                                                       kid: Self.jwk.kid, key: Self.key), keys: Self.keys)
        #expect(verdict(jws, lists: [uri: clean]) == (.valid, "credential.valid"))
        // A stale list cannot vouch for anything.
        #expect(verdict(jws, lists: [uri: opened], now: Self.now + 7200) == (.valid, "credential.valid_unchecked"))
    }

    /// Three ways a verifier could be misled, each refused: another authority's list for this list's address, an
    /// entry beyond the end of the list, and a credential signed by a key after it was retired.
    @Test func onlyTheIssuersOwnListAndLiveKeysSpeakForACredential() throws {
        let uri = Self.sample().statusURI
        let otherKey = try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 9, count: 32))
        let otherJWK = JWK(publicKey: Array(otherKey.publicKey.rawRepresentation), authority: "110000")
        let keys = JWKSet(keys: [Self.jwk, otherJWK])
        var revokedList = StatusList(count: 10)
        revokedList[5] = StatusList.Status.revoked.rawValue
        let jws = try Self.sample().sign(kid: Self.jwk.kid, key: Self.key)
        func verdict(_ t: String, _ lists: [String: StatusList.Token], keys: JWKSet = keys) -> String {
            CredentialCheck.verify(t, keys: keys, statusLists: lists, now: Self.now).code
        }
        // Beijing's key signing a list at Guangdong's address, claiming Beijing: not Guangdong's word.
        let foreign = try StatusList.open(try StatusList(count: 10).token(uri: uri, issuer: "110000", issuedAt: Self.now, expiresAt: Self.now + 3600,
                                                                             ttl: 600, kid: otherJWK.kid, key: otherKey), keys: keys)
        #expect(foreign.issuer == "110000")
        #expect(verdict(jws, [uri: foreign]) == "credential.valid_unchecked")
        // A list whose iss names another authority than its key's is refused outright.
        let lying = try StatusList(count: 10).token(uri: uri, issuer: "440000", issuedAt: Self.now, expiresAt: Self.now + 3600, ttl: 600,
                                                    kid: otherJWK.kid, key: otherKey)
        #expect(throws: TrustError.self) { try StatusList.open(lying, keys: keys) }
        // The issuer's own list still counts.
        let own = try StatusList.open(try revokedList.token(uri: uri, issuer: "440000", issuedAt: Self.now, expiresAt: Self.now + 3600, ttl: 600,
                                                            kid: Self.jwk.kid, key: Self.key), keys: keys)
        #expect(verdict(jws, [uri: own]) == "credential.revoked")
        // An entry past the list's end was never written: unknown, not valid.
        let far = try Self.sample(index: 5000).sign(kid: Self.jwk.kid, key: Self.key)
        #expect(StatusList(count: 10).status(at: 5000) == nil && StatusList(count: 10).status(at: 9) == 0)
        #expect(verdict(far, [uri: own]) == "credential.valid_unchecked")
        // Retired before the credential was issued: refused; retired after: the credential stands.
        func retired(_ at: Int64) -> JWKSet {
            JWKSet(keys: [JWK(publicKey: Array(Self.key.publicKey.rawRepresentation), authority: "440000",
                              retired: Date(timeIntervalSince1970: Double(at)).formatted(.iso8601))])
        }
        #expect(verdict(jws, [:], keys: retired(Self.now - 1000)) == "credential.key_retired")
        #expect(verdict(jws, [:], keys: retired(Self.now)) == "credential.valid_unchecked")
        // Five minutes' margin for an issuance that overlapped the rotation.
        #expect(verdict(jws, [:], keys: retired(Self.now - 300)) == "credential.valid_unchecked")
        // A list its key signed well after retiring is refused too.
        let late = try revokedList.token(uri: uri, issuer: "440000", issuedAt: Self.now, expiresAt: Self.now + 3600, ttl: 600, kid: Self.jwk.kid, key: Self.key)
        #expect(throws: TrustError.self) { try StatusList.open(late, keys: retired(Self.now - 1000)) }
        // Of two lists for one address, the newer speaks, in whichever order they are given.
        let older = try StatusList(count: 10).token(uri: uri, issuer: "440000", issuedAt: Self.now - 60, expiresAt: Self.now + 3600, ttl: 600,
                                                    kid: Self.jwk.kid, key: Self.key)
        let jwks = try JSONEncoder().encode(JWKSet(keys: [Self.jwk]))
        for order in [[late, older], [older, late]] {
            #expect(try CredentialCheck.verifyOffline(jws, jwks: jwks, statusTokens: order, now: Self.now).code == "credential.revoked")
        }
    }

    @Test func statusListBitsAreLeastSignificantFirst() throws {
        var list = StatusList(count: 8)
        list[0] = 1
        list[1] = 2
        list[3] = 1
        list[4] = 2
        #expect(list.bytes == [0b0100_1001, 0b0000_0010])
        #expect(list[1] == 2 && list[2] == 0 && list[4] == 2)
        list[100] = 1
        #expect(list.bytes.count == 26 && list[100] == 1)
        #expect(try Zlib.decompress(Zlib.compress(list.bytes)) == list.bytes)
        #expect(throws: ZlibError.self) { try Zlib.decompress(Array(Zlib.compress(list.bytes).dropLast(3))) }
        #expect(throws: ZlibError.self) { try Zlib.decompress([1, 2, 3, 4]) }
    }
}
