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
}
