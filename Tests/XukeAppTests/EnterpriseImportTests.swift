import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage
import XukeTestSupport

@Suite struct EnterpriseImportTests {
    static let header = "统一社会信用代码,企业名称,住所,住所行政区划代码,法定代表人,联系电话,生产地址,生产地址行政区划代码"

    static func row(_ uscc: String, _ name: String, division: String = "440305") -> String {
        "\(uscc),\(name),深圳市南山区科技路1号,\(division),张三,0755-12345678,深圳市宝安区工业路2号,440306"
    }

    /// GB18030 bytes made by Python's own codec, not ours, when Python is here.
    static func gb18030(_ text: String) throws -> Data? {
        let r = try Interop.run("python3", ["-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode('utf-8').encode('gb18030'))"],
                                stdin: Data(text.utf8))
        return r.status == 0 ? r.stdout : nil
    }

    @Test func theEncodingIsFoundNotAsked() throws {
        let text = "企业名称,住所\r\n示例𠀀公司,北京\r\n"
        #expect(ImportText.decode(Data(text.utf8))?.encoding == .utf8)
        #expect(ImportText.decode(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))).map { [$0.text] + [$0.encoding.rawValue] } == [text, "UTF-8 with BOM"])
        if let gb = try Self.gb18030(text) {
            #expect(gb != Data(text.utf8))
            let decoded = try #require(ImportText.decode(gb))
            #expect(decoded.encoding == .gb18030 && decoded.text == text, "GBK characters and a four-byte one read back")
        } else {
            #expect(!Interop.enabled, "scripts/test has python3")
        }
        #expect(ImportText.decode(Data([0x81, 0x30])) == nil, "a cut-off GB18030 character is neither")
    }

