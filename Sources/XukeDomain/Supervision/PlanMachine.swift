/// The steps of a double-random spot-check plan (docs/FORMATS.md §3, docs/DOMAIN.md §9). Each step is possible
/// from one state only; the order is what makes the draw verifiable: everything is fixed and public before the
/// randomness exists, and the secret must be revealed by a deadline or the plan is forfeited in public.
public enum PlanState: String, Sendable, Codable, CaseIterable {
    /// Being drafted; nothing public yet.
    case draft
    /// Published and logged: strata, quotas, team size, beacon source and the secret's commitment are fixed.
    case announced
    /// Both rosters frozen and their roots logged, before the beacon value exists.
    case frozen
    /// The beacon value has been entered by one officer and confirmed by another.
    case beacon
    /// The secret revealed, dr-v1 run, the draw published and its inspections created.
    case drawn
    /// The secret was not revealed by its deadline: the plan can never be drawn, and says so publicly.
    case forfeited
}

public enum PlanStep: Sendable, Equatable {
    /// Changing the draft.
    case edit
    case announce
    case freeze
    case enterBeacon
    case draw
}

public enum PlanMachine {
    /// The state `step` leads to from `state`, or the reason it cannot be taken now.
    public static func next(_ state: PlanState, _ step: PlanStep) throws(DomainError) -> PlanState {
        let named = ["state": state.rawValue]
        switch (step, state) {
        case (.edit, .draft): return .draft
        case (.announce, .draft): return .announced
        case (.edit, _), (.announce, _): throw DomainError(.plan.announced)
        case (.freeze, .announced): return .frozen
        case (.freeze, .draft): throw DomainError(.plan.notAnnounced, named)
        case (.freeze, _): throw DomainError(.plan.rosterFrozen)
        case (.enterBeacon, .frozen): return .beacon
        case (.enterBeacon, .beacon), (.enterBeacon, .drawn): throw DomainError(.plan.beaconEntered, named)
        case (.enterBeacon, _): throw DomainError(.plan.notFrozen, named)
        case (.draw, .beacon): return .drawn
        case (.draw, .forfeited): throw DomainError(.plan.forfeited)
        case (.draw, .drawn): throw DomainError(.draw.done)
        case (.draw, _): throw DomainError(.draw.noBeaconPlanState, named)
        }
    }

    /// Whether a plan can no longer be drawn and is forfeited, at `now` (ISO 8601 UTC text, which sorts as time):
    /// a beacon value stood and the secret was not revealed by `revealDue`; or the value never stood and the
    /// confirmation window after the beacon became available (`confirmationDue`) has passed.
    public static func forfeits(_ state: PlanState, revealDue: String?, confirmationDue: String, now: String) -> Bool {
        switch state {
        case .beacon: revealDue.map { now > $0 } ?? false
        case .frozen: now > confirmationDue
        default: false
        }
    }
}
