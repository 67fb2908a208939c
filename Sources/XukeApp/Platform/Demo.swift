import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import XukeDomain
import XukeStorage

/// `xuke demo`: a reproducible data set that makes every page worth a look. Nothing is written around
/// the workflow: two years of applications are replayed day by day through the same services people use,
/// with the platform clock moved along, so every case, event, notification and license is what the
/// platform itself would have produced.
extension AppServices {
    public struct DemoSummary: Sendable {
        public var enterprises = 0
        public var users = 0
        public var applications = 0
        public var refusedBySubmission = 0
        public var supervisionSkipped = 0
        public var licensesByStatus: [String: Int] = [:]
        public var password = ""
        /// The draft edition the demo opens for comment, made from the year's risk ranking.
        public var draft: String?
    }

    /// Deterministic random numbers, so one seed always gives the same data.
    struct DemoRandom {
        var generator: SplitMix64
        mutating func next() -> UInt64 { generator.next() }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
        mutating func pick<T>(_ list: [T]) -> T { list[int(0...(list.count - 1))] }
    }

    static let demoProvinces = ["440000", "330000", "320000", "370000", "310000", "110000", "510000", "420000"]
    static let demoPassword = "xuke-demo-2026"

    public func fillDemo(enterprises count: Int, seed: UInt64, progress: @Sendable (String) -> Void) async throws -> DemoSummary {
        guard try await db.read({ try await EnterpriseStore.count($0) }) == 0 else {
            throw AppError(.demo.notEmpty)
        }
        var rng = DemoRandom(generator: SplitMix64(seed: seed))
        var summary = DemoSummary(password: Self.demoPassword)
        let today = clock.today
        let cost = config.bcryptCost
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(Self.demoPassword, cost: cost) }

        // People: an administrator, a national officer, and per province an officer and four verifiers.
        var officers: [String: User] = [:]
        var verifiers: [String: [User]] = [:]
        let provinceAbbr = Dictionary(uniqueKeysWithValues: Self.demoProvinces.map { ($0, places.division($0)?.provinceAbbr ?? $0) })
        var admin: User?
        var labUsers: [String: User] = [:]
        try await db.write { sql in
            admin = try await UserStore.create(sql, username: "admin", displayName: "系统管理员", passwordHash: hash, role: .administrator,
                                               jurisdiction: nil, enterpriseUSCC: nil, actor: "demo", at: clock.stamp)
            officers[Routing.national] = try await UserStore.create(sql, username: "officer-national", displayName: "总局审批员", passwordHash: hash,
                                                                    role: .officer, jurisdiction: nil, enterpriseUSCC: nil, actor: "demo", at: clock.stamp)
            for p in Self.demoProvinces {
                let tag = Self.pinyinTag(p)
                officers[p] = try await UserStore.create(sql, username: "officer-\(tag)", displayName: "\(provinceAbbr[p] ?? "")审批员",
                                                         passwordHash: hash, role: .officer, jurisdiction: p, enterpriseUSCC: nil, actor: "demo", at: clock.stamp)
                verifiers[p] = []
                labUsers[p] = try await UserStore.create(sql, username: "lab-\(tag)", displayName: "\(provinceAbbr[p] ?? "")产品质量监督检验院",
                                                         passwordHash: hash, role: .lab, jurisdiction: nil, enterpriseUSCC: nil, actor: "demo", at: clock.stamp)
                for i in 1...4 {
                    verifiers[p]!.append(try await UserStore.create(sql, username: "verifier-\(tag)-\(i)", displayName: "\(provinceAbbr[p] ?? "")核查员\(i)",
                                                                    passwordHash: hash, role: .verifier, jurisdiction: p, enterpriseUSCC: nil, actor: "demo", at: clock.stamp))
                }
            }
        }
        summary.users = officers.count + verifiers.values.map(\.count).reduce(0, +) + labUsers.count + 1  // and the administrator

