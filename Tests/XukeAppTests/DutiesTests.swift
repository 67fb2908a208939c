import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage
import XukeTestSupport
import XukeTrust

extension TestResponse {
    /// The items of a page of a JSON list (`{"items": […], "next": …}`, the one shape every list has).
    func list() throws -> [[String: Any]] {
        let page = try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any], "not a page: \(text)")
        return try #require(page["items"] as? [[String: Any]], "a page without items: \(text)")
    }
}

extension Flow {
    /// A list's values of `key`, page by page, following `next` (at most 20 pages).
    func walk(_ path: String, as token: String, key: String) async throws -> [String] {
        var values: [String] = [], after: String? = nil, pages = 0
        repeat {
            let page = try await get(path + (after.map { "&after=\($0)" } ?? ""), as: token).json()
            values += (page["items"] as? [[String: Any]] ?? []).compactMap { $0[key] as? String }
            after = page["next"] as? String
            pages += 1
        } while after != nil && pages < 20
        return values
    }
}

@Suite struct DutiesTests {
    /// Pages and deadlines count days in China: 20:00 UTC is already the next morning there.
    @Test func storedTimesFallOnChinaDays() {
        #expect(Timestamp.chinaDay("2026-11-21T15:59:59Z") == "2026-11-21")
        #expect(Timestamp.chinaDay("2026-11-21T16:00:00Z") == "2026-11-22")
        #expect(Timestamp.chinaDay(nil) == "" && Timestamp.chinaDay("yesterday") == "")
        let late = SelfReport(uscc: "x", year: 2025, authority: "440305", dueOn: CivilDate("2026-06-30")!, submittedAt: "2026-06-30T16:30:00Z", body: "{}", submittedBy: "u")
        #expect(late.late, "00:30 on 1 July in China is after the 30 June deadline")
    }

    @Test func declarationsAreVersionedAndPublic() async throws {
        try await Harness.run { client, s in
            let f = try await Flow.start(client, s)
            var r = try await f.post("declarations", #"{"kind":"standards","standards":[{"product":"塑料餐盒","standard":"GB 4806","title":"食品接触材料"}]}"#, as: f.enterprise)
            #expect(r.errorCode == ErrorCode.declaration.standard && r.text.contains("第1行"), "a number without its year: \(r.text)")
            #expect(try await f.post("declarations", #"{"kind":"commitment","text":"保证质量"}"#, as: f.enterprise).errorCode == ErrorCode.declaration.commitmentShort)
            #expect(try await f.post("declarations", #"{"kind":"commitment","text":"本企业承诺严格按照标准组织生产，对产品质量负责。"}"#, as: f.officer).errorCode == ErrorCode.auth.forbidden, "the route admits enterprises only")

            let v1 = #"{"kind":"standards","standards":[{"product":"塑料餐盒","standard":"GB 4806.7-2016","title":"食品接触用塑料材料及制品"}]}"#
            let v2 = #"{"kind":"standards","standards":[{"product":"塑料餐盒","standard":"gb 4806.7-2023","title":"食品接触用塑料材料及制品"},{"product":"塑料餐盒","standard":"Q/SZSP 0001S-2024","title":"企业标准"}]}"#
            #expect(try await f.post("declarations", v1, as: f.enterprise).status == .created)
            let printed = #"{"kind":"standards","standards":[{"product":"水","standard":"GB 5749—85","title":"生活饮用水卫生标准"}]}"#
            let dashed = try await f.post("declarations", printed, as: f.enterprise)
            #expect(dashed.status == .created && dashed.text.contains("GB 5749-85"), "the dash as printed, stored as a hyphen: \(dashed.text)")
            r = try await f.post("declarations", v2, as: f.enterprise)
            #expect(try r.status == .created && (try r.json()["version"] as? Int) == 3, "\(r.text)")
            #expect(try await f.post("declarations", #"{"kind":"commitment","text":"本企业承诺严格按照标准组织生产，对产品质量负责。"}"#, as: f.enterprise).status == .created)

            let pub = try await client.get("/api/v1/public/enterprises/\(f.uscc)/declarations").json()
            let standards = try #require(pub["standards"] as? [[String: Any]])
            #expect(standards.map { $0["standard"] as? String } == ["GB 4806.7-2023", "Q/SZSP 0001S-2024"], "the latest version, codes upper-cased")
            #expect(pub["standards_version"] as? Int == 3 && (pub["commitment"] as? String)?.hasPrefix("本企业承诺") == true)
            let history = try #require(pub["history"] as? [[String: Any]])
            #expect(history.count == 4 && history.allSatisfy { $0["published_by"] == nil }, "no version is lost, and no user id shown")
            // Each version in the shape it was filed: a standards list, or a commitment's text.
            #expect(history.contains { ($0["standards"] as? [[String: Any]])?.isEmpty == false } && history.contains { $0["text"] is String })
            #expect(history.allSatisfy { $0["body"] == nil })
        }
    }

    @Test func accidentsOnTheReportingClockRaiseALeadAndReachTheOfficers() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-20")  // 10:00 in Beijing
            let f = try await Flow.start(client, s)
            func report(_ occurred: String) async throws -> TestResponse {
                try await f.post("accidents", #"{"product":"电热水壶","occurred_at":"\#(occurred)","description":"用户使用中壶体漏电，一人轻微触电。","injuries":1,"measures":"暂停该批次发货，派员现场调查。"}"#, as: f.enterprise)
            }
            #expect(try await report("2026-11-21T09:00").errorCode == ErrorCode.accident.occurredAt, "not in the future")
            #expect(try await report("昨天").errorCode == ErrorCode.accident.occurredAt)
            var r = try await report("2026-11-19T11:00")  // 23 hours before: on time
            #expect(try r.status == .created && (try r.json()["late"] as? Bool) == false, "\(r.text)")
            r = try await report("2026-11-19T09:30")  // 24.5 hours before: late
            let late = try r.json()
            #expect(r.status == .created && late["late"] as? Bool == true && late["due_at"] as? String == "2026-11-20T01:30:00Z", "\(r.text)")

            let seen = try await f.get("accidents", as: f.officer).list()
            #expect(seen.count == 2 && seen.filter { $0["late"] as? Bool == true }.count == 1)
            let inbox = try await f.get("me/inbox", as: f.officer).list()
            #expect(inbox.contains { ($0["subject"] as? String)?.contains("逾期") == true }, "\(inbox)")
            let leads = try await f.get("leads", as: f.officer).list()
            #expect(leads.count == 2 && leads.allSatisfy { $0["source"] as? String == "accident" && $0["uscc"] as? String == f.uscc })
            #expect(try await f.get("accidents", as: f.verifiers[0].token).status == .forbidden)
        }
    }

