/// A bar on new applications (docs/DOMAIN.md §7): a revoked grant (撤销) bars every product, a withdrawn licence
/// (吊销) the products it covered, each for three years from the decision.
public struct ApplicationBar: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case grantRevoked = "grant_revoked"
        case licenseWithdrawn = "license_withdrawn"
    }

    public static let years = 3

    public var kind: Kind
    /// The units of the licence the bar came from: what a withdrawal bars.
    public var units: Set<String>
    /// The first day the bar no longer holds.
    public var until: CivilDate?

    public init(kind: Kind, units: Set<String>, until: CivilDate?) {
        (self.kind, self.units, self.until) = (kind, units, until)
    }

    /// The first day a bar decided on `day` no longer holds.
    public static func until(decidedOn day: CivilDate) -> CivilDate { day.adding(months: 12 * years) }

    /// Of the units an application asks for, those this bar keeps out.
    public func barred(_ asked: [String]) -> [String] {
        kind == .grantRevoked ? asked : asked.filter(units.contains)
    }

    /// The first bar, in force on `day`, that keeps any asked unit out, with the units it keeps out.
    public static func first(_ bars: [ApplicationBar], barring asked: [String], on day: CivilDate) -> (bar: ApplicationBar, units: [String])? {
        for bar in bars where bar.until.map({ day < $0 }) ?? true {
            let units = bar.barred(asked)
            if !units.isEmpty { return (bar, units) }
        }
        return nil
    }
}
