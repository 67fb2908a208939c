import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage
import XukeTestSupport
import XukeTrust

/// E-licenses, status lists, the public query and the transparency log, end to end through the HTTP API.
@Suite struct TrustTests {
    static func credential(_ f: Flow, _ licenseID: Int) async throws -> [String: Any] {
        let r = try await f.client.get("/api/v1/public/licenses/\(licenseID)/credential")
        #expect(r.status == .ok, "\(r.text)")
        return try r.json()
    }

    static func verify(_ client: any TestClientProtocol, _ jws: String) async throws -> [String: Any] {
        let body = String(decoding: try JSONEncoder().encode(["jws": jws]), as: UTF8.self)
        let r = try await client.send(.post, "/api/v1/verify", json: body)
        #expect(r.status == .ok, "\(r.text)")
        return try r.json()
    }

    static func statusBit(_ client: any TestClientProtocol, list: String, index: Int, keys: JWKSet) async throws -> UInt8 {
        let r = try await client.get("/status/\(list)")
        #expect(r.headers[.contentType] == "application/statuslist+jwt")
        return try StatusList.open(r.text, keys: keys).list[index]
    }

    static func jwks(_ client: any TestClientProtocol) async throws -> JWKSet {
        try JSONDecoder().decode(JWKSet.self, from: Data(try await client.get("/.well-known/jwks.json").text.utf8))
    }

    @Test func credentialIsIssuedVerifiedSupersededAndRevoked() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let first = try await Self.credential(f, licenseID)
            let jws = try #require(first["jws"] as? String)
            #expect(jws.count < 800, "\(jws.count) characters")
            var v = try await Self.verify(client, jws)
            #expect(v["verdict"] as? String == "valid" && v["code"] as? String == "credential.valid", "\(v)")
            #expect((v["license"] as? [String: Any])?["uscc"] as? String == f.uscc)
            // The verify endpoint writes its answer by hand; it must say what the Codable form says.
            let result = try await s.trust.verifyCredential(jws)
            let codable = try JSONDecoder().decode(JSONValue.self, from: AppJSON.responseEncoder.encode(result))
            #expect(codable == result.json && result.json["license"] != nil)

            // The key set, the status list and the credential agree offline too.
            let keys = try await Self.jwks(client)
            #expect(keys.keys.count == 1 && keys.keys[0].iss == "440000")
            let index = try #require(first["status_index"] as? Int)
            #expect(try await Self.statusBit(client, list: "440000", index: index, keys: keys) == 0)
            let list = try StatusList.open(try await client.get("/status/440000").text, keys: keys)
            let offline = CredentialCheck.verify(jws, keys: keys, statusLists: [list.uri: list], now: Int64(s.clock.now().timeIntervalSince1970))
            #expect(offline.verdict == .valid && offline.statusChecked)

            // A change re-issues as version 2; the first credential is void from then on.
            Flow.at(s, "2026-11-18")
            let change = try #require(try await f.submit(kind: "change", changes: ["production_address"])["id"] as? Int)
            try await f.act(change, "accept")
            try await f.act(change, "approve")
            try await f.act(change, "issue")
            let second = try await Self.credential(f, licenseID)
            let jws2 = try #require(second["jws"] as? String)
            #expect(jws2 != jws && (second["license"] as? [String: Any])?["version"] as? Int == 2)
            #expect(try await Self.verify(client, jws2)["verdict"] as? String == "valid")
            v = try await Self.verify(client, jws)
            #expect(v["verdict"] as? String == "revoked" && v["code"] as? String == "credential.superseded", "\(v)")
            #expect(try await Self.statusBit(client, list: "440000", index: index, keys: keys) == 1)

            // Revocation flips the current credential in the same transaction.
            try await f.hearingHeld(licenseID)
            let r = try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺的检验设备并不存在"}"#, as: f.officer)
            #expect(r.status == .ok, "\(r.text)")
            v = try await Self.verify(client, jws2)
            #expect(v["verdict"] as? String == "revoked" && v["code"] as? String == "credential.revoked", "\(v)")
            #expect(try await Self.statusBit(client, list: "440000", index: try #require(second["status_index"] as? Int), keys: keys) == 1)

