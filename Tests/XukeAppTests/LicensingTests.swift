import Foundation
import SQLKit
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

/// Licensing submission, exercised through the service while its HTTP routes are being built.
@Suite struct LicensingSubmissionTests {
    static let pdf = "%PDF-1.7\n% test document\n"

    func setUp(_ s: AppServices) async throws -> (enterprise: User, officer: User, upload: String) {
        let admin = try await s.createUser(username: "root", displayName: "Root", password: "correct horse battery", role: "admin",
                                           jurisdiction: nil, enterpriseUSCC: nil)
        let input = AccountService.EnterpriseInput(uscc: Fixtures.shenzhen, name: "深圳示例食品包装有限公司", domicile: "深圳市南山区科技路1号",
                                                divisionCode: "440305", legalRepresentative: "李四", contactName: nil, contactPhone: nil,
                                                productionAddresses: [ProductionAddress(address: "深圳市宝安区工业路2号", divisionCode: "440306")])
        _ = try await s.accounts.registerEnterprise(input, by: admin)
        let enterprise = try await s.createUser(username: "szfood", displayName: "SZ", password: "correct horse battery", role: "enterprise",
                                                jurisdiction: nil, enterpriseUSCC: Fixtures.shenzhen)
        let officer = try await s.createUser(username: "gdofficer", displayName: "GD", password: "correct horse battery", role: "officer",
                                             jurisdiction: "440000", enterpriseUSCC: nil)
        let sha = sha256Hex(Data(Self.pdf.utf8))
        try await s.db.write { try await UploadStore.recordUpload($0, sha256: sha, type: .pdf, size: Self.pdf.utf8.count, userID: enterprise.id, at: s.clock.stamp) }
        // A registered lab in scope for the 10xx units, and its report for this enterprise (the scanned file above).
        let units = ["1001", "1002", "1003", "1004", "1005"]
        let lab = try await s.institutions.registerLab(.init(name: "广东省产品质量监督检验研究院", uscc: Fixtures.guangdong(998), cmaNumber: "201919000002", grade: 1,
                                                divisionCode: "440100", registeredOn: CivilDate("2020-01-01")!,
                                                scopes: units.map { .init(unitNo: $0, standard: "GB 4806.7-2016", from: CivilDate("2020-01-01")!, until: nil) }), by: admin)
        try await s.db.write {
            _ = try await LabStore.insertReport($0, TestReport(id: 0, labId: lab.id, reportNo: "GZ2026-0815", uscc: Fixtures.shenzhen, units: units,
                                                               issuedOn: CivilDate("2026-10-08")!, conclusion: "pass", sha256: sha, filedBy: "test", filedAt: s.clock.stamp))
        }
        return (enterprise, officer, sha)
    }

    func newApplication(_ sha: String, route: Route, units: [String] = ["1001"], reports: Bool = true) -> LicensingService.SubmitInput {
        let form = ApplicationForm(units: units, productionAddresses: [ProductionAddress(address: "深圳市宝安区工业路2号", divisionCode: "440306")],
                                   keyEquipment: [.init(name: "注塑机", model: "HX-200", quantity: 4)],
                                   qualityStaff: [.init(name: "王五", role: "质量负责人", qualification: "注册质量工程师")])
        var materials = [LicensingService.MaterialInput(kind: .businessLicense, sha256: sha, filename: "营业执照.pdf")]
        if reports {
            materials.append(.init(kind: .testReport, sha256: sha, filename: "检验报告.pdf", lab: "LAB-000001",
                                   reportNo: "GZ2026-0815", reportDate: CivilDate("2026-10-08"), units: units))
        }
        return .init(kind: .new, route: route, changes: nil, form: form, commitmentText: "本企业承诺所填信息真实有效。",
                     simplified: nil, materials: materials)
    }

    @Test func commitmentRouteSubmissionIsRoutedAndNotified() async throws {
        try await Harness.run { _, s in
            s.clock.set(Timestamp.date("2026-11-19T02:00:00Z"))  // 10:00 in Beijing, a Thursday
            let (enterprise, officer, sha) = try await setUp(s)
            let c = try await s.licensing.submit(newApplication(sha, route: .commitment), by: enterprise)
            #expect(c.state == .submitted && c.authority == "440000" && c.edition == "2024")
            #expect(c.verificationNeed == .none && c.number.hasPrefix("SQ2026-"))
            #expect(c.dueOn == CivilDate("2026-11-26"))  // five working days
            #expect(c.commitmentSHA256 == sha256Hex(Data("本企业承诺所填信息真实有效。".utf8)))
            let inbox = try await s.db.read { try await Notifications.inbox($0, userID: officer.id) }
            #expect(inbox.count == 1 && inbox[0].subject.contains(c.number))

            // One open case per enterprise.
            await #expect(throws: AppError.self) { try await s.licensing.submit(newApplication(sha, route: .ordinary), by: enterprise) }
        }
    }

