/// The statutory clock a case runs on in each state (docs/DOMAIN.md §4–§5).
public enum CaseClock {
    /// The step whose limit runs.
    public enum Step: String, Sendable, Codable {
        case acceptance
        case decision
        case issuance
    }

    /// The step a case in `state` waits on at the authority; nil when the authority owes nothing.
    public static func step(_ state: CaseState) -> Step? {
        switch state {
        case .submitted: .acceptance
        case .accepted, .verification, .rectification, .verified: .decision
        case .approved: .issuance
        case .correctionRequested, .issued, .refused, .withdrawn: nil
        }
    }

    /// Which limit applies and from which day it is counted; nil when the case waits on nobody at the authority.
    public static func clock(state: CaseState, receivedOn: CivilDate, acceptedOn: CivilDate?, decidedOn: CivilDate?,
                             stops: [ClockStop], rules: LicensingRules) -> StatutoryClock? {
        switch step(state) {
        case .acceptance:
            // Counted from receipt of the complete materials: the submission, or the supplement.
            return StatutoryClock(start: receivedOn, limit: rules.acceptanceDays)
        case .decision:
            return acceptedOn.map { StatutoryClock(start: $0, limit: rules.decisionDays, stops: stops) }
        case .issuance:
            return decidedOn.map { StatutoryClock(start: $0, limit: rules.issuanceDays) }
        case nil:
            return nil
        }
    }

    /// The deadline work lists sort by; nil while the clock is stopped or nobody at the authority is due to act.
    public static func dueOn(state: CaseState, receivedOn: CivilDate, acceptedOn: CivilDate?, decidedOn: CivilDate?,
                             stops: [ClockStop], rules: LicensingRules, today: CivilDate, calendar: WorkCalendar) -> CivilDate? {
        guard let c = clock(state: state, receivedOn: receivedOn, acceptedOn: acceptedOn, decidedOn: decidedOn, stops: stops, rules: rules),
              !c.isStopped(today: today) else { return nil }
        return c.deadline(today: today, calendar: calendar).date
    }
}

/// One result per checklist item of a site verification.
public enum FindingResult: String, Sendable, Codable, CaseIterable {
    case conforms
    case nonconforming
    case notApplicable = "not_applicable"

    public var name: LocalizedText {
        switch self {
        case .conforms: LocalizedText(zh: "符合", en: "conforms")
        case .nonconforming: LocalizedText(zh: "不符合", en: "nonconforming")
        case .notApplicable: LocalizedText(zh: "不适用", en: "not applicable")
        }
    }
}

/// The general site-verification checklist (the headings every product's implementing rules share).
public enum Checklist {
    public struct Item: Sendable, Equatable {
        public var code: String
        public var name: LocalizedText
    }

    public static let items: [Item] = [
        Item(code: "premises", name: LocalizedText(zh: "生产场所", en: "Production premises")),
        Item(code: "equipment", name: LocalizedText(zh: "生产设备", en: "Production equipment")),
        Item(code: "testing", name: LocalizedText(zh: "检验设备与出厂检验", en: "Testing equipment and release inspection")),
        Item(code: "process", name: LocalizedText(zh: "工艺流程与过程控制", en: "Process and process control")),
        Item(code: "materials", name: LocalizedText(zh: "原辅材料控制", en: "Control of raw materials")),
        Item(code: "staff", name: LocalizedText(zh: "人员与培训", en: "Staff and training")),
        Item(code: "quality_system", name: LocalizedText(zh: "质量管理制度", en: "Quality management system")),
        Item(code: "product", name: LocalizedText(zh: "产品标准与标识", en: "Product standards and marking")),
    ]

    public static func item(_ code: String) -> Item? { items.first { $0.code == code } }

    /// Checks that the findings allow the outcome: all items recorded; a pass has no nonconformity,
    /// and a failure or rectification names at least one.
    public static func check(outcome: VerificationOutcome, findings: [String: FindingResult]) throws(DomainError) {
        let missing = items.filter { findings[$0.code] == nil }
        if !missing.isEmpty {
            throw DomainError(.verification.findingsMissing, localized: ["items": LocalizedText(zh: "\(missing.map(\.name.zh).joined(separator: "、"))", en: "\(missing.map(\.name.en).joined(separator: ", "))")])
        }
        let nonconforming = findings.values.contains(.nonconforming)
        if outcome == .pass && nonconforming {
            throw DomainError(.verification.passWithNonconformity)
        }
        if outcome != .pass && !nonconforming {
            throw DomainError(.verification.noNonconformity)
        }
    }
}