            // Expiry is the credential's own: move the clock past the end of validity.
            let beyond = try #require(CivilDate((v["license"] as? [String: Any])?["valid_until"] as? String ?? ""))
            Flow.at(s, beyond.adding(days: 2).description)
            let stranger = try await f.client.get("/api/v1/public/licenses/999/credential")
            #expect(stranger.status == .notFound)

            // Every one of those events is in the log, and the audit finds rows and log in agreement.
            let report = try await s.trust.auditLog()
            #expect(report.problems.isEmpty, "\(report.problems)")
            #expect(report.size >= 4)
        }
    }

    /// PyJWT checks the signature with our published JWK Set; zbarimg reads our QR PNG back to the exact JWS;
    /// `xuke verify`'s code path agrees offline with a cached status list.
    @Test(.enabled(if: Interop.enabled)) func independentToolsReadOurCredential() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let jws = try #require(try await Self.credential(f, licenseID)["jws"] as? String)
            let jwksFile = try Interop.temporaryFile("jwks.json", Data(try await client.get("/.well-known/jwks.json").text.utf8))
            let jwsFile = try Interop.temporaryFile("credential.jws", Data(jws.utf8))
            let py = try Interop.run(Interop.python, ["\(Interop.scripts)/verify_credential.py", jwksFile.path, jwsFile.path])
            #expect(py.status == 0, "PyJWT: \(py.stderr)")
            let claims = try #require(try JSONSerialization.jsonObject(with: py.stdout) as? [String: Any])
            #expect(claims["sub"] as? String == f.uscc && claims["ver"] as? Int == 1)

            let png = try await client.get("/api/v1/public/licenses/\(licenseID)/credential.png")
            #expect(png.headers[.contentType] == "image/png")
            let file = try Interop.temporaryFile("credential.png", Data(png.body.readableBytesView))
            let scan = try Interop.run("zbarimg", ["--raw", "-q", file.path])
            #expect(scan.text.trimmingCharacters(in: .newlines) == jws, "zbarimg: \(scan.stderr)")
            let svg = try await client.get("/api/v1/public/licenses/\(licenseID)/credential.svg")
            #expect(svg.headers[.contentType] == "image/svg+xml" && svg.text.hasPrefix("<svg"))
        }
    }

    @Test func badCredentialsGetTheirOwnVerdictsNeverAnError() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let jws = try #require(try await Self.credential(f, licenseID)["jws"] as? String)
            func code(_ t: String) async throws -> String? { try await Self.verify(client, t)["code"] as? String }
            #expect(try await code("") == "credential.malformed")
            #expect(try await code(String(jws.prefix(200))) == "credential.malformed")
            var changed = Array(jws)
            changed[changed.count - 10] = changed[changed.count - 10] == "A" ? "B" : "A"
            #expect(try await code(String(changed)) == "credential.bad_signature")
            #expect(try await code("x.y.z") == "credential.malformed")
            #expect(try await code(String(repeating: "a", count: 9000)) == "credential.malformed")
            let bad = try await client.send(.post, "/api/v1/verify", json: "{not json")
            #expect(bad.status == .badRequest)
            // Signed by a key the platform never published.
            let stranger = Curve25519.Signing.PrivateKey()
            var claims = try CompactJWS.parse(jws).claims
            if case .object(var m) = claims { m["ver"] = 9; claims = .object(m) }
            let forged = try CompactJWS.sign(typ: "lic+jwt", kid: JWK.keyID(Array(stranger.publicKey.rawRepresentation)), claims: claims, key: stranger)
            #expect(try await code(forged) == "credential.unknown_key")
            // Signed with the real key but never recorded (a leaked key, say): not genuine either.
            let ring = KeyRing(directory: s.config.effectiveKeysDirectory)
            let kid = try #require(try CompactJWS.parse(jws).kid)
            let leaked = try CompactJWS.sign(typ: "lic+jwt", kid: kid, claims: claims, key: try ring.key(kid: kid).privateKey)
            #expect(try await code(leaked) == "credential.not_on_record")
            #expect(try await code(try CompactJWS.sign(typ: "JWT", kid: kid, claims: claims, key: try ring.key(kid: kid).privateKey)) == "credential.wrong_type")
        }
    }

    @Test func logProofsCheckpointsAndTiles() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            _ = try await f.commitmentLicense()
            let old = try await client.get("/log/checkpoint").text
            let vkey = try await client.get("/log/key").text.trimmingCharacters(in: .whitespacesAndNewlines)
            let key = try #require(NoteVerifierKey(vkey: vkey))
            let oldCP = try Checkpoint.open(old, key: key)
            for i in 0..<3 {
                let other = try await Flow.start(client, s, uscc: Fixtures.guangdong(i + 1), prefix: "p\(i)")
                _ = try await other.commitmentLicense()
            }
            let note = try await client.get("/log/checkpoint").text
            let cp = try Checkpoint.open(note, key: key)
            #expect(cp.size > oldCP.size && cp.origin == s.config.logOrigin)
            #expect(try await client.get("/log/checkpoint").text == note, "one signed note per size")

            for index in [0, oldCP.size - 1, cp.size - 1] {
                let r = try await client.get("/api/v1/log/proof/inclusion?index=\(index)&size=\(cp.size)")
                let p = try r.json()
                let proof = try #require(p["proof"] as? [String]).map { [UInt8](Data(base64Encoded: $0)!) }
                let entry = Array(try #require(p["entry"] as? String).utf8)
                #expect(Merkle.verifyInclusion(leafIndex: index, treeSize: cp.size, leafHash: Merkle.leafHash(entry), proof: proof, root: cp.root))
            }
            let c = try await client.get("/api/v1/log/proof/consistency?from=\(oldCP.size)&to=\(cp.size)").json()
            let proof = try #require(c["proof"] as? [String]).map { [UInt8](Data(base64Encoded: $0)!) }
            #expect(Merkle.verifyConsistency(first: oldCP.size, second: cp.size, firstRoot: oldCP.root, secondRoot: cp.root, proof: proof))

            // Tiles: the partial level-0 tile is the leaf hashes, the entry bundle the entries.
            let tile = try await client.get("/log/tile/0/000.p/\(cp.size)")
            #expect(tile.status == .ok && tile.body.readableBytes == 32 * cp.size)
            let bundle = try await client.get("/log/tile/entries/000.p/\(cp.size)")
            var b = bundle.body
            var hashes: [UInt8] = []
            while let n = b.readInteger(as: UInt16.self), let entry = b.readBytes(length: Int(n)) { hashes += Merkle.leafHash(entry) }
            #expect(hashes == tile.body.getBytes(at: 0, length: tile.body.readableBytes))
            #expect(try await client.get("/log/tile/0/000").status == .notFound, "no full tile before 256 entries")

            // Garbage in proof and tile requests is a 400, never a 500.
            for bad in ["/api/v1/log/proof/inclusion?index=abc", "/api/v1/log/proof/inclusion?index=-1",
                        "/api/v1/log/proof/inclusion?index=\(cp.size)&size=\(cp.size)", "/api/v1/log/proof/inclusion",
                        "/api/v1/log/proof/consistency?from=0&to=\(cp.size)", "/api/v1/log/proof/consistency?from=\(cp.size + 1)",
                        "/api/v1/log/proof/consistency?from=2&to=\(cp.size + 5)", "/log/tile/0/1234", "/log/tile/x/000", "/log/tile/0/000.p/300",
                        "/log/tile/entries/x00", "/log/tile/0"] {
                let r = try await client.get(bad)
                #expect(r.status == .badRequest, "\(bad): \(r.status)")
            }

            guard Interop.enabled else { return }
            // Go's sumdb/note and sumdb/tlog, which this project did not write, accept our notes and proofs.
            let incl = try await client.get("/api/v1/log/proof/inclusion?index=\(oldCP.size - 1)&size=\(cp.size)").text
            let cons = try await client.get("/api/v1/log/proof/consistency?from=\(oldCP.size)&to=\(cp.size)").text
            let files = try [("cp", note), ("incl.json", incl), ("cons.json", cons), ("old", old)].map { try Interop.temporaryFile($0.0, Data($0.1.utf8)).path }
            let cache = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-gocache").path
            let r = try Interop.run("go", ["run", "\(Interop.scripts)/tlogcheck/main.go", vkey] + files,
                                    env: ["GO111MODULE": "off", "GOPATH": "/usr/share/gocode", "GOCACHE": cache, "GOFLAGS": ""])
            #expect(r.status == 0, "tlogcheck: \(r.stderr)")
            #expect(r.text.hasPrefix("ok:"), "\(r.text)")
        }
    }

    @Test func auditNamesARowTamperedWithInSQL() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            _ = try await s.transparency.checkpoint(s.db)
            #expect(try await s.trust.auditLog().problems.isEmpty)
            let number = try #require(try await f.license(licenseID)["number"] as? String)

            try await s.db.write { try await $0.raw("UPDATE licenses SET valid_until = '2099-12-31' WHERE id = \(bind: licenseID)").run() }
            var problems = try await s.trust.auditLog().problems
            #expect(problems.count == 1 && problems[0].contains("licenses row \(licenseID) \(number)") && problems[0].contains("valid_until 2099-12-31"), "\(problems)")

            try await s.db.write { sql in
                try await sql.raw("UPDATE licenses SET valid_until = (SELECT valid_until FROM licenses WHERE id = \(bind: licenseID)) WHERE id = \(bind: licenseID)").run()
                try await sql.raw("UPDATE credentials SET status = 1 WHERE license_id = \(bind: licenseID)").run()
            }
            problems = try await s.trust.auditLog().problems
            #expect(problems.contains { $0.contains("credentials row") && $0.contains("status") }, "\(problems)")

            try await s.db.write { try await $0.raw("UPDATE log_entries SET entry = \(bind: Data("{}".utf8)) WHERE idx = 0").run() }
            problems = try await s.trust.auditLog().problems
            #expect(problems.contains { $0.hasPrefix("log entry 0: stored leaf hash") }, "\(problems)")
            #expect(problems.contains { $0.hasPrefix("signed checkpoint") }, "\(problems)")
        }
    }

    @Test func keyRotationKeepsOldCredentialsVerifiable() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let jws = try #require(try await Self.credential(f, licenseID)["jws"] as? String)
            let oldKid = try #require(try CompactJWS.parse(jws).kid)
            let path = KeyRing(directory: s.config.effectiveKeysDirectory).path(forKid: oldKid)
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == 0o600)

            let newKey = try await s.db.write { try await s.transparency.addKey($0, authority: "440000", at: s.clock.stamp) }
            let keys = try await Self.jwks(client)
            #expect(keys.keys.count == 2 && keys.key(oldKid)?.retired != nil && keys.key(newKey.kid)?.retired == nil)
            #expect(try await Self.verify(client, jws)["verdict"] as? String == "valid")

            let other = try await Flow.start(client, s, uscc: Fixtures.guangdong(1), prefix: "b")
            let (_, second) = try await other.commitmentLicense()
            let jws2 = try #require(try await Self.credential(other, second)["jws"] as? String)
            #expect(try CompactJWS.parse(jws2).kid == newKey.kid)
            let kinds = try await s.db.read { try await TransparencyStore.entries($0, from: 0, count: 100) }.map(\.kind)
            #expect(kinds.filter { $0 == "key.added" }.count == 2 && kinds.contains("key.retired"))
            #expect(try await s.trust.auditLog().problems.isEmpty)

            // A key file others can read is refused rather than used.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: KeyRing(directory: s.config.effectiveKeysDirectory).path(forKid: newKey.kid))
            #expect(throws: KeyRingError.self) { try KeyRing(directory: s.config.effectiveKeysDirectory).key(kid: newKey.kid) }
        }
    }

    @Test func publicQueryShowsPublicFieldsAndIsRateLimited() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let number = try #require(try await f.license(licenseID)["number"] as? String)
            func search(_ query: String) async throws -> [[String: Any]] {
                let r = try await client.get("/api/v1/public/licenses?\(query)")
                #expect(r.status == .ok, "\(query): \(r.text)")
                return try r.list()
            }
            let byNumber = try await search("q=\(number.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(byNumber.count == 1 && byNumber[0]["uscc"] as? String == f.uscc)
            #expect(Set(byNumber[0].keys) == ["id", "number", "holder", "uscc", "domicile", "addresses", "units", "status", "status_name", "issued_on",
                                              "valid_until", "authority", "authority_name", "version"])
            #expect(try await search("q=\(f.uscc)").count == 1)
            #expect(try await search("q=%E9%A3%9F%E5%93%81").count == 1, "any part of the name (食品)")
            #expect(try await search("q=%25").isEmpty, "a % is a character, not a wildcard")
            #expect(try await search("unit=1001").count == 1)
            #expect(try await search("unit=1002").isEmpty)
            #expect(try await search("province=440000").count == 1)
            #expect(try await search("province=110000").isEmpty)
            #expect(try await client.get("/api/v1/public/licenses?unit=10").status == .badRequest)
            #expect(try await client.get("/api/v1/public/licenses").status == .badRequest)
            var last = 200
            for _ in 0..<130 { last = Int(try await client.get("/api/v1/public/licenses?q=x").status.code) }
            #expect(last == 429)
        }
    }
}