    @Test func refusalsSayWhy() async throws {
        try await Harness.run { _, s in
            let (enterprise, _, sha) = try await setUp(s)
            func code(_ input: LicensingService.SubmitInput) async -> ErrorCode? {
                do { _ = try await s.licensing.submit(input, by: enterprise); return nil } catch { return AppError.from(error)?.code }
            }
            #expect(await code(newApplication(sha, route: .commitment, units: ["0701"])) == ErrorCode.route.notEligible)
            #expect(await code(newApplication(sha, route: .ordinary, units: ["9999"])) == ErrorCode.routing.notLicensed)
            #expect(await code(newApplication(sha, route: .ordinary, reports: false)) == ErrorCode.application.incomplete)
        }
    }
}

/// The licensing tables, on both databases: the guarantees later steps rely on.
@Suite struct LicensingStoreTests {
    let submission = LicensingSubmissionTests()

    func submitted(_ s: AppServices) async throws -> (CaseRecord, User, User) {
        let (enterprise, officer, sha) = try await submission.setUp(s)
        return (try await s.licensing.submit(submission.newApplication(sha, route: .commitment), by: enterprise), enterprise, officer)
    }

    func code(_ body: () async throws -> Void) async -> ErrorCode? {
        do { try await body(); return nil } catch let e as DomainError { return e.code } catch { return ErrorCode(rawValue: "\(type(of: error))") }
    }

    @Test func twoOfficersCannotBothActOnOneVersion() async throws {
        try await Harness.run { _, s in
            let (c, _, _) = try await submitted(s)
            var first = try #require(try await s.db.read { try await CaseStore.getCase($0, id: c.id) })
            var second = first
            first.state = .accepted
            second.state = .correctionRequested
            try await s.db.write { try await CaseStore.updateCase($0, first) }
            #expect(await code { try await s.db.write { try await CaseStore.updateCase($0, second) } } == ErrorCode.cases.concurrentChange)
            let stored = try #require(try await s.db.read { try await CaseStore.getCase($0, id: c.id) })
            #expect(stored.state == .accepted && stored.version == c.version + 1)
        }
    }

    @Test func theDatabaseAllowsOneOpenCasePerEnterprise() async throws {
        try await Harness.run { _, s in
            let (c, _, _) = try await submitted(s)
            var twin = c
            twin.number = c.number + "-B"
            // Straight to the table, past the service's own check: the unique index must refuse it.
            #expect(await code { _ = try await s.db.write { try await CaseStore.insertCase($0, twin) } } != nil)
            twin.state = .withdrawn
            let closed = try await s.db.write { try await CaseStore.insertCase($0, twin) }
            #expect(closed != c.id)
        }
    }