    @Test func aGoodFileIsRegisteredAndADryRunWritesNothing() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "root", role: "admin")
            let csv = [Self.header, Self.row(Fixtures.shenzhen, "深圳示例食品包装有限公司"), Self.row(Fixtures.guangdong(501), "广东示例塑料制品有限公司")]
                .joined(separator: "\r\n") + "\r\n"
            let body = try Self.gb18030(csv) ?? Data(csv.utf8)
            func post(_ query: String, _ data: Data, token: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/enterprises/import\(query)", method: .post,
                                         headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(bytes: data))
            }
            let dry = try await post("?dry_run=true", body, token: admin)
            #expect(dry.status == .ok, "\(dry.text)")
            #expect(try dry.json()["imported"] as? Int == 0 && dry.json()["rows"] as? Int == 2)
            #expect(try await s.db.read { try await EnterpriseStore.count($0) } == 0)
            let done = try await post("", body, token: admin)
            #expect(done.status == .created, "\(done.text)")
            #expect(try done.json()["imported"] as? Int == 2)
            let e = try await client.execute(uri: "/api/v1/enterprises/\(Fixtures.shenzhen)", method: .get, headers: [.authorization: "Bearer \(admin)"], body: nil)
            #expect(try e.json()["name"] as? String == "深圳示例食品包装有限公司")
            // The same file again: every row is already registered, nothing changes.
            let again = try await post("", body, token: admin)
            #expect(again.status == .unprocessableContent)
            #expect((try again.json()["error"] as? [String: Any])?["problems"].map { ($0 as? [Any])?.count } == 2)
            #expect(try await post("?dry_run=maybe", body, token: admin).status == .badRequest)
            let maker = try await client.token(s, username: "maker", role: "enterprise", enterprise: Fixtures.shenzhen)
            #expect(try await post("", body, token: maker).status == .forbidden)
        }
    }

    /// Every bad row is named with its line, in both languages, and nothing of the file is written.
    @Test func oneBadRowRefusesTheFileNamingEveryBadRow() async throws {
        try await Harness.run { client, s in
            let officer = try await client.token(s, username: "officer-gd", role: "officer", jurisdiction: "440000")
            let badCheck = String(Fixtures.shenzhen.dropLast()) + (Fixtures.shenzhen.last == "3" ? "4" : "3")
            let csv = [
                Self.header,
                Self.row(Fixtures.shenzhen, "深圳示例食品包装有限公司"),          // line 2: fine
                Self.row(badCheck, "校验位错误公司"),                              // line 3: check character
                Self.row(Fixtures.guangdong(502), "区划错误公司", division: "449999"),  // line 4: no such division
                Self.row(Fixtures.shenzhen, "重复公司"),                            // line 5: repeats line 2
                Self.row(Fixtures.beijing, "北京公司", division: "110108"),         // line 6: outside Guangdong
                "\(Fixtures.guangdong(503)),,深圳,440305,张三,,,",                   // line 7: no name
            ].joined(separator: "\n")
            let r = try await client.execute(uri: "/api/v1/enterprises/import?lang=en", method: .post,
                                             headers: [.authorization: "Bearer \(officer)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            #expect(r.status == .unprocessableContent)
            let problems = try #require((try r.json()["error"] as? [String: Any])?["problems"] as? [[String: Any]])
            #expect(problems.compactMap { $0["line"] as? Int } == [3, 4, 5, 6, 7], "\(problems)")
            #expect((problems[2]["message"] as? String)?.contains("repeats line 2") == true)
            #expect(try await s.db.read { try await EnterpriseStore.count($0) } == 0, "nothing half-imported")

            let unknown = try await client.execute(uri: "/api/v1/enterprises/import?lang=en", method: .post, headers: [.authorization: "Bearer \(officer)"],
                                                   body: ByteBuffer(string: "uscc,name,colour\n"))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.text.contains("colour") && unknown.text.contains("domicile"), "an unknown column and the missing ones are named")
        }
    }

    /// The officer's page: a dry run that says what would happen, a refusal that lists every bad line, a real import.
    @Test func theOfficersPageRunsAndListsEveryProblem() async throws {
        try await Harness.run { client, s in
            _ = try await client.token(s, username: "officer-gd", role: "officer", jurisdiction: "440000")
            let officer = try await client.browser("officer-gd")
            for lang in ["zh", "en"] {
                let page = try await client.get("/enterprises/import?lang=\(lang)", headers: [.cookie: officer.cookie])
                #expect(page.status == .ok && page.readsClean && page.text.contains("统一社会信用代码"))
            }
            func upload(_ csv: String, dryRun: Bool) async throws -> TestResponse {
                var fields = [("_csrf", officer.csrf)]
                if dryRun { fields.append(("dry_run", "1")) }
                return try await client.execute(uri: "/enterprises/import?lang=en", method: .post,
                                                headers: [.cookie: officer.cookie, .contentType: "multipart/form-data; boundary=xukeBoundary42"],
                                                body: LicensingPageTests.multipart(fields, files: [("file", "名录.csv", try Self.gb18030(csv) ?? Data(csv.utf8))]))
            }
            let good = [Self.header, Self.row(Fixtures.shenzhen, "深圳示例食品包装有限公司")].joined(separator: "\r\n")
            let bad = [Self.header, Self.row(Fixtures.shenzhen, "深圳示例"), Self.row(Fixtures.beijing, "北京公司", division: "110108")].joined(separator: "\r\n")
            let refused = try await upload(bad, dryRun: true)
            #expect(refused.status == .unprocessableContent && refused.text.contains("<td class=\"mono\">3</td>") && !refused.text.contains("<td class=\"mono\">2</td>"))
            let dry = try await upload(good, dryRun: true)
            #expect(dry.status == .ok && dry.text.contains("can be imported"), "\(dry.text.prefix(300))")
            #expect(try await s.db.read { try await EnterpriseStore.count($0) } == 0)
            let done = try await upload(good, dryRun: false)
            #expect(done.status == .ok && done.text.contains("Imported 1 enterprises"))
            #expect(try await s.db.read { try await EnterpriseStore.count($0) } == 1)
        }
    }
}
