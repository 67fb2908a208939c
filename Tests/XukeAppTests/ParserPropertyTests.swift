import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeTrust

/// Random and adversarial input for every parser of outside input: none may trap (a trap would end this test
/// process, so merely finishing is the proof), refusals are the parser's own errors, and where a parser searches,
/// its work stays within a fixed multiple of the input.
@Suite struct ParserPropertyTests {
    /// Text built from the characters that matter to these parsers, plus random Unicode, at random lengths.
    struct Fuzz {
        var rng: SplitMix64
        static let alphabet = Array("0123456789xX/.-p,\"\r\n\t=&%+;:@[]{}()_ abcdefABCDEF\\\u{0}\u{301}中文\u{FEFF}\u{202E}")

        init(_ seed: UInt64) { rng = SplitMix64(seed: seed) }

        mutating func text(max: Int = 200) -> String {
            let n = Int(rng.next() % UInt64(max + 1))
            var s = ""
            for _ in 0..<n {
                if rng.next() % 10 == 0, let u = Unicode.Scalar(UInt32(rng.next() % 0x2FFFF)) {
                    s.unicodeScalars.append(u)
                } else {
                    s.append(Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))])
                }
            }
            return s
        }

        mutating func bytes(max: Int = 400) -> [UInt8] {
            (0..<Int(rng.next() % UInt64(max + 1))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }

        /// Digits, with now and then a very long run, for number fields.
        mutating func number() -> String {
            let digits = rng.next() % 8 == 0 ? 40 : Int(rng.next() % 12)
            return (rng.next() % 5 == 0 ? "-" : "") + String((0..<max(1, digits)).map { _ in Character(String(rng.next() % 10)) })
        }
    }

    @Test func tilePaths() {
        var f = Fuzz(1)
        for _ in 0..<5_000 {
            let groups = (0..<Int(f.rng.next() % 9)).map { _ in (f.rng.next() % 2 == 0 ? "x" : "") + f.number() }
            let path = ([f.rng.next() % 3 == 0 ? "entries" : f.number()] + groups).joined(separator: "/") + (f.rng.next() % 4 == 0 ? ".p/" + f.number() : "")
            if let tile = LogTilePath(path) {
                #expect(tile.index >= 0 && tile.index < LogTilePath.maxIndex && (1...256).contains(tile.width))
                _ = tile.exists(in: Int(f.rng.next() % UInt64(Int.max)))
            }
            _ = LogTilePath(f.text())
        }
    }

    @Test func multipartBodiesStayLinear() {
        var f = Fuzz(2)
        for _ in 0..<2_000 {
            var body = "--b\r\n"
            for _ in 0..<Int(f.rng.next() % 40) {
                body += f.rng.next() % 2 == 0 ? "Content-Disposition: form-data; name=\"\(f.text(max: 10))\"\r\n\r\n" : f.text(max: 60)
                body += f.rng.next() % 3 == 0 ? "\r\n--b\r\n" : f.text(max: 20)
            }
            body += f.rng.next() % 2 == 0 ? "\r\n--b--\r\n" : ""
            let size = body.utf8.count
            if let form = try? Multipart(ByteBuffer(string: body), boundary: "b") {
                #expect(form.scanned <= 2 * size + 16)
            }
            _ = try? Multipart(ByteBuffer(bytes: f.bytes()), boundary: f.text(max: 80))
            _ = CSRF.firstField(ByteBuffer(string: body).readableBytesView, .multipart(boundary: "b"))
            _ = CSRF.firstField(ByteBuffer(string: f.text()).readableBytesView, .urlencoded, complete: true)
        }
    }

    @Test func csvImports() {
        var f = Fuzz(3)
        for _ in 0..<3_000 {
            let header = ["edition,decision,in_force,category_no,category_zh,category_en,unit_no,unit_zh,unit_en,authority,commitment_route,confidence",
                          "number,holder_uscc,product,standard,body,status,issued_on,expires_on", "date,kind", ""][Int(f.rng.next() % 4)]
            let text = header + "\r\n" + (0..<Int(f.rng.next() % 5)).map { _ in f.text(max: 120) }.joined(separator: "\n")
            _ = try? CSV.parse(text)
            _ = try? CatalogCSV.parse(text)
            _ = try? ReformActionsCSV.parse(text)
            _ = try? WorkCalendar.parseNotice(text)
            _ = try? CCCCertificate.importCSV(text, products: ["1001"], bodies: ["CQC"])
            // What goes out reads back the same (after neutralisation).
            let row = (0..<4).map { _ in f.text(max: 30) }
            if let back = try? CSV.parse(CSV.write([row], bom: false)), let fields = back.first?.fields {
                #expect(fields == row.map(CSV.neutralised) || row.allSatisfy(\.isEmpty), "\(row.map { Array($0.unicodeScalars.prefix(12)) }) → \(fields.map { Array($0.unicodeScalars.prefix(12)) })")
            }
        }
    }

    @Test func identifiersDatesAndAddresses() {
        var f = Fuzz(4)
        for _ in 0..<10_000 {
            let t = f.rng.next() % 2 == 0 ? f.text(max: 40) : f.number()
            _ = try? USCC(t)
            _ = LicenseNumber.codes(t)
            _ = CivilDate(t)
            if let d = CivilDate(t) { #expect(CivilDate(d.description) == d) }
            _ = IPAddress(t)
            _ = IPRange(t)
            _ = safeNext(t)
            #expect(safeNext(t) == "/" || (safeNext(t).hasPrefix("/") && !safeNext(t).hasPrefix("//")))
            _ = LanguageMiddleware.fromAcceptLanguage(t)
            _ = ClientAddress.resolve(peer: "10.0.0.1", headers: [.xForwardedFor: t, .forwarded: f.text(max: 60)], trusted: IPRange.list("10.0.0.0/8")!)
        }
        for months in [-100_000, -13, -1, 0, 1, 13, 100_000] {
            _ = CivilDate(year: 2024, month: 1, day: 31)!.adding(months: months)
        }
    }

    @Test func jsonAndCredentials() {
        var f = Fuzz(5)
        for _ in 0..<5_000 {
            _ = try? JSONValue.parse(f.bytes())
            _ = try? JSONValue.parse(Array(f.text().utf8))
            let parts = (0..<Int(f.rng.next() % 5)).map { _ in f.rng.next() % 2 == 0 ? Base64URL.encode(f.bytes(max: 60)) : f.text(max: 30) }
            _ = try? CompactJWS.parse(parts.joined(separator: "."))
        }
        // Deep nesting is refused, not recursed into until the stack ends.
        _ = try? JSONValue.parse(Array(String(repeating: "[", count: 100_000).utf8))
    }

    /// The same over HTTP, anonymously: random bodies and query strings at the public forms and endpoints never
    /// produce a 5xx.
    @Test func publicEndpointsNeverAnswer5xx() async throws {
        try await Harness.run { client, _ in
            var f = Fuzz(6)
            let csrf = try #require(try await client.get("/login").cookies["xuke_csrf"])
            for n in 0..<400 {
                let (uri, method, type): (String, HTTPRequest.Method, String) = [
                    ("/login", .post, "application/x-www-form-urlencoded"), ("/report/track", .post, "multipart/form-data; boundary=\(f.text(max: 8))"),
                    ("/api/v1/verify", .post, "application/json"), ("/api/v1/auth/token", .post, "application/json"),
                    ("/api/v1/public/reports", .post, "application/json"),
                    ("/api/v1/log/proof/inclusion?index=\(f.number())&size=\(f.number())", .get, ""),
                    ("/api/v1/log/proof/consistency?from=\(f.number())&to=\(f.number())", .get, ""),
                    ("/api/v1/calendar/add?start=\(f.text(max: 12).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&days=\(f.number())", .get, ""),
                    ("/api/v1/public/licenses?q=\(f.text(max: 30).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", .get, ""),
                    ("/log/tile/\(f.number())/x\(f.number())/\(f.number())", .get, ""),
                ][n % 10]
                var body = f.rng.next() % 2 == 0 ? "_csrf=\(csrf)&" + f.text() : f.text()
                if type.hasPrefix("application/json"), f.rng.next() % 2 == 0 { body = #"{"jws":"\#(f.text(max: 50))","username":"\#(f.number())","password":1}"# }
                let r = try await client.execute(uri: uri, method: method, headers: [.contentType: type, .cookie: "xuke_csrf=\(csrf)"],
                                                 body: method == .get ? nil : ByteBuffer(string: body))
                #expect(r.status.code < 500, "\(method) \(uri) → \(r.status): \(r.text.prefix(200))")
            }
        }
    }
}
