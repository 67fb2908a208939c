/// What an enterprise may apply for, given the licence it holds (docs/DOMAIN.md §4, §7, §8): one licence per
/// enterprise (一企一证), so a new application needs none in force and every other kind needs one; a renewal only
/// in its window; and which units the application routes and which are new to the licence.
public enum Submission {
    /// The enterprise's licence as far as an application is concerned.
    public struct Held: Sendable, Equatable {
        public var number: String
        public var status: LicenseStatus
        public var validUntil: CivilDate
        public var units: [String]
        public init(number: String, status: LicenseStatus, validUntil: CivilDate, units: [String]) {
            (self.number, self.status, self.validUntil, self.units) = (number, status, validUntil, units)
        }
    }

    /// Refuses an application the enterprise's licence (or its lack) rules out on `today`.
    public static func checkLicence(_ kind: ApplicationKind, held: Held?, rules: LicensingRules, on today: CivilDate) throws(DomainError) {
        let live = held?.status.isInForce ?? false
        switch kind {
        case .new:
            if live, let held { throw DomainError(.license.existsApply, ["number": held.number]) }
        case .renewal, .change, .reissue, .cancellation:
            // Say "expired, apply anew" rather than "no license" to someone renewing too late.
            if kind == .renewal, let held, held.status == .expired {
                try rules.checkRenewal(on: today, validUntil: held.validUntil)
            }
            guard let held, live else { throw DomainError(.license.noneApplication) }
            if kind == .renewal { try rules.checkRenewal(on: today, validUntil: held.validUntil) }
        }
    }

    /// The units an application is routed on (what the licence will cover after it) and those licensed for the
    /// first time (they need a test report and may take the commitment route), with what is wrong in a change.
    public static func units(_ kind: ApplicationKind, changes: Set<ChangeItem>, asked: [String], removing: [String],
                             held: [String]) -> (routed: [String], new: [String], problems: [LocalizedText]) {
        let new = kind == .new || changes.contains(.addUnits) ? asked : []
        switch kind {
        case .new: return (new, new, [])
        case .change:
            let removed = changes.contains(.removeUnits) ? removing : []
            let problems = new.filter(held.contains).map { LocalizedText(zh: "单元\($0)已在许可证上", en: "Unit \($0) is already on the license") }
                + removed.filter { !held.contains($0) }.map { LocalizedText(zh: "单元\($0)不在许可证上", en: "Unit \($0) is not on the license") }
            return (held.filter { !removed.contains($0) } + new, new, problems)
        default: return (held, new, [])
        }
    }

    /// The commitment route (告知承诺, docs/DOMAIN.md §6) is for units new to the licence, by a new application or
    /// a change that only adds units, and only for units eligible for it. (Credit facts are `CommitmentBar`'s.)
    public static func checkCommitmentRoute(changes: Set<ChangeItem>, newUnits: [String], routed: [Routing.Unit]) throws(DomainError) {
        guard !newUnits.isEmpty, changes.subtracting([.addUnits]).isEmpty else { throw DomainError(.route.commitmentKind) }
        let ineligible = routed.filter { newUnits.contains($0.unitNo) && !$0.commitmentEligible }.map(\.unitNo)
        guard ineligible.isEmpty else {
            throw DomainError(.route.notEligible, localized: ["ineligible": LocalizedText(zh: ineligible.joined(separator: "、"), en: ineligible.joined(separator: ", "))])
        }
    }

    /// The units that need a product test report: those new to the licence, or on a renewal every unit held
    /// except those a recent spot check passed (simplified renewal, docs/DOMAIN.md §7).
    public static func unitsNeedingReports(_ kind: ApplicationKind, newUnits: [String], held: [String], exempt: Set<String>) -> Set<String> {
        kind == .renewal ? Set(held).subtracting(exempt) : Set(newUnits)
    }

    /// A document as the checks see it: its kind and, for a test report, what it says it is.
    public struct Document: Sendable {
        public var kind: MaterialKind
        public var filename: String
        public var lab: String?
        public var reportNo: String?
        public var reportDate: CivilDate?
        public var units: [String]?
        public init(kind: MaterialKind, filename: String, lab: String?, reportNo: String?, reportDate: CivilDate?, units: [String]?) {
            (self.kind, self.filename, self.lab, self.reportNo, self.reportDate, self.units) = (kind, filename, lab, reportNo, reportDate, units)
        }

        /// A report that names its lab and number and is not dated in the future: the registry can check it.
        public func checkable(on today: CivilDate) -> Bool {
            kind == .testReport && !(lab ?? "").isEmpty && !(reportNo ?? "").isEmpty && !(reportDate.map { $0 > today } ?? false)
        }
    }

    /// What is wrong with an application's documents (docs/DOMAIN.md §5): a business licence copy, each test report
    /// fully described and not dated in the future, and a report for every unit that needs one. What the registry
    /// found about each checkable report (`registry`, by the document's position) goes beside that report.
    public static func documentProblems(_ documents: [Document], needingReports: Set<String>, on today: CivilDate,
                                        registry: [Int: [LocalizedText]] = [:]) -> [LocalizedText] {
        var problems: [LocalizedText] = []
        if !documents.contains(where: { $0.kind == .businessLicense }) {
            problems.append(LocalizedText(zh: "缺少营业执照复印件", en: "The business license copy is missing"))
        }
        var missing = needingReports
        for (i, m) in documents.enumerated() where m.kind == .testReport {
            if (m.lab ?? "").isEmpty || (m.reportNo ?? "").isEmpty || m.reportDate == nil || (m.units ?? []).isEmpty {
                problems.append(LocalizedText(zh: "检验报告\(m.filename)须写明检验机构、报告编号、日期和所含单元",
                                              en: "Test report \(m.filename) needs the lab, report number, date and units covered"))
            }
            if let d = m.reportDate, d > today {
                problems.append(LocalizedText(zh: "检验报告\(m.filename)的日期晚于今天", en: "Test report \(m.filename) is dated in the future"))
            } else {
                problems += registry[i] ?? []
            }
            missing.subtract(m.units ?? [])
        }
        for u in missing.sorted() {
            problems.append(LocalizedText(zh: "缺少单元\(u)的产品检验报告", en: "A product test report for unit \(u) is missing"))
        }
        return problems
    }
}
