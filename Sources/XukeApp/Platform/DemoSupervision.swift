import Foundation
import XukeDomain
import XukeStorage
import XukeTrust

/// The demo's last year of supervision, replayed through the same services in date order with the licensing steps:
/// per province two double-random plans taken from announcement to published results and measures, and enterprises'
/// duties and the public's reports spread over the year. The demo cannot wait for a real drand round, so its plans
/// say in their titles that their randomness is simulated.
extension AppServices {
    enum DemoJob {
        case inspectors(province: String)
        case planStart(province: String, code: String)
        case planDraw(code: String)
        case inspect(code: String)
        case publish(code: String)
        case declare(enterprise: Int)
        case accident(enterprise: Int, lateHours: Int)
        case recall(enterprise: Int)
        case selfReport(enterprise: Int)
        case complaint(enterprise: Int)
        case credit(enterprise: Int, serious: Bool)
    }

    struct DemoCast {
        var officers: [String: User]
        var verifiers: [String: [User]]
        var users: [String: User]
        var enterprises: [(uscc: String, province: String, division: String)]
        var secrets: [String: String] = [:]
    }

    static let demoItems = ["生产场所与设备", "原材料进货查验", "出厂检验记录"]

    /// The supervision year as dated steps, beside the licensing ones.
    static func supervisionSchedule(_ cast: DemoCast, today: CivilDate, rng: inout DemoRandom) -> [(day: CivilDate, job: DemoJob)] {
        var out: [(CivilDate, DemoJob)] = []
        for (p, province) in demoProvinces.enumerated() {
            out.append((today.adding(days: -330), .inspectors(province: province)))
            for (n, start) in [-300, -120].enumerated() {
                let code = "DEMO-\(pinyinTag(province).uppercased())-\(today.year)-\(n + 1)"
                let day = today.adding(days: start + p)
                out += [(day, .planStart(province: province, code: code)), (day.adding(days: 2), .planDraw(code: code)),
                        (day.adding(days: 12), .inspect(code: code)), (day.adding(days: 30), .publish(code: code))]
            }
        }
        for n in cast.enterprises.indices {
            if rng.chance(0.3) { out.append((today.adding(days: -rng.int(30...320)), .declare(enterprise: n))) }
            if rng.chance(0.02) { out.append((today.adding(days: -rng.int(10...300)), .accident(enterprise: n, lateHours: rng.chance(0.3) ? rng.int(25...60) : rng.int(1...20)))) }
            if rng.chance(0.03) { out.append((today.adding(days: -rng.int(20...300)), .recall(enterprise: n))) }
            if rng.chance(0.6) { out.append((CivilDate(year: today.year, month: rng.chance(0.85) ? rng.int(3...6) : 7, day: rng.int(1...28))!, .selfReport(enterprise: n))) }
            if rng.chance(0.04) { out.append((today.adding(days: -rng.int(5...300)), .complaint(enterprise: n))) }
            if rng.chance(0.03) { out.append((today.adding(days: -rng.int(10...400)), .credit(enterprise: n, serious: rng.chance(0.25)))) }
        }
        return out.filter { $0.0 <= today }
    }

