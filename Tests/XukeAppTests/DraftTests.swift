import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

@Suite struct DraftImpactTests {
    static let base = CatalogEdition(code: "B", instrument: "", inForce: CivilDate("2024-09-25")!, categories: [
        CatalogCategory(categoryNo: "10", nameZh: "食品相关产品", nameEn: "Food-contact", units: [
            CatalogUnit(unitNo: "1001", nameZh: "塑料", nameEn: "Plastic", authority: .provincial, commitmentRoute: .yes, confidence: "C"),
            CatalogUnit(unitNo: "1002", nameZh: "纸", nameEn: "Paper", authority: .provincial, commitmentRoute: .yes, confidence: "C"),
        ]),
        CatalogCategory(categoryNo: "13", nameZh: "人造板", nameEn: "Wood panels", units: [
            CatalogUnit(unitNo: "1301", nameZh: "胶合板", nameEn: "Plywood", authority: .provincial, commitmentRoute: .no, confidence: "C"),
        ]),
        CatalogCategory(categoryNo: "14", nameZh: "安全帽", nameEn: "Helmets", units: [
            CatalogUnit(unitNo: "1401", nameZh: "安全帽", nameEn: "Helmets", authority: .provincial, commitmentRoute: .no, confidence: "C"),
        ]),
    ])

    /// Cancelling 1001 ends a license that held only it and narrows one that also held 1002; merging 13 into 10 and
    /// moving 14 to CCC act on the others; de-licensed makers get one default quota per province.
    @Test func eachLicenseLearnsWhatHappensToIt() throws {
        let licenses = [
            DraftImpact.License(uscc: "A", number: "L-A", province: "440000", units: ["1001"]),
            DraftImpact.License(uscc: "B", number: "L-B", province: "440000", units: ["1001", "1002"]),
            DraftImpact.License(uscc: "C", number: "L-C", province: "330000", units: ["1001"]),
            DraftImpact.License(uscc: "D", number: "L-D", province: "330000", units: ["1301", "1401"]),
        ]
        let actions = [DraftAction(kind: .cancel, subjectNo: "1001"), DraftAction(kind: .merge, subjectNo: "13", target: "10"),
                       DraftAction(kind: .moveToCCC, subjectNo: "14", target: "2027-10-01"),
                       DraftAction(kind: .add, subjectNo: "1003", target: "10", nameZh: "橡胶", nameEn: "Rubber")]
        let impact = try DraftImpact.compute(base: Self.base, code: "N", inForce: CivilDate("2027-01-01")!, actions: actions, licenses: licenses,
                                             quota: { SpotCheckPlan.defaultQuota(targets: $0, kind: .delicensed, risk: nil) })
        #expect(impact.edition.categories.map(\.categoryNo) == ["10"] && impact.edition.categories[0].units.map(\.unitNo) == ["1002", "1301", "1003"])
        let cancel = impact.actions[0]
        #expect(cancel.licenses == 3 && cancel.enterprises == 3 && cancel.byProvince == ["440000": 2, "330000": 1])
        #expect(cancel.outcomes == ["ends": 2, "narrowed": 1] && cancel.delicensedMakers == 3 && cancel.delicensedQuota == 2, "one check in each province")
        #expect(impact.actions[1].outcomes == ["merged": 1] && impact.actions[2].outcomes == ["moves_to_ccc": 1] && impact.actions[3].licenses == 0)
        #expect(impact.affected.first { $0.uscc == "D" && $0.position == 3 }?.detail == "1401 → CCC 2027-10-01")

        #expect(throws: DomainError.self) { try DraftImpact.compute(base: Self.base, code: "N", inForce: CivilDate("2027-01-01")!,
                                                                    actions: [DraftAction(kind: .cancel, subjectNo: "99")], licenses: [], quota: { _ in 0 }) }
        #expect(throws: DomainError.self) { try DraftImpact.compute(base: Self.base, code: "N", inForce: CivilDate("2027-01-01")!,
                                                                    actions: [DraftAction(kind: .cancel, subjectNo: "10"), DraftAction(kind: .cancel, subjectNo: "1001")],
                                                                    licenses: [], quota: { _ in 0 }) }
        #expect(throws: DomainError.self) { try DraftImpact.compute(base: Self.base, code: "N", inForce: CivilDate("2027-01-01")!,
                                                                    actions: [DraftAction(kind: .moveToCCC, subjectNo: "14", target: "soon")], licenses: [], quota: { _ in 0 }) }
        let twice = [DraftAction(kind: .add, subjectNo: "1009", target: "10", nameZh: "甲", nameEn: "A"), DraftAction(kind: .add, subjectNo: "1009", target: "13", nameZh: "乙", nameEn: "B")]
        #expect(throws: DomainError.self) { try DraftImpact.compute(base: Self.base, code: "N", inForce: CivilDate("2027-01-01")!, actions: twice, licenses: [], quota: { _ in 0 }) }
        // A license whose every unit moves to CCC ends; one that keeps others needs a certificate for the moved ones.
        let ccc = try DraftImpact.compute(base: Self.base, code: "N", inForce: CivilDate("2027-01-01")!, actions: [DraftAction(kind: .moveToCCC, subjectNo: "14", target: "2027-10-01")],
                                          licenses: [.init(uscc: "E", number: "L-E", province: "440000", units: ["1401"]), licenses[3]], quota: { _ in 0 })
        #expect(ccc.actions[0].outcomes == ["ends": 1, "moves_to_ccc": 1])
    }
}

