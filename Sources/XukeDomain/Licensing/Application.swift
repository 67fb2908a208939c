/// What an enterprise asks for (docs/DOMAIN.md §4).
public enum ApplicationKind: String, Sendable, Codable, CaseIterable {
    case new
    case renewal
    case change
    case reissue
    case cancellation
}

/// What a change application changes. A new product category is a change of the one license (一企一证).
public enum ChangeItem: String, Sendable, Codable, CaseIterable {
    case name
    case domicile
    case productionAddress = "production_address"
    case addUnits = "add_units"
    case removeUnits = "remove_units"
    case conditions
}

/// 先核后证 (verify, then license) or 告知承诺 (license on a commitment, verify after).
public enum Route: String, Sendable, Codable, CaseIterable {
    case ordinary
    case commitment
}

/// Whether a site verification stands between acceptance and decision.
public enum VerificationNeed: String, Sendable, Codable {
    case required
    /// The authority may re-verify (a moved site, changed conditions) but need not.
    case optional
    case none

    public static func of(kind: ApplicationKind, route: Route, changes: Set<ChangeItem>, simplifiedRenewal: Bool) -> VerificationNeed {
        if route == .commitment { return .none }  // the site check follows issuance
        switch kind {
        case .new: return .required
        case .renewal: return simplifiedRenewal ? .none : .required
        case .change:
            if changes.contains(.addUnits) { return .required }
            if changes.contains(.productionAddress) || changes.contains(.conditions) { return .optional }
            return .none
        case .reissue, .cancellation: return .none
        }
    }
}

/// Where a case stands. Refused, withdrawn and issued end it.
public enum CaseState: String, Sendable, Codable, CaseIterable {
    case submitted
    case correctionRequested = "correction_requested"
    case accepted
    case verification
    case rectification
    case verified
    case approved
    case issued
    case refused
    case withdrawn

    public var isFinal: Bool { self == .issued || self == .refused || self == .withdrawn }

    /// States in which the authority's decision clock runs (or is stopped, but not finished).
    public var awaitsDecision: Bool { [.accepted, .verification, .rectification, .verified].contains(self) }
}

public enum VerificationOutcome: String, Sendable, Codable {
    case pass
    case fail
    /// Deficiencies the enterprise may put right by a deadline.
    case rectify
}

/// Everything that moves a case. Each one becomes an event.
public enum CaseAction: Sendable, Equatable {
    case accept
    case requestCorrection
    case supplement
    case assignVerifiers(count: Int)
    case concludeVerification(VerificationOutcome)
    case rectified
    case approve
    /// Renewal granted by the authority's silence on the expiry date (docs/DOMAIN.md §7).
    case deemRenewal
    case refuse
    /// 不予受理: the application is not taken at all (outside the authority's remit, or the applicant is barred).
    case refuseAcceptance
    case issue
    case withdraw
}

/// The facts about a case that decide which action is allowed next.
public struct CaseFacts: Sendable, Equatable {
    public var kind: ApplicationKind
    public var route: Route
    public var state: CaseState
    public var verification: VerificationNeed
    /// Correction notices already sent (the law allows one, listing everything).
    public var corrections: Int
    /// The outcome of the last concluded site verification, if any.
    public var lastOutcome: VerificationOutcome?

    public init(kind: ApplicationKind, route: Route, state: CaseState, verification: VerificationNeed,
                corrections: Int = 0, lastOutcome: VerificationOutcome? = nil) {
        self.kind = kind
        self.route = route
        self.state = state
        self.verification = verification
        self.corrections = corrections
        self.lastOutcome = lastOutcome
    }
}

/// The licensing case as an explicit state machine. Pure: storage asks it, then writes.
public enum CaseMachine {
    public static let verifierRange = 2...4

    /// A site verification team, before or after the license, has 2 to 4 members.
    public static func checkTeam(_ count: Int) throws(DomainError) {
        guard verifierRange.contains(count) else {
            throw DomainError(.verification.teamSize, ["count": "\(count)"])
        }
    }