/// What the review found unproven: the server's status verdicts other than revocation, offline checking as
/// `xuke verify` does it, keys made by another process, and the public pages.
@Suite struct TrustProofTests {
    @Test func suspendedAndExpiredCredentialsSayso() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let first = try await TrustTests.credential(f, licenseID)
            let jws = try #require(first["jws"] as? String)
            let validUntil = try #require(CivilDate((first["license"] as? [String: Any])?["valid_until"] as? String ?? ""))

            // Past the last day of validity the credential's own `exp` decides, with no state change needed.
            Flow.at(s, validUntil.adding(days: 1).description)
            var v = try await TrustTests.verify(client, jws)
            #expect(v["verdict"] as? String == "expired" && v["code"] as? String == "credential.expired", "\(v)")
            Flow.at(s, validUntil.description)
            #expect(try await TrustTests.verify(client, jws)["verdict"] as? String == "valid")

            // Suspension (an enforcement measure, issue 5) written the way any license change is.
            try await s.db.write { sql in
                var l = try #require(try await LicenseStore.license(sql, id: licenseID))
                l.storedStatus = .suspended
                l = try await LicenseStore.updateLicense(sql, l, reason: "suspended", applicationID: nil, at: s.clock.stamp)
                try await s.licensing.publishLicense(sql, l, type: .licenseSuspended, actor: nil)
            }
            v = try await TrustTests.verify(client, jws)
            #expect(v["verdict"] as? String == "suspended" && v["code"] as? String == "credential.suspended", "\(v)")
            let keys = try await TrustTests.jwks(client)
            #expect(try await TrustTests.statusBit(client, list: "440000", index: try #require(first["status_index"] as? Int), keys: keys) == 2)
            #expect(try await s.trust.auditLog().problems.isEmpty)
        }
    }

    @Test func offlineVerificationUsesOnlyTheKeySetAndASavedList() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let jws = try #require(try await TrustTests.credential(f, licenseID)["jws"] as? String)
            let jwks = Data(try await client.get("/.well-known/jwks.json").text.utf8)
            let now = Int64(s.clock.now().timeIntervalSince1970)
            let before = try await client.get("/status/440000").text
            var check = try CredentialCheck.verifyOffline(jws, jwks: jwks, statusTokens: [before], now: now)
            #expect(check.verdict == .valid && check.statusChecked)
            #expect(try CredentialCheck.verifyOffline(jws, jwks: jwks, statusTokens: [], now: now).code == "credential.valid_unchecked")

            try await f.hearingHeld(licenseID)
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺的检验设备并不存在"}"#, as: f.officer).status == .ok)
            let after = try await client.get("/status/440000").text
            check = try CredentialCheck.verifyOffline(jws, jwks: jwks, statusTokens: [after], now: now)
            #expect(check.verdict == .revoked && check.code == "credential.revoked")
            // The list saved before the revocation still vouches until it expires; that is what caching means.
            #expect(try CredentialCheck.verifyOffline(jws, jwks: jwks, statusTokens: [before], now: now).verdict == .valid)

            #expect(throws: CredentialCheck.InputError.self) { try CredentialCheck.verifyOffline(jws, jwks: Data("{}".utf8), statusTokens: [], now: now) }
            #expect(throws: CredentialCheck.InputError.self) { try CredentialCheck.verifyOffline(jws, jwks: jwks, statusTokens: ["x.y.z"], now: now) }
            let foreign = try StatusList(count: 8).token(uri: "http://elsewhere/status/1", issuer: "x", issuedAt: now, expiresAt: now + 60, ttl: 60,
                                                         kid: "k", key: Curve25519.Signing.PrivateKey())
            #expect(throws: CredentialCheck.InputError.self) { try CredentialCheck.verifyOffline(jws, jwks: jwks, statusTokens: [foreign], now: now) }
        }
    }

    @Test func aKeyMadeByAnotherProcessVerifiesAtOnce() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let jws = try #require(try await TrustTests.credential(f, licenseID)["jws"] as? String)
            #expect(try await TrustTests.verify(client, jws)["verdict"] as? String == "valid")  // the server now holds the key set

            // `xuke keys generate` is its own process: its own Transparency over the same database and key directory.
            let cli = try await Transparency.open(config: s.config, clock: s.clock, db: s.db)
            let key = try await s.db.write { try await cli.addKey($0, authority: "440000", at: s.clock.stamp) }
            let other = try await Flow.start(client, s, uscc: Fixtures.guangdong(2), prefix: "c")
            let (_, second) = try await other.commitmentLicense()
            let jws2 = try #require(try await TrustTests.credential(other, second)["jws"] as? String)
            #expect(try CompactJWS.parse(jws2).kid == key.kid)
            let v = try await TrustTests.verify(client, jws2)
            #expect(v["verdict"] as? String == "valid", "\(v)")
        }
    }

    @Test func publicPagesShowTheQRCodeQueryAndVerdict() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let view = try await TrustTests.credential(f, licenseID)
            let jws = try #require(view["jws"] as? String)
            let logIndex = try #require(view["log_index"] as? Int)
            let number = try #require((view["license"] as? [String: Any])?["number"] as? String)

            let page = try await client.get("/public/licenses/\(licenseID)?lang=en")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains(jws))
            #expect(page.text.contains("/api/v1/log/proof/inclusion?index=\(logIndex)"))
            #expect(!page.text.contains("/history"), "the version history is for signed-in users")

            let (cookie, _) = try await client.browserSignIn(username: "officer", password: "correct horse battery")
            let signedIn = try await client.get("/licenses/\(licenseID)", headers: [.cookie: cookie])
            #expect(signedIn.text.contains("<svg") && signedIn.text.contains("/licenses/\(licenseID)/history"))

            let query = try await client.get("/query?q=\(f.uscc)")
            #expect(query.text.contains(number) && query.text.contains("/public/licenses/\(licenseID)"))
            #expect(try await client.get("/query?unit=12").text.contains("class=\"error\""))

            let verify = try await client.get("/verify?lang=en&jws=\(jws)")
            #expect(verify.text.contains("class=\"verdict valid\"") && verify.text.contains("credential.valid"))
            // A character well inside the signature, changed: the last ones can hold only bits a decoder ignores or
            // the zero high bits of an Ed25519 signature, so "AAA" at the end sometimes changes nothing.
            var forged = Array(jws)
            forged[forged.count - 10] = forged[forged.count - 10] == "A" ? "B" : "A"
            let tampered = try await client.get("/verify?lang=en&jws=\(String(forged))")
            #expect(tampered.text.contains("class=\"verdict not_genuine\""))
        }
    }
}

extension Fixtures {
    /// The n-th of a series of valid Shenzhen USCCs (GB 32100 check characters computed, not typed).
    static func guangdong(_ n: Int) -> String {
        let body = String(format: "MA5F%04d", n)
        return USCC.completing("91440300" + body + String(USCC.bodyCheckCharacter(body)!))!.description
    }
}