        // A registered lab per province, in scope for every catalog unit for years: applicants name its reports.
        var labs: [String: (code: String, user: User)] = [:]
        let allUnits = try await db.read { try await LabStore.allUnitNumbers($0) }
        for (n, p) in Self.demoProvinces.enumerated() {
            guard let admin, let user = labUsers[p] else { continue }
            let since = today.adding(days: -3000)
            let lab = try await institutions.registerLab(.init(name: "\(provinceAbbr[p] ?? "")产品质量监督检验院", uscc: USCC.completing("12" + p + String(format: "%08d", 40_000_000 + n) + String(USCC.bodyCheckCharacter(String(format: "%08d", 40_000_000 + n))!))!.value,
                                                 cmaNumber: String(format: "2019%08d", 190_000 + n), grade: 1, divisionCode: p, registeredOn: since,
                                                 scopes: allUnits.map { .init(unitNo: $0, standard: "GB/T 19001-2016", from: since, until: nil) }), by: admin)
            try await institutions.addLabMember(code: lab.code, userID: user.id, by: admin)
            labs[p] = (lab.code, user)
        }

        // Enterprises with valid codes, in counties of the demo provinces.
        let counties = Dictionary(grouping: places.divisions.values.filter { $0.level == .county && Self.demoProvinces.contains($0.provinceCode) },
                                  by: \.provinceCode).mapValues { $0.map(\.code).sorted() }
        let cityWords = ["华南", "东方", "金桥", "长江", "恒信", "嘉禾", "瑞丰", "鸿运", "安达", "新兴", "泰和", "宏图", "明德", "永盛", "康达", "天成"]
        let productWords = ["塑料制品", "纸制品", "包装材料", "日化用品", "电器", "炊具", "建材", "线缆", "钢铁", "化工", "肥料", "安全防护用品"]
        var enterpriseList: [(uscc: String, province: String, division: String)] = []
        var seen = Set<String>()
        var users: [String: User] = [:]
        var index = 0
        while enterpriseList.count < count {
            index += 1
            let province = Self.demoProvinces[index % Self.demoProvinces.count]
            guard let county = counties[province].map({ rng.pick($0) }) else { continue }
            let body8 = String(format: "%08d", rng.int(10_000_000...99_999_999))
            guard let uscc = USCC.completing("91" + county + body8 + String(USCC.bodyCheckCharacter(body8)!)) else { continue }
            guard seen.insert(uscc.value).inserted else { continue }
            enterpriseList.append((uscc.value, province, county))
        }
        for chunk in stride(from: 0, to: enterpriseList.count, by: 500) {
            try await db.write { sql in
                for (i, e) in enterpriseList[chunk..<min(chunk + 500, enterpriseList.count)].enumerated() {
                    let n = chunk + i
                    let name = "\(places.division(e.division)?.nameZh ?? "")\(cityWords[n % cityWords.count])\(productWords[(n / cityWords.count) % productWords.count])有限公司"
                    let ent = Enterprise(uscc: try USCC(e.uscc), name: name, domicile: "\(places.division(e.division)?.nameZh ?? "")工业大道\(n % 300 + 1)号",
                                         divisionCode: e.division, legalRepresentative: rng.pick(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄涛"]),
                                         contactName: "", contactPhone: "",
                                         productionAddresses: [ProductionAddress(address: "\(places.division(e.division)?.nameZh ?? "")产业园\(n % 90 + 1)栋", divisionCode: e.division)])
                    try await EnterpriseStore.create(sql, ent, actor: "demo", at: clock.stamp)
                    users[e.uscc] = try await UserStore.create(sql, username: String(format: "ent-%05d", n + 1), displayName: name, passwordHash: hash,
                                                               role: .enterprise, jurisdiction: nil, enterpriseUSCC: e.uscc, actor: "demo", at: clock.stamp)
                }
            }
            progress("enterprises: \(min(chunk + 500, enterpriseList.count))/\(enterpriseList.count)")
        }
        summary.enterprises = enterpriseList.count
        summary.users += enterpriseList.count

        // One shared scan stands in for every enterprise's documents.
        guard let firstUser = users[enterpriseList[0].uscc] else { return summary }
        let scan = try await uploads.store(ByteBuffer(bytes: Array("%PDF-1.4\n% Xuke demo document\n%%EOF\n".utf8)), by: firstUser).sha256
        // As if every enterprise had uploaded the same scan: each owns its own use of it.
        let owners = users.values.map(\.id)
        try await db.write { try await UploadStore.addUploadOwners($0, sha256: scan, userIDs: owners, at: clock.stamp) }

        // Two years of applications, replayed in date order.
        let eligible = ["1001", "1002", "1003", "1004", "1005"]
        let ordinaryUnits = ["0101", "0102", "0201", "0601", "0801", "1201", "1301", "1401"] + eligible
        var steps: [(day: CivilDate, scenario: Int, order: Int, step: DemoStep)] = []
        let start = today.adding(days: -720)
        for n in enterpriseList.indices where rng.chance(0.55) {
            // Most stories are long finished; some began in the last weeks and are still on officers' desks.
            let first = rng.chance(0.15) ? today.adding(days: -rng.int(0...45)) : start.adding(days: rng.int(0...700))
            let commitment = rng.chance(0.5)
            let units = commitment ? [rng.pick(eligible)] : [rng.pick(ordinaryUnits)]
            var day = first
            var plan: [(Int, DemoStep)] = [(0, .submit(.new, commitment ? .commitment : .ordinary, units))]
            func then(_ after: ClosedRange<Int>, _ step: DemoStep) { let d = rng.int(after); plan.append((d, step)) }
            if !commitment && rng.chance(0.25) { then(1...3, .act(.requestCorrection)); then(2...20, .act(.supplement)) }
            if rng.chance(0.04) { then(1...5, .act(.withdraw)) }
            // Now and then the authority stays silent and the sweep accepts the application by law.
            if rng.chance(0.06) { then(9...12, .wait) } else { then(1...3, .act(.accept)) }
            if commitment {
                then(0...1, .act(.approve)); then(0...1, .act(.issue))
                then(3...15, .assignFollowUp); then(5...20, .verify(rng.chance(0.05) ? .fail : .pass))
            } else {
                then(1...4, .assign)
                if rng.chance(0.2) { then(4...8, .verify(.rectify)); then(5...15, .act(.rectified)) }
                let fails = rng.chance(0.06)
                then(3...10, .verify(fails ? .fail : .pass))
                then(1...6, .act(fails ? .refuse : .approve))
                if !fails { then(1...6, .act(.issue)) }
            }
            if rng.chance(0.15) { then(30...200, .submit(.change, .ordinary, [])) ; then(1...3, .act(.accept)); then(1...5, .act(.approve)); then(0...3, .act(.issue)) }
            if rng.chance(0.05) { then(30...200, .submit(.cancellation, .ordinary, [])); then(1...3, .act(.accept)); then(1...3, .act(.approve)); then(0...2, .act(.issue)) }
            for (i, (after, step)) in plan.enumerated() {
                day = day.adding(days: after)
                steps.append((day, n, i, step))
            }
        }
        // Licenses carried over from the previous system, five years old.
        let busy = Set(steps.map(\.scenario))
        var carried: [(index: Int, province: String, uscc: String)] = []
        for (n, e) in enterpriseList.enumerated() where !busy.contains(n) && rng.chance(0.2) { carried.append((n, e.province, e.uscc)) }

        var caseIDs: [Int: Int] = [:]
        var dead = Set<Int>()
        var lastSweep: CivilDate?
        let rules = try await db.read { try await SettingsStore.rules($0) }
        clock.set(Self.beijingMorning(start))

        try await carryOver(carried, rng: &rng, today: today, rules: rules, steps: &steps)
        progress("carried over \(carried.count) licenses from the previous system")
        var cast = DemoCast(officers: officers, verifiers: verifiers, users: users, enterprises: enterpriseList)
        for (i, job) in Self.supervisionSchedule(cast, today: today, rng: &rng).enumerated() { steps.append((job.day, -1, i, .supervision(job.job))) }
        steps.sort { ($0.day, $0.scenario, $0.order) < ($1.day, $1.scenario, $1.order) }

        for (k, s) in steps.enumerated() where s.day <= today && !dead.contains(s.scenario) {
            clock.set(Self.beijingMorning(s.day))
            if lastSweep != s.day { _ = try await sweep(); lastSweep = s.day }
            if case .supervision(let job) = s.step {
                // A duty or check the rules refuse (an enterprise without a license, a plan with nobody to draw) is skipped.
                do { try await runDemoJob(job, cast: &cast, rng: &rng) } catch { summary.supervisionSkipped += 1 }
                continue
            }
            let e = enterpriseList[s.scenario]
            guard let user = users[e.uscc] else { continue }
            do {
                switch s.step {
                case .submit(let kind, let route, let units):
                    let form = ApplicationForm(units: units, productionAddresses: [ProductionAddress(address: "产业园1栋", divisionCode: e.division)],
                                               keyEquipment: [.init(name: "主要生产设备", model: "XK-\(s.scenario % 90 + 10)", quantity: rng.int(1...8))],
                                               qualityStaff: [.init(name: "质量负责人", role: "质量负责人", qualification: "工程师")],
                                               newName: nil, newDomicile: kind == .change ? "工业大道\(s.scenario % 500 + 1)号（迁址）" : nil,
                                               statement: kind == .cancellation ? "停止生产该产品" : nil)
                    var materials = [LicensingService.MaterialInput(kind: .businessLicense, sha256: scan, filename: "营业执照.pdf")]
                    if kind == .new || kind == .renewal, let (labCode, labUser) = labs[e.province] {
                        // The province's lab files its report first; the application names it by lab code and number.
                        let reportNo = "JY\(s.day.year)-\(s.scenario)-\(s.order)", reportDate = s.day.adding(days: -rng.int(5...60))
                        let file = try await uploads.store(ByteBuffer(bytes: Array("%PDF-1.4\n% Xuke demo test report \(reportNo)\n%%EOF\n".utf8)), by: labUser).sha256
                        _ = try await institutions.fileTestReport(.init(reportNo: reportNo, uscc: e.uscc, units: units, issuedOn: reportDate, conclusion: "pass", sha256: file), by: labUser)
                        materials.append(LicensingService.MaterialInput(kind: .testReport, sha256: file, filename: "检验报告.pdf", lab: labCode, reportNo: reportNo,
                                                       reportDate: reportDate, units: units))
                    }
                    let input = LicensingService.SubmitInput(kind: kind, route: route, changes: kind == .change ? [.domicile] : nil, form: form,
                                            commitmentText: "本企业承诺所提交材料真实有效，具备相应生产条件。", simplified: kind == .renewal, materials: materials)
                    caseIDs[s.scenario] = try await licensing.submit(input, by: user).id
                    summary.applications += 1
                case .act(let command):
                    guard let id = caseIDs[s.scenario] else { continue }
                    let c = try await db.read { try await CaseStore.getCase($0, id: id) }
                    guard let c else { continue }
                    let actor = command.byEnterprise ? user : (officers[c.authority] ?? officers[String(c.authority.prefix(2)) + "0000"])!
                    let input = LicensingService.ActionInput(items: ["营业执照复印件不清晰，请重新上传"], materials: [LicensingService.MaterialInput(kind: .other, sha256: scan, filename: "补正材料.pdf")],
                                            reasons: "现场核查不符合要求：检验设备不满足实施细则规定")
                    _ = try await licensing.act(caseID: id, command, input, by: actor)
                case .assign:
                    guard let id = caseIDs[s.scenario], let team = verifiers[e.province] else { continue }
                    let members = Array(team.shuffledDeterministically(&rng).prefix(2)).map(\.id)
                    _ = try await licensing.act(caseID: id, .assignVerifiers, LicensingService.ActionInput(verifiers: members), by: officers[e.province]!)
                case .assignFollowUp:
                    guard let id = caseIDs[s.scenario], let team = verifiers[e.province] else { continue }
                    let pending = try await db.read { try await VerificationStore.verifications($0, applicationID: id) }.first { $0.kind == .followUp && $0.state == .pending }
                    guard let v = pending else { continue }
                    _ = try await licensing.assignFollowUp(verificationID: v.id, verifiers: Array(team.shuffledDeterministically(&rng).prefix(2)).map(\.id), by: officers[e.province]!)
                case .wait, .supervision:
                    break
                case .verify(let outcome):
                    guard let id = caseIDs[s.scenario] else { continue }
                    let open = try await db.read { try await VerificationStore.verifications($0, applicationID: id) }.last { $0.state == .assigned }
                    guard let v = open, let member = verifiers[e.province]?.first(where: { v.members.contains($0.id) }) else { continue }
                    let bad = outcome == .pass ? Set<String>() : [rng.pick(Checklist.items).code]
                    _ = try await licensing.recordFindings(verificationID: v.id, Checklist.items.map {
                        LicensingService.FindingInput(item: $0.code, result: bad.contains($0.code) ? .nonconforming : .conforms, note: bad.contains($0.code) ? "记录不完整" : nil)
                    }, by: member)
                    _ = try await licensing.conclude(verificationID: v.id, LicensingService.ConclusionInput(outcome: outcome, summary: outcome == .pass ? "现场核查符合要求" : "发现不符合项",
                                                                                   rectifyBy: outcome == .rectify ? s.day.adding(days: 20) : nil), by: member)
                }
            } catch {
                // A step the rules refuse (a unit not licensable on that date, a license that has since ended) ends the story there.
                if case .submit = s.step { summary.refusedBySubmission += 1 }
                dead.insert(s.scenario)
            }
            if k % 500 == 0 { progress("replayed \(k)/\(steps.count) steps (\(s.day))") }
        }
        clock.set(nil)
        _ = try await sweep()
        let counts = try await db.read { try await LicensingReports.licenseStatusCounts($0, today: today) }
        summary.licensesByStatus = Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
        summary.draft = try await demoDraft(national: officers[Routing.national]!)
        return summary
    }

