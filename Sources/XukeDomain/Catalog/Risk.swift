import Foundation

/// The records a risk score is computed from, for one category or unit and one year.
public struct RiskInputs: Sendable, Equatable, Codable {
    /// Enterprises whose license covered it at some time in the year.
    public var makers: Int
    /// Concluded spot checks drawn at random ("double random"), and how many of them failed.
    public var checks: Int
    public var failures: Int
    public var accidents: Int
    public var deaths: Int
    public var recalls: Int
    /// Complaints and whistle-blower reports naming a maker.
    public var complaints: Int
    public var enforcement: Int

    public init(makers: Int = 0, checks: Int = 0, failures: Int = 0, accidents: Int = 0, deaths: Int = 0, recalls: Int = 0,
                complaints: Int = 0, enforcement: Int = 0) {
        self.makers = makers
        self.checks = checks
        self.failures = failures
        self.accidents = accidents
        self.deaths = deaths
        self.recalls = recalls
        self.complaints = complaints
        self.enforcement = enforcement
    }

    public static func + (a: RiskInputs, b: RiskInputs) -> RiskInputs {
        RiskInputs(makers: a.makers + b.makers, checks: a.checks + b.checks, failures: a.failures + b.failures, accidents: a.accidents + b.accidents,
                   deaths: a.deaths + b.deaths, recalls: a.recalls + b.recalls, complaints: a.complaints + b.complaints,
                   enforcement: a.enforcement + b.enforcement)
    }
}

/// A proportion with its 95 % Wilson score interval, which stays inside [0, 1] and behaves for small samples
/// and for no failures at all, where the normal approximation does not.
public struct Proportion: Sendable, Equatable, Codable {
    public var rate: Double?
    public var lower: Double
    public var upper: Double

    public static let z = 1.959963984540054

    public init(_ successes: Int, of n: Int) {
        guard n > 0 else {
            (rate, lower, upper) = (nil, 0, 1)
            return
        }
        let p = Double(successes) / Double(n), nn = Double(n), z2 = Self.z * Self.z
        let denominator = 1 + z2 / nn
        let centre = (p + z2 / (2 * nn)) / denominator
        let half = Self.z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / denominator
        (rate, lower, upper) = (p, max(0, centre - half), min(1, centre + half))
    }
}

/// The risk score of a category or unit in a year, 0 (no sign of risk) to 100.
///
///     score = 100 × (0.40·F + 0.20·s(A) + 0.15·s(R) + 0.10·s(C) + 0.15·s(E))
///
/// F is the upper end of the 95 % Wilson interval of the spot-check failure rate, so a product checked rarely
/// cannot look safe by chance (never checked: F = 1). A, R, C and E are accident load (reports plus four per
/// death), recalls, complaints and enforcement actions per 100 makers, and s(x) = x / (x + 5) turns each into
/// a share: 5 per 100 makers counts half. With no makers, any record at all counts in full.
public struct RiskScore: Sendable, Equatable, Codable {
    public static let weights = (failures: 0.40, accidents: 0.20, recalls: 0.15, complaints: 0.10, enforcement: 0.15)
    public static let halfAt = 5.0
    public static let deathWeight = 4

    public var inputs: RiskInputs
    public var failureRate: Proportion
    /// Each part of the score, already weighted, in points out of 100.
    public var parts: [String: Double]
    public var score: Double

    public init(_ inputs: RiskInputs) {
        self.inputs = inputs
        failureRate = Proportion(inputs.failures, of: inputs.checks)
        func share(_ count: Int) -> Double {
            guard inputs.makers > 0 else { return count > 0 ? 1 : 0 }
            let per100 = Double(count) * 100 / Double(inputs.makers)
            return per100 / (per100 + Self.halfAt)
        }
        let w = Self.weights
        parts = [
            "failures": 100 * w.failures * failureRate.upper,
            "accidents": 100 * w.accidents * share(inputs.accidents + Self.deathWeight * inputs.deaths),
            "recalls": 100 * w.recalls * share(inputs.recalls),
            "complaints": 100 * w.complaints * share(inputs.complaints),
            "enforcement": 100 * w.enforcement * share(inputs.enforcement),
        ]
        score = parts.values.reduce(0, +)
    }

    public static let partNames = ["failures", "accidents", "recalls", "complaints", "enforcement"]
}

/// A year's records, as they are attributed to categories and units: each enterprise's records count once for every
/// category and every unit its license covered that year. A spot check names its category; within it the check
/// counts for the enterprise's units of that category. Records of enterprises without such a license are counted
/// as unattributed and shown as such, not dropped silently.
public struct RiskRecords: Sendable {
    public struct Unit: Sendable, Hashable {
        public var unitNo: String
        public var categoryNo: String
        public init(unitNo: String, categoryNo: String) {
            self.unitNo = unitNo
            self.categoryNo = categoryNo
        }
    }

    public enum Kind: Sendable { case accident(deaths: Int), recall, complaint, enforcement }

    public var licensed: [String: Set<Unit>] = [:]
    public var checks: [(uscc: String, category: String, failed: Bool)] = []
    public var records: [(uscc: String, kind: Kind)] = []

    public init() {}

    public struct Tally: Sendable {
        public var categories: [String: RiskInputs] = [:]
        public var units: [String: RiskInputs] = [:]
        public var unattributed = 0
    }

    public func tally() -> Tally {
        var t = Tally()
        for units in licensed.values {
            for c in Set(units.map(\.categoryNo)) { t.categories[c, default: .init()].makers += 1 }
            for u in units { t.units[u.unitNo, default: .init()].makers += 1 }
        }
        for check in checks {
            t.categories[check.category, default: .init()].checks += 1
            t.categories[check.category, default: .init()].failures += check.failed ? 1 : 0
            for u in licensed[check.uscc, default: []] where u.categoryNo == check.category {
                t.units[u.unitNo, default: .init()].checks += 1
                t.units[u.unitNo, default: .init()].failures += check.failed ? 1 : 0
            }
        }
        for (uscc, kind) in records {
            guard let units = licensed[uscc], !units.isEmpty else {
                t.unattributed += 1
                continue
            }
            func add(_ inputs: inout RiskInputs) {
                switch kind {
                case .accident(let deaths):
                    inputs.accidents += 1
                    inputs.deaths += deaths
                case .recall: inputs.recalls += 1
                case .complaint: inputs.complaints += 1
                case .enforcement: inputs.enforcement += 1
                }
            }
            for c in Set(units.map(\.categoryNo)) { add(&t.categories[c, default: .init()]) }
            for u in units { add(&t.units[u.unitNo, default: .init()]) }
        }
        return t
    }
}
