/// Which level of licensing authority decides for a category.
public enum AuthorityLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case national
    case provincial
    case prefecture
    case county

    var rank: Int {
        switch self {
        case .national: 0
        case .provincial: 1
        case .prefecture: 2
        case .county: 3
        }
    }

    public static func < (a: AuthorityLevel, b: AuthorityLevel) -> Bool { a.rank < b.rank }
}

/// Whether a unit may take the commitment route (告知承诺). Where the source is silent the value is
/// `unconfirmed`, and the licensing setting decides how to treat it.
public enum CommitmentEligibility: String, Sendable, Codable, CaseIterable {
    case yes
    case no
    case unconfirmed
}

public struct CatalogUnit: Sendable, Equatable, Codable {
    public var unitNo: String
    public var nameZh: String
    public var nameEn: String
    public var authority: AuthorityLevel
    public var commitmentRoute: CommitmentEligibility
    public var confidence: String

    public init(unitNo: String, nameZh: String, nameEn: String, authority: AuthorityLevel,
                commitmentRoute: CommitmentEligibility, confidence: String) {
        self.unitNo = unitNo
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.authority = authority
        self.commitmentRoute = commitmentRoute
        self.confidence = confidence
    }
}

public struct CatalogCategory: Sendable, Equatable, Codable {
    public var categoryNo: String
    public var nameZh: String
    public var nameEn: String
    public var units: [CatalogUnit]

    public init(categoryNo: String, nameZh: String, nameEn: String, units: [CatalogUnit]) {
        self.categoryNo = categoryNo
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.units = units
    }

    /// A category's authority is its units' (they agree in every known edition; the highest wins otherwise).
    public var authority: AuthorityLevel { units.map(\.authority).min() ?? .provincial }
}

/// One edition of the catalog with its units: the content an authority imports and exports as CSV.
public struct CatalogEdition: Sendable, Equatable, Codable {
    public var code: String
    public var instrument: String
    public var inForce: CivilDate
    public var categories: [CatalogCategory]

    public init(code: String, instrument: String, inForce: CivilDate, categories: [CatalogCategory]) {
        self.code = code
        self.instrument = instrument
        self.inForce = inForce
        self.categories = categories
    }

    public var unitCount: Int { categories.reduce(0) { $0 + $1.units.count } }

    public func unit(_ unitNo: String) -> (CatalogCategory, CatalogUnit)? {
        for c in categories {
            if let u = c.units.first(where: { $0.unitNo == unitNo }) { return (c, u) }
        }
        return nil
    }
}

/// A step in the catalog's history: every edition, including those known only by their totals.
/// A category's or unit's names, and the category it sits in (a category's own number for a category).
public struct CatalogName: Sendable, Equatable {
    public var zh: String
    public var en: String
    public var categoryNo: String

    public func text(english: Bool) -> String { english ? en : zh }
}

extension Sequence where Element == CatalogEdition {
    /// Every category and unit these editions name (category numbers have two digits, units four), the later
    /// edition winning: names stay at hand for numbers that have since left the catalog.
    public func catalogNames() -> [String: CatalogName] {
        var out: [String: CatalogName] = [:]
        for e in self {
            for c in e.categories {
                out[c.categoryNo] = CatalogName(zh: c.nameZh, en: c.nameEn, categoryNo: c.categoryNo)
                for u in c.units { out[u.unitNo] = CatalogName(zh: u.nameZh, en: u.nameEn, categoryNo: c.categoryNo) }
            }
        }
        return out
    }
}

public struct EditionSummary: Sendable, Equatable, Codable {
    public var code: String
    public var instrument: String
    public var inForce: CivilDate
    public var categoryCount: Int
    public var nationalCount: Int?
    public var provincialCount: Int?
    public var note: String
    public var hasUnits: Bool

    public init(code: String, instrument: String, inForce: CivilDate, categoryCount: Int,
                nationalCount: Int?, provincialCount: Int?, note: String, hasUnits: Bool) {
        self.code = code
        self.instrument = instrument
        self.inForce = inForce
        self.categoryCount = categoryCount
        self.nationalCount = nationalCount
        self.provincialCount = provincialCount
        self.note = note
        self.hasUnits = hasUnits
    }
}

/// A reform decision on a category or unit, kept as data because new ones arrive with each State Council decision.
public struct ReformAction: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case cancel
        case merge
        case add
        case delegate
        case moveToCCC = "move_to_ccc"
    }

    public var edition: String
    public var kind: Kind
    public var effective: CivilDate
    public var instrument: String
    /// The category or unit acted on; empty when the instrument does not name it.
    public var subjectNo: String
    public var subjectZh: String
    /// For merge, the category merged into; for delegate, the level handed to.
    public var target: String
    public var note: String

    public init(edition: String, kind: Kind, effective: CivilDate, instrument: String,
                subjectNo: String, subjectZh: String, target: String, note: String) {
        self.edition = edition
        self.kind = kind
        self.effective = effective
        self.instrument = instrument
        self.subjectNo = subjectNo
        self.subjectZh = subjectZh
        self.target = target
        self.note = note
    }
}

