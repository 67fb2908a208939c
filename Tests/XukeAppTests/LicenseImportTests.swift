import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage
import XukeTrust

@Suite struct LicenseImportTests {
    static let header = "许可证编号,统一社会信用代码,产品单元,发证机关,发证日期,有效期至,首次发证日期"
    static let second = Fixtures.guangdong(601)  // a second Shenzhen enterprise
    static let third = Fixtures.guangdong(602)   // and one registered in Guangzhou

    /// Registers the enterprises the licences belong to, through the enterprise import.
    static func registerEnterprises(_ client: any TestClientProtocol, token: String) async throws {
        var rows: [String] = [EnterpriseImportTests.header]
        for (i, uscc) in [Fixtures.shenzhen, second, third].enumerated() {
            rows.append(EnterpriseImportTests.row(uscc, "示例企业\(i)", division: uscc == third ? "440104" : "440305"))
        }
        let r = try await post(client, "/api/v1/enterprises/import", Data(rows.joined(separator: "\n").utf8), token: token)
        #expect(r.status == .created, "\(r.text)")
    }

    static func post(_ client: any TestClientProtocol, _ path: String, _ data: Data, token: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(bytes: data))
    }

    static func problems(_ r: TestResponse) throws -> [[String: Any]] {
        try #require((try r.json()["error"] as? [String: Any])?["problems"] as? [[String: Any]], "\(r.text)")
    }

    @Test func numbersAreReadAsPrinted() {
        #expect(LicenseNumber.parse("(粤)XK13-006-00123")?.description == "(粤)XK13-006-00123")
        #expect(LicenseNumber.parse("（粤）XK13-006-00123")?.description == "(粤)XK13-006-00123")
        #expect(LicenseNumber.parse(" 粤xk13-006-00123 ")?.description == "(粤)XK13-006-00123")
        #expect(LicenseNumber.parse("XK06-001-00042")?.description == "XK06-001-00042")
        for bad in ["", "(粤XK13-006-00123", "(GD)XK13-006-00123", "XK13-06-00123", "XK13-006-0012", "XK13-006-001234", "QS13-006-00123", "XK13-006-0012a"] {
            #expect(LicenseNumber.parse(bad) == nil, "\(bad)")
        }
        #expect(ImportTable.day("2024/5/6") == CivilDate(year: 2024, month: 5, day: 6))
        #expect(ImportTable.day("2024年5月6日") == CivilDate(year: 2024, month: 5, day: 6))
        #expect(ImportTable.day("2024-05-06") == CivilDate(year: 2024, month: 5, day: 6))
        #expect(ImportTable.day("2024/2/30") == nil && ImportTable.day("24/5/6") == nil && ImportTable.day("2024/5") == nil)
    }

    /// Two licences in force of one enterprise become one, an ended one stays under its number, and everything the
    /// platform promises of a licence holds for them: a credential marked as imported that verifies, a status entry,
    /// a log entry naming the replaced number, an audit with nothing to say, a query by the old number.
    @Test func licencesComeInMergedSignedAndLogged() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "root", role: "admin")
            try await Self.registerEnterprises(client, token: admin)
            let today = s.clock.today
            let y = { (years: Int, days: Int) in today.adding(months: 12 * years).adding(days: days).description }
            let csv = ([
                Self.header,
                // The first enterprise's two licences in force: the older number is kept, the units join, the earlier end wins.
                "(粤)XK06-001-00007,\(Fixtures.shenzhen),0601,440000,\(y(-2, 0)),\(y(3, -1)),\(y(-7, 0))",
                "（粤）XK10-001-00020,\(Fixtures.shenzhen),1001；1002,440000,\(y(-1, 0)),\(y(4, -1)),\(y(-1, 0))",
                // The second: one licence in force (dates as Excel shows them).
                "粤XK10-003-00031,\(Self.second),1003,440000,\(y(-1, 0).replacingOccurrences(of: "-0", with: "/").replacingOccurrences(of: "-", with: "/")),\(y(4, -1)),",
                // The third: one that has ended.
                "(粤)XK06-001-00002,\(Self.third),0601,440000,\(y(-6, 0)),\(y(-1, -1)),",
            ] as [String]).joined(separator: "\r\n")
            let dry = try await Self.post(client, "/api/v1/licenses/import?dry_run=true", Data(csv.utf8), token: admin)
            #expect(dry.status == .ok, "\(dry.text)")
            #expect(try dry.json()["licenses"] as? Int == 3 && dry.json()["expired"] as? Int == 1 && dry.json()["imported"] as? Int == 0)
            #expect(try await s.db.read { try await LicenseStore.allLicenses($0) }.isEmpty, "a dry run writes nothing")

            let done = try await Self.post(client, "/api/v1/licenses/import", Data(csv.utf8), token: admin)
            #expect(done.status == .created, "\(done.text)")
            let merged = try #require((try done.json()["merged"] as? [[String: Any]])?.first)
            #expect(merged["number"] as? String == "(粤)XK06-001-00007" && merged["replaces"] as? [String] == ["(粤)XK10-001-00020"])

            let all = try await s.db.read { try await LicenseStore.allLicenses($0) }
            #expect(all.count == 3)
            let first = try #require(all.first { $0.uscc == Fixtures.shenzhen })
            #expect(first.number == "(粤)XK06-001-00007" && first.units.map(\.unitNo) == ["0601", "1001", "1002"])
            #expect(first.validUntil.description == y(3, -1) && first.firstIssuedOn.description == y(-7, 0) && first.issuedOn.description == y(-1, 0))
            #expect(first.status(on: today) == .valid && first.name == "示例企业0" && !first.addresses.isEmpty)
            let ended = try #require(all.first { $0.uscc == Self.third })
            #expect(ended.storedStatus == .expired && ended.number == "(粤)XK06-001-00002")
            #expect(try await s.db.read { try await LicenseStore.licenseVersions($0, licenseID: first.id) }.map(\.reason) == ["imported"])

            // The credential: marked as imported, and it verifies; the ended licence has none.
            let cred = try await client.get("/api/v1/public/licenses/\(first.id)/credential")
            #expect(cred.status == .ok, "\(cred.text)")
            let jws = try #require(try cred.json()["jws"] as? String)
            let claims = try CompactJWS.parse(jws).claims
            #expect(claims["lic"]?["imp"] == .bool(true) && claims["jti"]?.stringValue == "(粤)XK06-001-00007")
            let verified = try await client.execute(uri: "/api/v1/verify", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(string: #"{"jws":"\#(jws)"}"#))
            #expect(try verified.json()["verdict"] as? String == "valid", "\(verified.text)")
            #expect(try await client.get("/api/v1/public/licenses/\(ended.id)/credential").status == .notFound)

            // The log says license.imported and names the number replaced; the audit finds nothing amiss.
            let entries = try await s.db.read { try await TransparencyStore.entries($0, from: 0, count: 100) }.filter { $0.kind == "license.imported" }
            #expect(entries.count == 3)
            let logged = try #require(entries.first { $0.subject == "license/\(first.id)" })
            let entry = try JSONValue.parse(logged.entry)
            #expect(entry["replaces"]?.arrayValue == [.string("(粤)XK10-001-00020")] && entry["credential_sha256"] != nil)
            #expect(try await s.trust.auditLog().problems == [])

            // A query by the old number, as printed in any form, finds the licence that replaced it.
            for q in ["(粤)XK10-001-00020", "粤XK10-001-00020"] {
                let found = try await client.get("/api/v1/public/licenses?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                #expect((try found.json()["items"] as? [[String: Any]])?.first?["number"] as? String == "(粤)XK06-001-00007", "\(found.text)")
            }
            // The imported serials are never handed out again.
            let next = try await s.db.write { try await SettingsStore.nextSerial($0, "license:(粤)XK10-001-") }
            #expect(next == 21)
            // Bringing the same file in again is refused: every number is on the platform now.
            let again = try await Self.post(client, "/api/v1/licenses/import?lang=en", Data(csv.utf8), token: admin)
            #expect(again.status == .unprocessableContent)
            #expect(try Self.problems(again).compactMap { $0["line"] as? Int }.sorted() == [2, 2, 3, 4, 4, 5], "\(again.text)")
        }
    }

    /// Every bad row is named by its line and nothing is written.
    @Test func oneBadRowRefusesTheFile() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "root", role: "admin")
            try await Self.registerEnterprises(client, token: admin)
            let officer = try await client.token(s, username: "officer-sz", role: "officer", jurisdiction: "440300")
            let today = s.clock.today
            let issued = today.adding(months: -12).description, until = today.adding(months: 48).description
            let csv = ([
                "license_number,uscc,units,authority,issued_on,valid_until",
                "(粤)XK06-001-00007,\(Fixtures.shenzhen),0601,440300,\(issued),\(until)",       // 2: a Guangdong number from Shenzhen: fine
                "XK06-001-00008,\(Self.second),0601,440300,\(issued),\(until)",                // 3: no province for a provincial authority
                "(粤)XK06-001-00009,\(Fixtures.beijing),0601,440300,\(issued),\(until)",       // 4: not registered
                "(粤)XK06-001-00010,\(Self.third),0601,440000,\(issued),\(until)",             // 5: the province is above a Shenzhen officer
                "(粤)XK06-001-00007,\(Self.second),0601,440300,\(issued),\(until)",            // 6: repeats line 2
                "(粤)XK06-001-00011,\(Self.second),9999,440300,\(issued),\(until)",            // 7: no such unit
                "(粤)XK06-001-00012,\(Self.second),1401,440300,2023-03-01,2028-02-28",          // 8: 安全帽 is in the 2024 catalog only
                "(粤)XK06-001-00013,\(Self.second),0601,440300,2023-02-30,\(until)",            // 9: no such day
                "(粤)XK06-001-00014,\(Self.second),0601,440300,\(issued),\(today.adding(months: 200))", // 10: beyond ten years
                "(粤)XK06-001-00015,\(Self.second),,440300,\(issued),\(until)",                 // 11: no units
                "(粤)XK06-001-00016,\(Self.second),0601,44030X,\(issued),\(until)",             // 12: not an authority
                "(粤)XK6-001-00017,\(Self.second),0601,440300,\(issued),\(until)",              // 13: not a number
                "(粤)XK06-001-00031,\(Self.third),0601,440300,\(issued),\(until)",             // 14: a Guangzhou enterprise, a Shenzhen authority
            ] as [String]).joined(separator: "\n")
            let r = try await Self.post(client, "/api/v1/licenses/import?lang=en", Data(csv.utf8), token: officer)
            #expect(r.status == .unprocessableContent)
            let problems = try Self.problems(r)
            #expect(Array(Set(problems.compactMap { $0["line"] as? Int })).sorted() == Array(3...14), "\(problems)")
            #expect(problems.contains { $0["line"] as? Int == 14 && ($0["message"] as? String)?.contains("does not cover the enterprise") == true })
            let line14 = csv.split(separator: "\n").first! + "\n" + csv.split(separator: "\n").last!
            #expect(try await Self.post(client, "/api/v1/licenses/import", Data(line14.utf8), token: admin).status == .unprocessableContent,
                    "an authority never licenses outside its area, whoever imports")
            #expect(problems.contains { ($0["message"] as? String)?.contains("not in the 2024 catalog") == true || ($0["message"] as? String)?.contains("2019 catalog") == true })
            #expect(try await s.db.read { try await LicenseStore.allLicenses($0) }.isEmpty, "nothing half-imported")

            // Licences in force of one enterprise from two authorities cannot become one.
            let split = ([
                "license_number,uscc,units,authority,issued_on,valid_until",
                "(粤)XK06-001-00020,\(Self.third),0601,440000,\(issued),\(until)",
                "XK06-001-00021,\(Self.third),0101,national,\(issued),\(until)",
            ] as [String]).joined(separator: "\n")
            let refused = try await Self.post(client, "/api/v1/licenses/import?lang=en", Data(split.utf8), token: admin)
            #expect(refused.status == .unprocessableContent)
            #expect(try Self.problems(refused).count == 1 && refused.text.contains("different authorities"), "\(refused.text)")
            let maker = try await client.token(s, username: "maker", role: "enterprise", enterprise: Fixtures.shenzhen)
            #expect(try await Self.post(client, "/api/v1/licenses/import", Data(split.utf8), token: maker).status == .forbidden)
        }
    }

    /// The officers' page, with a GB18030 file as Excel writes it.
    @Test func theOfficersPageShowsWhatWouldHappen() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "root", role: "admin")
            try await Self.registerEnterprises(client, token: admin)
            _ = try await client.token(s, username: "officer-gd", role: "officer", jurisdiction: "440000")
            let officer = try await client.browser("officer-gd")
            for lang in ["zh", "en"] {
                let page = try await client.get("/licenses/import?lang=\(lang)", headers: [.cookie: officer.cookie])
                #expect(page.status == .ok && page.readsClean && page.text.contains("许可证编号") && page.text.contains("license_number"))
            }
            let today = s.clock.today
            let issued = today.adding(months: -12).description, until = today.adding(months: 48).description
            let lines: [String] = [Self.header, "(粤)XK06-001-00007,\(Fixtures.shenzhen),0601,440000,\(issued),\(until),",
                                   "(粤)XK10-001-00008,\(Fixtures.shenzhen),1001,440000,\(issued),\(until),"]
            let csv = lines.joined(separator: "\r\n")
            func upload(_ csv: String, dryRun: Bool) async throws -> TestResponse {
                var fields = [("_csrf", officer.csrf)]
                if dryRun { fields.append(("dry_run", "1")) }
                return try await client.execute(uri: "/licenses/import?lang=en", method: .post,
                                                headers: [.cookie: officer.cookie, .contentType: "multipart/form-data; boundary=xukeBoundary42"],
                                                body: LicensingPageTests.multipart(fields, files: [("file", "许可证.csv", try EnterpriseImportTests.gb18030(csv) ?? Data(csv.utf8))]))
            }
            let dry = try await upload(csv, dryRun: true)
            #expect(dry.status == .ok && dry.text.contains("as 1 licences") && dry.text.contains("replaces (粤)XK10-001-00008"), "\(dry.text)")
            let bad = try await upload(csv.replacingOccurrences(of: ",1001,", with: ",7777,"), dryRun: true)
            #expect(bad.status == .unprocessableContent && bad.text.contains("<td class=\"mono\">3</td>") && bad.text.contains("7777"))
            let done = try await upload(csv, dryRun: false)
            #expect(done.status == .ok && done.text.contains("Imported 1 licences"), "\(done.text)")
            #expect(try await s.db.read { try await LicenseStore.allLicenses($0) }.count == 1)
        }
    }
}