    @Test func licenseVersionsKeepEveryState() async throws {
        try await Harness.run { _, s in
            let unit = LicenseUnit(unitNo: "1001", categoryNo: "10", nameZh: "食品用塑料包装容器工具等制品", nameEn: "Plastic food packaging",
                                   route: .commitment, since: CivilDate("2026-11-20")!)
            let draft = LicenseRecord(id: 0, uscc: Fixtures.shenzhen, number: "(粤)XK10-001-00001", storedStatus: .valid, version: 0,
                                      authority: "440000", firstIssuedOn: CivilDate("2026-11-20")!, decidedOn: CivilDate("2026-11-20")!,
                                      issuedOn: CivilDate("2026-11-20")!, validUntil: CivilDate("2031-11-19")!, name: "深圳示例食品包装有限公司",
                                      domicile: "深圳市南山区科技路1号", addresses: [ProductionAddress(address: "宝安区工业路2号", divisionCode: "440306")],
                                      units: [unit], updatedAt: "")
            _ = try await submission.setUp(s)
            let v1 = try await s.db.write { try await LicenseStore.insertLicense($0, draft, reason: "issued", applicationID: nil, at: "2026-11-20T02:00:00Z") }
            var changed = v1
            changed.name = "深圳示例包装集团有限公司"
            let v2 = try await s.db.write { try await LicenseStore.updateLicense($0, changed, reason: "change", applicationID: nil, at: "2026-11-21T02:00:00Z") }
            #expect(v2.version == 2)
            // A stale copy cannot overwrite the newer version.
            #expect(await code { _ = try await s.db.write { try await LicenseStore.updateLicense($0, changed, reason: "again", applicationID: nil, at: "x") } }
                    == ErrorCode.license.concurrentChange)
            let versions = try await s.db.read { try await LicenseStore.licenseVersions($0, licenseID: v1.id) }
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions[0].snapshot == v1 && versions[1].snapshot == v2)
            #expect(versions[0].snapshot.name == "深圳示例食品包装有限公司")
            // One license per enterprise, kept by the table itself.
            var second = draft
            second.number = "(粤)XK10-001-00002"
            #expect(await code { _ = try await s.db.write { try await LicenseStore.insertLicense($0, second, reason: "issued", applicationID: nil, at: "x") } } != nil)
        }
    }

    @Test func clockStopsVerificationsAndFindingsRoundTrip() async throws {
        try await Harness.run { _, s in
            let (c, _, officer) = try await submitted(s)
            let verifier = try await s.createUser(username: "verifier1", displayName: "V1", password: "correct horse battery", role: "verifier",
                                                  jurisdiction: "440000", enterpriseUSCC: nil)
            try await s.db.write { sql in
                try await CaseStore.stopClock(sql, applicationID: c.id, reason: .testing, from: CivilDate("2026-11-20")!, note: "抽样检验")
                try await CaseStore.resumeClock(sql, applicationID: c.id, on: CivilDate("2026-11-24")!)
                try await CaseStore.stopClock(sql, applicationID: c.id, reason: .hearing, from: CivilDate("2026-11-25")!, note: "")
            }
            let stops = try await s.db.read { try await CaseStore.clockStops($0, applicationID: c.id) }
            #expect(stops.map(\.stop) == [ClockStop(reason: .testing, from: CivilDate("2026-11-20")!, until: CivilDate("2026-11-24")!),
                                          ClockStop(reason: .hearing, from: CivilDate("2026-11-25")!, until: nil)])

            let draft = VerificationRecord(id: 0, applicationID: c.id, licenseID: nil, kind: .preIssue, state: .assigned, authority: "440000",
                                           assignedOn: CivilDate("2026-11-20")!, dueOn: CivilDate("2026-12-11")!, rectifyBy: nil, outcome: nil,
                                           concludedOn: nil, summary: "", members: [officer.id, verifier.id], findings: [])
            let id = try await s.db.write { try await VerificationStore.insertVerification($0, draft) }
            try await s.db.write { sql in
                try await VerificationStore.recordFinding(sql, verificationID: id, .init(item: "4.1", result: "nonconform", note: "记录不全", recordedBy: verifier.id, at: "t1"))
                try await VerificationStore.recordFinding(sql, verificationID: id, .init(item: "4.1", result: "conform", note: "已补", recordedBy: verifier.id, at: "t2"))
            }
            let stored = try #require(try await s.db.read { try await VerificationStore.getVerification($0, id: id) })
            #expect(stored.members == [officer.id, verifier.id].sorted())
            #expect(stored.findings.map(\.result) == ["conform"])
            // The verifier now sees the case, and only through the assignment.
            let seen = try await s.db.read { try await CaseStore.visible($0, id: c.id, scope: .verifier(userID: verifier.id)) }
            #expect(seen?.id == c.id)
        }
    }

    @Test func notificationsReachTheInboxAndTheMailQueue() async throws {
        try await Harness.run { _, s in
            let (enterprise, officer, sha) = try await submission.setUp(s)
            // The queue is filled for every user with a confirmed address (MailTests confirm one through the pages).
            try await s.db.write { try await $0.raw("UPDATE users SET email = 'gd@example.cn' WHERE id = \(bind: officer.id)").run() }
            _ = try await s.licensing.submit(submission.newApplication(sha, route: .commitment), by: enterprise)
            let queued = try await s.db.read { try await MailStore.due($0, now: "9999", limit: 10) }
            #expect(queued.map(\.toAddress) == ["gd@example.cn"])
            #expect(queued.first?.body.contains("/inbox") == true)
            // The person who acted is not told about their own action.
            #expect(try await s.db.read { try await Notifications.inbox($0, userID: enterprise.id) }.isEmpty)
        }
    }
}
