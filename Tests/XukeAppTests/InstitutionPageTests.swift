import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

/// The institution registries and data sharing worked through their pages, as officers, members and agencies
/// would: each form once with good input and once with input it must refuse, in both languages.
@Suite struct InstitutionPageTests {
    @Test func reviewBodiesAreKeptThroughTheirPages() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            _ = try await Flow.start(client, s)
            let officer = try await client.browser("officer")
            #expect(try await client.get("/review-bodies?lang=en", headers: [.cookie: officer.cookie]).text.contains("/review-bodies/new"))
            let fields = [("name", "广东省产品质量审查中心"), ("uscc", Fixtures.guangdong(301)), ("division_code", "440300"), ("registered_on", "")]
            var r = try await client.submit("/review-bodies/new", fields, officer)
            #expect(r.status == .seeOther, "\(r.text)")
            let path = try #require(r.headers[.location])
            r = try await client.submit("/review-bodies/new", fields, officer)
            #expect(r.status == .conflict && r.text.contains("已经登记") && r.text.contains("广东省产品质量审查中心"), "refused, and the form keeps what was typed")
            r = try await client.submit("/review-bodies/new", [("name", "x"), ("uscc", Fixtures.guangdong(302)), ("division_code", "440300"), ("registered_on", "2030-01-01")], officer)
            #expect(r.status == .unprocessableContent && r.text.contains("不能晚于今天"))

            // Members are chosen from the verifiers; the inspection and the suspension carry their reasons.
            let verifier = try #require(try await s.db.read { try await UserStore.list($0, role: .verifier) }.first { $0.username == "verifier1" })
            #expect(try await client.submit(path + "/member", [("user_id", "\(verifier.id)")], officer).status == .seeOther)
            var page = try await client.get(path + "?lang=zh", headers: [.cookie: officer.cookie]).text
            #expect(page.contains("verifier1") && page.contains("记录年度检查"))
            r = try await client.submit(path + "/inspection", [("year", "2026"), ("result", "fail"), ("findings", "")], officer)
            #expect(r.status == .unprocessableContent && r.text.contains("须写明发现的问题"))
            #expect(try await client.submit(path + "/inspection", [("year", "2026"), ("result", "fail"), ("findings", "审查记录缺失")], officer).status == .seeOther)
            page = try await client.get(path + "?lang=en", headers: [.cookie: officer.cookie]).text
            #expect(page.contains("Suspended") && page.contains("Reinstate the body"))
            #expect(try await client.submit(path + "/status", [("status", "registered"), ("reason", "")], officer).status == .unprocessableContent)
            #expect(try await client.submit(path + "/status", [("status", "registered"), ("reason", "整改完成")], officer).status == .seeOther)