    /// The state `action` leads to from `facts`, or the reason it is not allowed.
    public static func next(_ facts: CaseFacts, _ action: CaseAction) throws(DomainError) -> CaseState {
        let s = facts.state
        if s.isFinal {
            throw DomainError(.cases.closed, localized: ["state": LocalizedText(zh: "\(stateName(s).zh)", en: "\(stateName(s).en)")])
        }
        switch action {
        case .accept:
            try require(s == .submitted, action, facts)
            return .accepted
        case .requestCorrection:
            try require(s == .submitted, action, facts)
            guard facts.corrections == 0 else {
                throw DomainError(.cases.correctionOnce)
            }
            return .correctionRequested
        case .supplement:
            try require(s == .correctionRequested, action, facts)
            return .submitted
        case .assignVerifiers(let count):
            try require(s == .accepted, action, facts)
            guard facts.route == .ordinary, facts.verification != .none else {
                throw DomainError(.cases.noVerification)
            }
            try checkTeam(count)
            return .verification
        case .concludeVerification(let outcome):
            try require(s == .verification, action, facts)
            return outcome == .rectify ? .rectification : .verified
        case .rectified:
            try require(s == .rectification, action, facts)
            return .verification
        case .approve:
            switch s {
            case .verified:
                guard facts.lastOutcome == .pass else {
                    throw DomainError(.cases.verificationFailed)
                }
            case .accepted:
                guard facts.route == .commitment || facts.verification != .required else {
                    throw DomainError(.cases.notVerified)
                }
            default:
                try require(false, action, facts)
            }
            return .approved
        case .deemRenewal:
            // Not while the enterprise owes a correction or a rectification: silence is the authority's only.
            try require(facts.kind == .renewal && [.submitted, .accepted, .verification, .verified].contains(s)
                        && facts.lastOutcome != .fail, action, facts)
            return .approved
        case .refuse:
            try require([.accepted, .verification, .rectification, .verified].contains(s), action, facts)
            return .refused
        case .refuseAcceptance:
            try require([.submitted, .correctionRequested].contains(s), action, facts)
            return .refused
        case .issue:
            try require(s == .approved, action, facts)
            return .issued
        case .withdraw:
            try require(s != .approved, action, facts)
            return .withdrawn
        }
    }

    static func require(_ ok: Bool, _ action: CaseAction, _ facts: CaseFacts) throws(DomainError) {
        guard !ok else { return }
        let state = stateName(facts.state)
        let act = actionName(action)
        throw DomainError(.cases.illegalTransition, localized: ["state": LocalizedText(zh: "\(state.zh)", en: "\(state.en)"), "action": LocalizedText(zh: "\(act.zh)", en: "\(act.en)")])
    }

    public static func stateName(_ s: CaseState) -> LocalizedText {
        switch s {
        case .submitted: LocalizedText(zh: "已提交", en: "submitted")
        case .correctionRequested: LocalizedText(zh: "待补正", en: "correction requested")
        case .accepted: LocalizedText(zh: "已受理", en: "accepted")
        case .verification: LocalizedText(zh: "现场核查中", en: "site verification")
        case .rectification: LocalizedText(zh: "整改中", en: "rectification")
        case .verified: LocalizedText(zh: "核查完成", en: "verified")
        case .approved: LocalizedText(zh: "准予许可，待发证", en: "approved, license to be issued")
        case .issued: LocalizedText(zh: "已发证", en: "license issued")
        case .refused: LocalizedText(zh: "不予许可", en: "refused")
        case .withdrawn: LocalizedText(zh: "已撤回", en: "withdrawn")
        }
    }

    public static func actionName(_ a: CaseAction) -> LocalizedText {
        switch a {
        case .accept: LocalizedText(zh: "受理", en: "accepted")
        case .requestCorrection: LocalizedText(zh: "通知补正", en: "sent back for correction")
        case .supplement: LocalizedText(zh: "补正材料", en: "supplemented")
        case .assignVerifiers: LocalizedText(zh: "指派核查人员", en: "assigned to verifiers")
        case .concludeVerification: LocalizedText(zh: "作出核查结论", en: "given a verification result")
        case .rectified: LocalizedText(zh: "提交整改", en: "reported as rectified")
        case .approve: LocalizedText(zh: "准予许可", en: "approved")
        case .deemRenewal: LocalizedText(zh: "视为准予延续", en: "renewed by deemed approval")
        case .refuse: LocalizedText(zh: "不予许可", en: "refused")
        case .refuseAcceptance: LocalizedText(zh: "不予受理", en: "not accepted")
        case .issue: LocalizedText(zh: "发证", en: "issued")
        case .withdraw: LocalizedText(zh: "撤回", en: "withdrawn")
        }
    }
}
