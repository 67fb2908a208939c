import Foundation
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
        let input = AppServices.EnterpriseInput(uscc: Fixtures.shenzhen, name: "深圳示例食品包装有限公司", domicile: "深圳市南山区科技路1号",
                                                divisionCode: "440305", legalRepresentative: "李四", contactName: nil, contactPhone: nil,
                                                productionAddresses: [ProductionAddress(address: "深圳市宝安区工业路2号", divisionCode: "440306")])
        _ = try await s.registerEnterprise(input, by: admin)
        let enterprise = try await s.createUser(username: "szfood", displayName: "SZ", password: "correct horse battery", role: "enterprise",
                                                jurisdiction: nil, enterpriseUSCC: Fixtures.shenzhen)
        let officer = try await s.createUser(username: "gdofficer", displayName: "GD", password: "correct horse battery", role: "officer",
                                             jurisdiction: "440000", enterpriseUSCC: nil)
        let sha = AppServices.sha256Hex(Data(Self.pdf.utf8))
        try await s.db.write { try await LicensingStore.recordUpload($0, sha256: sha, type: .pdf, size: Self.pdf.utf8.count, userID: enterprise.id, at: Timestamp.now()) }
        return (enterprise, officer, sha)
    }

    func newApplication(_ sha: String, route: Route, units: [String] = ["1001"], reports: Bool = true) -> AppServices.SubmitInput {
        let form = ApplicationForm(units: units, productionAddresses: [ProductionAddress(address: "深圳市宝安区工业路2号", divisionCode: "440306")],
                                   keyEquipment: [.init(name: "注塑机", model: "HX-200", quantity: 4)],
                                   qualityStaff: [.init(name: "王五", role: "质量负责人", qualification: "注册质量工程师")])
        var materials = [AppServices.MaterialInput(kind: .businessLicense, sha256: sha, filename: "营业执照.pdf")]
        if reports {
            materials.append(.init(kind: .testReport, sha256: sha, filename: "检验报告.pdf", lab: "广东省产品质量监督检验研究院",
                                   reportNo: "GZ2026-0815", reportDate: CivilDate("2026-10-08"), units: units))
        }
        return .init(kind: .new, route: route, changes: nil, form: form, commitmentText: "本企业承诺所填信息真实有效。",
                     simplified: nil, materials: materials)
    }

    @Test func commitmentRouteSubmissionIsRoutedAndNotified() async throws {
        try await Harness.run { _, s in
            s.clock.set(Timestamp.date("2026-11-19T02:00:00Z"))  // 10:00 in Beijing, a Thursday
            let (enterprise, officer, sha) = try await setUp(s)
            let c = try await s.submit(newApplication(sha, route: .commitment), by: enterprise)
            #expect(c.state == .submitted && c.authority == "440000" && c.edition == "2024")
            #expect(c.verificationNeed == .none && c.number.hasPrefix("SQ2026-"))
            #expect(c.dueOn == CivilDate("2026-11-26"))  // five working days
            #expect(c.commitmentSHA256 == AppServices.sha256Hex(Data("本企业承诺所填信息真实有效。".utf8)))
            let inbox = try await s.db.read { try await Notifications.inbox($0, userID: officer.id) }
            #expect(inbox.count == 1 && inbox[0].subject.contains(c.number))

            // One open case per enterprise.
            await #expect(throws: AppError.self) { try await s.submit(newApplication(sha, route: .ordinary), by: enterprise) }
        }
    }

    @Test func refusalsSayWhy() async throws {
        try await Harness.run { _, s in
            let (enterprise, _, sha) = try await setUp(s)
            func code(_ input: AppServices.SubmitInput) async -> String? {
                do { _ = try await s.submit(input, by: enterprise); return nil } catch { return AppError.from(error)?.code }
            }
            #expect(await code(newApplication(sha, route: .commitment, units: ["0701"])) == "route.not_eligible")
            #expect(await code(newApplication(sha, route: .ordinary, units: ["9999"])) == "routing.not_licensed")
            #expect(await code(newApplication(sha, route: .ordinary, reports: false)) == "application.incomplete")
        }
    }
}