    @Test func recallsRunOnTwoWorkingDaysAndAreFollowedToTheirEnd() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-24")  // Tuesday
            let f = try await Flow.start(client, s)
            func recall(_ decided: String) async throws -> TestResponse {
                try await f.post("recalls", #"{"product":"儿童餐具","batches":"B2611-01, B2611-02","defect":"邻苯二甲酸酯迁移量超过限量。","quantity":1200,"decided_on":"\#(decided)"}"#, as: f.enterprise)
            }
            #expect(try await recall("2026-11-25").errorCode == ErrorCode.recall.decidedOn)
            // Decided on Friday: Monday and Tuesday are its two working days.
            var r = try await recall("2026-11-20")
            let onTime = try r.json()
            #expect(r.status == .created && onTime["due_on"] as? String == "2026-11-24" && onTime["late"] as? Bool == false, "\(r.text)")
            r = try await recall("2026-11-19")
            #expect(try r.json()["late"] as? Bool == true, "\(r.text)")
            let number = try #require(onTime["number"] as? String)

            func progress(_ recovered: Int, close: Bool = false) async throws -> TestResponse {
                try await f.post("recalls/\(number)/progress", #"{"recovered":\#(recovered),"note":"已召回\#(recovered)件","close":\#(close)}"#, as: f.enterprise)
            }
            #expect(try await progress(1300).errorCode == ErrorCode.recall.recovered)
            #expect(try await progress(700).status == .ok)
            #expect(try await progress(600).errorCode == ErrorCode.recall.recovered, "a running total never goes down")
            #expect(try await progress(1150, close: true).status == .ok)
            #expect(try await progress(1200).errorCode == ErrorCode.recall.closed)

            let detail = try await f.get("recalls/\(number)", as: f.officer).json()
            #expect((detail["updates"] as? [Any])?.count == 2 && (detail["recall"] as? [String: Any])?["state"] as? String == "closed")
            #expect(try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.guangdong(300), name: "另一家", division: "440306"), token: f.admin).status == .created)
            let other = try await client.token(s, username: "othermaker", role: "enterprise", enterprise: Fixtures.guangdong(300))
            #expect(try await f.get("recalls/\(number)", as: other).status == .notFound)

            let pub = try await client.get("/api/v1/public/recalls").list()
            #expect(pub.count == 2 && pub.contains { $0["number"] as? String == number && $0["recovered"] as? Int == 1150 })
            #expect(pub.allSatisfy { $0["reported_by"] == nil }, "who filed it stays inside")
            let page = try await client.get("/recalls?lang=zh")
            #expect(page.status == .ok && page.text.contains(number) && page.text.contains("儿童餐具"))
        }
    }