            // The member files the yearly report on the same page; the public sees no forms.
            let member = try await client.browser("verifier1")
            #expect(try await client.get(path, headers: [.cookie: member.cookie]).text.contains("报送年度报告"))
            #expect(try await client.submit(path + "/report", [("year", "2025"), ("report", "太短")], member).status == .unprocessableContent)
            #expect(try await client.submit(path + "/report", [("year", "2025"), ("report", "2025年度共完成审查任务，未发现违规行为，人员均持证上岗。")], member).status == .seeOther)
            let outsider = try await client.browser("verifier2")
            #expect(try await client.submit(path + "/member", [("user_id", "\(verifier.id)")], outsider).status == .forbidden)
            for lang in ["zh", "en"] {
                let publicPage = try await client.get(path + "?lang=\(lang)").text
                #expect(publicPage.contains(lang == "zh" ? "整改完成" : "Registered") && !publicPage.contains("_csrf\" value=\"\(officer.csrf)"))
                #expect(!publicPage.contains("/member\""), "no registrar forms for the public")
            }
        }
    }

    @Test func certificationBodiesCertificatesAndBansAreKeptThroughTheirPages() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            _ = try await client.token(s, username: "national", role: "officer")
            let national = try await client.browser("national"), provincial = try await client.browser("officer")
            #expect(!(try await client.get("/ccc", headers: [.cookie: provincial.cookie]).text.contains("/ccc/import")), "CCC is kept by the national authority")
            #expect(try await client.submit("/ccc/bodies", [("name", "中国质量认证中心"), ("uscc", Fixtures.guangdong(990)), ("approval_number", "CNCA-R-2002-001")], provincial).status == .forbidden)
            var r = try await client.submit("/ccc/bodies", [("name", "中国质量认证中心"), ("uscc", Fixtures.guangdong(990)), ("approval_number", "CQC")], national)
            #expect(r.status == .unprocessableContent && r.text.contains("CQC"), "the form comes back with what was typed")
            r = try await client.submit("/ccc/bodies", [("name", "中国质量认证中心"), ("uscc", Fixtures.guangdong(990)), ("approval_number", "CNCA-R-2002-001")], national)
            #expect(r.status == .ok && r.text.contains("认证机构已登记"), "\(r.text)")
            let body = try #require(try await s.db.read { try await CCCStore.bodies($0) }.first?.code)

            func upload(_ rows: [String]) async throws -> TestResponse {
                let csv = ([CCCTests.header] + rows).joined(separator: "\n")
                return try await client.execute(uri: "/ccc/import?lang=en", method: .post,
                                                headers: [.cookie: national.cookie, .contentType: "multipart/form-data; boundary=xukeBoundary42"],
                                                body: LicensingPageTests.multipart([("_csrf", national.csrf)], files: [("file", "ccc.csv", Data(csv.utf8))]))
            }
            let good = "2021010101234567,\(f.uscc),电热毯,GB 4706.8-2008,\(body),valid,2021-03-01,2027-02-28"
            r = try await upload([good, "12345,\(f.uscc),电热毯,GB 4706.8-2008,\(body),valid,2021-03-01,2026-02-28"])
            #expect(r.status == .unprocessableContent && r.text.contains("Line 3") && r.text.contains("nothing was imported"), "\(r.text)")
            #expect(try await s.db.read { try await CCCStore.count($0) } == 0)
            r = try await upload([good])
            #expect(r.status == .ok && r.text.contains("Imported 1 certificates"), "\(r.text)")
            #expect(try await client.get("/ccc?number=2021010101234567&lang=en").text.contains("GB 4706.8-2008"))

            // A life ban from the credit page; a ban without its cause comes back with the message.
            r = try await client.submit("/credit/ban", [("subject_kind", "person"), ("subject", "440301198001010011"), ("name", "张某"), ("cause", "")], national)
            #expect(r.status == .unprocessableContent && r.text.contains("440301198001010011"), "\(r.text)")
            #expect(try await client.submit("/credit/ban", [("subject_kind", "person"), ("subject", "440301198001010011"), ("name", "张某"), ("cause", "出具虚假审查报告")], provincial).status == .forbidden)
            #expect(try await client.submit("/credit/ban", [("subject_kind", "person"), ("subject", "440301198001010011"), ("name", "张某"), ("cause", "出具虚假审查报告")], national).status == .seeOther)
            #expect(try await client.get("/credit?lang=en").text.contains("440301198001010011"))
            r = try await client.submit("/credit/list", [("uscc", "not-a-code"), ("list", "abnormal"), ("cause", "annual_report_missing"), ("note", "x")], provincial)
            #expect(r.status == .unprocessableContent && r.text.contains("credit/list") && r.text.contains("not-a-code"), "the list form comes back, not a bare error page: \(r.status) \(r.text.suffix(3000))")
        }
    }

    @Test func agencyClientsAndWebhooksAreKeptThroughTheirPages() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            _ = try await Flow.start(client, s)
            let admin = try await client.browser("root")
            let client1 = [("agency", "国家税务总局广东省税务局"), ("sector", "tax"), ("username", "taxdesk"), ("display_name", "税务数据接口"),
                           ("password", "correct horse battery")]
            var r = try await client.submit("/sharing/clients", client1, admin)
            #expect(r.status == .unprocessableContent && r.text.contains("至少选择一个数据范围") && r.text.contains("国家税务总局广东省税务局"), "\(r.text)")
            #expect(!r.text.contains("correct horse battery"), "a password is never written back into the page")
            #expect(try await client.submit("/sharing/clients", client1 + [("scope", "licenses"), ("scope", "credit")], admin).status == .seeOther)
            let agency = try #require(try await s.db.read { try await SharingStore.clients($0) }.first)
            #expect(agency.scopes == "credit licenses")
            #expect(try await client.submit("/sharing/clients/\(agency.userId)/scopes", [("scope", "licenses")], admin).status == .seeOther)
            #expect(try await s.db.read { try await SharingStore.client($0, userID: agency.userId) }?.scopes == "licenses")
            let officer = try await client.browser("officer")
            #expect(try await client.get("/sharing", headers: [.cookie: officer.cookie]).status == .forbidden)

            // The agency registers a webhook and sees its secret once; a parked batch is sent again from the page.
            let tax = try await client.browser("taxdesk")
            #expect(try await client.get("/sharing?lang=en", headers: [.cookie: tax.cookie]).text.contains("/api/v1/feed"))
            r = try await client.submit("/sharing/webhooks", [("url", "http://example.com/hook"), ("scope", "licenses")], tax)
            #expect(r.status == .unprocessableContent && r.text.contains("https://"))
            r = try await client.submit("/sharing/webhooks", [("url", "http://127.0.0.1:9/hook"), ("scope", "credit")], tax)
            #expect(r.status == .forbidden && r.text.contains("credit"), "scopes the agency was not granted")
            let receiver = try await Receiver.start(port: try await Receiver.freePort())
            r = try await client.submit("/sharing/webhooks", [("url", "http://127.0.0.1:\(receiver.port)/hook"), ("scope", "licenses")], tax)
            #expect(r.status == .ok, "\(r.text)")
            let hook = try #require(try await s.db.read { try await SharingStore.webhooks($0, clientID: agency.userId) }.first)
            let secret = try #require(try await s.db.read { try await SharingStore.secret($0, webhookID: hook.id) })
            let later = try await client.get("/sharing", headers: [.cookie: tax.cookie]).text
            #expect(r.text.contains(secret) && !later.contains(secret), "shown once")
            receiver.expect(secret: secret)
            #expect(try await client.submit("/sharing/webhooks/\(hook.id)/disable", [], tax).status == .seeOther)
            #expect(try await client.get("/sharing?lang=en", headers: [.cookie: tax.cookie]).text.contains("turned off by its owner"))
            #expect(try await client.submit("/sharing/webhooks/\(hook.id)/enable", [], tax).status == .seeOther)

            let body = #"{"webhook":\#(hook.id),"delivery":"\#(hook.id):0-1","events":[]}"#
            try await s.db.write { sql in
                _ = try await SharingStore.park(sql, webhookID: hook.id, from: "0-0", to: "0-1", events: 1, body: body, attempts: 12, error: "HTTP 500", at: s.clock.stamp)
            }
            let letter = try #require(try await s.db.read { try await SharingStore.deadLetters($0, webhookID: hook.id) }.first)
            var page = try await client.get("/sharing?lang=en", headers: [.cookie: tax.cookie]).text
            #expect(page.contains("Dead letters") && page.contains("parked after repeated failures")
                    && page.contains("/sharing/dead-letters/\(letter.id)/redeliver") && !page.contains("Redelivered"), "a parked batch offers to be sent again")
            let stranger = try await client.browser("root")
            #expect(try await client.submit("/sharing/dead-letters/\(letter.id)/redeliver", [], tax).status == .seeOther)
            #expect(receiver.deliveries.count == 1 && receiver.deliveries[0].signed)
            page = try await client.get("/sharing?lang=zh", headers: [.cookie: stranger.cookie]).text
            #expect(page.contains("已重新投递") && !page.contains("/redeliver\"") && page.contains("国家税务总局广东省税务局"), "the administrator sees every webhook")
            await receiver.stop()
        }
    }
}
