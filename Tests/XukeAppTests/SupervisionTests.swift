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

/// A Shenzhen supervision desk: licensed enterprises spread over four districts, and inspectors in them.
struct Desk {
    static let counties = ["440303", "440304", "440305", "440306"]

    let f: Flow
    var usccs: [String] = []
    var inspectors: [(id: Int, code: String, county: String)] = []

    var client: any TestClientProtocol { f.client }
    var s: AppServices { f.s }

    static func open(_ client: any TestClientProtocol, _ s: AppServices, enterprises: Int = 12, inspectors: Int = 6) async throws -> Desk {
        Flow.at(s, "2026-11-16")
        var d = Desk(f: try await Flow.start(client, s))
        for n in 0..<enterprises {
            let uscc = Fixtures.guangdong(200 + n), county = counties[n % counties.count]
            let r = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(uscc, name: "抽查对象\(n)有限公司", division: county), token: d.f.admin)
            #expect(r.status == .created, "\(r.text)")
            try await s.db.write { sql in
                let unit = LicenseUnit(unitNo: "1001", categoryNo: "10", nameZh: "食品用塑料包装容器工具等制品", nameEn: "Plastic food packaging",
                                       route: .ordinary, since: CivilDate("2026-01-05")!)
                let l = try await LicenseStore.insertLicense(sql, LicenseRecord(
                    id: 0, uscc: uscc, number: String(format: "粤XK16-204-%05d", 500 + n), storedStatus: .valid, version: 1, authority: "440000",
                    firstIssuedOn: CivilDate("2026-01-05")!, decidedOn: CivilDate("2026-01-05")!, issuedOn: CivilDate("2026-01-05")!,
                    validUntil: CivilDate("2031-01-04")!, name: "抽查对象\(n)有限公司", domicile: "深圳", addresses: [], units: [unit],
                    updatedAt: s.clock.stamp), reason: "test", applicationID: nil, at: s.clock.stamp)
                try await s.licensing.publishLicense(sql, l, type: .licenseIssued, actor: nil)
            }
            d.usccs.append(uscc)
        }
        for n in 0..<inspectors {
            let token = try await client.token(s, username: "inspector\(n)", role: n % 2 == 0 ? "verifier" : "officer", jurisdiction: n % 2 == 0 ? nil : counties[n % 4])
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
            let id = try #require(try me.json()["id"] as? Int)
            let county = counties[n % counties.count]
            let r = try await d.f.post("supervision/inspectors", #"{"user_id":\#(id),"county":"\#(county)","capacity":2}"#, as: d.f.officer)
            #expect(r.status == .created, "\(r.text)")
            d.inspectors.append((id, try #require(try r.json()["code"] as? String), county))
        }
        return d
    }

    static let secret = Array(repeating: UInt8(0x5A), count: 32)

    /// A plan taken straight through to its draw; returns the inspections it created.
    func drawnPlan(code: String = "GD-2026-Q4-01") async throws -> [[String: Any]] {
        let r = try await f.post("plans", planJSON(code: code), as: f.officer)
        #expect(r.status == .created, "\(r.text)")
        let id = try #require((try r.json()["plan"] as? [String: Any])?["id"] as? Int)
        for step in ["announce", "freeze"] { #expect(try await f.post("plans/\(id)/\(step)", as: f.officer).status == .ok) }
        s.clock.set(s.clock.now().addingTimeInterval(2 * 86_400))
        try await enterBeacon(id, String(repeating: "3c", count: 32))
        #expect(try await f.post("plans/\(id)/draw", #"{"secret":"\#(Self.secret.hex)"}"#, as: f.officer).status == .ok)
        let list = try await f.get("plans/\(id)/inspections", as: f.officer)
        return try list.list()
    }

    /// The beacon value entered by the organiser and confirmed by a second officer of the province.
    func enterBeacon(_ planID: Int, _ value: String) async throws {
        #expect(try await f.post("plans/\(planID)/beacon", #"{"value":"\#(value)"}"#, as: f.officer).status == .ok)
        #expect(try await f.post("plans/\(planID)/beacon", #"{"value":"\#(value)"}"#, as: try await secondOfficer()).status == .ok)
    }

    func secondOfficer() async throws -> String {
        let r = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"second-officer","password":"correct horse battery"}"#)
        if r.status == .created { return try #require(try r.json()["token"] as? String) }
        return try await client.token(s, username: "second-officer", role: "officer", jurisdiction: "440000")
    }

    /// The API token of an inspector user, signing in as them.
    func token(ofInspector userID: Int) async throws -> String {
        let name = try #require(try await s.db.read { try await UserStore.get($0, id: userID) }?.username)
        let r = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"\#(name)","password":"correct horse battery"}"#)
        return try #require(try r.json()["token"] as? String)
    }

    func planJSON(code: String = "GD-2026-Q4-01", teamSize: Int = 2, quota: Int = 3, round: Int? = nil) -> String {
        let round = round ?? BeaconSource.quicknetRound(after: s.clock.now().addingTimeInterval(86_400))
        return #"{"plan":{"code":"\#(code)","title_zh":"2026年第四季度食品相关产品双随机抽查","title_en":"Q4 2026 double-random spot check of food-contact products","strata":[{"kind":"licensed","category":"10","region":"440300","quota":\#(quota)}],"team_size":\#(teamSize),"items":{"10":["生产场所与设备","原材料进货查验","出厂检验记录"]},"beacon":{"source":"drand-quicknet","round":\#(round)},"commit":"\#(DrawV1.commitment(of: Self.secret))","publish_within_days":20}}"#
    }
}

@Suite struct SupervisionTests {
    @Test func aPlanGoesFromAnnouncementToAPublishedDrawAnyoneCanRecompute() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s)
            let f = d.f
            // Bad plans are refused whole.
            var r = try await f.post("plans", d.planJSON(teamSize: 1), as: f.officer)
            #expect(r.status == .unprocessableContent && r.errorCode == ErrorCode.plan.invalid && r.text.contains("检查组至少2人"), "\(r.text)")
            r = try await f.post("plans", d.planJSON(round: 1), as: f.officer)
            #expect(r.status == .unprocessableContent, "a beacon round long past: \(r.text)")
            r = try await f.post("plans", d.planJSON(), as: f.enterprise)
            #expect(r.status == .forbidden)

            r = try await f.post("plans", d.planJSON(), as: f.officer)
            #expect(r.status == .created, "\(r.text)")
            let id = try #require((try r.json()["plan"] as? [String: Any])?["id"] as? Int)
            #expect(try await client.get("/api/v1/public/plans/GD-2026-Q4-01").status == .notFound, "drafts are not public")

            // Nothing happens out of order.
            #expect(try await f.post("plans/\(id)/freeze", as: f.officer).errorCode == ErrorCode.plan.notAnnounced)
            r = try await f.post("plans/\(id)/announce", as: f.officer)
            #expect(r.status == .ok, "\(r.text)")
            #expect(try await client.send(.put, "/api/v1/plans/\(id)", json: d.planJSON(quota: 5), token: f.officer).errorCode == ErrorCode.plan.announced)
            #expect(try await f.post("plans/\(id)/beacon", #"{"value":"\#(String(repeating: "ab", count: 32))"}"#, as: f.officer).errorCode == ErrorCode.plan.notFrozen)
            #expect(try await f.post("plans/\(id)/draw", #"{"secret":"\#(Desk.secret.hex)"}"#, as: f.officer).errorCode == ErrorCode.draw.noBeaconPlanState)

            r = try await f.post("plans/\(id)/freeze", as: f.officer)
            #expect(r.status == .ok, "\(r.text)")
            let frozen = try r.json()
            #expect(frozen["enterprise_count"] as? Int == 12 && frozen["inspector_count"] as? Int == 6)
            #expect(try await f.post("plans/\(id)/freeze", as: f.officer).errorCode == ErrorCode.plan.rosterFrozen)
            // A new inspector after the freeze does not change the frozen roster.
            let late = try await client.token(s, username: "late", role: "verifier")
            let lateID = try #require(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(late)"], body: nil).json()["id"] as? Int)
            #expect(try await f.post("supervision/inspectors", #"{"user_id":\#(lateID),"county":"440305"}"#, as: f.officer).status == .created)

            // The beacon value cannot be entered before its round, and is entered once.
            let value = String(repeating: "3c", count: 32)
            #expect(try await f.post("plans/\(id)/beacon", #"{"value":"\#(value)"}"#, as: f.officer).errorCode == ErrorCode.plan.beaconNotYet)
            Flow.at(s, "2026-11-18")
            #expect(try await f.post("plans/\(id)/beacon", #"{"value":"not hex"}"#, as: f.officer).errorCode == ErrorCode.plan.beaconValueDrand)
            // One officer's entry is a proposal; the same officer cannot confirm it; a second officer who reads another
            // value replaces the proposal (publicly), and the value stands once two officers agree.
            #expect(try await f.post("plans/\(id)/beacon", #"{"value":"\#(String(repeating: "11", count: 32))"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("plans/\(id)/beacon", #"{"value":"\#(String(repeating: "11", count: 32))"}"#, as: f.officer).errorCode == ErrorCode.plan.beaconSecondOfficer)
            let second = try await d.secondOfficer()
            #expect(try await f.post("plans/\(id)/beacon", #"{"value":"\#(value)"}"#, as: second).status == .ok)
            #expect(try await f.post("plans/\(id)/draw", #"{"secret":"\#(Desk.secret.hex)"}"#, as: f.officer).errorCode == ErrorCode.draw.noBeaconPlanState, "not confirmed yet")
            let confirmed = try await f.post("plans/\(id)/beacon", #"{"value":"\#(value)"}"#, as: f.officer)
            #expect(try confirmed.json()["state"] as? String == "beacon" && confirmed.json()["reveal_due"] as? String != nil, "\(confirmed.text)")
            #expect(try await f.post("plans/\(id)/beacon", #"{"value":"\#(value)"}"#, as: f.officer).errorCode == ErrorCode.plan.beaconEntered)
            let logged = try await s.db.read { try await $0.raw("SELECT entry FROM log_entries WHERE kind = 'plan.beacon'").all() }
            #expect(logged.count == 1)
            let entry = String(decoding: try logged[0].decode(column: "entry", as: Data.self), as: UTF8.self)
            #expect(entry.contains("\"confirmed_by\"") && entry.contains("\"entered_by\"") && entry.contains("\"reveal_due\""), "\(entry)")

            // The secret must be the one committed to.
            var wrong = Desk.secret
            wrong[0] = 0
            #expect(try await f.post("plans/\(id)/draw", #"{"secret":"\#(wrong.hex)"}"#, as: f.officer).errorCode == ErrorCode.draw.secretMismatch)
            r = try await f.post("plans/\(id)/draw", #"{"secret":"\#(Desk.secret.hex)"}"#, as: f.officer)
            #expect(r.status == .ok, "\(r.text)")
            #expect(try await f.post("plans/\(id)/draw", #"{"secret":"\#(Desk.secret.hex)"}"#, as: f.officer).errorCode == ErrorCode.draw.done)

            // Anyone recomputes the draw from what is published.
            let bundleResponse = try await client.get("/api/v1/public/plans/GD-2026-Q4-01/draw.json")
            #expect(bundleResponse.status == .ok)
            let bundle = try JSONValue.parse(Array(bundleResponse.body.readableBytesView))
            let recomputed = try DrawV1.recompute(bundle)
            #expect(recomputed.matches)
            #expect(recomputed.result.rows.count == 3 && recomputed.result.rows.allSatisfy { $0.team?.count == 2 })
            #expect(bundle["inspectors"]?.arrayValue?.count == 6, "the late inspector is not in the frozen roster")
            if let reference = Interop.reference {
                let file = try Interop.temporaryFile("draw.json", Data(bundleResponse.body.readableBytesView))
                let check = try Interop.run("python3", [reference + "/dr_v1.py", "--check", file.path])
                #expect(check.status == 0 && check.text.contains("match"), "\(check.text) \(check.stderr)")
            }

            // The draw created one inspection per picked enterprise, staffed by the rules.
            let inspections = try await f.get("plans/\(id)/inspections", as: f.officer).list()
            #expect(inspections.count == 3)
            let county = Dictionary(uniqueKeysWithValues: d.usccs.enumerated().map { ($1, Desk.counties[$0 % 4]) })
            let inspectorCounty = Dictionary(uniqueKeysWithValues: d.inspectors.map { ($0.code, $0.county) })
            for i in inspections {
                #expect(i["state"] as? String == "assigned" && i["origin"] as? String == "draw")
                let team = try #require(i["team"] as? [[String: Any]])
                #expect(team.count == 2)
                for m in team { #expect(inspectorCounty[m["code"] as? String ?? ""] != county[i["uscc"] as? String ?? ""]) }
                #expect((i["items"] as? [String])?.count == 3)
            }

            // The public pages, in both languages.
            let list = try await client.get("/plans")
            #expect(list.status == .ok && list.text.contains("GD-2026-Q4-01") && list.text.contains("已抽取"))
            let page = try await client.get("/plans/GD-2026-Q4-01")
            #expect(page.status == .ok && page.text.contains("如何自行重算") && page.text.contains(Desk.secret.hex) && page.text.contains("xuke draw verify"))
            let english = try await client.get("/plans/GD-2026-Q4-01?lang=en")
            #expect(english.text.contains("How to recompute it yourself") && english.text.contains("drand quicknet round"))
            #expect(try await client.get("/plans/NO-SUCH-PLAN").status == .notFound)

            // The public page of the plan carries every input and the log has every step.
            let detail = try await client.get("/api/v1/public/plans/GD-2026-Q4-01").json()
            #expect(detail["secret"] as? String == Desk.secret.hex && detail["beacon"] as? String == value)
            let kinds = try await s.db.read { sql in try await TransparencyStore.entries(sql, from: 0, count: 1000).map(\.kind) }
            #expect(["plan.announced", "plan.frozen", "plan.beacon", "draw.published"].allSatisfy(kinds.contains))
            var audit = try await s.trust.auditLog()
            #expect(audit.problems.isEmpty, "\(audit.problems)")
            try await s.db.write { sql in try await sql.raw("UPDATE spot_plans SET secret = \(bind: wrong.hex) WHERE id = \(bind: id)").run() }
            audit = try await s.trust.auditLog()
            #expect(audit.problems.contains { $0.contains("plan GD-2026-Q4-01") }, "\(audit.problems)")
        }
    }

    @Test func anInspectionIsVisitedConcludedPublishedAndObjectedTo() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s)
            let f = d.f
            let inspections = try await d.drawnPlan()
            let first = try #require(inspections.first)
            let id = try #require(first["id"] as? Int)
            let uscc = try #require(first["uscc"] as? String)
            let member = try #require((first["team"] as? [[String: Any]])?.first?["user_id"] as? Int)
            let inspector = try await d.token(ofInspector: member)
            let outsider = try #require(d.inspectors.first { i in !((first["team"] as? [[String: Any]]) ?? []).contains { $0["user_id"] as? Int == i.id } })
            let items = try #require(first["items"] as? [String])

            func visit(_ findings: [(String, String)], as token: String) async throws -> TestResponse {
                let list = findings.map { #"{"item":"\#($0.0)","result":"\#($0.1)","note":""}"# }.joined(separator: ",")
                return try await f.post("inspections/\(id)/visit", #"{"visited_on":"2026-11-18","findings":[\#(list)],"samples":[{"product":"塑料餐盒","batch":"B2611","quantity":"6","lab":"广东省质检院"}]}"#, as: token)
            }
            // Only the team or the authority, and every item once.
            #expect(try await visit(items.map { ($0, "conforms") }, as: try await d.token(ofInspector: outsider.id)).errorCode == ErrorCode.inspection.notYours)
            #expect(try await visit(Array(items.dropLast()).map { ($0, "conforms") }, as: inspector).errorCode == ErrorCode.inspection.findings)
            var r = try await visit(items.enumerated().map { ($1, $0 == 1 ? "nonconforming" : "conforms") }, as: inspector)
            #expect(r.status == .ok, "\(r.text)")

            // Evidence: a file the inspector uploaded, seen by the team and the authority, not by the enterprise.
            let photo = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data("现场照片".utf8)
            let up = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(inspector)"], body: ByteBuffer(bytes: photo))
            #expect(up.status == .created, "\(up.text)")
            let photoSHA = try #require(try up.json()["sha256"] as? String)
            #expect(try await f.post("inspections/\(id)/evidence", #"{"sha256":"\#(photoSHA)","filename":"车间.png"}"#, as: f.officer).errorCode == ErrorCode.evidence.upload,
                    "only the uploader binds a file")
            #expect(try await f.post("inspections/\(id)/evidence", #"{"sha256":"\#(photoSHA)","filename":"车间.png"}"#, as: inspector).status == .created)
            let file = try await client.execute(uri: "/api/v1/inspections/\(id)/evidence/\(photoSHA)", method: .get, headers: [.authorization: "Bearer \(f.officer)"], body: nil)
            #expect(file.status == .ok && Data(file.body.readableBytesView) == photo && file.headers[.contentType] == "image/png")

            // The conclusion may not contradict the record, and waits for the lab.
            let pass = #"{"outcome":"pass","summary":"现场检查合格"}"#
            #expect(try await f.post("inspections/\(id)/conclude", pass, as: inspector).errorCode == ErrorCode.auth.forbidden, "officers conclude")
            #expect(try await f.post("inspections/\(id)/conclude", pass, as: f.officer).errorCode == ErrorCode.inspection.labPending)
            #expect(try await f.post("inspections/\(id)/conclude", #"{"outcome":"fail","summary":"x","lab_results":[{"position":-9223372036854775808,"report_no":"R","result":"fail"}]}"#,
                                     as: f.officer).errorCode == ErrorCode.inspection.labResult, "a position far outside the samples is refused, not subtracted from")
            let lab = #""lab_results":[{"position":1,"report_no":"GDQI-2611-07","result":"fail"}]"#
            #expect(try await f.post("inspections/\(id)/conclude", #"{"outcome":"pass","summary":"合格",\#(lab)}"#, as: f.officer).errorCode == ErrorCode.inspection.outcomeContradicts)
            r = try await f.post("inspections/\(id)/conclude", #"{"outcome":"fail","summary":"原材料进货查验记录缺失，样品迁移量超标",\#(lab)}"#, as: f.officer)
            #expect(r.status == .ok, "\(r.text)")
            let concluded = try #require(try r.json()["inspection"] as? [String: Any])
            // A provincial spot check's result is kept for simplified renewals; a failed one spares nothing.
            let spared = try await s.db.read { try await SettingsStore.unitsWithRecentSpotCheck($0, uscc: uscc, since: CivilDate("2026-11-01")!) }
            #expect(spared.isEmpty)
            #expect(try await s.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM spot_check_results WHERE reference = \(bind: concluded["number"] as? String ?? "")").first()?.decode(column: "n", as: Int.self) } == 1)
            // 20 working days (the plan's setting) from Wednesday 18 November.
            #expect(concluded["publish_due"] as? String == "2026-12-16" && concluded["outcome"] as? String == "fail")

            // Published: on the public results and in the log.
            #expect(try await client.get("/api/v1/public/inspections?uscc=\(uscc)").list().isEmpty)
            #expect(try await f.post("inspections/\(id)/publish", as: f.officer).status == .ok)
            #expect(try await f.post("inspections/\(id)/publish", as: f.officer).errorCode == ErrorCode.inspection.published)
            let published = try await client.get("/api/v1/public/inspections?uscc=\(uscc)").list()
            #expect(published.count == 1 && published[0]["outcome"] as? String == "fail" && published[0]["plan"] as? String == "GD-2026-Q4-01")
            let results = try await client.get("/results?lang=en")
            #expect(results.status == .ok && results.text.contains(uscc) && results.text.contains("<strong>Fail</strong>"))

            // The enterprise objects within 15 days and asks for a re-test, which passes: the result is revised.
            let maker = try await client.token(s, username: "target", role: "enterprise", enterprise: uscc)
            let seen = try await client.execute(uri: "/api/v1/inspections/\(id)", method: .get, headers: [.authorization: "Bearer \(maker)"], body: nil)
            let seenJSON = try seen.json()
            #expect(seen.status == .ok && (seenJSON["evidence"] as? [Any])?.isEmpty == true && (seenJSON["findings"] as? [Any])?.count == items.count)
            #expect(try await client.execute(uri: "/api/v1/inspections/\(id)/evidence/\(photoSHA)", method: .get, headers: [.authorization: "Bearer \(maker)"], body: nil).status == .forbidden)
            #expect(try await f.post("inspections/\(id)/objections", #"{"reason":"样品运输中受污染","retest":true}"#, as: f.enterprise).errorCode == ErrorCode.objection.enterpriseOnly)
            r = try await f.post("inspections/\(id)/objections", #"{"reason":"样品运输中受污染","retest":true}"#, as: maker)
            #expect(r.status == .created, "\(r.text)")
            let objection = try #require(try r.json()["id"] as? Int)
            #expect(try await f.post("inspections/\(id)/objections", #"{"reason":"再次异议"}"#, as: maker).errorCode == ErrorCode.objection.pending)
            #expect(try await f.post("inspections/\(id)/objections/\(objection)", #"{"decision":"retest_passed","note":"x"}"#, as: f.officer).errorCode == ErrorCode.objection.decisionMissing)
            #expect(try await f.post("inspections/\(id)/objections/\(objection)", #"{"decision":"retest","note":"同意复检"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("inspections/\(id)/objections/\(objection)", #"{"decision":"retest_passed","note":"复检合格"}"#, as: f.officer).status == .ok)
            let revised = try await client.get("/api/v1/public/inspections?uscc=\(uscc)").list()
            #expect(revised.first?["outcome"] as? String == "pass")
            var audit = try await s.trust.auditLog()
            #expect(audit.problems.isEmpty, "\(audit.problems)")

            // More than 15 days after the result, no objection is taken.
            s.clock.set(s.clock.now().addingTimeInterval(20 * 86_400))
            #expect(try await f.post("inspections/\(id)/objections", #"{"reason":"晚了"}"#, as: maker).errorCode == ErrorCode.objection.tooLate)

            // Quietly changing a published result is caught.
            try await s.db.write { sql in try await sql.raw("UPDATE inspections SET outcome = 'fail' WHERE id = \(bind: id)").run() }
            audit = try await s.trust.auditLog()
            #expect(audit.problems.contains { $0.contains("inspections row") }, "\(audit.problems)")
        }
    }

