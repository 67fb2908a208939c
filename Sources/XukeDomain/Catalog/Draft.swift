import Foundation

/// One change a draft edition makes to the edition it starts from (docs/DOMAIN.md §1).
public struct DraftAction: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case cancel
        case merge
        case delegate
        case moveToCCC = "move_to_ccc"
        case add
    }

    public var kind: Kind
    /// A category number ("10") or a unit number ("1001"); for `add`, the new unit's number.
    public var subjectNo: String
    /// merge: the category merged into; delegate: the authority level handed to; move_to_ccc: the day CCC becomes
    /// mandatory; add: the category the new unit joins.
    public var target: String
    /// add: the new unit's names.
    public var nameZh: String
    public var nameEn: String
    public var note: String

    public init(kind: Kind, subjectNo: String, target: String = "", nameZh: String = "", nameEn: String = "", note: String = "") {
        self.kind = kind
        self.subjectNo = subjectNo
        self.target = target
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.note = note
    }

    enum CodingKeys: String, CodingKey { case kind, subjectNo, target, nameZh, nameEn, note }

    /// Only the kind and the subject are required; the rest depend on the kind.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try c.decode(Kind.self, forKey: .kind), subjectNo: try c.decode(String.self, forKey: .subjectNo),
                  target: try c.decodeIfPresent(String.self, forKey: .target) ?? "", nameZh: try c.decodeIfPresent(String.self, forKey: .nameZh) ?? "",
                  nameEn: try c.decodeIfPresent(String.self, forKey: .nameEn) ?? "", note: try c.decodeIfPresent(String.self, forKey: .note) ?? "")
    }

    /// The units of `base` the action takes (all of a category's when it names a category). Checks the action.
    public func units(in base: CatalogEdition) throws -> [CatalogUnit] {
        let category = base.categories.first { $0.categoryNo == subjectNo }
        let unit = base.categories.flatMap(\.units).first { $0.unitNo == subjectNo }
        switch kind {
        case .add:
            guard subjectNo.count == 4, subjectNo.allSatisfy(\.isASCIIDigit) else {
                throw DomainError(.draft.unitNo)
            }
            guard unit == nil else { throw DomainError(.draft.unitExists, ["subject_no": "\(subjectNo)"]) }
            guard !nameZh.isEmpty, !nameEn.isEmpty else { throw DomainError(.draft.unitName) }
            return []
        case .merge:
            guard category != nil, base.categories.contains(where: { $0.categoryNo == target }), target != subjectNo else {
                throw DomainError(.draft.mergeTargetIntoAnother)
            }
        case .delegate:
            guard AuthorityLevel(rawValue: target) != nil else {
                throw DomainError(.draft.delegateLevel)
            }
        case .moveToCCC:
            guard CivilDate(target) != nil else {
                throw DomainError(.draft.cccDate)
            }
        case .cancel: break
        }
        if let category { return category.units }
        if let unit { return [unit] }
        throw DomainError(.draft.unknownSubject, ["code": "\(base.code)", "subject_no": "\(subjectNo.prefix(8))"])
    }
}