    @Test func yearlySelfReportsHaveRemindersAndALateList() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 3, inspectors: 0)
            let f = d.f
            var makers: [String] = []
            for uscc in d.usccs { makers.append(try await client.token(s, username: "m\(uscc)", role: "enterprise", enterprise: uscc)) }
            func file(_ year: Int, as token: String, failures: Int = 0) async throws -> TestResponse {
                try await f.post("self-reports", #"{"year":\#(year),"produced":120000,"sold":118000,"sales_value":356.5,"self_checks":24,"self_check_failures":\#(failures),"changes":"无","problems":"无"}"#, as: token)
            }
            // Licensed from January 2026: the first report is for 2026, due 30 June 2027.
            #expect(try await file(2026, as: makers[0]).errorCode == ErrorCode.selfReport.year, "2026 has not ended")
            Flow.at(s, "2027-03-01")
            #expect(try await file(2025, as: makers[0]).errorCode == ErrorCode.selfReport.notLicensed, "licensed only from January 2026")
            Flow.at(s, "2027-03-01")
            #expect(try await file(2026, as: makers[0], failures: 30).errorCode == ErrorCode.selfReport.figures)
            let r = try await file(2026, as: makers[0])
            #expect(try r.status == .created && (try r.json()["late"] as? Bool) == false, "\(r.text)")
            #expect(try await file(2026, as: makers[0]).errorCode == ErrorCode.selfReport.exists)

            // In June the others are reminded once; after the deadline, once more.
            Flow.at(s, "2027-06-10")
            var sweep = try await s.sweep()
            #expect(Set(sweep.reminded) == Set(d.usccs.dropFirst()))
            #expect(try await s.sweep().reminded.isEmpty, "once per stage")
            let inbox = try await f.get("me/inbox", as: makers[1]).list()
            #expect(inbox.count == 1 && (inbox[0]["subject"] as? String)?.contains("2026") == true, "\(inbox)")
            #expect(try await f.get("me/inbox", as: makers[0]).list().isEmpty)
            Flow.at(s, "2027-07-02")
            #expect(try await file(2026, as: makers[1]).status == .created)
            sweep = try await s.sweep()
            #expect(sweep.reminded == [d.usccs[2]])

            let owing = try await f.get("supervision/self-reports?year=2026", as: f.officer).list()
            #expect(owing.map { $0["uscc"] as? String } == [d.usccs[2], d.usccs[0], d.usccs[1]], "the missing one first")
            // One at a time, by cursor: the same order, each once, from the missing one to those that filed.
            let paged = try await f.walk("supervision/self-reports?year=2026&limit=1", as: f.officer, key: "uscc")
            #expect(paged == [d.usccs[2], d.usccs[0], d.usccs[1]], "\(paged)")
            #expect(try await f.get("supervision/self-reports?year=2026&after=2_x", as: f.officer).errorCode == ErrorCode.request.cursor)
            let mine = try await f.get("self-reports", as: makers[1]).list()
            #expect(mine.first?["late"] as? Bool == true)
        }
    }

    @Test func leadsFromThePublicAreTrackedWorkedByFlyingInspectionAndAnswered() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s)
            let f = d.f
            let target = d.usccs[0]
            func report(_ body: String) async throws -> TestResponse { try await client.send(.post, "/api/v1/public/reports", json: body) }
            var r = try await report(#"{"source":"whistleblower","uscc":"91440300MA5XXXXXX1","subject":"某厂","product":"餐盒","description":"夜间无证生产塑料餐盒，没有任何出厂检验。"}"#)
            #expect(r.errorCode?.rawValue.hasPrefix("uscc.") == true, "\(r.text)")
            #expect(try await report(#"{"source":"whistleblower","subject":"某厂","product":"餐盒","description":"夜间无证生产塑料餐盒，没有任何出厂检验。"}"#).errorCode == ErrorCode.lead.division)
            #expect(try await report(#"{"source":"complaint","uscc":"\#(target)X","subject":"某厂","product":"餐盒","description":"夜间无证生产塑料餐盒，没有任何出厂检验。"}"#).errorCode == ErrorCode.uscc.length)
            #expect(try await report(#"{"source":"complaint","uscc":"\#(target)","subject":"某厂","product":"餐盒","description":"夜间无证生产塑料餐盒，没有任何出厂检验。","contact":"打电话给我"}"#).errorCode == ErrorCode.lead.contact)
            #expect(try await report(#"{"source":"failed_check","subject":"某厂","division":"440305","product":"餐盒","description":"夜间无证生产塑料餐盒，没有任何出厂检验。"}"#).errorCode == ErrorCode.lead.source)
            // Anonymous, about a known enterprise.
            r = try await report(#"{"source":"whistleblower","uscc":"\#(target)","subject":"抽查对象0","product":"塑料餐盒","description":"夜间生产，原料来源不明，没有出厂检验记录。"}"#)
            #expect(r.status == .created, "\(r.text)")
            let receipt = try r.json()
            let code = try #require(receipt["tracking_code"] as? String)
            let number = try #require(receipt["number"] as? String)
            #expect(code.count == 19)
            // Without the enterprise's code, it goes where the reporter says.
            r = try await report(#"{"source":"complaint","subject":"不知名作坊","division":"440306","product":"电线","description":"买到的电线绝缘层一拉就破，怀疑无证生产。","contact":"13800000000"}"#)
            #expect(r.status == .created)

            func track(_ code: String) async throws -> TestResponse { try await client.send(.post, "/api/v1/public/reports/track", json: #"{"code":"\#(code)"}"#) }
            var status = try await track(code.lowercased().replacingOccurrences(of: "-", with: " ")).json()
            #expect(status["number"] as? String == number && status["state"] as? String == "new", "\(status)")
            #expect(try await track("AAAA-AAAA-AAAA-AAAA").errorCode == ErrorCode.lead.unknownCode)

            let leads = try await f.get("leads?state=new", as: f.officer).list()
            #expect(leads.count == 2 && leads.contains { $0["contact"] as? String == "13800000000" })
            #expect(try await f.get("leads", as: f.enterprise).status == .forbidden)
            let events = try await s.db.read { try await $0.raw("SELECT payload FROM events WHERE type = 'lead.received'").all().map { try $0.decode(column: "payload", as: String.self) } }
            #expect(events.count == 2 && !events.contains { $0.contains("13800000000") || $0.contains("原料") }, "the log keeps no reporter's words")

            // A flying inspection works the lead; the lead waits for its conclusion.
            let county = try #require(try await s.db.read { try await EnterpriseStore.get($0, uscc: target, visibility: .everything) }?.divisionCode)
            let team = d.inspectors.filter { $0.county != county }.prefix(2).map(\.code)
            let body = #"{"uscc":"\#(target)","category":"10","team":["\#(team.joined(separator: "\",\""))"],"lead":"\#(number)"}"#
            r = try await f.post("inspections/flying", body, as: f.officer)
            #expect(r.status == .created, "\(r.text)")
            #expect(try await f.post("inspections/flying", body, as: f.officer).errorCode == ErrorCode.lead.taken)
            #expect(try await f.get("leads/\(number)", as: f.officer).json()["state"] as? String == "inspecting")
            #expect(try await f.post("leads/\(number)/close", #"{"reply":"查无实据"}"#, as: f.officer).errorCode == ErrorCode.lead.inspectionOpen)

            // A lead is a cause for a measure.
            r = try await f.post("enforcement", #"{"uscc":"\#(target)","kind":"interview","cause":"lead/\#(number)","note":"就举报事项约谈企业负责人"}"#, as: f.officer)
            #expect(r.status == .created, "\(r.text)")
            #expect(try await f.post("enforcement", #"{"uscc":"\#(d.usccs[1])","kind":"interview","cause":"lead/\#(number)","note":"x"}"#, as: f.officer).errorCode == ErrorCode.enforcement.cause)

            // The complaint is answered; the reporter reads the answer.
            let other = try #require(leads.first { $0["number"] as? String != number }?["number"] as? String)
            #expect(try await f.post("leads/\(other)/close", #"{"reply":"已转交属地监管部门核查。"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("leads/\(other)/close", #"{"reply":"again"}"#, as: f.officer).errorCode == ErrorCode.lead.closed)
            status = try await track(code).json()
            #expect(status["state"] as? String == "inspecting")

            // A report filed with only a province becomes the county's once an inspection names the enterprise.
            r = try await report(#"{"source":"complaint","subject":"某电线厂","division":"440000","product":"电线","description":"买到的电线绝缘层很薄，一折就裂，怀疑不符合国家标准。"}"#)
            let provincial = try #require(try r.json()["number"] as? String)
            let third = try #require(try await s.db.read { try await EnterpriseStore.get($0, uscc: d.usccs[2], visibility: .everything) }?.divisionCode)
            let thirdTeam = d.inspectors.filter { $0.county != third }.prefix(2).map(\.code).joined(separator: "\",\"")
            r = try await f.post("inspections/flying", #"{"uscc":"\#(d.usccs[2])","category":"10","team":["\#(thirdTeam)"],"lead":"\#(provincial)"}"#, as: f.officer)
            #expect(r.status == .created, "\(r.text)")
            #expect(try await f.get("leads/\(provincial)", as: f.officer).json()["authority"] as? String == third)
        }
    }

    @Test func followUpChecksAreForCommitmentLicensesOnly() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s)
            let f = d.f
            let team = d.inspectors.filter { $0.county != "440305" }.prefix(2).map(\.code)
            func open(_ uscc: String) async throws -> TestResponse {
                try await f.post("inspections/follow-up", #"{"uscc":"\#(uscc)","category":"10","team":["\#(team.joined(separator: "\",\""))"],"items":["承诺事项核实"]}"#, as: f.officer)
            }
            #expect(try await open(d.usccs[0]).errorCode == ErrorCode.inspection.notCommitment, "an ordinary-route license")
            _ = try await f.commitmentLicense()
            let r = try await open(f.uscc)
            #expect(r.status == .created, "\(r.text)")
            let record = try r.json()
            #expect(record["origin"] as? String == "follow_up" && record["hidden"] as? Bool == false)
            // The enterprise sees it coming.
            #expect(try await f.get("inspections", as: f.enterprise).list().count == 1)

            // Failing it revokes the license, as a failed follow-up verification does (docs/DOMAIN.md §6).
            func failVisitAndConclusion(_ inspection: [String: Any]) async throws {
                let id = try #require(inspection["id"] as? Int)
                let member = try #require((inspection["team"] as? [[String: Any]])?.first?["user_id"] as? Int)
                let items = (inspection["items"] as? [String]) ?? []
                let findings = items.map { #"{"item":"\#($0)","result":"nonconforming","note":"与承诺不符"}"# }.joined(separator: ",")
                #expect(try await f.post("inspections/\(id)/visit", #"{"visited_on":"2026-11-16","findings":[\#(findings)]}"#, as: try await d.token(ofInspector: member)).status == .ok)
                #expect(try await f.post("inspections/\(id)/conclude", #"{"outcome":"fail","summary":"实际生产条件与承诺不符"}"#, as: f.officer).status == .ok)
            }
            try await failVisitAndConclusion(record)
            let license = try #require(try await s.db.read { try await LicenseStore.license($0, uscc: f.uscc) })
            #expect(license.storedStatus == .revoked)

            // A flying inspection opened without a lead that fails becomes a lead itself.
            let county = try #require(try await s.db.read { try await EnterpriseStore.get($0, uscc: d.usccs[1], visibility: .everything) }?.divisionCode)
            let otherTeam = d.inspectors.filter { $0.county != county }.prefix(2).map(\.code).joined(separator: "\",\"")
            let flying = try await f.post("inspections/flying", #"{"uscc":"\#(d.usccs[1])","category":"10","team":["\#(otherTeam)"],"items":["出厂检验"]}"#, as: f.officer)
            try await failVisitAndConclusion(try flying.json())
            let leads = try await f.get("leads", as: f.officer).list()
            #expect(leads.contains { $0["uscc"] as? String == d.usccs[1] && $0["source"] as? String == "failed_check" }, "\(leads)")
        }
    }

    /// Every step a person takes on these pages, through the forms, in both languages.
    @Test func thePagesCarryTheWholeWork() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 4, inspectors: 4)
            let f = d.f
            func page(_ path: String, _ who: Browser) async throws -> TestResponse {
                try await client.get(path, headers: [.cookie: who.cookie])
            }

            // The public reports a problem without signing in, and follows it with the code.
            let form = try await client.get("/report?lang=zh")
            let anon = Browser(cookie: "xuke_csrf=\(try #require(form.cookies["xuke_csrf"]))", csrf: try #require(form.cookies["xuke_csrf"]))
            var r = try await client.submit("/report?lang=zh", [("source", "whistleblower"), ("subject", "抽查对象0有限公司"), ("uscc", d.usccs[0]), ("product", "餐盒"),
                                                       ("description", "夜间生产，原料来源不明，没有出厂检验记录。")], anon)
            #expect(r.status == .ok && r.text.contains("查询码"), "\(r.text)")
            let code = try #require(r.text.firstMatch(of: /[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/).map { String($0.output) })
            r = try await client.submit("/report?lang=en", [("source", "complaint"), ("subject", "x"), ("description", "short")], anon)
            #expect(r.status == .unprocessableContent && r.text.contains("class=\"error\""))
            r = try await client.submit("/report/track?lang=en", [("code", code)], anon)
            #expect(r.status == .ok && r.text.contains("New"), "\(r.text)")

            // The officer opens a flying inspection from the lead on the desk page.
            let officer = try await client.browser("officer")
            r = try await page("/supervision?lang=zh", officer)
            #expect(r.status == .ok && r.text.contains("XS2026-000001") && r.text.contains("举报"))
            let county = try #require(try await s.db.read { try await EnterpriseStore.get($0, uscc: d.usccs[0], visibility: .everything) }?.divisionCode)
            let team = d.inspectors.filter { $0.county != county }.prefix(2)
            r = try await client.submit("/supervision/flying", [("uscc", d.usccs[0]), ("category", "10"), ("lead", "XS2026-000001"),
                                                       ("team", team.map(\.code).joined(separator: ", ")), ("items", "生产场所\n出厂检验")], officer)
            #expect(r.status == .seeOther, "\(r.text)")
            let path = try #require(r.headers[.location])
            r = try await client.submit("/supervision/flying", [("uscc", d.usccs[0]), ("category", "10"), ("team", "INS-999999, INS-999998")], officer)
            #expect(r.status == .unprocessableContent && r.text.contains("INS-999999"))

            // An inspector finds it among their tasks and records the visit from a phone.
            let name = try #require(try await s.db.read { try await UserStore.get($0, id: team.first!.id) }?.username)
            let inspector = try await client.browser(name)
            #expect(try await page("/tasks?lang=en", inspector).text.contains("Flying inspection"))
            r = try await client.submit(path + "/visit", [("visited_on", "2026-11-16"), ("result_0", "conforms"), ("result_1", "nonconforming"), ("note_1", "无出厂检验记录"),
                                                 ("sample_product_0", "塑料餐盒"), ("sample_batch_0", "B1"), ("sample_quantity_0", "6"), ("sample_lab_0", "省质检院")], inspector)
            #expect(r.status == .seeOther, "\(r.text)")
            // The officer records the lab result and concludes on the same page; the enterprise then sees it and objects.
            r = try await client.submit(path + "/conclude", [("outcome", "pass"), ("summary", "合格"), ("lab_result_1", "pass"), ("report_no_1", "R-1")], officer)
            #expect(r.status == .unprocessableContent && r.text.contains("不符合项"), "a nonconforming item rules out a pass")
            r = try await client.submit(path + "/conclude", [("outcome", "fail"), ("summary", "出厂检验缺失"), ("lab_result_1", "pass"), ("report_no_1", "R-1")], officer)
            #expect(r.status == .seeOther, "\(r.text)")
            _ = try await client.token(s, username: "maker0", role: "enterprise", enterprise: d.usccs[0])
            let makerPage = try await client.browser("maker0")
            r = try await page(path + "?lang=en", makerPage)
            #expect(r.text.contains("Object") && r.text.contains("Fail"))
            #expect(try await client.submit(path + "/object", [("reason", "样品不具代表性"), ("retest", "1")], makerPage).status == .seeOther)

            // The enterprise publishes its standards on its duties page; the public license page shows them.
            r = try await client.submit("/duties/standards", [("standards", "塑料餐盒 | GB 4806.7-2023 | 食品接触用塑料材料及制品")], makerPage)
            #expect(r.status == .seeOther, "\(r.text)")
            r = try await client.submit("/duties/standards", [("standards", "塑料餐盒 | 企业标准")], makerPage)
            #expect(r.status == .unprocessableContent && r.text.contains("第1行"))
            #expect(try await client.submit("/duties/recall", [("product", "餐盒"), ("batches", "B1"), ("defect", "迁移量超过限量值。"), ("quantity", "many"), ("decided_on", "2026-11-16")], makerPage).status == .unprocessableContent)
            let licenseID = try #require(try await s.db.read { try await LicenseStore.license($0, uscc: d.usccs[0]) }?.id)
            r = try await client.get("/public/licenses/\(licenseID)?lang=en")
            #expect(r.text.contains("GB 4806.7-2023") && r.text.contains("Standards applied"))
            #expect(try await page("/duties?lang=zh", makerPage).text.contains("企业质量安全义务"))
            #expect(try await page("/supervision/self-reports?year=2026&lang=en", officer).text.contains(d.usccs[3]))
            #expect(try await page("/supervision", makerPage).status == .forbidden)
        }
    }

    @Test func anOfficerRunsAPlanFromTheFormToTheDraw() async throws {
        try await Harness.run { client, s in
            _ = try await Desk.open(client, s, enterprises: 40, inspectors: 6)
            let officer = try await client.browser("officer")
            let cookie = officer.cookie
            let formPage = try await client.get("/supervision/plans/new?lang=zh", headers: [.cookie: cookie])
            #expect(formPage.status == .ok && formPage.text.contains("制定抽查计划"))
            func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse { try await client.submit(path, fields, officer) }
            let round = BeaconSource.quicknetRound(after: s.clock.now().addingTimeInterval(86_400))
            let fields = [("code", "gd-2026-q4-09"), ("title_zh", "第四季度抽查"), ("title_en", "Q4 spot check"), ("team_size", "2"), ("publish_days", "20"),
                          ("beacon", "drand"), ("round", String(round)), ("items", "10 | 生产场所; 出厂检验"),
                          ("strata", "licensed | 10 | 440300 | any | auto\ndelicensed | 10 | 440300 | any | auto")]
            var r = try await post("/supervision/plans", fields.map { $0.0 == "strata" ? ($0.0, "licensed | 10 | 440300") : $0 })
            #expect(r.status == .unprocessableContent && r.text.contains("第1行"), "\(r.text.prefix(300))")
            r = try await post("/supervision/plans", fields)
            #expect(r.status == .ok && r.text.contains("只显示这一次"), "\(r.text.prefix(300))")
            let secret = try #require(r.text.firstMatch(of: /class="mono token">([0-9a-f]{64})</).map { String($0.output.1) })
            let plan = try #require(try await s.db.read { try await PlanStore.plan($0, code: "GD-2026-Q4-09") })
            // 5% of 40 license holders, rounded up; no de-licensed makers, so nothing to draw there.
            #expect(plan.draft.strata.map(\.quota) == [2, 0] && plan.draft.commit == DrawV1.commitment(of: [UInt8](hex: secret)!))
            for step in ["announce", "freeze"] { #expect(try await post("/supervision/plans/\(plan.id)/\(step)", []).status == .seeOther) }
            r = try await post("/supervision/plans/\(plan.id)/beacon", [("value", String(repeating: "ab", count: 32))])
            #expect(r.status == .conflict && r.text.contains("class=\"error\""), "the beacon round has not come yet")
            s.clock.set(s.clock.now().addingTimeInterval(2 * 86_400))
            #expect(try await post("/supervision/plans/\(plan.id)/beacon", [("value", String(repeating: "ab", count: 32))]).status == .seeOther)
            _ = try await s.createUser(username: "officer2", displayName: "复核人", password: "correct horse battery", role: "officer", jurisdiction: "440000", enterpriseUSCC: nil)
            let colleague = try await client.browser("officer2")
            #expect(try await client.submit("/supervision/plans/\(plan.id)/beacon", [("value", String(repeating: "ab", count: 32))], colleague).status == .seeOther)
            r = try await post("/supervision/plans/\(plan.id)/draw", [("secret", String(repeating: "00", count: 32))])
            #expect(r.status == .unprocessableContent && r.text.contains("class=\"error\""), "a secret that does not match its commitment")
            #expect(try await post("/supervision/plans/\(plan.id)/draw", [("secret", secret)]).status == .seeOther)
            r = try await client.get("/supervision/plans/\(plan.id)?lang=en", headers: [.cookie: cookie])
            #expect(r.text.contains("Drawn") && r.text.components(separatedBy: "/inspections/").count - 1 == 2, "\(r.text.suffix(800))")
        }
    }

    /// Problems mean more checks: an accident or a failed check puts a maker in the high-risk strata, a clean pass in the low ones.
    @Test func riskClassesComeFromTheRecord() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 5, inspectors: 4)
            let maker = try await client.token(s, username: "maker-risk", role: "enterprise", enterprise: d.usccs[0])
            #expect(try await d.f.post("accidents", #"{"product":"餐盒","occurred_at":"2026-11-15T09:00","description":"加热时破裂造成烫伤。","injuries":1,"measures":"封存库存"}"#, as: maker).status == .created)
            for (n, outcome) in [(1, "pass"), (2, "fail")] {
                let county = try #require(try await s.db.read { try await EnterpriseStore.get($0, uscc: d.usccs[n], visibility: .everything) }?.divisionCode)
                let team = d.inspectors.filter { $0.county != county }.prefix(2).map(\.code).joined(separator: "\",\"")
                let r = try await d.f.post("inspections/flying", #"{"uscc":"\#(d.usccs[n])","category":"10","team":["\#(team)"]}"#, as: d.f.officer)
                let id = try #require(try r.json()["id"] as? Int)
                try await s.db.write { try await $0.raw("UPDATE inspections SET state = 'concluded', outcome = \(bind: outcome), concluded_on = '2026-11-16' WHERE id = \(bind: id)").run() }
            }
            let plan = SpotCheckPlan(code: "RISK-1", titleZh: "风险", titleEn: "Risk", strata: RiskClass.allCases.map { Stratum(kind: .licensed, category: "10", region: "440300", risk: $0, quota: 1) },
                                     teamSize: 2, items: [:], beacon: BeaconSource(source: .drandQuicknet, round: 1), commit: "")
            let (targets, _) = try await s.db.read { try await s.supervision.rosters($0, plan, authority: "440000") }
            let strata = Dictionary(uniqueKeysWithValues: targets.map { ($0.id, $0.stratum) })
            #expect(strata[d.usccs[0]] == "L-10-440300-high" && strata[d.usccs[1]] == "L-10-440300-low" && strata[d.usccs[2]] == "L-10-440300-high")
            #expect(strata[d.usccs[3]] == "L-10-440300-normal" && strata[d.usccs[4]] == "L-10-440300-normal")
        }
    }
}

@Suite struct LabTests {
    /// The lab-scope check at intake: registered and in scope on the report's day, or the application says why not.
    @Test func intakeChecksTheLabWasRegisteredAndInScopeOnTheReportsDay() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            func register(_ body: String) async throws -> TestResponse { try await client.send(.post, "/api/v1/labs", json: body, token: f.admin) }
            func lab(cma: String, grade: Int = 2, units: [String] = ["1001"], from: String = "2024-01-01") -> String {
                let scopes = units.map { #"{"unit_no":"\#($0)","standard":"GB 4806.7-2016","from":"\#(from)"}"# }.joined(separator: ",")
                return #"{"name":"深圳市计量质量检测研究院","uscc":"\#(Fixtures.guangdong(997))","cma_number":"\#(cma)","grade":\#(grade),"division_code":"440300","registered_on":"2024-01-01","scopes":[\#(scopes)]}"#
            }
            // Bad registrations are refused whole, each problem named.
            var r = try await register(lab(cma: "12345", grade: 3, units: ["1001", "9999"]))
            #expect(r.errorCode == ErrorCode.lab.invalidRegistration && r.text.contains("12位") && r.text.contains("二级") && r.text.contains("9999"), "\(r.text)")
            #expect(try await register(lab(cma: "201919000001")).errorCode == ErrorCode.lab.cmaTaken, "the shared fixture lab holds that number")
            #expect(try await client.send(.post, "/api/v1/labs", json: lab(cma: "201919000003"), token: f.enterprise).status == .forbidden)
            r = try await register(lab(cma: "201919000003", units: ["1001"], from: "2024-03-01"))
            #expect(r.status == .created, "\(r.text)")
            let code = try #require(try r.json()["code"] as? String)
            #expect(code == "LAB-000002")

            // Status periods: never overlapping, and a withdrawal is final.
            func status(_ st: String, _ since: String) async throws -> TestResponse {
                try await client.send(.post, "/api/v1/labs/\(code)/status", json: #"{"status":"\#(st)","since":"\#(since)","note":"年度监督检查发现问题"}"#, token: f.admin)
            }
            #expect(try await status("suspended", "2023-12-01").errorCode == ErrorCode.lab.overlap)
            #expect(try await status("suspended", "2024-06-01").status == .ok)
            #expect(try await status("registered", "2024-09-01").status == .ok)

            // The lab files reports; intake judges each by the lab's record on its date.
            let labUser = try await client.token(s, username: "szlab", role: "lab")
            let me = try #require(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(labUser)"], body: nil).json()["id"] as? Int)
            #expect(try await client.send(.post, "/api/v1/labs/\(code)/members", json: #"{"user_id":\#(me)}"#, token: f.admin).status == .noContent)
            func file(_ number: String, _ day: String, units: String = #"["1001"]"#) async throws -> String {
                let up = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(labUser)"],
                                                  body: ByteBuffer(bytes: Data("%PDF-1.7\n% \(number)\n".utf8)))
                let sha = try #require(try up.json()["sha256"] as? String)
                let r = try await client.send(.post, "/api/v1/test-reports", json: #"{"report_no":"\#(number)","uscc":"\#(f.uscc)","units":\#(units),"issued_on":"\#(day)","conclusion":"pass","sha256":"\#(sha)"}"#, token: labUser)
                #expect(r.status == .created, "\(r.text)")
                return sha
            }
            func apply(_ number: String, _ sha: String, _ day: String, unit: String = "1001") async throws -> TestResponse {
                let material = #"{"kind":"test_report","sha256":"\#(sha)","filename":"报告.pdf","lab":"\#(code)","report_no":"\#(number)","report_date":"\#(day)","units":["\#(unit)"]}"#
                let body = #"{"kind":"new","route":"ordinary","form":{"units":["\#(unit)"],\#(Flow.form)},"commitment_text":"本企业承诺所填信息真实。","materials":\#(f.materials),\#(material)]}"#
                return try await f.post("applications", body, as: f.enterprise)
            }
            let early = try await file("SZ-1", "2024-02-15")       // registered, but the unit not yet in scope
            let suspended = try await file("SZ-2", "2024-07-01")   // suspended that day
            let good = try await file("SZ-3", "2024-10-01")        // registered and in scope
            r = try await apply("SZ-1", early, "2024-02-15")
            #expect(r.status == .unprocessableContent && r.text.contains("检验范围不含单元1001"), "\(r.text)")
            r = try await apply("SZ-2", suspended, "2024-07-01")
            #expect(r.text.contains("暂停"), "\(r.text)")
            r = try await apply("SZ-3", good, "2024-10-02")
            #expect(r.text.contains("签发日期是2024-10-01"), "the date claimed must be the report's: \(r.text)")
            r = try await apply("SZ-9", good, "2024-10-01")
            #expect(r.text.contains("没有提交编号为SZ-9"), "\(r.text)")
            r = try await apply("SZ-3", f.sha, "2024-10-01")
            #expect(r.text.contains("不是同一文件"), "\(r.text)")
            r = try await apply("SZ-3", good, "2024-10-01")
            #expect(r.status == .created, "\(r.text)")

            // A withdrawal ends the record for good; the code is never given out again.
            #expect(try await status("withdrawn", "2025-01-01").status == .ok)
            #expect(try await status("registered", "2025-02-01").errorCode == ErrorCode.lab.withdrawn)
            let again = try await register(lab(cma: "201919000004"))
            #expect(try again.json()["code"] as? String == "LAB-000003")
            let list = try await client.get("/api/v1/public/labs").list()
            #expect(list.count == 3 && list.contains { ($0["periods"] as? [[String: Any]])?.count == 4 })
        }
    }
}

@Suite struct CreditTests {
    /// Credit lists and their effects: no commitment route while listed, high-risk strata with a higher default quota,
    /// repair, the move from the abnormal to the serious list, and life bans.
    @Test func creditListsCloseTheCommitmentRouteAndRaiseTheQuota() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 8, inspectors: 4)
            let f = d.f
            func list(_ uscc: String, _ list: String, _ cause: String, on day: String? = nil) async throws -> TestResponse {
                let when = day.map { #","listed_on":"\#($0)""# } ?? ""
                return try await f.post("credit", #"{"uscc":"\#(uscc)","list":"\#(list)","cause":"\#(cause)","note":"经核查属实"\#(when)}"#, as: f.officer)
            }
            #expect(try await list(f.uscc, "abnormal", "偷税").errorCode == ErrorCode.credit.cause)
            #expect(try await f.post("credit", #"{"uscc":"\#(f.uscc)","list":"serious","cause":"x","note":"y"}"#, as: f.enterprise).status == .forbidden)
            var r = try await list(f.uscc, "serious", "提供虚假材料骗取许可")
            #expect(r.status == .created, "\(r.text)")
            let serious = try #require(try r.json()["number"] as? String)
            #expect(try await list(f.uscc, "serious", "again").errorCode == ErrorCode.credit.alreadyListed)
            let published = try await client.get("/api/v1/public/credit?uscc=\(f.uscc)").list()
            #expect(published.count == 1 && published[0]["ends_on"] as? String == "2029-11-16" && published[0]["created_by"] == nil)

            // Listed: no commitment route.
            let refused = try await f.submit(kind: "new", route: "commitment", expect: .unprocessableContent)
            #expect((refused["error"] as? [String: Any])?["code"] as? String == ErrorCode.route.barred.rawValue)

            // Listed: high risk in the draw, and twice the default quota there.
            let target = d.usccs[0]
            #expect(try await list(target, "abnormal", "annual_report_missing").status == .created)
            let plan = SpotCheckPlan(code: "CREDIT-1", titleZh: "信用", titleEn: "Credit", strata: [.high, .normal].map { Stratum(kind: .licensed, category: "10", region: "440300", risk: $0, quota: 0) },
                                     teamSize: 2, items: [:], beacon: BeaconSource(source: .drandQuicknet, round: 1), commit: "")
            let (targets, _) = try await s.db.read { try await s.supervision.rosters($0, plan, authority: "440000") }
            #expect(targets.first { $0.id == target }?.stratum == "L-10-440300-high")
            let quotas = try await s.db.read { try await s.supervision.settingDefaultQuotas($0, plan, authority: "440000", when: true) }.strata.map(\.quota)
            #expect(quotas == [1, 1], "one listed maker: 10% of 1 rounds up to 1; seven normal: 5% of 7 rounds up to 1")

            // Repair: a serious entry only after a year; an abnormal one any time, and then the route opens again.
            r = try await f.post("credit/\(serious)/repairs", #"{"statement":"已撤回虚假材料并主动接受处罚，完成整改。"}"#, as: f.enterprise)
            #expect(r.errorCode == ErrorCode.repair.tooEarly, "\(r.text)")
            let maker = try await client.token(s, username: "listedmaker", role: "enterprise", enterprise: target)
            let abnormal = try #require(try await client.get("/api/v1/public/credit?uscc=\(target)").list().first?["number"] as? String)
            r = try await f.post("credit/\(abnormal)/repairs", #"{"statement":"已补报2025年度报告并公示，履行了全部义务。"}"#, as: maker)
            #expect(r.status == .created, "\(r.text)")
            let repair = try #require(try r.json()["id"] as? Int)
            #expect(try await f.post("credit/\(abnormal)/repairs", #"{"statement":"再次申请信用修复，已全部整改完毕，请尽快处理为盼。"}"#, as: maker).errorCode == ErrorCode.repair.pending)
            #expect(try await f.post("credit-repairs/\(repair)", #"{"approve":true,"decision":"已补报年报，准予移出"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("credit-repairs/\(repair)", #"{"approve":true,"decision":"again"}"#, as: f.officer).errorCode == ErrorCode.repair.decided)
            #expect(try await client.get("/api/v1/public/credit?uscc=\(target)").list().isEmpty)

            // Three years on the abnormal list move an enterprise to the serious list.
            #expect(try await list(d.usccs[1], "abnormal", "annual_report_false", on: "2023-11-10").status == .created)
            let sweep = try await s.sweep()
            #expect(sweep.movedToSerious == [d.usccs[1]])
            let now = try await client.get("/api/v1/public/credit?uscc=\(d.usccs[1])").list()
            #expect(now.count == 1 && now[0]["list"] as? String == "serious" && now[0]["cause"] as? String == "abnormal_three_years")
            #expect(now.first?["listed_on"] as? String == "2026-11-10", "the move dates from the day the three years were up, not the sweep's")
            #expect(try await s.sweep().movedToSerious.isEmpty)

            // A life ban withdraws a lab's registration.
            r = try await f.post("bans", #"{"subject_kind":"lab","subject":"\#(Flow.lab)","name":"广东省质检院","cause":"出具虚假检验报告"}"#, as: f.admin)
            #expect(r.status == .created, "\(r.text)")
            #expect(try await f.post("bans", #"{"subject_kind":"lab","subject":"\#(Flow.lab)","name":"广东省质检院","cause":"again"}"#, as: f.admin).errorCode == ErrorCode.ban.exists)
            let lab = try #require(try await s.db.read { try await LabStore.lab($0, code: Flow.lab) })
            #expect(lab.status(on: s.clock.today) == .withdrawn)
            #expect(try await client.get("/api/v1/public/bans").list().count == 1)
        }
    }
}

@Suite struct RegistryPageTests {
    /// The registries' pages carry the work: a registrar registers a lab and suspends it, a lab files a report with
    /// its file, an officer lists an enterprise and the enterprise asks for repair; public pages in both languages.
    @Test func registriesWorkThroughTheirPages() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            _ = try await client.token(s, username: "deskofficer", role: "officer", jurisdiction: "440000")
            let officer = try await client.browser("deskofficer")
            var r = try await client.submit("/labs/new", [("name", "佛山市质检所"), ("uscc", Fixtures.guangdong(996)), ("cma_number", "201919000009"), ("grade", "2"),
                                                 ("division_code", "440600"), ("registered_on", "2025-01-01"), ("scopes", "1001 | GB 4806.7—2016 | 2025-01-01")], officer)
            #expect(r.status == .seeOther, "\(r.text)")
            let labPath = try #require(r.headers[.location])
            r = try await client.submit("/labs/new", [("name", "x"), ("uscc", Fixtures.guangdong(996)), ("cma_number", "201919000009"), ("grade", "2"),
                                             ("division_code", "440600"), ("registered_on", "2025-01-01"), ("scopes", "1001 | GB 4806.7-2016")], officer)
            #expect(r.status == .unprocessableContent && r.text.contains("第1行"))
            #expect(try await client.submit(labPath + "/status", [("status", "suspended"), ("since", "2026-11-16"), ("note", "监督检查不合格")], officer).status == .seeOther)
            for lang in ["zh", "en"] {
                let list = try await client.get("/labs?lang=\(lang)")
                #expect(list.status == .ok && list.text.contains("201919000009") && list.text.contains(lang == "zh" ? "暂停" : "Suspended"))
                #expect(try await client.get("\(labPath)?lang=\(lang)").text.contains("GB 4806.7-2016"))
            }

            // The fixture lab's user files a report through its page, file and all.
            let labUser = try await client.browser("lab\(f.uscc.suffix(4).lowercased())")
            r = try await client.execute(uri: "/lab/reports", method: .post,
                                         headers: [.cookie: labUser.cookie, .contentType: "multipart/form-data; boundary=xukeBoundary42"],
                                         body: LicensingPageTests.multipart([("_csrf", labUser.csrf), ("report_no", "PAGE-1"), ("uscc", f.uscc), ("issued_on", "2026-11-10"),
                                                                      ("units", "1001, 1002"), ("conclusion", "pass")],
                                                                     files: [("file", "报告.pdf", Data("%PDF-1.7\n% filed on the page\n".utf8))]))
            #expect(r.status == .seeOther, "\(r.text)")
            #expect(try await client.get("/lab/reports?lang=zh", headers: [.cookie: labUser.cookie]).text.contains("PAGE-1"))

            // An officer lists the enterprise; the enterprise asks for repair on the entry's page.
            r = try await client.submit("/credit/list", [("uscc", f.uscc), ("list", "abnormal"), ("cause", "annual_report_missing"), ("note", "未报送2025年度报告")], officer)
            #expect(r.status == .seeOther, "\(r.text)")
            let entryPath = try #require(r.headers[.location])
            let maker = try await client.browser("maker")
            r = try await client.submit("/credit/repair", [("number", String(entryPath.split(separator: "/").last!)), ("statement", "已补报2025年度报告并通过国家企业信用信息公示系统向社会公示。")], maker)
            #expect(r.status == .seeOther, "\(r.text)")
            #expect(try await client.get(entryPath + "?lang=en", headers: [.cookie: officer.cookie]).text.contains("Approve and remove"))
            for lang in ["zh", "en"] {
                let credit = try await client.get("/credit?lang=\(lang)")
                #expect(credit.status == .ok && credit.text.contains(f.uscc) && credit.text.contains(lang == "zh" ? "未按规定报送年度报告" : "Annual report not filed"))
            }
        }
    }
}

@Suite struct CCCTests {
    static let header = "number,holder_uscc,product,standard,body,status,issued_on,expires_on"

    /// Certification bodies, a certificate CSV checked row by row (nothing half-imported), and the public query.
    @Test func certificatesAreImportedWholeOrNotAtAllAndCanBeQueried() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            #expect(try await f.post("cert-bodies", #"{"name":"中国质量认证中心","uscc":"\#(Fixtures.guangdong(990))","approval_number":"CQC"}"#, as: f.admin).errorCode == ErrorCode.certBody.invalid)
            var r = try await f.post("cert-bodies", #"{"name":"中国质量认证中心","uscc":"\#(Fixtures.guangdong(990))","approval_number":"CNCA-R-2002-001"}"#, as: f.admin)
            #expect(r.status == .created, "\(r.text)")
            let body = try #require(try r.json()["code"] as? String)
            #expect(try await f.post("cert-bodies", #"{"name":"重复","uscc":"\#(Fixtures.guangdong(990))","approval_number":"cnca-r-2002-001"}"#, as: f.admin).errorCode == ErrorCode.certBody.taken)

            func upload(_ rows: [String]) async throws -> TestResponse {
                try await client.sendText("/api/v1/ccc/import", ([Self.header] + rows).joined(separator: "\n"), token: f.admin)
            }
            let good = "2021010101234567,\(f.uscc),电热毯,GB 4706.8-2008,\(body),valid,2021-03-01,2026-02-28"
            let rows = [
                good,
                "2021010101234567,\(f.uscc),电热毯,GB 4706.8-2008,\(body),valid,2021-03-01,2026-02-28",   // repeated number
                "12345,\(f.uscc),电热毯,GB 4706.8-2008,\(body),valid,2021-03-01,2026-02-28",              // short number
                "2021010101234568,91440300MA5XXXXXX1,电热毯,GB 4706.8-2008,\(body),valid,2021-03-01,2026-02-28", // bad code
                "2021010101234569,\(f.uscc),电冰箱,GB 4706.8-2008,\(body),valid,2021-03-01,2026-02-28",   // not a moved product
                "2021010101234570,\(f.uscc),电热毯,GB 4706.8,CB-999999,active,2021-03-01,2020-02-28",     // standard, body, status, dates
                "2021010101234571,\(f.uscc),电热毯",                                                       // too few fields
            ]
            r = try await upload(rows)
            #expect(r.status == .unprocessableContent && r.errorCode == ErrorCode.imports.invalid, "\(r.text)")
            let problems = (try r.json()["error"] as? [String: Any])?["problems"] as? [[String: Any]] ?? []
            #expect(problems.count >= 9 && Set(problems.compactMap { $0["line"] as? Int }) == Set(3...8), "\(problems)")
            #expect(try await s.db.read { try await CCCStore.count($0) } == 0, "nothing half-imported")
            #expect(try await client.sendText("/api/v1/ccc/import", "number,holder\n1,2", token: f.admin).errorCode == ErrorCode.imports.invalid)
            #expect(try await client.sendText("/api/v1/ccc/import", Self.header + "\n" + good, token: f.enterprise).status == .forbidden)

            r = try await upload([good, "2022010101234567,\(f.uscc),摩托车乘员头盔,GB 811—2010,\(body),suspended,2022-05-01,2027-04-30"])
            #expect(try r.status == .ok && (try r.json()["total"] as? Int) == 2, "\(r.text)")
            // The same number again replaces the certificate: a body reports its status changes this way.
            r = try await upload(["2022010101234567,\(f.uscc),摩托车乘员头盔,GB 811-2010,\(body),revoked,2022-05-01,2027-04-30"])
            #expect(try r.json()["total"] as? Int == 2)

            let byHolder = try await client.get("/api/v1/public/ccc?holder=\(f.uscc)").list()
            #expect(byHolder.map { $0["status"] as? String } == ["expired", "revoked"], "a valid certificate past its end shows as expired: \(byHolder)")
            #expect(byHolder.last?["standard"] as? String == "GB 811-2010")
            #expect(try await client.get("/api/v1/public/ccc").status == .badRequest)
            let page = try await client.get("/ccc?number=2022010101234567&lang=zh")
            #expect(page.status == .ok && page.text.contains("已撤销") && page.text.contains("摩托车乘员头盔"), "\(page.text.prefix(300))")
        }
    }
}

@Suite struct RegistryRuleTests {
    /// Who may keep which register, and when a lab may file: each refusal by its code.
    @Test func registrarsActInTheirProvinceAndLabsFileOnlyWhileRegistered() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let zhejiang = try await client.token(s, username: "zjofficer", role: "officer", jurisdiction: "330000")
            #expect(try await f.post("labs/\(Flow.lab)/status", #"{"status":"suspended","since":"2026-11-16","note":"x"}"#, as: zhejiang).errorCode == ErrorCode.registry.otherProvince)
            let scopes = #"[{"unit_no":"1001","standard":"GB 4806.7-2016","from":"2024-01-01"}]"#
            #expect(try await f.post("labs", #"{"name":"深圳所","uscc":"\#(Fixtures.guangdong(995))","cma_number":"201919000011","grade":2,"division_code":"440300","registered_on":"2024-01-01","scopes":\#(scopes)}"#,
                                     as: zhejiang).errorCode == ErrorCode.registry.otherProvince)
            // Bans and the CCC register are national.
            #expect(try await f.post("bans", #"{"subject_kind":"person","subject":"110101199001011234","name":"张某","cause":"出具虚假报告"}"#, as: f.officer).errorCode == ErrorCode.registry.nationalOnly)
            #expect(try await client.sendText("/api/v1/ccc/import", CCCTests.header, token: f.officer).errorCode == ErrorCode.registry.nationalOnly)
            // An officer supervises only enterprises in the jurisdiction.
            #expect(try await f.post("inspections/flying", #"{"uscc":"\#(f.uscc)","category":"10","team":["INS-000001","INS-000002"]}"#, as: zhejiang).errorCode == ErrorCode.supervision.outsideJurisdiction)

            // A lab user acts for one lab; a report number is filed once; a lab not registered today files nothing.
            let other = try await f.post("labs", #"{"name":"深圳所","uscc":"\#(Fixtures.guangdong(995))","cma_number":"201919000011","grade":2,"division_code":"440300","registered_on":"2024-01-01","scopes":\#(scopes)}"#, as: f.officer)
            let otherCode = try #require(try other.json()["code"] as? String)
            let signIn = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"lab\#(f.uscc.suffix(4).lowercased())","password":"correct horse battery"}"#)
            let labUser = try #require(try signIn.json()["token"] as? String)
            let labID = try #require(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(labUser)"], body: nil).json()["id"] as? Int)
            #expect(try await f.post("labs/\(otherCode)/members", #"{"user_id":\#(labID)}"#, as: f.officer).errorCode == ErrorCode.lab.memberElsewhere)
            #expect(try await f.post("test-reports", #"{"report_no":"\#(f.reportNo)","uscc":"\#(f.uscc)","units":["1001"],"issued_on":"2024-01-05","conclusion":"pass","sha256":"\#(f.reportSHA)"}"#,
                                     as: labUser).errorCode == ErrorCode.report.exists)
            #expect(try await f.post("labs/\(Flow.lab)/status", #"{"status":"suspended","since":"2026-11-16","note":"监督抽查发现问题"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("test-reports", #"{"report_no":"LATE-1","uscc":"\#(f.uscc)","units":["1001"],"issued_on":"2024-01-05","conclusion":"pass","sha256":"\#(f.reportSHA)"}"#,
                                     as: labUser).errorCode == ErrorCode.report.labNotRegistered, "not even a report dated from before")
        }
    }

    /// Makers of products that left the catalog get twice the default share of licensed ones.
    @Test func delicensedStrataGetTheHigherDefaultQuota() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 11, inspectors: 0)
            for n in 0..<11 {
                let uscc = Fixtures.guangdong(400 + n)
                #expect(try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(uscc, name: "退出目录\(n)", division: "440303"), token: d.f.admin).status == .created)
                #expect(try await d.f.post("supervision/delicensed", #"{"uscc":"\#(uscc)","category":"10","since":"2025-01-01"}"#, as: d.f.officer).status == .created)
            }
            let plan = SpotCheckPlan(code: "RATES-1", titleZh: "比例", titleEn: "Rates", strata: [.licensed, .delicensed].map { Stratum(kind: $0, category: "10", region: "440300", quota: 0) },
                                     teamSize: 2, items: [:], beacon: BeaconSource(source: .drandQuicknet, round: 1), commit: "")
            let quotas = try await s.db.read { try await s.supervision.settingDefaultQuotas($0, plan, authority: "440000", when: true) }.strata.map(\.quota)
            #expect(quotas == [1, 2], "11 licensed at 5% round up to 1; 11 de-licensed at 10% round up to 2")
        }
    }
}