@Suite struct DraftTests {
    /// A draft through its pages: changes with their impact, consultation, comments and answers, publication.
    @Test func aDraftIsMeasuredConsultedAndPublished() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            _ = try await f.commitmentLicense()
            _ = try await client.token(s, username: "national", role: "officer")
            let national = try await client.browser("national"), provincial = try await client.browser("officer")
            var r = try await client.submit("/catalog/drafts", [("title", "2027年目录调整"), ("edition_code", "2027"), ("in_force", "2026-01-01")], national)
            #expect(r.status == .unprocessableContent && r.text.contains("2027年目录调整"), "a past in-force day is refused and the form kept")
            #expect(try await client.submit("/catalog/drafts", [("title", "x"), ("edition_code", "2027"), ("in_force", "2027-07-01")], provincial).status == .forbidden)
            r = try await client.submit("/catalog/drafts", [("title", "2027年目录调整"), ("edition_code", "2027"), ("in_force", "2027-07-01")], national)
            #expect(r.status == .seeOther, "\(r.text)")
            let path = try #require(r.headers[.location]), code = String(path.split(separator: "/").last!)
            #expect(try await client.get(path).status == .notFound, "a draft being written is not public")

            r = try await client.submit(path + "/actions", [("actions", "cancel | 1001\nabolish | 04")], national)
            #expect(r.status == .unprocessableContent && r.text.contains("第2行"))
            r = try await client.submit(path + "/actions", [("actions", "cancel | 9999")], national)
            #expect(r.status == .unprocessableContent && r.text.contains("9999"))
            r = try await client.submit(path + "/actions", [("actions", "cancel | 1001 | | | | 风险低\nmove_to_ccc | 1005 | 2027-10-01\nmerge | 13 | 10")], national)
            #expect(r.status == .seeOther, "\(r.text)")
            var page = try await client.get(path + "?lang=en", headers: [.cookie: national.cookie]).text
            #expect(page.contains("license ends 1") && page.contains("makers moved to the de-licensed stratum 1 · default yearly checks 1"), "\(page)")
            let csv = try await client.get(path + "/impact.csv", headers: [.cookie: national.cookie]).text
            #expect(csv.contains(f.uscc) && csv.contains(",cancel,ends,1001"))
            #expect(try CSV.parse(csv).flatMap(\.fields).allSatisfy { c in !(c.first.map { "=+-@".contains($0) } ?? false) || Double(c) != nil },
                    "no formula cell leaves in the impact export")

            // Consultation: only named organisations; comments close before publication, and each needs an answer.
            #expect(try await client.submit(path + "/consult", [("consultees", "ministry | 工业和信息化部"), ("until", "2026-12-15")], national).status == .unprocessableContent)
            r = try await client.submit(path + "/consult", [("consultees", "department | 工业和信息化部\nassociation | 中国塑料加工工业协会"), ("until", "2026-12-15")], national)
            #expect(r.status == .seeOther, "\(r.text)")
            #expect(try await client.get(path + "?lang=zh").text.contains("中国塑料加工工业协会"), "out for comment, the draft is public")
            let public1 = try await client.get("/api/v1/catalog/drafts/\(code)")
            #expect(public1.status == .ok && !public1.text.contains("user/") && public1.text.contains("catalog_draft.changed"), "the public sees what happened, not who or the drafts before")
            #expect(try await client.submit(path + "/actions", [("actions", "cancel | 1002")], national).status == .conflict)
            #expect(try await client.submit(path + "/comment", [("organisation", "某某协会"), ("body", "同意")], national).status == .unprocessableContent)
            #expect(try await client.submit(path + "/comment", [("organisation", "中国塑料加工工业协会"), ("body", "建议保留塑料制品许可，近年抽查不合格率仍高。")], national).status == .seeOther)
            r = try await client.submit(path + "/publish", [("instrument", "国发〔2027〕1号")], national)
            #expect(r.status == .conflict && r.text.contains("意见征求尚未截止"))
            Flow.at(s, "2026-12-16")
            r = try await client.submit(path + "/publish", [("instrument", "国发〔2027〕1号")], national)
            #expect(r.status == .conflict && r.text.contains("1条意见未答复"))
            let comment = try #require(try await s.db.read { sql in try await CatalogDraftStore.comments(sql, draftID: try await CatalogDraftStore.draft(sql, code: code)!.id) }.first)
            #expect(try await client.submit(path + "/answer", [("comment", "\(comment.id)"), ("answer", "不采纳：转为后续监管，抽查比例提高至10%。")], national).status == .seeOther)
            let logBefore = try await s.db.read { try await TransparencyStore.size($0) }
            #expect(try await client.submit(path + "/publish", [("instrument", "国发〔2027〕1号")], national).status == .seeOther)

            let edition = try #require(try await s.db.read { try await CatalogStore.edition($0, code: "2027") })
            #expect(edition.inForce.description == "2027-07-01" && edition.instrument == "国发〔2027〕1号")
            #expect(!edition.categories.flatMap(\.units).contains { ["1001", "1005"].contains($0.unitNo) } && !edition.categories.contains { $0.categoryNo == "13" })
            let actions = try await s.db.read { try await CatalogStore.reformActions($0) }.filter { $0.edition == "2027" }
            #expect(actions.map(\.kind) == [.cancel, .moveToCCC, .merge] && actions[0].subjectZh == "食品用塑料包装容器工具等制品")
            #expect(try await s.db.read { try await TransparencyStore.size($0) } == logBefore + 1, "publication is in the public log")
            page = try await client.get(path + "?lang=en").text
            #expect(page.contains("Published as an edition") && page.contains("Opened for comment") && page.contains("Comment answered"))

            // On the in-force day the sweep ends the license whose only unit was cancelled and moves its maker to the
            // de-licensed stratum; it does so once.
            // A plywood maker: its category is merged into another, so its license goes on under the new category.
            let plywood = Fixtures.guangdong(777)
            #expect(try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(plywood, name: "胶合板有限公司", division: "440300"), token: f.admin).status == .created)
            try await s.db.write { sql in
                let unit = LicenseUnit(unitNo: "1301", categoryNo: "13", nameZh: "胶合板", nameEn: "Plywood", route: .ordinary, since: CivilDate("2026-01-05")!)
                _ = try await LicenseStore.insertLicense(sql, LicenseRecord(
                    id: 0, uscc: plywood, number: "粤XK13-001-00777", storedStatus: .valid, version: 1, authority: "440000",
                    firstIssuedOn: CivilDate("2026-01-05")!, decidedOn: CivilDate("2026-01-05")!, issuedOn: CivilDate("2026-01-05")!,
                    validUntil: CivilDate("2031-01-04")!, name: "胶合板有限公司", domicile: "深圳", addresses: [], units: [unit],
                    updatedAt: s.clock.stamp), reason: "test", applicationID: nil, at: s.clock.stamp)
            }
            #expect(try await s.sweep().reformsApplied.isEmpty, "not before the in-force day")
            Flow.at(s, "2027-07-01")
            #expect(try await s.sweep().reformsApplied == [code])
            #expect(try await s.sweep().reformsApplied.isEmpty)
            let license = try #require(try await s.db.read { try await LicenseStore.license($0, uscc: f.uscc) })
            #expect(license.storedStatus == .cancelled)
            let merged = try #require(try await s.db.read { try await LicenseStore.license($0, uscc: plywood) })
            #expect(merged.storedStatus == .valid && merged.units.map(\.categoryNo) == ["10"] && merged.version == 2)
            let makers = try await s.db.read { try await $0.raw("SELECT category, since FROM delicensed_makers WHERE uscc = \(bind: f.uscc)").all() }
            let since = try makers.first?.decode(column: "since", as: String.self)
            #expect(makers.count == 1 && since == "2027-07-01")
            #expect(try await client.get(path + "?lang=zh").text.contains("已施行"))
            try await settle(s)
            try await s.catalog.foldDashboard()
            let reform = try #require(try await s.catalog.dashboard(year: 2027, province: nil).reforms.first { $0.edition == "2027" })
            #expect(reform.ended == 1 && reform.narrowed == 0 && reform.delicensed == 1 && reform.actions == ["cancel": 1, "move_to_ccc": 1, "merge": 1],
                    "the dashboard counts what the reform did")

            // A draft can be abandoned while it is written or out for comment, with a reason; not once published.
            r = try await client.submit("/catalog/drafts", [("title", "撤回测试"), ("edition_code", "2028"), ("in_force", "2028-07-01")], national)
            let other = try #require(r.headers[.location])
            #expect(try await client.submit(other + "/withdraw", [("reason", "")], national).status == .unprocessableContent)
            #expect(try await client.submit(other + "/withdraw", [("reason", "并入下一轮调整")], national).status == .seeOther)
            #expect(try await client.submit(other + "/withdraw", [("reason", "again")], national).status == .conflict)
            #expect(try await client.submit(path + "/withdraw", [("reason", "too late")], national).status == .conflict)
            #expect(try await client.get(other).status == .notFound, "a withdrawn draft that never went out is not public")
        }
    }
}