    /// A draft edition as the reform reports describe one: the checked category with the lowest risk score is proposed
    /// for cancellation, household pressure cookers for CCC, and the draft goes to two named organisations for comment.
    func demoDraft(national: User) async throws -> String? {
        let today = clock.today
        let ranking = try await catalog.riskReport(year: today.year).categories.filter { $0.risk.inputs.checks > 0 }
        guard let lowest = ranking.last else { return nil }
        let inForce = CivilDate(year: today.year + 1, month: 7, day: 1)!
        let draft = try await catalog.createDraft(.init(title: "\(today.year + 1)年工业产品生产许可证管理目录调整（征求意见稿）", editionCode: "\(today.year + 1)",
                                                inForce: inForce), by: national)
        _ = try await catalog.setDraftActions(draft.code, [
            DraftAction(kind: .cancel, subjectNo: lowest.no, note: String(format: "%d年风险分值%.1f，排名末位", today.year, lowest.risk.score)),
            DraftAction(kind: .moveToCCC, subjectNo: "1005", target: CivilDate(year: today.year + 1, month: 10, day: 1)!.description),
        ].filter { $0.kind != .moveToCCC || lowest.no != "10" }, by: national)
        _ = try await catalog.openConsultation(draft.code, consultees: [.init(name: "工业和信息化部", kind: .department),
                                                                .init(name: "中国轻工业联合会", kind: .association)],
                                       until: today.adding(days: 30), by: national)
        _ = try await catalog.recordDraftComment(draft.code, organisation: "中国轻工业联合会", body: "同意调整；建议取消许可后一年内提高市场抽查比例。",
                                         receivedOn: today, by: national)
        return draft.code
    }