    /// End to end: plan announced, rosters frozen, beacon entered, draw; visit, failed conclusion, published result; measures up to withdrawal.
    @Test func enforcementFromAFailedInspectionToWithdrawalReachesTheStatusListAndBarsReapplication() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s)
            let f = d.f
            let inspection = try #require(try await d.drawnPlan().first)
            let id = try #require(inspection["id"] as? Int)
            let number = try #require(inspection["number"] as? String)
            let uscc = try #require(inspection["uscc"] as? String)
            let member = try #require((inspection["team"] as? [[String: Any]])?.first?["user_id"] as? Int)
            let items = try #require(inspection["items"] as? [String]).map { #"{"item":"\#($0)","result":"nonconforming","note":"缺失"}"# }.joined(separator: ",")
            #expect(try await f.post("inspections/\(id)/visit", #"{"visited_on":"2026-11-18","findings":[\#(items)]}"#, as: try await d.token(ofInspector: member)).status == .ok)
            #expect(try await f.post("inspections/\(id)/conclude", #"{"outcome":"fail","summary":"三项均不符合"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("inspections/\(id)/publish", as: f.officer).status == .ok)

            func measure(_ body: String) async throws -> TestResponse { try await f.post("enforcement", body, as: f.officer) }
            #expect(try await measure(#"{"uscc":"\#(uscc)","kind":"interview","cause":"inspection/JC-NONE","note":"约谈"}"#).errorCode == ErrorCode.enforcement.cause)
            #expect(try await measure(#"{"uscc":"\#(d.usccs.first { $0 != uscc }!)","kind":"interview","cause":"inspection/\#(number)","note":"约谈"}"#).errorCode == ErrorCode.enforcement.cause,
                    "the cause must concern the same enterprise")
            var r = try await measure(#"{"uscc":"\#(uscc)","kind":"interview","cause":"inspection/\#(number)","note":"约谈法定代表人"}"#)
            #expect(r.status == .created)
            #expect(try r.json()["state"] as? String == "done", "\(r.text)")
            #expect(try await measure(#"{"uscc":"\#(uscc)","kind":"rectification","cause":"inspection/\#(number)","note":"限期整改","due_days":0}"#).errorCode == ErrorCode.enforcement.dueDays)
            r = try await measure(#"{"uscc":"\#(uscc)","kind":"rectification","cause":"inspection/\#(number)","note":"限期整改","due_days":10}"#)
            #expect(r.status == .created, "\(r.text)")
            let rectification = try r.json()
            let rectID = try #require(rectification["id"] as? Int), rectNumber = try #require(rectification["number"] as? String)
            #expect(rectification["due_on"] as? String == "2026-12-02", "10 working days from 18 November")
            #expect(try await f.post("enforcement/\(rectID)/close", #"{"outcome":"复查"}"#, as: f.officer).errorCode == ErrorCode.enforcement.recheck)
            #expect(try await f.post("enforcement/\(rectID)/close", #"{"outcome":"复查仍不合格","recheck":"fail"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("enforcement/\(rectID)/close", #"{"outcome":"again","recheck":"fail"}"#, as: f.officer).errorCode == ErrorCode.enforcement.closed)

            // Failing the re-check: the license is withdrawn; its credential turns revoked at once.
            let licenseID = try #require(try await s.db.read { try await LicenseStore.license($0, uscc: uscc) }?.id)
            let jws = try #require(try await client.get("/api/v1/public/licenses/\(licenseID)/credential").json()["jws"] as? String)
            #expect(try await TrustTests.verify(client, jws)["verdict"] as? String == "valid")
            // A county bureau supervises the maker but cannot withdraw the license its province issued, and a lead
            // (an anonymous complaint, say) is never grounds enough to change a license.
            let county = try #require(try await s.db.read { try await EnterpriseStore.get($0, uscc: uscc, visibility: .everything) }?.divisionCode)
            let countyOfficer = try await client.token(s, username: "county-officer", role: "officer", jurisdiction: county)
            #expect(try await f.post("enforcement", #"{"uscc":"\#(uscc)","kind":"withdrawal","cause":"enforcement/\#(rectNumber)","note":"越权吊销"}"#,
                                     as: countyOfficer).errorCode == ErrorCode.license.notYourAuthority)
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"越权撤销"}"#, as: countyOfficer).errorCode == ErrorCode.license.notYourAuthority)
            #expect(try await measure(#"{"uscc":"\#(uscc)","kind":"revocation","cause":"lead/XS-NONE","note":"据举报撤销"}"#).errorCode == ErrorCode.enforcement.licenseCause)
            #expect(try await TrustTests.verify(client, jws)["verdict"] as? String == "valid")
            #expect(try await measure(#"{"uscc":"\#(uscc)","kind":"withdrawal","cause":"enforcement/\#(rectNumber)","note":"未经听证"}"#).errorCode
                == ErrorCode.hearing.required)
            try await f.hearingHeld(licenseID, measure: "withdrawal", holder: try await client.token(s, username: "holder-\(uscc.suffix(4).lowercased())", role: "enterprise", enterprise: uscc))
            r = try await measure(#"{"uscc":"\#(uscc)","kind":"withdrawal","cause":"enforcement/\#(rectNumber)","note":"整改复查不合格，吊销许可证"}"#)
            #expect(r.status == .created, "\(r.text)")
            #expect(try await s.db.read { try await DocumentStore.list($0, licenseID: licenseID) }.map(\.kind).suffix(2) == [.hearingNotice, .withdrawalDecision],
                    "the withdrawal is decided in a document that names the remedies")
            #expect(try await TrustTests.verify(client, jws)["verdict"] as? String == "revoked")
            #expect(try await measure(#"{"uscc":"\#(uscc)","kind":"suspension","cause":"inspection/\#(number)","note":"x"}"#).errorCode == ErrorCode.license.notInForceEnded)

            // No new application for the same product for three years.
            let maker = try await client.token(s, username: "barred", role: "enterprise", enterprise: uscc)
            let up = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(maker)"], body: ByteBuffer(bytes: Flow.pdf))
            let sha = try #require(try up.json()["sha256"] as? String)
            let again = Flow(client: client, s: s, admin: f.admin, enterprise: maker, officer: f.officer, verifiers: f.verifiers, uscc: uscc, sha: sha, reportSHA: "")
            let refused = try await again.submit(kind: "new", expect: .conflict)
            #expect((refused["error"] as? [String: Any])?["code"] as? String == ErrorCode.application.barred.rawValue)
            // Another product is open to it, unless the grant too was revoked: every bar in force counts, not just the latest.
            let withdrawn = try #require(try await s.db.read { try await LicenseStore.license($0, id: licenseID) }?.number)
            try await s.db.write { try await LicensingReports.addCreditFlag($0, uscc: uscc, kind: "grant_revoked", since: CivilDate("2026-11-01")!,
                                                                         until: CivilDate("2027-06-30")!, note: withdrawn) }
            let otherProduct = try await again.submit(kind: "new", units: ["1002"], expect: .conflict)
            #expect((otherProduct["error"] as? [String: Any])?["code"] as? String == ErrorCode.application.barred.rawValue, "\(otherProduct)")

            // Suspension and its lifting, on another enterprise.
            let other = try #require(d.usccs.first { $0 != uscc })
            let otherLicense = try #require(try await s.db.read { try await LicenseStore.license($0, uscc: other) }?.id)
            let otherJWS = try #require(try await client.get("/api/v1/public/licenses/\(otherLicense)/credential").json()["jws"] as? String)
            try await s.db.write { sql in
                _ = try await InspectionStore.insertInspection(sql, .init(origin: .flying, planID: nil, uscc: other, authority: "440000", category: "10",
                                                                           state: .concluded, hidden: false, items: [], team: []), number: "JC2026-900001", at: s.clock.stamp)
            }
            r = try await measure(#"{"uscc":"\#(other)","kind":"suspension","cause":"inspection/JC2026-900001","note":"暂停生产整顿"}"#)
            #expect(r.status == .created, "\(r.text)")
            #expect(try await TrustTests.verify(client, otherJWS)["verdict"] as? String == "suspended")
            #expect(try await f.post("enforcement/\(try #require(try r.json()["id"] as? Int))/close", #"{"outcome":"整顿完毕，恢复"}"#, as: f.officer).status == .ok)
            #expect(try await TrustTests.verify(client, otherJWS)["verdict"] as? String == "valid")

            let audit = try await s.trust.auditLog()
            #expect(audit.problems.isEmpty, "\(audit.problems)")
        }
    }

    /// An organiser who keeps the secret once the beacon value stands cannot wait for a better moment: past the
    /// deadline the plan is forfeited, in the public log, and never drawn.
    @Test func anUnrevealedSecretForfeitsThePlanPublicly() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 4, inspectors: 4)
            let f = d.f
            for round in [Int.max, Int.min, 1_000_000_000_001] {
                #expect(try await f.post("plans", d.planJSON(code: "GD-2026-Q4-06", round: round), as: f.officer).errorCode == ErrorCode.plan.invalid, "round \(round)")
            }
            let r = try await f.post("plans", d.planJSON(code: "GD-2026-Q4-07", quota: 1), as: f.officer)
            let id = try #require((try r.json()["plan"] as? [String: Any])?["id"] as? Int)
            for step in ["announce", "freeze"] { #expect(try await f.post("plans/\(id)/\(step)", as: f.officer).status == .ok) }
            s.clock.set(s.clock.now().addingTimeInterval(2 * 86_400))
            try await d.enterBeacon(id, String(repeating: "4d", count: 32))
            #expect(try await s.sweep().plansForfeited.isEmpty, "not before the deadline")
            s.clock.set(s.clock.now().addingTimeInterval(Double(s.config.revealHours + 1) * 3600))
            #expect(try await f.post("plans/\(id)/draw", #"{"secret":"\#(Desk.secret.hex)"}"#, as: f.officer).errorCode == ErrorCode.plan.forfeited)
            #expect(try await s.sweep().plansForfeited == ["GD-2026-Q4-07"])
            #expect(try await s.sweep().plansForfeited.isEmpty, "once")
            let published = try await client.get("/api/v1/public/plans/GD-2026-Q4-07").json()
            #expect((published["summary"] as? [String: Any])?["state"] as? String == "forfeited", "\(published)")
            #expect(try await f.post("plans/\(id)/draw", #"{"secret":"\#(Desk.secret.hex)"}"#, as: f.officer).errorCode == ErrorCode.plan.forfeited)
            #expect(try await s.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM log_entries WHERE kind = 'plan.forfeited'").first()?.decode(column: "n", as: Int.self) } == 1)
            // A value that never stands (no second officer, ever) does not keep a plan open either.
            let other = try await f.post("plans", d.planJSON(code: "GD-2026-Q4-08", quota: 1, round: BeaconSource.quicknetRound(after: s.clock.now().addingTimeInterval(3600))), as: f.officer)
            let otherID = try #require((try other.json()["plan"] as? [String: Any])?["id"] as? Int)
            for step in ["announce", "freeze"] { #expect(try await f.post("plans/\(otherID)/\(step)", as: f.officer).status == .ok) }
            s.clock.set(s.clock.now().addingTimeInterval(2 * 3600))
            #expect(try await f.post("plans/\(otherID)/beacon", #"{"value":"\#(String(repeating: "12", count: 32))"}"#, as: f.officer).status == .ok)
            #expect(try await s.sweep().plansForfeited.isEmpty)
            s.clock.set(s.clock.now().addingTimeInterval(Double(s.config.revealHours) * 3600))
            #expect(try await s.sweep().plansForfeited == ["GD-2026-Q4-08"])
            let audit = try await s.trust.auditLog()
            #expect(audit.problems.isEmpty, "\(audit.problems)")
        }
    }

    @Test func aFlyingInspectionTeamObeysTheRecusalRules() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 2, inspectors: 4)
            let f = d.f
            let target = d.usccs[0]  // in 440303, as is inspector 0
            func open(_ team: [String]) async throws -> TestResponse {
                let list = team.map { "\"\($0)\"" }.joined(separator: ",")
                return try await f.post("inspections/flying", #"{"uscc":"\#(target)","category":"10","team":[\#(list)],"items":["原材料"]}"#, as: f.officer)
            }
            #expect(try await open([d.inspectors[1].code]).errorCode == ErrorCode.inspection.teamSize)
            #expect(try await open([d.inspectors[1].code, d.inspectors[1].code]).errorCode == ErrorCode.inspection.teamSize)
            #expect(try await open([d.inspectors[0].code, d.inspectors[1].code]).errorCode == ErrorCode.inspection.recusalSameCounty)
            #expect(try await open([d.inspectors[1].code, "INS-999999"]).errorCode == ErrorCode.inspection.unknownInspector)
            let r = try await open([d.inspectors[1].code, d.inspectors[2].code])
            #expect(r.status == .created, "\(r.text)")
            #expect(try r.json()["hidden"] as? Bool == true && r.json()["origin"] as? String == "flying")

            // Unannounced: the enterprise sees nothing of it until the team has been there.
            let id = try #require(try r.json()["id"] as? Int)
            let maker = try await client.token(s, username: "flown", role: "enterprise", enterprise: target)
            func asMaker(_ path: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/\(path)", method: .get, headers: [.authorization: "Bearer \(maker)"], body: nil)
            }
            #expect(try await asMaker("inspections").list().isEmpty)
            #expect(try await asMaker("inspections/\(id)").status == .notFound)
            // Nor does any agency: the feed carries nothing of it before the visit.
            let number = try #require(try r.json()["number"] as? String)
            func fed() async throws -> [String] {
                try await settle(s)  // on PostgreSQL the feed waits for older transactions of other suites
                return try await s.db.read { try await SharingStore.feed($0, after: .start, scopes: [.inspections], limit: 10_000) }
                    .compactMap { try JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any] }
                    .filter { $0["subject"] as? String == "inspection/\(number)" }.compactMap { $0["type"] as? String }
            }
            #expect(try await fed().isEmpty)
            let visit = try await f.post("inspections/\(id)/visit", #"{"visited_on":"2026-11-16","findings":[{"item":"原材料","result":"conforms"}]}"#,
                                         as: try await d.token(ofInspector: d.inspectors[1].id))
            #expect(visit.status == .ok, "\(visit.text)")
            #expect(try await fed() == ["inspection.opened", "inspection.visited"])
            #expect(try await asMaker("inspections/\(id)").status == .ok)
            #expect(try await asMaker("inspections").text.contains("\"id\":\(id)"))
            // Only officers may open one.
            #expect(try await f.post("inspections/flying", "{}", as: f.enterprise).status != .created)
        }
    }

    @Test func rostersAndPlansRefuseBadInput() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 1, inspectors: 1)
            let f = d.f
            #expect(try await f.post("supervision/inspectors", #"{"user_id":\#(d.inspectors[0].id),"county":"110101"}"#, as: f.officer).errorCode == ErrorCode.inspector.county)
            #expect(try await f.post("supervision/inspectors", #"{"user_id":\#(d.inspectors[0].id),"county":"440305","capacity":0}"#, as: f.officer).errorCode == ErrorCode.inspector.capacity)
            #expect(try await f.post("supervision/inspectors", #"{"user_id":\#(d.inspectors[0].id),"county":"440305","qualified":["99"]}"#, as: f.officer).errorCode == ErrorCode.inspector.category)
            let me = try #require(try await f.get("me", as: f.enterprise).json()["id"] as? Int)
            #expect(try await f.post("supervision/inspectors", #"{"user_id":\#(me),"county":"440305"}"#, as: f.officer).errorCode == ErrorCode.inspector.user)
            #expect(try await f.post("supervision/delicensed", #"{"uscc":"\#(d.usccs[0])","category":"99","since":"2019-10-01"}"#, as: f.officer).errorCode == ErrorCode.delicensed.category)
            #expect(try await f.post("supervision/delicensed", #"{"uscc":"\#(d.usccs[0])","category":"10","since":"2019-10-01"}"#, as: f.officer).status == .created)
            // A de-licensed maker is drawn in a de-licensed stratum of its own.
            let delicensedOnly = d.planJSON(code: "GD-DELICENSED").replacingOccurrences(of: #""kind":"licensed""#, with: #""kind":"delicensed""#)
            #expect(try await f.post("plans", delicensedOnly, as: f.officer).status == .created)
            let record = try #require(try await s.db.read { try await PlanStore.plan($0, code: "GD-DELICENSED") })
            let (targets, _) = try await s.db.read { try await s.supervision.rosters($0, record.draft, authority: record.authority) }
            #expect(targets.map(\.stratum) == ["D-10-440300-any"], "\(targets)")
            // A plan whose only stratum lies outside the officer's province.
            let outside = d.planJSON().replacingOccurrences(of: #""region":"440300""#, with: #""region":"110000""#)
            #expect(try await f.post("plans", outside, as: f.officer).status == .unprocessableContent)
            let created = try await f.post("plans", d.planJSON(), as: f.officer)
            #expect(created.status == .created)
            #expect(try await f.post("plans", d.planJSON(), as: f.officer).errorCode == ErrorCode.plan.codeTaken)
            // A team cannot be staffed from a single inspector.
            let id = try #require((try created.json()["plan"] as? [String: Any])?["id"] as? Int)
            #expect(try await f.post("plans/\(id)/announce", as: f.officer).status == .ok)
            #expect(try await f.post("plans/\(id)/freeze", as: f.officer).errorCode == ErrorCode.plan.tooFewInspectors)
        }
    }
}
