import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeStorage
import XukeDomain
import SQLKit

@Suite struct EnterpriseTests {
    @Test func registerValidateAndSearch() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "admin1", role: "admin")
            let created = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.shenzhen, name: "深圳市示例电缆有限公司", division: "440305"), token: admin)
            #expect(created.status == .created)
            #expect(try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.shenzhen, name: "重复", division: "440305"), token: admin).status == .conflict)

            let badCheck = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise("91350100M000100Y4Z", name: "某公司", division: "350100"),
                                                 token: admin, headers: [.acceptLanguage: "en"])
            #expect(badCheck.status == .unprocessableContent)
            #expect(badCheck.errorCode == ErrorCode.uscc.check)
            #expect(badCheck.errorMessage?.contains("expected “3”") == true)
            let badCheckZh = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise("91350100M000100Y4Z", name: "某公司", division: "350100"), token: admin)
            #expect(badCheckZh.errorMessage?.contains("应为“3”") == true)

            let unknownDivision = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.beijing, name: "某公司", division: "119999"), token: admin)
            #expect(unknownDivision.status == .unprocessableContent && unknownDivision.errorCode == ErrorCode.division.unknown)
            let malformed = try await client.send(.post, "/api/v1/enterprises", json: #"{"uscc": "#, token: admin)
            #expect(malformed.status == .badRequest && malformed.errorCode == ErrorCode.request.malformedJson)
            let wrongType = try await client.send(.post, "/api/v1/enterprises", json: #"{"uscc":1,"name":"x","domicile":"x","division_code":"110108","legal_representative":"x"}"#, token: admin)
            #expect(wrongType.status == .unprocessableContent && wrongType.errorCode == ErrorCode.request.wrongType)
            let missing = try await client.send(.post, "/api/v1/enterprises", json: #"{"uscc":"91110108MA83JN2N13"}"#, token: admin)
            #expect(missing.errorCode == ErrorCode.request.missingFieldJws)
            let long = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.beijing, name: String(repeating: "长", count: 101), division: "110108"), token: admin)
            #expect(long.status == .unprocessableContent && long.errorCode == ErrorCode.enterprise.name.tooLong)
            let notJSON = try await client.execute(uri: "/api/v1/enterprises", method: .post, headers: [.authorization: "Bearer \(admin)", .contentType: "text/plain"], body: ByteBuffer(string: "x"))
            #expect(notJSON.status == .unsupportedMediaType)
            // None of the refused requests left anything behind.
            #expect(try await s.db.read { try await EnterpriseStore.count($0) } == 1)

            let byPrefix = try await client.get("/api/v1/enterprises?q=9144", headers: [.authorization: "Bearer \(admin)"])
            #expect(byPrefix.text.contains(Fixtures.shenzhen))
            let byName = try await client.get("/api/v1/enterprises?q=\("示例电缆".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", headers: [.authorization: "Bearer \(admin)"])
            #expect(byName.text.contains(Fixtures.shenzhen))
            let none = try await client.get("/api/v1/enterprises?q=9111", headers: [.authorization: "Bearer \(admin)"])
            #expect(none.text == #"{"items":[]}"#)
            let events = try await s.db.read { try await Events.list($0, subject: "enterprise/\(Fixtures.shenzhen)") }
            #expect(events.map(\.type) == [EventType.enterpriseRegistered.rawValue])
            // The event API gives each payload as a JSON object with snake_case keys, as it gives everything else.
            let subject = "enterprise/\(Fixtures.shenzhen)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let listed = try await client.get("/api/v1/events?subject=\(subject)", headers: [.authorization: "Bearer \(admin)"])
            let first = try #require(((try JSONSerialization.jsonObject(with: Data(listed.text.utf8)) as? [String: Any])?["items"] as? [[String: Any]])?.first)
            let payload = try #require(first["payload"] as? [String: Any], "payloads are objects: \(listed.text)")
            #expect(payload["division_code"] as? String != nil && payload["divisionCode"] == nil, "\(payload)")
        }
    }

    /// Lists page one way: `items`, and `next` to pass back as `after` until a page comes without it.
    @Test func listsPageWithACursor() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "admin1", role: "admin")
            for (uscc, division) in [(Fixtures.beijing, "110108"), (Fixtures.shanghai, "310115"), (Fixtures.shenzhen, "440305")] {
                #expect(try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(uscc, name: "示例企业\(division)", division: division), token: admin).status == .created)
            }
            func page(_ path: String) async throws -> (items: [[String: Any]], next: String?) {
                let r = try await client.get(path, headers: [.authorization: "Bearer \(admin)"])
                let object = try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any], "\(path): \(r.text)")
                return (object["items"] as? [[String: Any]] ?? [], object["next"] as? String)
            }
            var seen: [String] = []
            var path = "/api/v1/enterprises?limit=2"
            while true {
                let p = try await page(path)
                seen += p.items.compactMap { $0["uscc"] as? String }
                guard let next = p.next else { break }
                path = "/api/v1/enterprises?limit=2&after=\(next)"
            }
            #expect(seen == [Fixtures.beijing, Fixtures.shanghai, Fixtures.shenzhen])
            // The event log pages the same way, and a cursor it never gave is refused.
            let first = try await page("/api/v1/events?limit=1")
            let second = try await page("/api/v1/events?limit=1&after=\(try #require(first.next))")
            #expect((first.items.first?["id"] as? Int).map { $0 < (second.items.first?["id"] as? Int ?? 0) } == true)
            for bad in ["/api/v1/events?after=x", "/api/v1/enterprises?after=%27%20OR%201", "/api/v1/applications?after=2026-13-01_1"] {
                let r = try await client.get(bad, headers: [.authorization: "Bearer \(admin)"])
                #expect(r.status == .badRequest && r.errorCode == ErrorCode.request.cursor, "\(bad): \(r.text)")
            }
        }
    }

    @Test func officersSeeAndActOnlyInsideTheirJurisdiction() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "admin1", role: "admin")
            #expect(try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.beijing, name: "北京示例水泥有限公司", division: "110108"), token: admin).status == .created)
            let guangdong = try await client.token(s, username: "gdofficer", role: "officer", jurisdiction: "440000")
            let beijing = try await client.token(s, username: "bjofficer", role: "officer", jurisdiction: "110000")

            // Reading: API, search and page.
            #expect(try await client.get("/api/v1/enterprises/\(Fixtures.beijing)", headers: [.authorization: "Bearer \(beijing)"]).status == .ok)
            #expect(try await client.get("/api/v1/enterprises/\(Fixtures.beijing)", headers: [.authorization: "Bearer \(guangdong)"]).status == .notFound)
            #expect(try await client.get("/api/v1/enterprises?q=9111", headers: [.authorization: "Bearer \(guangdong)"]).text == #"{"items":[]}"#)
            #expect(try await client.get("/api/v1/enterprises?q=\("水泥".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", headers: [.authorization: "Bearer \(guangdong)"]).text == #"{"items":[]}"#)
            // Changing: an update of another province's enterprise, and moving one into or out of one's own.
            let edit = Fixtures.enterprise(Fixtures.beijing, name: "改名", division: "110108")
            #expect(try await client.send(.put, "/api/v1/enterprises/\(Fixtures.beijing)", json: edit, token: guangdong).status == .notFound)
            let moveOut = Fixtures.enterprise(Fixtures.beijing, name: "北京示例水泥有限公司", division: "440305")
            #expect(try await client.send(.put, "/api/v1/enterprises/\(Fixtures.beijing)", json: moveOut, token: beijing).status == .forbidden)
            #expect(try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.shanghai, name: "上海某公司", division: "310115"), token: guangdong).status == .forbidden)
            #expect(try await client.send(.put, "/api/v1/enterprises/\(Fixtures.beijing)", json: edit, token: beijing).status == .ok)
            let stored = try await s.db.read { try await EnterpriseStore.get($0, uscc: Fixtures.beijing, visibility: .everything) }
            #expect(stored?.name == "改名")

            // The HTML pages apply the same rule.
            _ = try await s.createUser(username: "gdweb", displayName: "GD", password: "correct horse battery", role: "officer", jurisdiction: "440000", enterpriseUSCC: nil)
            let (cookie, _) = try await client.browserSignIn(username: "gdweb", password: "correct horse battery")
            #expect(try await client.get("/enterprises/\(Fixtures.beijing)", headers: [.cookie: cookie]).status == .notFound)
            #expect(!(try await client.get("/enterprises?q=9111", headers: [.cookie: cookie]).text.contains(Fixtures.beijing)))
        }
    }

    @Test func enterpriseUsersSeeOnlyTheirOwn() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "admin1", role: "admin")
            for (u, d) in [(Fixtures.beijing, "110108"), (Fixtures.shanghai, "310115")] {
                #expect(try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(u, name: "公司\(d)", division: d), token: admin).status == .created)
            }
            let own = try await client.token(s, username: "ent", role: "enterprise", enterprise: Fixtures.beijing)
            #expect(try await client.get("/api/v1/enterprises/\(Fixtures.beijing)", headers: [.authorization: "Bearer \(own)"]).status == .ok)
            #expect(try await client.get("/api/v1/enterprises/\(Fixtures.shanghai)", headers: [.authorization: "Bearer \(own)"]).status == .notFound)
            #expect(try await client.get("/api/v1/enterprises", headers: [.authorization: "Bearer \(own)"]).text.contains(Fixtures.shanghai) == false)
        }
    }

    @Test func registrationFormKeepsInputOnError() async throws {
        try await Harness.run { client, s in
            _ = try await s.createUser(username: "gdweb", displayName: "GD", password: "correct horse battery", role: "officer", jurisdiction: "440000", enterpriseUSCC: nil)
            let (cookie, _) = try await client.browserSignIn(username: "gdweb", password: "correct horse battery")
            let page = try await client.get("/enterprises/new", headers: [.cookie: cookie])
            // An absent value renders as nothing (it once printed "nil" in an error box).
            #expect(page.readsClean)
            let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.1) })
            func post(_ uscc: String) async throws -> TestResponse {
                let body = "_csrf=\(csrf)&uscc=\(uscc)&name=%E7%A4%BA%E4%BE%8B&domicile=x&division_code=440305&legal_representative=y&address_1=&address_division_1="
                return try await client.execute(uri: "/enterprises", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
            }
            let bad = try await post("91440300MAHTRKJH64")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("应为“3”"))
            #expect(bad.text.contains(#"value="91440300MAHTRKJH64""#))
            let good = try await post(Fixtures.shenzhen)
            #expect(good.status == .seeOther && good.headers[.location] == "/enterprises/\(Fixtures.shenzhen)")
            let profile = try await client.get("/enterprises/\(Fixtures.shenzhen)?lang=en", headers: [.cookie: cookie])
            #expect(profile.status == .ok && profile.text.contains("Enterprise registered"))
            // The history names the officer, not an internal id.
            #expect(profile.text.contains("GD (gdweb)"))
            let list = try await client.get("/enterprises", headers: [.cookie: cookie])
            #expect(list.text.contains(Fixtures.shenzhen) && !list.text.contains("page=2"))
        }
    }
}