/// A draft edition applied: the edition it would publish, and what it does to the licenses in force.
public struct DraftImpact: Sendable, Equatable, Codable {
    /// A license in force as the impact reads it.
    public struct License: Sendable, Equatable, Codable {
        public var uscc: String
        public var number: String
        public var province: String
        public var units: [String]
        public init(uscc: String, number: String, province: String, units: [String]) {
            self.uscc = uscc
            self.number = number
            self.province = province
            self.units = units
        }
    }

    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// Every unit of the license leaves licensing: the license ends on the in-force day.
        case ends
        /// Some units leave; the license goes on with the rest.
        case narrowed
        /// The product needs a CCC certificate by the mandatory day instead.
        case movesToCCC = "moves_to_ccc"
        /// The license stays; another authority level takes the category over.
        case otherAuthority = "other_authority"
        /// The license stays; its units now sit in the category they were merged into.
        case merged
    }

    public struct ActionImpact: Sendable, Equatable, Codable {
        public var position: Int
        public var action: DraftAction
        public var units: [String]
        public var licenses: Int
        public var enterprises: Int
        public var byProvince: [String: Int]
        public var outcomes: [String: Int]
        /// For cancellations: the makers who leave licensing, and the yearly spot-check quota their strata get by default.
        public var delicensedMakers: Int
        public var delicensedQuota: Int
    }

    public struct Affected: Sendable, Equatable, Codable {
        public var uscc: String
        public var number: String
        public var province: String
        public var position: Int
        public var outcome: Outcome
        public var detail: String
    }

    public var edition: CatalogEdition
    public var actions: [ActionImpact]
    public var affected: [Affected]

    /// Applies `actions` to `base` in order, as edition `code` in force from `inForce`, and measures each against
    /// `licenses`. `quota` gives the default spot-check quota of a stratum of de-licensed makers of a given size.
    public static func compute(base: CatalogEdition, code: String, inForce: CivilDate, actions: [DraftAction], licenses: [License],
                               quota: (Int) -> Int) throws -> DraftImpact {
        var edition = base
        edition.code = code
        edition.inForce = inForce
        edition.instrument = ""
        var taken: [Int: Set<String>] = [:]
        var touched = Set<String>()
        for (i, a) in actions.enumerated() {
            let units = try a.units(in: base)
            guard a.kind != .add || !touched.contains(a.subjectNo) else {
                throw DomainError(.draft.twiceAdded, ["line": "\(i + 1)"])
            }
            if a.kind == .add { touched.insert(a.subjectNo) }
            guard touched.isDisjoint(with: units.map(\.unitNo)) else {
                throw DomainError(.draft.twiceTaken, ["line": "\(i + 1)"])
            }
            touched.formUnion(units.map(\.unitNo))
            taken[i] = Set(units.map(\.unitNo))
            switch a.kind {
            case .cancel, .moveToCCC:
                for c in edition.categories.indices { edition.categories[c].units.removeAll { taken[i]!.contains($0.unitNo) } }
            case .delegate:
                let level = AuthorityLevel(rawValue: a.target)!
                for c in edition.categories.indices {
                    for u in edition.categories[c].units.indices where taken[i]!.contains(edition.categories[c].units[u].unitNo) {
                        edition.categories[c].units[u].authority = level
                    }
                }
            case .merge:
                guard let from = edition.categories.firstIndex(where: { $0.categoryNo == a.subjectNo }),
                      let into = edition.categories.firstIndex(where: { $0.categoryNo == a.target }) else {
                    throw DomainError(.draft.mergeTargetTaken)
                }
                edition.categories[into].units += edition.categories[from].units
                edition.categories.remove(at: from)
            case .add:
                guard let c = edition.categories.firstIndex(where: { $0.categoryNo == a.target }) else {
                    throw DomainError(.draft.addCategory)
                }
                let authority = edition.categories[c].authority
                edition.categories[c].units.append(CatalogUnit(unitNo: a.subjectNo, nameZh: a.nameZh, nameEn: a.nameEn, authority: authority,
                                                               commitmentRoute: .unconfirmed, confidence: "draft"))
            }
        }
        edition.categories.removeAll { $0.units.isEmpty }

        let leaving = Set(actions.indices.filter { [.cancel, .moveToCCC].contains(actions[$0].kind) }.flatMap { taken[$0]! })
        var impacts = actions.enumerated().map { i, a in
            ActionImpact(position: i + 1, action: a, units: taken[i]!.sorted(), licenses: 0, enterprises: 0, byProvince: [:], outcomes: [:],
                         delicensedMakers: 0, delicensedQuota: 0)
        }
        var affected: [Affected] = []
        var delicensedByAction: [Int: [String: Set<String>]] = [:]
        for l in licenses {
            let held = Set(l.units)
            for (i, a) in actions.enumerated() where !held.isDisjoint(with: taken[i]!) {
                let outcome: Outcome
                switch a.kind {
                case .cancel: outcome = held.isSubset(of: leaving) ? .ends : .narrowed
                case .moveToCCC: outcome = held.isSubset(of: leaving) ? .ends : .movesToCCC
                case .delegate: outcome = .otherAuthority
                case .merge: outcome = .merged
                case .add: continue
                }
                impacts[i].licenses += 1
                impacts[i].byProvince[l.province, default: 0] += 1
                impacts[i].outcomes[outcome.rawValue, default: 0] += 1
                if a.kind == .cancel { delicensedByAction[i, default: [:]][l.province, default: []].insert(l.uscc) }
                affected.append(Affected(uscc: l.uscc, number: l.number, province: l.province, position: i + 1, outcome: outcome,
                                         detail: held.intersection(taken[i]!).sorted().joined(separator: " ") + (a.kind == .moveToCCC ? " → CCC \(a.target)" : a.target.isEmpty ? "" : " → \(a.target)")))
            }
        }
        for i in impacts.indices {
            impacts[i].enterprises = Set(affected.filter { $0.position == i + 1 }.map(\.uscc)).count
            // One stratum of de-licensed makers per province: each gets its own default quota.
            let byProvince = delicensedByAction[i] ?? [:]
            impacts[i].delicensedMakers = byProvince.values.reduce(0) { $0 + $1.count }
            impacts[i].delicensedQuota = byProvince.values.reduce(0) { $0 + quota($1.count) }
        }
        return DraftImpact(edition: edition, actions: impacts, affected: affected)
    }
}
