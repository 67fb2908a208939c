/// Which authority handles an application (docs/DOMAIN.md §1, §4): the edition in force on the
/// submission date decides the level; provincial cases go to the enterprise's province, or to a
/// prefecture or county bureau the province chose where the edition still allows that.
public enum Routing {
    /// The handling authority: `national`, or the division code of a provincial, prefecture or county bureau.
    public static let national = "national"

    public struct Delegation: Sendable, Equatable, Codable {
        public var province: String
        public var categoryNo: String
        public var divisionCode: String
        public init(province: String, categoryNo: String, divisionCode: String) {
            self.province = province
            self.categoryNo = categoryNo
            self.divisionCode = divisionCode
        }
    }

    public struct Unit: Sendable, Equatable, Codable {
        public var unitNo: String
        public var categoryNo: String
        public var nameZh: String
        public var nameEn: String
        public var commitmentEligible: Bool
    }

    public struct Decision: Sendable, Equatable {
        public var edition: String
        public var authority: String
        public var units: [Unit]

        public init(edition: String, authority: String, units: [Unit]) {
            self.edition = edition
            self.authority = authority
            self.units = units
        }

        /// True when every unit may take the commitment route.
        public var commitmentEligible: Bool { units.allSatisfy(\.commitmentEligible) }
    }

    /// Refuses units that moved to CCC (pointing there) or are not licensed at all (saying no license is needed).
    public static func route(units: [String], enterpriseDivision: String, on date: CivilDate,
                             editions: [CatalogEdition], actions: [ReformAction],
                             delegations: [Delegation], delegationBelowProvince: Bool) throws(DomainError) -> Decision {
        guard let edition = editions.filter({ $0.inForce <= date }).max(by: { $0.inForce < $1.inForce }) else {
            throw DomainError(.routing.noEdition, ["date": "\(date)"])
        }
        var out: [Unit] = []
        var levels = Set<AuthorityLevel>()
        var categories = Set<String>()
        for no in units {
            let answer = Licensability.evaluate(unitNo: no, on: date, editions: editions, actions: actions)
            guard answer.licensable, let level = answer.authority, let (category, unit) = edition.unit(no) else {
                if let moved = answer.appliedActions.first(where: { $0.kind == .moveToCCC })
                    ?? actions.first(where: { $0.kind == .moveToCCC && $0.effective <= date && $0.subjectNo == no }) {
                    throw DomainError(.routing.movedToCcc, ["no": "\(no)", "effective": "\(moved.effective)", "instrument": "\(moved.instrument)"])
                }
                throw DomainError(.routing.notLicensed, ["no": "\(no)", "date": "\(date)", "code": "\(edition.code)"])
            }
            levels.insert(level)
            categories.insert(category.categoryNo)
            out.append(Unit(unitNo: no, categoryNo: category.categoryNo, nameZh: unit.nameZh, nameEn: unit.nameEn,
                            commitmentEligible: answer.commitmentRoute == .yes))
        }
        guard levels.count <= 1 else {
            throw DomainError(.routing.mixedAuthorities)
        }
        let province = String(enterpriseDivision.prefix(2)) + "0000"
        var authority = levels.first == .national ? national : province
        if authority == province && delegationBelowProvince {
            // The most specific bureau the province named for every category applied for.
            let candidates = delegations.filter { d in
                d.province == province && Jurisdiction(divisionCode: d.divisionCode).contains(divisionCode: enterpriseDivision)
            }
            let common = candidates.filter { d in categories.allSatisfy { c in candidates.contains { $0.divisionCode == d.divisionCode && $0.categoryNo == c } } }
            if let best = common.max(by: { Jurisdiction(divisionCode: $0.divisionCode).prefix.count < Jurisdiction(divisionCode: $1.divisionCode).prefix.count }) {
                authority = best.divisionCode
            }
        }
        return Decision(edition: edition.code, authority: authority, units: out)
    }
}
