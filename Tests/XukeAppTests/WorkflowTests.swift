import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

/// People acting through the HTTP API: an enterprise, an officer of its province, two verifiers.
struct Flow {
    let client: any TestClientProtocol
    let s: AppServices
    let admin: String
    let enterprise: String
    let officer: String
    let verifiers: [(token: String, id: Int)]
    let uscc: String
    var sha = ""
    /// The registered lab's report for this enterprise, covering every catalog unit, issued 2024-01-05.
    var reportSHA = ""
    var reportNo: String { "R-" + uscc.suffix(8) }
    static let lab = "LAB-000001"

    /// What the lab's report file holds: different for each enterprise, so each file has one uploader.
    static func reportFile(_ uscc: String) -> Data { Data("%PDF-1.7\n% test report for \(uscc)\n".utf8) }

    static let pdf = Data("%PDF-1.7\n% a scanned document\n".utf8)

    /// Sets the platform's clock to 10:00 Beijing time on `day`.
    static func at(_ s: AppServices, _ day: String) { s.clock.set(Timestamp.date("\(day)T02:00:00Z")) }

    static func start(_ client: any TestClientProtocol, _ s: AppServices, uscc: String = Fixtures.shenzhen, division: String = "440305",
                      province: String = "440000", prefix: String = "") async throws -> Flow {
        let admin = try await client.token(s, username: "\(prefix)root", role: "admin")
        let r = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(uscc, name: "示例食品包装有限公司", division: division), token: admin)
        #expect(r.status == .created)
        let enterprise = try await client.token(s, username: "\(prefix)maker", role: "enterprise", enterprise: uscc)
        let officer = try await client.token(s, username: "\(prefix)officer", role: "officer", jurisdiction: province)
        var verifiers: [(String, Int)] = []
        for i in 1...2 {
            let t = try await client.token(s, username: "\(prefix)verifier\(i)", role: "verifier")
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(t)"], body: nil)
            verifiers.append((t, try #require(try me.json()["id"] as? Int)))
        }
        var flow = Flow(client: client, s: s, admin: admin, enterprise: enterprise, officer: officer, verifiers: verifiers, uscc: uscc)
        let up = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(enterprise)"],
                                          body: ByteBuffer(bytes: pdf))
        #expect(up.status == .created)
        flow.sha = try #require(try up.json()["sha256"] as? String)
        flow.reportSHA = try await labReport(client, s, admin: admin, uscc: uscc, number: flow.reportNo, prefix: prefix)
        return flow
    }