    enum DemoStep {
        case submit(ApplicationKind, Route, [String])
        case act(LicensingService.CaseCommand)
        case assign
        case assignFollowUp
        case verify(VerificationOutcome)
        /// Nothing but the day's sweep.
        case wait
        case supervision(DemoJob)
    }

    /// Licenses issued five years ago under the previous system, and what their holders do next:
    /// two in three renew four months before expiry (half decided, half left to deemed approval), the rest let them expire.
    func carryOver(_ list: [(index: Int, province: String, uscc: String)], rng: inout DemoRandom, today: CivilDate, rules: LicensingRules,
                   steps: inout [(day: CivilDate, scenario: Int, order: Int, step: DemoStep)]) async throws {
        for (i, e) in list.enumerated() {
            let decided = today.adding(days: -rng.int(1_640...1_900))
            let unit = rng.pick(["1001", "1002", "1003"])
            let validUntil = rules.validUntil(decidedOn: decided)
            try await db.write { sql in
                guard let ent = try await EnterpriseStore.get(sql, uscc: e.uscc, visibility: .everything) else { return }
                var number = LicenseNumber(province: places.division(e.province)?.provinceAbbr, industry: "10",
                                           product: String(format: "%03d", Int(unit.suffix(2)) ?? 1), serial: 0)
                number.serial = try await SettingsStore.nextSerial(sql, "license:\(number.prefix)")
                var l = try await LicenseStore.insertLicense(sql, LicenseRecord(
                    id: 0, uscc: e.uscc, number: number.description, storedStatus: .valid, version: 1, authority: e.province,
                    firstIssuedOn: decided, decidedOn: decided, issuedOn: decided, validUntil: validUntil, name: ent.name,
                    domicile: ent.domicile, addresses: ent.productionAddresses,
                    units: [LicenseUnit(unitNo: unit, categoryNo: "10", nameZh: Self.carriedUnits[unit]?.0 ?? unit, nameEn: Self.carriedUnits[unit]?.1 ?? unit,
                                        route: .ordinary, since: decided)],
                    updatedAt: clock.stamp), reason: "issued", applicationID: nil, at: clock.stamp)
                try await licensing.publishLicense(sql, l, type: .licenseIssued, actor: nil)
                if i % 9 == 4 {
                    // Suspension is an enforcement measure (issue 5); a few are recorded here so the state can be seen.
                    l.storedStatus = .suspended
                    l = try await LicenseStore.updateLicense(sql, l, reason: "suspended", applicationID: nil, at: clock.stamp)
                    try await licensing.publishLicense(sql, l, type: .licenseSuspended, actor: nil)
                }
            }
            guard i % 3 != 2 else { continue }
            var day = validUntil.adding(months: -4)
            var order = 0
            func add(_ after: Int, _ step: DemoStep) {
                day = day.adding(days: after)
                steps.append((day, e.index, order, step))
                order += 1
            }
            add(0, .submit(.renewal, .ordinary, [unit]))
            add(rng.int(1...3), .act(.accept))
            if i % 2 == 0 { add(rng.int(5...20), .act(.approve)); add(rng.int(0...3), .act(.issue)) }
        }
    }

    /// Names as in the shipped 2024 catalog.
    static let carriedUnits = ["1001": ("食品用塑料包装容器工具等制品", "Plastic food packaging/containers/utensils"),
                               "1002": ("食品用纸包装、容器等制品", "Paper food packaging/containers"),
                               "1003": ("餐具洗涤剂", "Tableware detergents")]

    static func beijingMorning(_ day: CivilDate) -> Date? { Timestamp.date("\(day)T02:00:00Z") }

    static func pinyinTag(_ province: String) -> String {
        ["440000": "gd", "330000": "zj", "320000": "js", "370000": "sd", "310000": "sh", "110000": "bj", "510000": "sc", "420000": "hb"][province] ?? province
    }
}

extension Array {
    /// A shuffle that follows the demo's seed.
    func shuffledDeterministically(_ rng: inout AppServices.DemoRandom) -> [Element] {
        var copy = self
        guard copy.count > 1 else { return copy }
        for i in stride(from: copy.count - 1, to: 0, by: -1) { copy.swapAt(i, rng.int(0...i)) }
        return copy
    }
}
