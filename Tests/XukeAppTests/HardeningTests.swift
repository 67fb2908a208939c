import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Synchronization
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

/// The findings of the attack on the release build, each pinned: they fail without their fix.
@Suite struct HardeningTests {
    @Test func tilePathsWithHugeIndexesAreRefusedNotTrapped() async throws {
        try await Harness.run { client, _ in
            for path in ["0/x999/x999/x999/x999/x999/x999/999", "0/x999/x999/x999/x999/x999/999", "entries/x999/x999/x999/x999/x999/999",
                         "0/+12", "0/-01", "0/１２３"] {
                let r = try await client.get("/log/tile/\(path)")
                #expect(r.status == .badRequest, "\(path): \(r.status)")
            }
            #expect(try await client.get("/log/tile/63/x999/x999/x999/999").status == .notFound)
            #expect(try await client.get("/log/tile/0/000").status == .notFound, "an empty log has no full tile")
            // Paths and methods nobody registered are the router's 404 and 405, not a policy refusal.
            #expect(try await client.get("/no/such/page").status == .notFound)
            let wrongMethod = try await client.execute(uri: "/api/v1/verify", method: .patch, headers: [:], body: nil)
            #expect([.notFound, .methodNotAllowed].contains(wrongMethod.status) && wrongMethod.errorCode != ErrorCode.route.undeclared, "\(wrongMethod.status)")
        }
    }