    /// Registers the test lab once (in scope for every catalog unit since 2020), links a lab user to it and files
    /// a passing report for the enterprise; returns the report file's digest.
    static func labReport(_ client: any TestClientProtocol, _ s: AppServices, admin: String, uscc: String, number: String, prefix: String) async throws -> String {
        if try await s.db.read({ try await LabStore.lab($0, code: lab) }) == nil {
            let units = try await s.db.read { try await LabStore.allUnitNumbers($0) }
            let scopes = units.map { #"{"unit_no":"\#($0)","standard":"GB 4806.7-2016","from":"2020-01-01"}"# }.joined(separator: ",")
            let r = try await client.send(.post, "/api/v1/labs", json: #"{"name":"广东省质检院","uscc":"\#(Fixtures.guangdong(999))","cma_number":"201919000001","grade":1,"division_code":"440300","registered_on":"2020-01-01","scopes":[\#(scopes)]}"#, token: admin)
            #expect(r.status == .created, "\(r.text)")
        }
        let labUser = try await client.token(s, username: "\(prefix)lab\(uscc.suffix(4).lowercased())", role: "lab")
        let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(labUser)"], body: nil)
        let id = try #require(try me.json()["id"] as? Int)
        #expect(try await client.send(.post, "/api/v1/labs/\(lab)/members", json: #"{"user_id":\#(id)}"#, token: admin).status == .noContent)
        let up = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(labUser)"], body: ByteBuffer(bytes: reportFile(uscc)))
        let sha = try #require(try up.json()["sha256"] as? String)
        let all = try await s.db.read { try await LabStore.allUnitNumbers($0) }
        let units = all.map { "\"\($0)\"" }.joined(separator: ",")
        let r = try await client.send(.post, "/api/v1/test-reports", json: #"{"report_no":"\#(number)","uscc":"\#(uscc)","units":[\#(units)],"issued_on":"2024-01-05","conclusion":"pass","sha256":"\#(sha)"}"#, token: labUser)
        #expect(r.status == .created, "\(r.text)")
        return sha
    }

    func json(_ r: TestResponse) throws -> [String: Any] { try r.json() }

    func post(_ path: String, _ body: String = "{}", as token: String) async throws -> TestResponse {
        try await client.send(.post, "/api/v1/\(path)", json: body, token: token)
    }

    func get(_ path: String, as token: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/\(path)", method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
    }

    var materials: String {
        #"[{"kind":"business_license","sha256":"\#(sha)","filename":"营业执照.pdf"}"#
    }

    func report(_ units: [String]) -> String {
        let list = units.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"kind":"test_report","sha256":"\#(reportSHA)","filename":"检验报告.pdf","lab":"\#(Self.lab)","report_no":"\#(reportNo)","report_date":"2024-01-05","units":[\#(list)]}"#
    }

    static let form = #""production_addresses":[{"address":"工业路2号","division_code":"440306"}],"key_equipment":[{"name":"注塑机","model":"HX","quantity":2}],"quality_staff":[{"name":"王五","role":"质量负责人","qualification":"工程师"}]"#

    /// Submits an application and returns it (as JSON) after checking the status.
    func submit(kind: String, route: String = "ordinary", units: [String] = ["1001"], changes: [String] = [], extraForm: String = "",
                reports: [String]? = nil, simplified: Bool = false, expect: HTTPResponse.Status = .created) async throws -> [String: Any] {
        let changeList = changes.map { "\"\($0)\"" }.joined(separator: ",")
        let unitList = units.map { "\"\($0)\"" }.joined(separator: ",")
        let reportUnits = reports ?? (kind == "new" ? units : [])
        let docs = materials + (reportUnits.isEmpty ? "" : "," + report(reportUnits)) + "]"
        let body = #"{"kind":"\#(kind)","route":"\#(route)","changes":[\#(changeList)],"simplified":\#(simplified),"form":{"units":[\#(unitList)],\#(Self.form)\#(extraForm)},"commitment_text":"本企业承诺所填信息真实。","materials":\#(docs)}"#
        let r = try await post("applications", body, as: enterprise)
        #expect(r.status == expect, "\(r.text)")
        return try r.json()
    }

    /// Runs a case action; returns the case and checks the status.
    @discardableResult
    func act(_ id: Int, _ action: String, _ body: String = "{}", as token: String? = nil, expect: HTTPResponse.Status = .ok) async throws -> TestResponse {
        let r = try await post("applications/\(id)/\(action)", body, as: token ?? officer)
        #expect(r.status == expect, "\(action): \(r.text)")
        return r
    }

    func state(_ id: Int) async throws -> [String: Any] {
        let r = try await get("applications/\(id)", as: officer)
        return try #require(try r.json()["application"] as? [String: Any])
    }

    func license(_ id: Int) async throws -> [String: Any] {
        try await get("licenses/\(id)", as: officer).json()
    }

    /// Every checklist item conforms, except those named.
    func findings(_ verification: Int, nonconforming: Set<String> = []) async throws {
        let items = Checklist.items.map { i in
            #"{"item":"\#(i.code)","result":"\#(nonconforming.contains(i.code) ? "nonconforming" : "conforms")","note":""}"#
        }.joined(separator: ",")
        let r = try await post("verifications/\(verification)/findings", "[\(items)]", as: verifiers[0].token)
        #expect(r.status == .ok, "\(r.text)")
    }

    /// Before a revocation or withdrawal: the holder is told of its right to a hearing, asks for one, and it is held today.
    func hearingHeld(_ licenseID: Int, measure: String = "revocation", holder: String? = nil, officer: String? = nil) async throws {
        let notice = try await post("licenses/\(licenseID)/hearings", #"{"measure":"\#(measure)","reasons":"拟\#(measure == "revocation" ? "撤销" : "吊销")许可证"}"#, as: officer ?? self.officer)
        #expect(notice.status == .created, "\(notice.text)")
        let id = try #require(try notice.json()["id"] as? Int)
        #expect(try await post("hearings/\(id)/request", as: holder ?? enterprise).status == .ok)
        #expect(try await post("hearings/\(id)/schedule", #"{"date":"\#(s.clock.today)","place":"第一听证室"}"#, as: officer ?? self.officer).status == .ok)
        let held = try await post("hearings/\(id)/record", #"{"record":"企业陈述申辩，当场记录。"}"#, as: officer ?? self.officer)
        #expect(held.status == .ok, "\(held.text)")
    }

    /// A commitment-route license, issued today: submit, formal review, approve, issue.
    func commitmentLicense(units: [String] = ["1001"]) async throws -> (caseID: Int, licenseID: Int) {
        let id = try #require(try await submit(kind: "new", route: "commitment", units: units)["id"] as? Int)
        try await act(id, "accept")
        try await act(id, "approve")
        let issued = try await act(id, "issue").json()
        return (id, try #require(issued["license_id"] as? Int))
    }
}

@Suite struct WorkflowTests {
    /// The work list pages with a cursor in its own order (most urgent first), each case once.
    @Test func theWorkListPagesWithACursor() async throws {
        try await Harness.run { client, s in
            var ids: [Int] = [], admin = ""
            for (i, (uscc, division, province)) in [(Fixtures.beijing, "110108", "110000"), (Fixtures.shanghai, "310115", "310000"),
                                                     (Fixtures.shenzhen, "440305", "440000")].enumerated() {
                // A day apart: each flow's sign-ups fall in a rate-limit window of their own.
                Flow.at(s, "2026-11-0\(2 + i)")
                let f = try await Flow.start(client, s, uscc: uscc, division: division, province: province, prefix: "p\(i)")
                ids.append(try #require(try await f.submit(kind: "new")["id"] as? Int))
                admin = f.admin
            }
            var seen: [Int] = [], path = "/api/v1/applications?limit=1"
            while true {
                let r = try await client.get(path, headers: [.authorization: "Bearer \(admin)"])
                let page = try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any], "\(r.text)")
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                guard let next = page["next"] as? String else { break }
                path = "/api/v1/applications?limit=1&after=\(next)"
            }
            // Submitted on successive days, so due in that order.
            #expect(seen == ids)
        }
    }

    @Test func ordinaryRouteFromCorrectionThroughRectificationToLicense() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")  // a Monday
            let f = try await Flow.start(client, s)
            let c = try await f.submit(kind: "new")
            let id = try #require(c["id"] as? Int)
            #expect(c["state"] as? String == "submitted" && c["authority"] as? String == "440000")

            // Deciding before any verification is an illegal transition, and an enterprise cannot accept its own case.
            #expect(try await f.act(id, "approve", expect: .conflict).errorCode == ErrorCode.cases.illegalTransition)
            #expect(try await f.act(id, "accept", as: f.enterprise, expect: .forbidden).errorCode == ErrorCode.cases.notYourAuthority)

            // One correction notice, listing everything; a second is refused.
            try await f.act(id, "request_correction", #"{"items":["营业执照复印件不清晰","缺少设备清单"]}"#)
            try await f.act(id, "supplement", #"{"materials":[{"kind":"other","sha256":"\#(f.sha)","filename":"营业执照-清晰版.pdf"}]}"#, as: f.enterprise)
            #expect(try await f.act(id, "request_correction", #"{"items":["again"]}"#, expect: .conflict).errorCode == ErrorCode.cases.correctionOnce)

            Flow.at(s, "2026-11-17")
            var view = try await f.get("applications/\(id)", as: f.enterprise).json()
            let version = try #require((view["application"] as? [String: Any])?["version"] as? Int)
            try await f.act(id, "accept", #"{"version":\#(version)}"#)
            // A second officer acting on the version he saw is told someone else was first.
            #expect(try await f.act(id, "accept", #"{"version":\#(version)}"#, expect: .conflict).errorCode == ErrorCode.cases.concurrentChange)
            #expect(try await f.act(id, "approve", expect: .conflict).errorCode == ErrorCode.cases.notVerified)
            #expect(try await f.act(id, "assign_verifiers", #"{"verifiers":[\#(f.verifiers[0].id)]}"#, expect: .unprocessableContent).errorCode == ErrorCode.verification.teamSize)
            try await f.act(id, "assign_verifiers", #"{"verifiers":[\#(f.verifiers[0].id),\#(f.verifiers[1].id)]}"#)

            view = try await f.get("applications/\(id)", as: f.verifiers[1].token).json()
            let verification = try #require(((view["verifications"] as? [[String: Any]])?.first)?["id"] as? Int)
            // The clock: 30 working days from acceptance on 17 Nov.
            let clock = try #require(view["clock"] as? [String: Any])
            #expect(clock["step"] as? String == "decision" && clock["days_left"] as? Int == 30)

            // A nonconformity: rectification with a deadline; the clock stops until the enterprise reports it done.
            try await f.findings(verification, nonconforming: ["testing"])
            let wrong = try await f.post("verifications/\(verification)/conclusion", #"{"outcome":"pass","summary":"ok"}"#, as: f.verifiers[0].token)
            #expect(wrong.errorCode == ErrorCode.verification.passWithNonconformity)
            let rect = try await f.post("verifications/\(verification)/conclusion",
                                        #"{"outcome":"rectify","summary":"出厂检验记录不全","rectify_by":"2026-12-15"}"#, as: f.verifiers[1].token)
            #expect(rect.status == .ok, "\(rect.text)")
            #expect(try await f.state(id)["state"] as? String == "rectification")
            Flow.at(s, "2026-11-24")
            view = try await f.get("applications/\(id)", as: f.enterprise).json()
            #expect((view["clock"] as? [String: Any])?["stopped"] as? Bool == true)
            try await f.act(id, "rectified", as: f.enterprise)
            view = try await f.get("applications/\(id)", as: f.officer).json()
            // 17 Nov → 24 Nov: five working days stood still, so the deadline moved by five.
            #expect((view["clock"] as? [String: Any])?["days_left"] as? Int == 30)

            try await f.findings(verification)
            let pass = try await f.post("verifications/\(verification)/conclusion", #"{"outcome":"pass","summary":"符合要求"}"#, as: f.verifiers[0].token)
            #expect(pass.status == .ok, "\(pass.text)")
            try await f.act(id, "approve")
            Flow.at(s, "2026-11-25")
            let issued = try await f.act(id, "issue").json()
            #expect(issued["state"] as? String == "issued" && issued["elapsed_days"] as? Int == 7)
            let license = try await f.license(try #require(issued["license_id"] as? Int))
            #expect(license["number"] as? String == "(粤)XK10-001-00001")
            #expect(license["valid_until"] as? String == "2031-11-23" && license["version"] as? Int == 1)
            #expect(license["stored_status"] as? String == "valid")

            // Closed: nothing more can be done, and one license per enterprise.
            #expect(try await f.act(id, "withdraw", as: f.enterprise, expect: .conflict).errorCode == ErrorCode.cases.closed)
            _ = try await f.submit(kind: "new", units: ["1002"], expect: .conflict)

            // The enterprise's inbox heard of every step taken by others.
            let inbox = try await f.get("me/inbox", as: f.enterprise)
            #expect(inbox.text.contains("许可证已发放 / License issued"))
            // Public progress: stage and dates, no enterprise.
            let progress = try await client.get("/api/v1/progress/\(c["number"] as? String ?? "")")
            #expect(progress.status == .ok && progress.text.contains("\"state\":\"issued\"") && !progress.text.contains(Fixtures.shenzhen))
        }
    }

    /// Knowing a file's digest is not owning it: an application attaches its own enterprise's uploads (or a report
    /// a lab filed for it), and two parties uploading the same bytes each own their copy.
    @Test func anApplicationAttachesOnlyItsOwnUploads() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-19")
            var f = try await Flow.start(client, s)
            _ = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.shanghai, name: "别家公司", division: "310115"), token: f.admin)
            let other = try await client.token(s, username: "other-maker", role: "enterprise", enterprise: Fixtures.shanghai)
            let theirs = Data("%PDF-1.7\n% somebody else's business license\n".utf8)
            let up = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(other)"], body: ByteBuffer(bytes: theirs))
            let theirSHA = try #require(try up.json()["sha256"] as? String)
            let mine = f.sha
            f.sha = theirSHA
            let refused = try await f.submit(kind: "new", expect: .unprocessableContent)
            #expect("\(refused)".contains("营业执照.pdf"), "\(refused)")
            // The same bytes as the enterprise's own file, uploaded by the other party: both own it.
            let again = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(other)"], body: ByteBuffer(bytes: Flow.pdf))
            #expect(try again.json()["sha256"] as? String == mine)
            let owners = try await s.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM upload_owners WHERE sha256 = \(bind: mine)").first()?.decode(column: "n", as: Int.self) }
            #expect(owners == 2)
            f.sha = mine
            _ = try await f.submit(kind: "new")
        }
    }

    @Test func commitmentRouteLicenseFirstThenAFailedFollowUpRevokes() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-19")
            let f = try await Flow.start(client, s)
            let (caseID, licenseID) = try await f.commitmentLicense()
            let view = try await f.get("applications/\(caseID)", as: f.officer).json()
            let follow = try #require((view["verifications"] as? [[String: Any]])?.first { $0["kind"] as? String == "follow_up" })
            #expect(follow["state"] as? String == "pending" && follow["due_on"] as? String == "2026-12-31")
            let vid = try #require(follow["id"] as? Int)

            let assign = try await f.post("verifications/\(vid)/assign", #"{"verifiers":[\#(f.verifiers[0].id),\#(f.verifiers[1].id)]}"#, as: f.officer)
            #expect(assign.status == .ok, "\(assign.text)")
            try await f.findings(vid, nonconforming: ["equipment", "process"])
            let fail = try await f.post("verifications/\(vid)/conclusion", #"{"outcome":"fail","summary":"承诺的设备不存在"}"#, as: f.verifiers[0].token)
            #expect(fail.status == .ok, "\(fail.text)")
            let license = try await f.license(licenseID)
            #expect(license["stored_status"] as? String == "revoked" && license["version"] as? Int == 2)

            // A revoked grant (撤销) bars any new application for three years (docs/DOMAIN.md §7)…
            let again = try await f.submit(kind: "new", route: "commitment", expect: .conflict)
            #expect((again["error"] as? [String: Any])?["code"] as? String == ErrorCode.application.barred.rawValue)
            // …and after them the false commitment still closes the commitment route until credit is repaired.
            Flow.at(s, "2029-12-01")
            let later = try await f.submit(kind: "new", route: "commitment", expect: .unprocessableContent)
            #expect((later["error"] as? [String: Any])?["code"] as? String == ErrorCode.route.barred.rawValue, "\(later)")
        }
    }

    @Test func changeReissueRenewalAndCancellationOfOneLicense() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-19")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()

            // Change of name plus a new unit on the commitment route: routed again, no site visit first.
            let name = #","new_name":"深圳新名食品包装有限公司""#
            let bad = try await f.submit(kind: "change", route: "commitment", units: ["1002"], changes: ["name", "add_units"],
                                         extraForm: name, reports: ["1002"], expect: .unprocessableContent)
            #expect((bad["error"] as? [String: Any])?["code"] as? String == ErrorCode.route.commitmentKind.rawValue)
            let change = try await f.submit(kind: "change", units: ["1002"], changes: ["name", "add_units"], extraForm: name, reports: ["1002"])
            let changeID = try #require(change["id"] as? Int)
            try await f.act(changeID, "accept")
            #expect(try await f.act(changeID, "approve", expect: .conflict).errorCode == ErrorCode.cases.notVerified)
            try await f.act(changeID, "assign_verifiers", #"{"verifiers":[\#(f.verifiers[0].id),\#(f.verifiers[1].id)]}"#)
            let view = try await f.get("applications/\(changeID)", as: f.officer).json()
            let vid = try #require(((view["verifications"] as? [[String: Any]])?.first)?["id"] as? Int)
            try await f.findings(vid)
            _ = try await f.post("verifications/\(vid)/conclusion", #"{"outcome":"pass","summary":"ok"}"#, as: f.verifiers[0].token)
            try await f.act(changeID, "approve")
            try await f.act(changeID, "issue")
            var license = try await f.license(licenseID)
            #expect(license["name"] as? String == "深圳新名食品包装有限公司" && license["version"] as? Int == 2)
            #expect((license["units"] as? [[String: Any]])?.map { $0["unit_no"] as? String } == ["1001", "1002"])
            #expect(license["number"] as? String == "(粤)XK10-001-00001")

            // Reissue: same number and terms, a new version.
            let reissue = try await f.submit(kind: "reissue", units: [], extraForm: #","statement":"证书遗失""#)
            let reissueID = try #require(reissue["id"] as? Int)
            try await f.act(reissueID, "accept")
            try await f.act(reissueID, "approve")
            try await f.act(reissueID, "issue")
            #expect(try await f.license(licenseID)["version"] as? Int == 3)

            // Renewal: too early now; from six months before expiry; simplified with a recent provincial spot check, no test report.
            let early = try await f.submit(kind: "renewal", units: [], expect: .unprocessableContent)
            #expect((early["error"] as? [String: Any])?["code"] as? String == ErrorCode.renewal.tooEarly.rawValue)
            Flow.at(s, "2031-08-01")
            for unit in ["1001", "1002"] {
                let r = try await f.post("spot-check-results", #"{"uscc":"\#(f.uscc)","unit_no":"\#(unit)","level":"provincial","passed":true,"checked_on":"2031-05-10","reference":"GD-2031-7"}"#, as: f.admin)
                #expect(r.status == .noContent)
            }
            let renewal = try await f.submit(kind: "renewal", units: [], simplified: true)
            let renewalID = try #require(renewal["id"] as? Int)
            #expect(renewal["verification_need"] as? String == "none")
            try await f.act(renewalID, "accept")
            try await f.act(renewalID, "approve")
            try await f.act(renewalID, "issue")
            license = try await f.license(licenseID)
            #expect(license["valid_until"] as? String == "2036-11-18" && license["version"] as? Int == 4)

            // Cancellation ends it; a new application is then possible and gets a new number.
            let cancel = try await f.submit(kind: "cancellation", units: [], extraForm: #","statement":"停止生产""#)
            let cancelID = try #require(cancel["id"] as? Int)
            try await f.act(cancelID, "accept")
            try await f.act(cancelID, "approve")
            try await f.act(cancelID, "issue")
            #expect(try await f.license(licenseID)["stored_status"] as? String == "cancelled")
            let versions = try await f.get("licenses/\(licenseID)/versions", as: f.enterprise)
            #expect(try versions.status == .ok && versions.list().count == 5)
            let (_, second) = try await f.commitmentLicense()
            #expect(try await f.license(second)["number"] as? String == "(粤)XK10-001-00002")
        }
    }

    @Test func renewingAnExpiredLicenseIsRefused() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-19")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            Flow.at(s, "2031-11-19")  // the day after the last day of validity
            let late = try await f.submit(kind: "renewal", units: [], expect: .unprocessableContent)
            #expect((late["error"] as? [String: Any])?["code"] as? String == ErrorCode.renewal.expired.rawValue)
            let swept = try await f.post("admin/sweep", as: f.admin).json()
            #expect((swept["expired"] as? [String])?.count == 1)
            #expect(try await f.license(licenseID)["stored_status"] as? String == "expired")
        }
    }

    /// Acceptance by silence and renewal by silence, across the 2026 Mid-Autumn and National Day holidays
    /// (25–27 Sep and 1–7 Oct off; Sunday 20 Sep and Saturday 10 Oct worked).
    @Test func deemedAcceptanceAndDeemedRenewalAcrossHolidays() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-09-21")
            let sh = try await Flow.start(client, s, uscc: Fixtures.shanghai, division: "310115", province: "310000", prefix: "sh")
            // A license about to expire on 5 Oct, inside the holiday.
            let expiring = LicenseRecord(id: 0, uscc: Fixtures.shanghai, number: "(沪)XK10-001-00009", storedStatus: .valid, version: 0,
                                         authority: "310000", firstIssuedOn: CivilDate("2021-10-06")!, decidedOn: CivilDate("2021-10-06")!,
                                         issuedOn: CivilDate("2021-10-06")!, validUntil: CivilDate("2026-10-05")!, name: "示例食品包装有限公司",
                                         domicile: "测试路1号", addresses: [], units: [LicenseUnit(unitNo: "1001", categoryNo: "10", nameZh: "食品用塑料包装容器工具等制品",
                                                                                              nameEn: "Plastic food packaging", route: .ordinary, since: CivilDate("2021-10-06")!)],
                                         updatedAt: "")
            let licenseID = try await s.db.write { try await LicenseStore.insertLicense($0, expiring, reason: "issued", applicationID: nil, at: s.clock.stamp) }.id
            let renewal = try await sh.submit(kind: "renewal", units: [], reports: ["1001"])
            let renewalID = try #require(renewal["id"] as? Int)
            try await sh.act(renewalID, "accept")  // and then the authority falls silent

            Flow.at(s, "2026-09-23")  // Wednesday
            let gd = try await Flow.start(client, s, prefix: "gd")
            let c = try await gd.submit(kind: "new")
            let id = try #require(c["id"] as? Int)
            // Five working days: 24 Sep, 28, 29, 30 Sep, then 8 Oct after the holidays.
            #expect(c["due_on"] as? String == "2026-10-08")

            Flow.at(s, "2026-10-05")
            var swept = try await gd.post("admin/sweep", as: gd.admin).json()
            #expect((swept["deemed_renewed"] as? [String]) == [])
            Flow.at(s, "2026-10-06")
            swept = try await gd.post("admin/sweep", as: gd.admin).json()
            #expect((swept["deemed_renewed"] as? [String]) == [renewal["number"] as? String ?? "?"])
            #expect((swept["expired"] as? [String]) == [])
            let renewed = try await sh.state(renewalID)
            #expect(renewed["state"] as? String == "issued" && (renewed["deemed"] as? [String]) == ["renewal"])
            let license = try await sh.license(licenseID)
            #expect(license["valid_until"] as? String == "2031-10-05" && license["stored_status"] as? String == "valid")

            Flow.at(s, "2026-10-08")
            swept = try await gd.post("admin/sweep", as: gd.admin).json()
            #expect((swept["deemed_accepted"] as? [String]) == [])
            Flow.at(s, "2026-10-09")
            swept = try await gd.post("admin/sweep", as: gd.admin).json()
            #expect((swept["deemed_accepted"] as? [String]) == [c["number"] as? String ?? "?"])
            let accepted = try await gd.state(id)
            #expect(accepted["state"] as? String == "accepted" && accepted["accepted_on"] as? String == "2026-09-23")
            #expect((accepted["deemed"] as? [String]) == ["acceptance"])
            // Running it again changes nothing.
            swept = try await gd.post("admin/sweep", as: gd.admin).json()
            #expect((swept["deemed_accepted"] as? [String]) == [])

            // Withdrawn and filed again on Friday 9 Oct: the make-up Saturday counts, so five working days end on 15 Oct.
            try await gd.act(id, "withdraw", as: gd.enterprise)
            let again = try await gd.submit(kind: "new")
            #expect(again["due_on"] as? String == "2026-10-15")
        }
    }

    @Test func documentsGoOnlyToPartiesAndUploadsAreCheckedByContent() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-19")
            let f = try await Flow.start(client, s)
            let c = try await f.submit(kind: "new")
            let id = try #require(c["id"] as? Int)
            let mine = try await f.get("applications/\(id)/materials/1", as: f.enterprise)
            #expect(mine.status == .ok && mine.headers[.contentType] == "application/pdf" && Data(mine.body.readableBytesView) == Flow.pdf)
            #expect(try await f.get("applications/\(id)/materials/1", as: f.officer).status == .ok)
            #expect(try await f.get("applications/\(id)/materials/1", as: f.verifiers[0].token).status == .notFound)
            #expect(try await f.get("applications/\(id)/materials/1", as: f.admin).status == .notFound)

            let text = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(f.enterprise)", .contentType: "application/pdf"],
                                                body: ByteBuffer(string: "MZ not really a pdf"))
            #expect(text.status == .unsupportedMediaType && text.errorCode == ErrorCode.upload.type)
            let big = ByteBuffer(bytes: Array("%PDF-".utf8) + [UInt8](repeating: 0x20, count: UploadType.maxBytes))
            let tooBig = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(f.enterprise)"], body: big)
            #expect(tooBig.status == .contentTooLarge)
        }
    }

    @Test func workListsAndStatistics() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let c = try await f.submit(kind: "new")
            let id = try #require(c["id"] as? Int)
            var list = try await f.get("applications", as: f.officer)
            #expect(list.status == .ok && list.text.contains(c["number"] as? String ?? "?"))
            // Due 23 Nov; on 20 Nov it is nearly due (within three working days), on 24 Nov overdue.
            Flow.at(s, "2026-11-20")
            #expect(try await f.get("applications?due=nearly_due", as: f.officer).text.contains(c["number"] as? String ?? "?"))
            #expect(!(try await f.get("applications?due=overdue", as: f.officer).text.contains(c["number"] as? String ?? "?")))
            // The other side of the country sees nothing.
            let bj = try await client.token(s, username: "bjofficer", role: "officer", jurisdiction: "110000")
            list = try await f.get("applications", as: bj)
            #expect(list.text == #"{"items":[]}"#)
            #expect(try await f.get("applications/\(id)", as: bj).status == .notFound)
            #expect(try await f.get("applications?due=soon", as: f.officer).status == .badRequest)

            try await f.act(id, "stop_clock", #"{"reason":"expert_review","note":"专家评审"}"#, expect: .conflict)
            try await f.act(id, "accept")
            try await f.act(id, "stop_clock", #"{"reason":"expert_review","note":"专家评审"}"#)
            try await f.act(id, "stop_clock", #"{"reason":"hearing"}"#, expect: .conflict)
            Flow.at(s, "2026-11-24")
            try await f.act(id, "resume_clock")
            let view = try await f.get("applications/\(id)", as: f.enterprise).json()
            #expect((view["clock_stops"] as? [[String: Any]])?.first?["until"] as? String == "2026-11-24")
            #expect((view["clock"] as? [String: Any])?["days_left"] as? Int == 30)

            let stats = try await f.get("statistics", as: f.officer).json()
            #expect(stats["open"] as? Int == 1 && stats["overdue"] as? Int == 0)
            #expect(try await f.get("statistics", as: f.enterprise).status == .forbidden)
        }
    }
}

@Suite struct LicensingPageTests {
    static func multipart(_ fields: [(String, String)], files: [(String, String, Data)], boundary: String = "xukeBoundary42") -> ByteBuffer {
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, filename, data) in files {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
            body += data + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: body)
    }

    @Test func anEnterpriseAppliesInTheBrowserAndEveryPageShowsTheCase() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-19")
            let f = try await Flow.start(client, s)
            let (cookie, _) = try await client.browserSignIn(username: "maker", password: "correct horse battery")
            let form = try await client.get("/applications/new", headers: [.cookie: cookie])
            #expect(form.status == .ok && form.text.contains("enctype=\"multipart/form-data\""))
            // The session's form token, as the page carries it.
            let marker = #"name="_csrf" value=""#
            let csrf = try #require(form.text.range(of: marker).map { String(form.text[$0.upperBound...].prefix { $0 != "\"" }) })

            var fields = [("_csrf", csrf), ("kind", "new"), ("route", "commitment"), ("units", "1001"),
                          ("addresses", "深圳市宝安区工业路2号 | 440306"), ("equipment", "注塑机 | HX-200 | 4"), ("staff", "王五 | 质量负责人 | 工程师"),
                          ("report_lab", Flow.lab), ("report_no", f.reportNo), ("report_date", "2024-01-05"), ("commitment", "本企业承诺所填信息真实。")]
            // Without the test report the form comes back with what is missing and what was typed.
            var r = try await client.execute(uri: "/applications", method: .post,
                                             headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=xukeBoundary42"],
                                             body: Self.multipart(fields, files: [("business_license", "执照.pdf", Flow.pdf)]))
            #expect(r.status == .unprocessableContent && r.text.contains("1001") && r.text.contains("注塑机 | HX-200 | 4"))
            r = try await client.execute(uri: "/applications", method: .post,
                                         headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=xukeBoundary42"],
                                         body: Self.multipart(fields, files: [("business_license", "执照.pdf", Flow.pdf), ("test_report", "报告.pdf", Flow.reportFile(f.uscc))]))
            #expect(r.status == .seeOther, "\(r.text)")
            let location = try #require(r.headers[.location])
            let id = try #require(Int(location.split(separator: "/").last ?? ""))
            fields[0] = ("_csrf", "forged")
            r = try await client.execute(uri: "/applications", method: .post,
                                         headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=xukeBoundary42"],
                                         body: Self.multipart(fields, files: []))
            #expect(r.status == .forbidden)

            // The officer works the case from the page.
            try await f.act(id, "accept")
            try await f.act(id, "approve")
            let licenseID = try #require(try await f.act(id, "issue").json()["license_id"] as? Int)
            for lang in ["zh", "en"] {
                for path in ["/applications", "/applications/\(id)", "/licenses/\(licenseID)", "/licenses/\(licenseID)/history", "/inbox"] {
                    let page = try await client.get("\(path)?lang=\(lang)", headers: [.cookie: cookie])
                    #expect(page.status == .ok, "\(path)")
                    #expect(page.readsClean, "\(path)")
                }
            }
            let certificate = try await client.get("/licenses/\(licenseID)", headers: [.cookie: cookie])
            #expect(certificate.text.contains("(粤)XK10-001-00001") && certificate.text.contains("National Industrial Product Production License")
                    && certificate.text.contains("2031-11-18"))
            let progress = try await client.get("/progress?number=SQ2026-000001")
            #expect(progress.text.contains("已发证") && !progress.text.contains("示例食品包装"))
        }
    }
}

@Suite struct DemoTests {
    @Test func theDemoReplaysTheWorkflowReproducibly() async throws {
        try await Harness.run { client, s in
            let r = try await s.fillDemo(enterprises: 60, seed: 7) { _ in }
            #expect(r.enterprises == 60 && r.applications > 20)
            #expect((r.licensesByStatus["valid"] ?? 0) > 10)
            // Every demo enterprise code is valid, and the data is there to browse.
            let officer = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"officer-gd","password":"xuke-demo-2026"}"#)
            let token = try #require(try officer.json()["token"] as? String)
            let stats = try await client.execute(uri: "/api/v1/statistics?since=2020-01-01", method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
            let all = try stats.json()["all"] as? [String: Any]
            #expect(stats.status == .ok && (all?["cases"] as? Int ?? 0) > 0)
            // A year of supervision beside it: plans drawn and published, duties filed, leads raised.
            var counts: [Int] = []
            for table in ["spot_plans", "inspections", "declarations", "self_reports", "leads"] {
                counts.append(try await s.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) } ?? 0)
            }
            #expect(counts.allSatisfy { $0 > 0 }, "\(counts)")
            let published = try await client.get("/api/v1/public/inspections")
            #expect(published.status == .ok && published.text.contains("DEMO-GD-"))
            await #expect(throws: AppError.self) { _ = try await s.fillDemo(enterprises: 10, seed: 7) { _ in } }
        }
    }
}