    func runDemoJob(_ job: DemoJob, cast: inout DemoCast, rng: inout DemoRandom) async throws {
        let today = clock.today
        switch job {
        case .inspectors(let province):
            // Each verifier also inspects, from a county of its own, so a team of two always avoids the enterprise's county.
            let counties = places.divisions.values.filter { $0.level == .county && $0.provinceCode == province }.map(\.code).sorted()
            guard let officer = cast.officers[province], counties.count >= 4 else { return }
            for (i, v) in (cast.verifiers[province] ?? []).enumerated() {
                _ = try await supervision.saveInspector(.init(userId: v.id, county: counties[(i * counties.count) / 4], capacity: 6), by: officer)
            }
        case .planStart(let province, let code):
            guard let officer = cast.officers[province] else { return }
            let prefix = Jurisdiction(divisionCode: province).prefix
            let categories = Set(try await db.read { try await TargetStore.licensedTargets($0, countyPrefix: prefix) }.flatMap(\.categories)).sorted()
            guard !categories.isEmpty else { return }
            let plan = SpotCheckPlan(
                code: code, titleZh: "\(today.year)年产品质量双随机抽查（演示数据，随机源为模拟值）",
                titleEn: "\(today.year) double-random spot check (demo data, simulated randomness)",
                strata: categories.map { Stratum(kind: .licensed, category: $0, region: province, quota: 0) }, teamSize: 2,
                items: Dictionary(uniqueKeysWithValues: categories.map { ($0, Self.demoItems) }),
                beacon: BeaconSource(source: .drandQuicknet, round: BeaconSource.quicknetRound(after: clock.now().addingTimeInterval(86_400))),
                commit: "", publishWithinDays: 20)
            let answer = try await supervision.createPlan(.init(plan: plan, generateSecret: true, defaultQuotas: true), by: officer)
            cast.secrets[code] = answer.secret
            _ = try await supervision.announcePlan(id: answer.plan.id, by: officer)
            _ = try await supervision.freezePlan(id: answer.plan.id, by: officer)
        case .planDraw(let code):
            guard let (p, officer) = try await demoPlan(code, cast), let secret = cast.secrets[code] else { return }
            let value = (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }.hex
            _ = try await supervision.enterBeacon(id: p.id, .init(value: value), by: officer)
            // A second officer confirms the value; in the demo the national officer reads it too.
            if let second = cast.officers[Routing.national], second.id != officer.id {
                _ = try await supervision.enterBeacon(id: p.id, .init(value: value), by: second)
            }
            _ = try await supervision.runDraw(id: p.id, .init(secret: secret), by: officer)
        case .inspect(let code):
            guard let (p, officer) = try await demoPlan(code, cast) else { return }
            for i in try await db.read({ try await InspectionStore.inspections($0, planID: p.id) }) where i.state == .assigned {
                guard let member = cast.verifiers.values.joined().first(where: { v in i.team.contains { $0.userID == v.id } }) else { continue }
                let bad = rng.chance(0.12) ? rng.pick(i.items) : nil
                let sampleFails = rng.chance(0.06)
                _ = try await supervision.recordVisit(id: i.id, .init(
                    visitedOn: today, findings: i.items.map { .init(item: $0, result: $0 == bad ? .nonconforming : .conforms, note: $0 == bad ? "记录缺失" : nil) },
                    samples: [.init(product: "抽样产品", batch: "B\(today.year)\(i.id)", quantity: "6", lab: "省产品质量监督检验院")]), by: member)
                _ = try await supervision.conclude(id: i.id, .init(outcome: bad == nil && !sampleFails ? .pass : .fail,
                                                       summary: bad == nil && !sampleFails ? "现场检查和样品检验均合格" : "发现不符合项，责令整改",
                                                       labResults: [.init(position: 1, reportNo: "JY-\(i.number)", result: sampleFails ? .fail : .pass)]), by: officer)
                if bad != nil || sampleFails {
                    _ = try await supervision.enforce(.init(uscc: i.uscc, kind: .rectification, cause: "inspection/\(i.number)", note: "抽查不合格，责令限期整改", dueDays: 20), by: officer)
                }
            }
        case .publish(let code):
            guard let (p, officer) = try await demoPlan(code, cast) else { return }
            for i in try await db.read({ try await InspectionStore.inspections($0, planID: p.id) }) where i.state == .concluded && i.publishedAt == nil {
                _ = try await supervision.publishResult(id: i.id, by: officer)
            }
        case .declare(let n):
            guard let user = cast.users[cast.enterprises[n].uscc] else { return }
            _ = try await duties.publishDeclaration(.init(kind: .standards, standards: [.init(product: "主要产品", standard: rng.pick(["GB 4806.7-2023", "GB/T 10004-2008", "GB 14930.1-2022", "GB/T 5023.3-2008"]), title: "产品标准")]), by: user)
            _ = try await duties.publishDeclaration(.init(kind: .commitment, text: "本企业承诺严格按照所声明的标准组织生产，出厂产品逐批检验，对产品质量安全负责。"), by: user)
        case .accident(let n, let hours):
            guard let user = cast.users[cast.enterprises[n].uscc] else { return }
            _ = try await duties.reportAccident(.init(product: "主要产品", occurredAt: Timestamp.string(clock.now().addingTimeInterval(Double(-hours) * 3600)),
                                               description: "用户使用过程中产品发生故障，造成人员轻微受伤。", injuries: 1, deaths: 0, measures: "封存同批次产品，派员调查原因。"), by: user)
        case .recall(let n):
            guard let user = cast.users[cast.enterprises[n].uscc] else { return }
            let r = try await duties.reportRecall(.init(product: "主要产品", batches: "B\(today.year)-\(n)", defect: "部分批次关键指标不符合标准要求。",
                                                 quantity: rng.int(200...5000), decidedOn: today.adding(days: -rng.int(0...3)).description), by: user)
            _ = try await duties.updateRecall(number: r.number, .init(recovered: r.quantity * 6 / 10, note: "已通过经销商召回大部分产品", close: rng.chance(0.5)), by: user)
        case .selfReport(let n):
            guard let user = cast.users[cast.enterprises[n].uscc] else { return }
            let checks = rng.int(4...40)
            _ = try await duties.submitSelfReport(.init(year: today.year - 1, produced: rng.int(1_000...500_000), sold: rng.int(1_000...500_000),
                                                 salesValue: Double(rng.int(50...50_000)), selfChecks: checks, selfCheckFailures: rng.chance(0.2) ? 1 : 0,
                                                 changes: "无", problems: "无"), by: user)
        case .credit(let n, let serious):
            let e = cast.enterprises[n]
            guard let officer = cast.officers[e.province] else { return }
            _ = try await institutions.listEnterprise(.init(uscc: e.uscc, list: serious ? .serious : .abnormal,
                                               cause: serious ? "以欺骗手段取得许可" : "annual_report_missing",
                                               note: serious ? "经查实提交虚假检验报告取得许可" : "未在规定期限内报送上一年度报告", listedOn: nil), by: officer)
        case .complaint(let n):
            let e = cast.enterprises[n]
            _ = try await supervision.fileReport(.init(source: rng.chance(0.6) ? .complaint : .whistleblower, uscc: e.uscc, subject: "被投诉企业", division: nil,
                                           product: "主要产品", description: "购买的产品使用不久即出现质量问题，怀疑未按标准生产。", contact: rng.chance(0.5) ? "" : "13800000000"))
        }
    }

    func demoPlan(_ code: String, _ cast: DemoCast) async throws -> (PlanRecord, User)? {
        guard let p = try await db.read({ try await PlanStore.plan($0, code: code) }), let officer = cast.officers[p.authority] else { return nil }
        return (p, officer)
    }
}