    @Test func aBrokenConstraintIsTheClientsMistake() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "root", role: "admin")
            let r = try await client.send(.post, "/api/v1/spot-check-results",
                                          json: #"{"uscc":"91440300MAHTRKJH63","unit_no":"1001","level":"provincial","passed":true,"checked_on":"2026-01-05","reference":"x"}"#,
                                          token: admin)
            #expect(r.status == .unprocessableContent && r.errorCode == ErrorCode.db.reference, "\(r.text)")
        }
    }

    @Test(arguments: [
        ("/account", "/account"), ("/applications?state=open&page=2", "/applications?state=open&page=2"),
        ("//evil.example/", "/"), ("/\t/evil.example", "/"), ("/\n/evil.example", "/"), ("/\\evil.example", "/"),
        ("https://evil.example/", "/"), ("javascript:alert(1)", "/"), ("/ /evil.example", "/"), ("", "/"),
        ("/\u{3000}/evil.example", "/"), ("http:/evil.example", "/"),
    ])
    func signInRedirectsStayOnThisSite(_ next: String, _ expected: String) {
        #expect(safeNext(next) == expected)
    }

    @Test func forwardedAddressesCountOnlyFromTrustedProxies() throws {
        let trusted = try #require(IPRange.list("10.0.0.0/8, ::1"))
        let xff: HTTPFields = [.xForwardedFor: "203.0.113.9, 198.51.100.2, 10.1.1.1"]
        #expect(ClientAddress.resolve(peer: "192.0.2.50", headers: xff, trusted: trusted) == "192.0.2.50", "a stranger's header is ignored")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", headers: xff, trusted: trusted) == "198.51.100.2", "the right-most hop not a proxy")
        let forwarded: HTTPFields = [.forwarded: #"for=192.0.2.60;proto=https, for="[2001:db8::7]:4711""#]
        #expect(ClientAddress.resolve(peer: "::1", headers: forwarded, trusted: trusted, header: .forwarded) == "2001:db8::7")
        // Only the header the proxies are set to write counts: the other passes through from the client untouched.
        let both: HTTPFields = [.forwarded: "for=203.0.113.66", .xForwardedFor: "198.51.100.9"]
        #expect(ClientAddress.resolve(peer: "10.0.0.2", headers: both, trusted: trusted) == "198.51.100.9")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", headers: forwarded, trusted: trusted) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", headers: [.xForwardedFor: "not-an-address"], trusted: trusted) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", headers: xff, trusted: []) == "10.0.0.2", "no proxies trusted by default")
        #expect(IPRange.list("10.0.0.0/33") == nil && IPRange.list("example.com") == nil)
    }

    @Test func formTokensAreCheckedFromTheFirstFieldBeforeTheRestIsRead() async throws {
        try await Harness.run { client, _ in
            let csrf = try #require(try await client.get("/report").cookies["xuke_csrf"])
            func post(_ body: String, type: String = "application/x-www-form-urlencoded") async throws -> TestResponse {
                try await client.execute(uri: "/report/track", method: .post, headers: [.contentType: type, .cookie: "xuke_csrf=\(csrf)"], body: ByteBuffer(string: body))
            }
            #expect(try await post("_csrf=\(csrf)&code=ABC").status != .forbidden)
            #expect(try await post("code=ABC&_csrf=\(csrf)").pageErrorCode == ErrorCode.csrf.invalid, "the token comes first")
            #expect(try await post("_csrf=wrong&code=ABC").pageErrorCode == ErrorCode.csrf.invalid)
            // A wrong token in the first field is refused however much follows.
            let flood = "_csrf=wrong&" + String(repeating: "x", count: 60_000)
            #expect(try await post(flood).pageErrorCode == ErrorCode.csrf.invalid)
            let boundary = "xukeBoundary"
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\nABC\r\n--\(boundary)--\r\n"
            #expect(try await post(multipart, type: "multipart/form-data; boundary=\(boundary)").status != .forbidden)
            let late = "--\(boundary)\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\nABC\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n--\(boundary)--\r\n"
            #expect(try await post(late, type: "multipart/form-data; boundary=\(boundary)").pageErrorCode == ErrorCode.csrf.invalid)
        }
    }

    @Test func bodiesAreBoundedByTheRoutesDeclaredSizeWhileTheyStream() async throws {
        try await Harness.run { client, s in
            // Anonymous verify declares 64 KiB: refused by its length, and by counting when no length is given.
            let big = ByteBuffer(string: #"{"jws":""# + String(repeating: "a", count: 70_000) + #""}"#)
            let r = try await client.execute(uri: "/api/v1/verify", method: .post, headers: [.contentType: "application/json"], body: big)
            #expect(r.status == .contentTooLarge && r.errorCode == ErrorCode.request.tooLargePlain)
            // A signed-in lab may not push the CCC register's half-gigabyte: its role is refused before the body is read.
            let lab = try await client.token(s, username: "labby", role: "lab")
            let refused = try await client.execute(uri: "/api/v1/ccc/import", method: .post,
                                                   headers: [.contentType: "text/csv", .authorization: "Bearer \(lab)", .contentLength: "536870000"], body: ByteBuffer(string: "x"))
            #expect(refused.status == .forbidden)
        }
    }

    /// Without a length, the body is counted as it arrives and refused once past the limit, not read to its end.
    @Test func aStreamedBodyStopsAtItsLimit() async throws {
        final class Counter: Sendable { let n = Mutex(0) }
        struct Chunks: AsyncSequence, Sendable {
            typealias Element = ByteBuffer
            let produced: Counter
            struct AsyncIterator: AsyncIteratorProtocol {
                let produced: Counter
                mutating func next() async throws -> ByteBuffer? {
                    produced.n.withLock { $0 += 1 }
                    return ByteBuffer(string: String(repeating: "b", count: 4096))  // never ends
                }
            }
            func makeAsyncIterator() -> AsyncIterator { AsyncIterator(produced: produced) }
        }
        let chunks = Chunks(produced: Counter())
        let limited = LimitedBody(base: RequestBody(asyncSequence: chunks), limit: 64 * 1024)
        await #expect(throws: AppError.self) { for try await _ in limited {} }
        #expect(chunks.produced.n.withLock { $0 } == 17, "16 chunks fit, the 17th is one too many")
    }

    /// The parser's searches step over each byte a bounded number of times, whatever the body holds.
    @Test(arguments: [1_000, 20_000, 200_000])
    func multipartParsingIsLinear(_ parts: Int) throws {
        let boundary = "b"
        // Many tiny parts, none with a header end: the old parser searched to the end of the body for each.
        var body = ""
        for _ in 0..<min(parts, Multipart.maxParts - 1) { body += "--b\r\nX\r\n" }
        body += "--b\r\n" + String(repeating: "\r\n\r", count: parts) + "\r\n--b--\r\n"
        let size = body.utf8.count
        let form = try Multipart(ByteBuffer(string: body), boundary: boundary)
        #expect(form.scanned <= 2 * size, "\(form.scanned) steps over \(size) bytes")
        #expect(throws: AppError.self) { try Multipart(ByteBuffer(string: body), boundary: String(repeating: "x", count: 71)) }
        let many = String(repeating: "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n", count: Multipart.maxParts + 1) + "--b--\r\n"
        #expect(throws: AppError.self, "too many parts") { try Multipart(ByteBuffer(string: many), boundary: "b") }
    }

    @Test func csvCellsAreQuotedByBytesAndFormulasNeutralised() throws {
        let rows = [["=HYPERLINK(\"http://evil\")", "+cmd", "-2+3", "@SUM(A1)", "\tx", "-5", "+86", "1e5", "a\r\nb", ",\u{301}", "\"\u{301}", "普通"]]
        let text = CSV.write(rows, bom: false)
        let back = try CSV.parse(text)
        #expect(back.count == 1)
        #expect(back[0].fields == ["'=HYPERLINK(\"http://evil\")", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "-5", "+86", "1e5", "a\r\nb", ",\u{301}", "\"\u{301}", "普通"])
    }

    /// Every CSV the platform hands out, with formula text planted where each one takes names from.
    @Test func everyCSVExportNeutralisesFormulaCells() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 2, inspectors: 0)
            let admin = d.f.admin
            let export = try await client.get("/api/v1/catalog/editions/2024/csv").text
            let planted = export + "2024,国发〔2024〕11号,2024-09-25,99,\"=HYPERLINK(\"\"http://evil\"\")\",@evil,9901,+cmd,-cmd,provincial,no,test\r\n"
            let imported = try await client.sendText("/api/v1/catalog/editions", planted, token: admin)
            #expect(imported.status == .created, "\(imported.text)")
            try await s.db.write { try await $0.raw("UPDATE licenses SET name = '=1+1' WHERE uscc = \(bind: d.usccs[0])").run() }
            _ = try await s.sharing.writeDumps()
            let day = s.clock.today.description
            var files: [(String, String)] = [
                ("catalog", try await client.get("/api/v1/catalog/editions/2024/csv").text),
                ("risk", try await client.get("/catalog/risk.csv").text),
                ("licenses dump", try await client.get("/dumps/\(day)/licenses.csv").text),
            ]
            for table in ["categories", "provinces", "editions"] {
                let r = try await client.get("/dashboard.csv?table=\(table)")
                if r.status == .ok { files.append(("dashboard \(table)", r.text)) }
            }
            var planted_seen = 0
            for (name, text) in files {
                let records = try CSV.parse(text)
                #expect(!records.isEmpty, "\(name)")
                for cell in records.flatMap(\.fields) {
                    if cell.hasPrefix("'=") || cell.hasPrefix("'@") || cell.hasPrefix("'+") || cell.hasPrefix("'-") { planted_seen += 1 }
                    guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { continue }
                    #expect(Double(cell) != nil, "\(name): a formula cell went out: \(cell)")
                }
            }
            #expect(planted_seen >= 5, "the planted names reached the exports (\(planted_seen))")
        }
    }

    @Test func sameForEveryoneAnswersCarryETagsAndRevalidate() async throws {
        try await Harness.run { client, _ in
            let jwks = try await client.get("/.well-known/jwks.json")
            let tag = try #require(jwks.headers[.eTag])
            #expect(jwks.headers[.cacheControl]?.contains("max-age") == true)
            #expect(try await client.get("/.well-known/jwks.json", headers: [.ifNoneMatch: tag]).status == .notModified)
        }
    }

    @Test func theSecurityHeadersCarryHSTSWhenAsked() async throws {
        for hsts in [true, false] {
            let router = Router()
            router.add(middleware: SecurityHeadersMiddleware(hsts: hsts))
            router.get("x") { _, _ in "ok" }
            try await Application(router: router).test(.router) { client in
                let r = try await client.execute(uri: "/x", method: .get)
                #expect((r.headers[.strictTransportSecurity] != nil) == hsts && r.headers[.contentSecurityPolicy] != nil)
            }
        }
    }

    @Test func httpsDeploymentsGetHSTSAndSecureCookies() throws {
        let config = try AppConfig.fromEnvironment(["XUKE_PUBLIC_URL": "https://xuke.example.gov.cn"])
        #expect(config.secureCookies && config.servedOverHTTPS)
        #expect(try AppConfig.fromEnvironment(["XUKE_PUBLIC_URL": "https://x.example", "XUKE_SECURE_COOKIES": "false"]).secureCookies == false)
        #expect(try AppConfig.fromEnvironment([:]).secureCookies == false)
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["XUKE_TRUSTED_PROXIES": "10.0.0.0/8, nonsense"]) }
    }
}