@Suite struct DelegationTests {
    /// Before the 2024 catalog a province could hand categories to a prefecture bureau; from 2024 it cannot.
    @Test func aProvinceDelegatesWhereTheEditionInForceAllows() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2024-03-04")
            let f = try await Flow.start(client, s)
            let shenzhenOfficer = try await client.token(s, username: "szofficer", role: "officer", jurisdiction: "440300")
            var r = try await client.send(.put, "/api/v1/delegations/440000", json: #"[{"category_no":"10","division_code":"440300"}]"#, token: shenzhenOfficer)
            #expect(r.status == .forbidden)
            r = try await client.send(.put, "/api/v1/delegations/440000", json: #"[{"category_no":"10","division_code":"330100"}]"#, token: f.officer)
            #expect(r.status == .unprocessableContent)
            r = try await client.send(.put, "/api/v1/delegations/440000", json: #"[{"category_no":"10","division_code":"440300"}]"#, token: f.officer)
            #expect(r.status == .ok, "\(r.text)")
            let c = try await f.submit(kind: "new")
            #expect(c["authority"] as? String == "440300" && c["edition"] as? String == "2019")
            // The Shenzhen bureau acts on it; a sibling prefecture's officer cannot.
            try await f.act(try #require(c["id"] as? Int), "accept", as: shenzhenOfficer)

            Flow.at(s, "2026-11-19")
            try await f.act(try #require(c["id"] as? Int), "withdraw", as: f.enterprise)
            let later = try await f.submit(kind: "new")
            #expect(later["authority"] as? String == "440000" && later["edition"] as? String == "2024")
        }
    }
}

@Suite struct LicensingSettingsTests {
    @Test func limitsAreSettingsAndAFalseCommitmentRevokes() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            // An acceptance limit of 2 working days, the rest left at their defaults.
            #expect(try await client.send(.put, "/api/v1/licensing/rules", json: #"{"acceptance_days":0}"#, token: f.admin).status == .unprocessableContent)
            #expect(try await client.send(.put, "/api/v1/licensing/rules", json: #"{"acceptance_days":2}"#, token: f.officer).status == .forbidden)
            let put = try await client.send(.put, "/api/v1/licensing/rules", json: #"{"acceptance_days":2}"#, token: f.admin)
            let rules = try put.json()
            #expect(put.status == .ok && rules["decision_days"] as? Int == 30 && rules["acceptance_days"] as? Int == 2)
            let c = try await f.submit(kind: "new")
            #expect(c["due_on"] as? String == "2026-11-18")

            try await f.act(try #require(c["id"] as? Int), "withdraw", as: f.enterprise)
            let (_, licenseID) = try await f.commitmentLicense()
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":""}"#, as: f.officer).status == .unprocessableContent)
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺的检验设备并不存在"}"#, as: f.enterprise).status == .forbidden)
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺的检验设备并不存在"}"#, as: f.officer).errorCode == ErrorCode.hearing.required,
                    "no revocation before the holder is heard")
            try await f.hearingHeld(licenseID)
            let r = try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺的检验设备并不存在"}"#, as: f.officer)
            let revoked = try r.json()
            #expect(r.status == .ok && revoked["stored_status"] as? String == "revoked")
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"again"}"#, as: f.officer).status == .conflict)
        }
    }
}

@Suite struct ReviewProofTests {
    @Test func theServerSweepsOnItsOwn() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-09-23")
            let f = try await Flow.start(client, s)
            let id = try #require(try await f.submit(kind: "new")["id"] as? Int)
            Flow.at(s, "2026-10-09")
            let sweeper = Task { try await XukeApplication.sweeper(s, logger: Logger(label: "test"), interval: .seconds(3600)).run() }
            var state = ""
            for _ in 0..<100 where state != "accepted" {
                state = try await f.state(id)["state"] as? String ?? ""
                try await Task.sleep(for: .milliseconds(50))
            }
            sweeper.cancel()
            #expect(state == "accepted")
        }
    }

    @Test func aRefusedActionWritesNothing() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let id = try #require(try await f.submit(kind: "new")["id"] as? Int)
            try await f.act(id, "request_correction", #"{"items":["缺少设备清单"]}"#)
            let before = try await f.get("applications/\(id)", as: f.officer).json()
            let missing = String(repeating: "a", count: 64)
            let r = try await f.act(id, "supplement", #"{"materials":[{"kind":"other","sha256":"\#(missing)","filename":"x.pdf"}]}"#,
                                    as: f.enterprise, expect: .unprocessableContent)
            #expect(r.errorCode == ErrorCode.application.incomplete)
            let after = try await f.get("applications/\(id)", as: f.officer).json()
            let (b, a) = (before["application"] as? [String: Any], after["application"] as? [String: Any])
            #expect(a?["state"] as? String == "correction_requested" && a?["version"] as? Int == b?["version"] as? Int)
            #expect((after["materials"] as? [Any])?.count == (before["materials"] as? [Any])?.count)
            #expect((after["events"] as? [Any])?.count == (before["events"] as? [Any])?.count)
            #expect((after["correction"] as? [String: Any])?["answered_on"] == nil)
        }
    }

    @Test func statisticsFigures() {
        let f = LicensingService.Figures(key: "x", days: [10, 1, 4, 2, 3])
        #expect(f.cases == 5 && f.median == 3 && f.mean == 4)
        #expect(abs(f.p90 - 7.6) < 1e-9)  // between the 4th (4) and 5th (10) values, 60% of the way
        #expect(LicensingService.Figures(key: "none", days: []).median == 0)
    }

    /// An officer and a verifier work a case through the page forms rather than the API.
    @Test func officersAndVerifiersActThroughThePageForms() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let id = try #require(try await f.submit(kind: "new")["id"] as? Int)
            func signIn(_ user: String) async throws -> (cookie: String, csrf: String) {
                let (cookie, _) = try await client.browserSignIn(username: user, password: "correct horse battery")
                let page = try await client.get("/applications/\(id)", headers: [.cookie: cookie])
                let marker = #"name="_csrf" value=""#
                let csrf = try #require(page.text.range(of: marker).map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) })
                return (cookie, csrf)
            }
            func post(_ path: String, _ body: String, _ who: (cookie: String, csrf: String)) async throws -> TestResponse {
                try await client.execute(uri: path, method: .post, headers: [.cookie: who.cookie, .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "_csrf=\(who.csrf)&" + body))
            }
            let officer = try await signIn("officer")
            #expect(try await post("/applications/\(id)/accept", "version=1", officer).status == .seeOther)
            // Deciding before the verification: the page comes back saying why.
            let early = try await post("/applications/\(id)/approve", "", officer)
            #expect(early.status == .conflict && early.text.contains("class=\"error\""))
            let assign = try await post("/applications/\(id)/assign_verifiers", "verifier_\(f.verifiers[0].id)=on&verifier_\(f.verifiers[1].id)=on", officer)
            #expect(assign.status == .seeOther)

            let verifier = try await signIn("verifier1")
            let view = try await f.get("applications/\(id)", as: f.officer).json()
            let vid = try #require(((view["verifications"] as? [[String: Any]])?.first)?["id"] as? Int)
            let results = Checklist.items.map { "result_\($0.code)=conforms" }.joined(separator: "&")
            #expect(try await post("/verifications/\(vid)/findings", "case=\(id)&" + results, verifier).status == .seeOther)
            let done = try await post("/verifications/\(vid)/conclusion", "case=\(id)&outcome=pass&summary=ok", verifier)
            #expect(done.status == .seeOther)
            #expect(try await f.state(id)["state"] as? String == "verified")
        }
    }
}
