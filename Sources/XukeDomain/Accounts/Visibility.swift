/// Which records a caller may see, by role and jurisdiction: one policy that every query over jurisdiction-bound
/// rows applies in SQL (XukeStorage's `visibilityClause`, so no route can forget it) and that checks on a record
/// already read apply with `admits`.
public enum Visibility: Sendable, Equatable {
    case everything
    /// Records whose division code starts with this prefix (a province, prefecture or county).
    case divisions(prefix: String)
    /// One enterprise's own records.
    case enterprise(uscc: String)
    case nothing

    /// What a role sees: administrators everything; officers their jurisdiction (national officers everything);
    /// an enterprise its own records; verifiers, labs and agencies nothing by jurisdiction (they see what they are
    /// assigned, registered or scoped to, which other rules decide).
    public static func of(role: Role, jurisdiction: String?, enterprise: String?) -> Visibility {
        switch role {
        case .administrator: .everything
        case .officer: jurisdiction.map { .divisions(prefix: Jurisdiction(divisionCode: $0).prefix) } ?? .everything
        case .enterprise: enterprise.map { .enterprise(uscc: $0) } ?? .nothing
        case .verifier, .lab, .agency: .nothing
        }
    }

    /// Whether a record of this division and enterprise may be seen.
    public func admits(division: String, uscc: String) -> Bool {
        switch self {
        case .everything: true
        case .divisions(let prefix): division.hasPrefix(prefix)
        case .enterprise(let own): own == uscc
        case .nothing: false
        }
    }
}
