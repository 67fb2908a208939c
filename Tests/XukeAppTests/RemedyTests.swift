import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

@Suite struct RemedyTests {
    /// The right to a hearing: a notice (a document), 5 working days to ask, then the measure may be taken; a
    /// hearing asked for must be held first. Each step in its order, by the right person.
    @Test func aRevocationWaitsForTheHearing() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let notice = try await f.post("licenses/\(licenseID)/hearings", #"{"measure":"revocation","reasons":"承诺的检验设备并不存在"}"#, as: f.officer)
            #expect(notice.status == .created, "\(notice.text)")
            let hearing = try notice.json()
            let id = try #require(hearing["id"] as? Int)
            #expect(hearing["request_by"] as? String == "2026-11-23", "5 working days from Monday the 16th")
            let noticeID = try #require(hearing["notice_id"] as? Int)
            let document = try #require(try await s.db.read { try await DocumentStore.get($0, id: noticeID) })
            #expect(document.kind == .hearingNotice && document.content.contains("2026-11-23"))
            #expect(try await f.post("licenses/\(licenseID)/hearings", #"{"measure":"withdrawal","reasons":"x"}"#, as: f.officer).status == .conflict)
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺的检验设备并不存在"}"#, as: f.officer).errorCode == ErrorCode.hearing.required)
            #expect(try await f.post("hearings/\(id)/schedule", #"{"date":"2026-11-20","place":"听证室"}"#, as: f.officer).status == .conflict, "nobody asked yet")
            let stranger = try await client.token(s, username: "stranger", role: "enterprise", enterprise: try await DocumentTests.otherEnterprise(client, f))
            #expect(try await f.post("hearings/\(id)/request", as: stranger).status == .forbidden)
            // A case of the enterprise waiting on the authority: the hearing stops its clock until it is held.
            let change = try #require(try await f.submit(kind: "change", units: ["1002"], changes: ["add_units"], reports: ["1002"])["id"] as? Int)
            try await f.act(change, "accept")
            let dueBefore = try #require(try await f.state(change)["due_on"] as? String)
            #expect(try await f.post("hearings/\(id)/request", as: f.enterprise).status == .ok)
            let stopped = try await s.db.read { try await CaseStore.clockStops($0, applicationID: change) }
            #expect(stopped.map(\.reason) == [.hearing] && stopped.first?.until == nil, "the case's clock stands still during the hearing")
            #expect(try await f.post("hearings/\(id)/schedule", #"{"date":"2026-11-10","place":"听证室"}"#, as: f.officer).status == .unprocessableContent)
            #expect(try await f.post("hearings/\(id)/schedule", #"{"date":"2026-11-25","place":"听证室"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("hearings/\(id)/record", #"{"record":"x"}"#, as: f.officer).status == .conflict, "not before its day")
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺的检验设备并不存在"}"#, as: f.officer).errorCode == ErrorCode.hearing.required)
            Flow.at(s, "2026-11-25")
            #expect(try await f.post("hearings/\(id)/record", #"{"record":"企业称设备在途，未能提供凭证。"}"#, as: f.officer).status == .ok)
            let resumed = try await s.db.read { try await CaseStore.clockStops($0, applicationID: change) }
            #expect(resumed.first?.until != nil, "and runs again once it is held")
            #expect(try await f.state(change)["due_on"] as? String != dueBefore, "the days it stood still move the deadline")
            let revoked = try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺的检验设备并不存在"}"#, as: f.officer)
            #expect(revoked.status == .ok, "\(revoked.text)")
            let hearings = try #require(try JSONSerialization.jsonObject(with: Data(try await f.get("licenses/\(licenseID)/hearings", as: f.enterprise).text.utf8)) as? [[String: Any]])
            #expect(hearings.first?["state"] as? String == "decided")
            try await f.act(change, "withdraw", as: f.enterprise)
        }
    }

    /// Unasked, the notice lapses after 5 working days and the measure may be taken; a reconsideration that reverses
    /// it reinstates the licence through its own actions (credential valid again, logged) and voids its bars.
    @Test func aReversedRevocationIsUndone() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let notice = try await f.post("licenses/\(licenseID)/hearings", #"{"measure":"revocation","reasons":"承诺不实"}"#, as: f.officer)
            let id = try #require(try notice.json()["id"] as? Int)
            Flow.at(s, "2026-11-24")
            #expect(try await f.post("hearings/\(id)/request", as: f.enterprise).status == .conflict, "asked too late")
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺不实"}"#, as: f.officer).status == .ok)
            let decision = try #require(try await s.db.read { try await DocumentStore.list($0, licenseID: licenseID) }.last)
            #expect(decision.kind == .revocationDecision)
            let jws = try #require(try await client.get("/api/v1/public/licenses/\(licenseID)/credential").json()["jws"] as? String)
            #expect(try await TrustTests.verify(client, jws)["verdict"] as? String == "revoked")
            #expect(try await s.db.read { try await SettingsStore.commitmentFacts($0, uscc: f.uscc, today: s.clock.today) }.flags.contains { $0.inForce(on: s.clock.today) })

            let late = #"{"kind":"reconsideration","body":"广东省人民政府","filed_on":"2027-03-01"}"#
            Flow.at(s, "2027-03-02")
            #expect(try await f.post("documents/\(decision.id)/remedies", late, as: f.officer).errorCode == ErrorCode.remedy.late)
            #expect(try await f.post("documents/\(decision.id)/remedies", #"{"kind":"appeal","body":"x","filed_on":"2026-12-01"}"#, as: f.officer).status == .unprocessableContent)
            #expect(try await f.post("documents/\(decision.id)/remedies", #"{"kind":"reconsideration","body":"x","filed_on":"2026-12-01","outcome":"reversed"}"#, as: f.officer)
                .status == .unprocessableContent, "a decided outcome has its day")
            let reversed = try await f.post("documents/\(decision.id)/remedies",
                                            #"{"kind":"reconsideration","body":"广东省人民政府","filed_on":"2026-12-01","outcome":"reversed","decided_on":"2027-01-20","note":"事实不清"}"#,
                                            as: f.officer)
            #expect(reversed.status == .created, "\(reversed.text)")
            #expect((try reversed.json()["undone"] as? String)?.contains("valid again") == true)
            let l = try #require(try await s.db.read { try await LicenseStore.license($0, id: licenseID) })
            #expect(l.storedStatus == .valid && l.status(on: s.clock.today) == .valid)
            #expect(try await TrustTests.verify(client, jws)["verdict"] as? String == "valid", "the credential's status entry is valid again")
            #expect(try await s.db.read { try await SettingsStore.commitmentFacts($0, uscc: f.uscc, today: s.clock.today) }.flags.allSatisfy { !$0.inForce(on: s.clock.today) })
            #expect(try await s.trust.auditLog().problems == [])
            let recorded = try await f.get("documents/\(decision.id)/remedies", as: f.enterprise)
            #expect(recorded.status == .ok && recorded.text.contains("事实不清"))
            #expect(try await f.post("documents/\(decision.id)/remedies",
                                     #"{"kind":"litigation","body":"广州铁路运输法院","filed_on":"2027-01-25","outcome":"reversed","decided_on":"2027-03-01"}"#,
                                     as: f.officer).errorCode == ErrorCode.remedy.changedSince, "a licence reinstated once is not reinstated twice")
        }
    }

    /// The same in the pages: the officer notifies, the holder asks, the officer schedules and records.
    @Test func theHearingPages() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let officer = try await client.browser("officer"), maker = try await client.browser("maker")
            let empty = try await client.get("/licenses/\(licenseID)/hearings?lang=en", headers: [.cookie: officer.cookie])
            #expect(empty.status == .ok && empty.text.contains("Send the hearing notice") && empty.readsClean)
            let blank = try await client.submit("/licenses/\(licenseID)/hearings?lang=en", [("measure", "revocation"), ("reasons", " ")], officer)
            #expect(blank.status == .unprocessableContent)
            #expect(try await client.submit("/licenses/\(licenseID)/hearings", [("measure", "revocation"), ("reasons", "承诺不实")], officer).status == .seeOther)
            let id = try #require(try await s.db.read { try await RemedyStore.hearings($0, licenseID: licenseID) }.first?.id)
            let holderPage = try await client.get("/licenses/\(licenseID)/hearings?lang=en", headers: [.cookie: maker.cookie])
            #expect(holderPage.text.contains("Ask for a hearing") && holderPage.readsClean)
            #expect(try await client.submit("/hearings/\(id)/request", [], maker).status == .seeOther)
            let bad = try await client.submit("/hearings/\(id)/schedule?lang=en", [("date", "not a day"), ("place", "听证室")], officer)
            #expect(bad.status == .unprocessableContent)
            #expect(try await client.submit("/hearings/\(id)/schedule", [("date", "2026-11-16"), ("place", "听证室")], officer).status == .seeOther)
            #expect(try await client.submit("/hearings/\(id)/record", [("record", "企业到场陈述")], officer).status == .seeOther)
            let done = try await client.get("/licenses/\(licenseID)/hearings?lang=zh", headers: [.cookie: maker.cookie])
            #expect(done.text.contains("企业到场陈述") && done.text.contains("已举行"))
            // The decision, and a reconsideration recorded against it on its page.
            #expect(try await f.post("licenses/\(licenseID)/revoke", #"{"reasons":"承诺不实"}"#, as: f.officer).status == .ok)
            let decision = try #require(try await s.db.read { try await DocumentStore.list($0, licenseID: licenseID) }.last { $0.kind == .revocationDecision })
            let refused = try await client.submit("/documents/\(decision.id)/remedies?lang=en", [("kind", "reconsideration"), ("body", "广东省人民政府"),
                                                                                                ("filed_on", "2026-11-17"), ("outcome", "upheld")], officer)
            #expect(refused.status == .unprocessableContent && refused.text.contains("value=\"广东省人民政府\""), "a decided outcome needs its day; what was typed stays")
            #expect(try await client.submit("/documents/\(decision.id)/remedies", [("kind", "reconsideration"), ("body", "广东省人民政府"),
                                                                                 ("filed_on", "2026-11-16"), ("outcome", "pending")], officer).status == .seeOther)
            let page = try await client.get("/documents/\(decision.id)?lang=zh", headers: [.cookie: maker.cookie])
            #expect(page.text.contains("广东省人民政府") && page.text.contains("待决") && !page.text.contains("记录复议或诉讼") && page.readsClean)
        }
    }
}