/// What changed from one edition to another, unit by unit.
public struct EditionDiff: Sendable, Equatable, Codable {
    public struct Change: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable {
            case added
            case removed
            case renamed
            case authorityChanged = "authority_changed"
            case commitmentChanged = "commitment_changed"
        }

        public var kind: Kind
        public var categoryNo: String
        public var unitNo: String
        public var nameZh: String
        public var nameEn: String
        public var before: String
        public var after: String
    }

    public var from: String
    public var to: String
    public var changes: [Change]

    public init(from a: CatalogEdition, to b: CatalogEdition) {
        self.from = a.code
        self.to = b.code
        var changes: [Change] = []
        let before = Dictionary(uniqueKeysWithValues: a.categories.flatMap { c in c.units.map { ($0.unitNo, (c, $0)) } })
        let after = Dictionary(uniqueKeysWithValues: b.categories.flatMap { c in c.units.map { ($0.unitNo, (c, $0)) } })
        for key in Set(before.keys).union(after.keys).sorted() {
            switch (before[key], after[key]) {
            case let (nil, (c, u)?):
                changes.append(Change(kind: .added, categoryNo: c.categoryNo, unitNo: key, nameZh: u.nameZh, nameEn: u.nameEn, before: "", after: u.authority.rawValue))
            case let ((c, u)?, nil):
                changes.append(Change(kind: .removed, categoryNo: c.categoryNo, unitNo: key, nameZh: u.nameZh, nameEn: u.nameEn, before: u.authority.rawValue, after: ""))
            case let ((_, u0)?, (c, u1)?):
                if u0.nameZh != u1.nameZh {
                    changes.append(Change(kind: .renamed, categoryNo: c.categoryNo, unitNo: key, nameZh: u1.nameZh, nameEn: u1.nameEn, before: u0.nameZh, after: u1.nameZh))
                }
                if u0.authority != u1.authority {
                    changes.append(Change(kind: .authorityChanged, categoryNo: c.categoryNo, unitNo: key, nameZh: u1.nameZh, nameEn: u1.nameEn, before: u0.authority.rawValue, after: u1.authority.rawValue))
                }
                if u0.commitmentRoute != u1.commitmentRoute {
                    changes.append(Change(kind: .commitmentChanged, categoryNo: c.categoryNo, unitNo: key, nameZh: u1.nameZh, nameEn: u1.nameEn, before: u0.commitmentRoute.rawValue, after: u1.commitmentRoute.rawValue))
                }
            case (nil, nil):
                break
            }
        }
        self.changes = changes
    }
}

/// The answer to "is unit U licensable on date D, and by whom?".
public struct Licensability: Sendable, Equatable, Codable {
    public var unitNo: String
    public var date: CivilDate
    public var licensable: Bool
    /// The edition applied; nil when no edition with units was in force on that date.
    public var edition: String?
    public var authority: AuthorityLevel?
    public var commitmentRoute: CommitmentEligibility?
    public var unitNameZh: String?
    public var unitNameEn: String?
    /// Reform actions after the edition that changed the answer (e.g. a delegation).
    public var appliedActions: [ReformAction]

    /// Applies the latest edition in force on `date`, then any delegation that took effect after it.
    public static func evaluate(unitNo: String, on date: CivilDate, editions: [CatalogEdition], actions: [ReformAction]) -> Licensability {
        var answer = Licensability(unitNo: unitNo, date: date, licensable: false, edition: nil, authority: nil,
                                   commitmentRoute: nil, unitNameZh: nil, unitNameEn: nil, appliedActions: [])
        guard let edition = editions.filter({ $0.inForce <= date }).max(by: { $0.inForce < $1.inForce }) else { return answer }
        answer.edition = edition.code
        guard let (category, unit) = edition.unit(unitNo) else { return answer }
        answer.licensable = true
        answer.authority = unit.authority
        answer.commitmentRoute = unit.commitmentRoute
        answer.unitNameZh = unit.nameZh
        answer.unitNameEn = unit.nameEn
        let later = actions
            .filter { $0.effective > edition.inForce && $0.effective <= date }
            .filter { $0.subjectNo == unitNo || $0.subjectNo == category.categoryNo }
            .sorted { $0.effective < $1.effective }
        for action in later {
            switch action.kind {
            case .delegate:
                if let level = AuthorityLevel(rawValue: action.target) { answer.authority = level }
            case .cancel, .moveToCCC:
                answer.licensable = false
                answer.authority = nil
            case .merge, .add:
                break
            }
            answer.appliedActions.append(action)
        }
        return answer
    }
}
