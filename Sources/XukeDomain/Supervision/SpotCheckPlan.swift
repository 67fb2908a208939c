public import Foundation

/// How likely a target is to have problems; high-risk targets get their own strata and larger quotas.
public enum RiskClass: String, Sendable, Codable, CaseIterable {
    case low, normal, high
}

/// One cell of a plan: targets of one kind, category, region and risk class, and how many of them to draw.
public struct Stratum: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Holders of a license in force.
        case licensed
        /// Makers of products that left the catalog: no license any more, checked more often instead.
        case delicensed
    }

    public var kind: Kind
    /// Two-digit catalog category.
    public var category: String
    /// A division code; targets whose county lies under it belong here.
    public var region: String
    /// Nil: any risk class.
    public var risk: RiskClass?
    public var quota: Int

    public init(kind: Kind, category: String, region: String, risk: RiskClass? = nil, quota: Int) {
        self.kind = kind
        self.category = category
        self.region = region
        self.risk = risk
        self.quota = quota
    }

    /// The stratum's name in the published plan and rosters, e.g. `L-10-440300-high`.
    public var key: String { "\(kind == .licensed ? "L" : "D")-\(category)-\(region)-\(risk?.rawValue ?? "any")" }

    public func covers(kind: Kind, category: String, county: String, risk: RiskClass) -> Bool {
        self.kind == kind && self.category == category && Jurisdiction(divisionCode: region).contains(divisionCode: county)
            && (self.risk == nil || self.risk == risk)
    }
}

/// The public source of randomness, named before the rosters are frozen and read only after.
public struct BeaconSource: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// drand's quicknet chain: one round every 3 s since its genesis; the round's randomness is the value.
        case drandQuicknet = "drand-quicknet"
        /// A public lottery draw on a given day; the winning numbers, as published, are the value.
        case lottery
    }

    public var source: Kind
    public var round: Int?
    public var name: String?
    public var date: CivilDate?

    public init(source: Kind, round: Int? = nil, name: String? = nil, date: CivilDate? = nil) {
        self.source = source
        self.round = round
        self.name = name
        self.date = date
    }

    static let quicknetGenesis: Int64 = 1_692_803_367
    static let quicknetPeriod: Int64 = 3
    /// Round 10^12 falls about 95,000 years after quicknet's genesis.
    public static let maxRound = 1_000_000_000_000

    /// The earliest moment the value can exist: the round's time, or the lottery day's start in China.
    public var availableAt: Date {
        switch source {
        case .drandQuicknet:
            // Rounds are bounded (`maxRound`) where plans are checked; clamped here too so no caller can overflow.
            Date(timeIntervalSince1970: TimeInterval(Self.quicknetGenesis + (Int64(min(max(round ?? 1, 1), Self.maxRound)) - 1) * Self.quicknetPeriod))
        case .lottery:
            Date(timeIntervalSince1970: TimeInterval(date?.startInChina ?? CivilDate(dayNumber: 0).startInChina))
        }
    }

    /// The first quicknet round after a moment, for suggesting a round a day or so ahead.
    public static func quicknetRound(after date: Date) -> Int {
        Int((Int64(date.timeIntervalSince1970) - quicknetGenesis) / quicknetPeriod) + 2
    }

    public var problems: [LocalizedText] {
        switch source {
        case .drandQuicknet:
            guard let round, (1...Self.maxRound).contains(round) else { return [LocalizedText(zh: "请填写drand轮次（不超过10^12的正整数）", en: "Give the drand round, a positive integer up to 10^12")] }
            return name == nil && date == nil ? [] : [LocalizedText(zh: "drand信标只需轮次", en: "A drand beacon takes only a round")]
        case .lottery:
            var out: [LocalizedText] = []
            if (name ?? "").trimmingCharacters(in: .whitespaces).isEmpty || (name ?? "").count > 100 {
                out.append(LocalizedText(zh: "请填写彩票名称（100字以内）", en: "Name the lottery (at most 100 characters)"))
            }
            if date == nil { out.append(LocalizedText(zh: "请填写开奖日期", en: "Give the lottery's draw date")) }
            if round != nil { out.append(LocalizedText(zh: "彩票信标不需要轮次", en: "A lottery beacon has no round")) }
            return out
        }
    }
}

/// A double-random spot-check plan as an authority drafts it (docs/FORMATS.md §3, docs/DOMAIN.md §9).
public struct SpotCheckPlan: Sendable, Codable, Equatable {
    public static let minimumTeam = 2
    /// Share of a stratum's targets drawn when the organiser leaves its quota to the platform. The proportions are
    /// local choices (docs/DOMAIN.md §9); products that left the catalog are checked twice as often as licensed ones.
    public static let defaultRates: [Stratum.Kind: Double] = [.licensed: 0.05, .delicensed: 0.10]
    /// How much more often a high-risk stratum is checked by default.
    public static let highRiskFactor = 2.0

    /// The default quota of a stratum with `targets` in it: its kind's rate, times the factor when high-risk, rounded
    /// up, and at least one when there is anyone to check.
    public static func defaultQuota(targets: Int, kind: Stratum.Kind, risk: RiskClass?) -> Int {
        let rate = defaultRates[kind]! * (risk == .high ? highRiskFactor : 1)
        return targets == 0 ? 0 : max(1, Int((Double(targets) * rate).rounded(.up)))
    }

    /// Public identifier, e.g. `GD-2026-Q2-07`.
    public var code: String
    public var titleZh: String
    public var titleEn: String
    public var strata: [Stratum]
    public var teamSize: Int
    /// Inspection items per category: what the teams check.
    public var items: [String: [String]]
    public var beacon: BeaconSource
    /// SHA-256 (hex) of the organiser's secret, revealed only after the beacon value is known.
    public var commit: String
    /// Working days after an inspection ends within which its result must be published.
    public var publishWithinDays: Int

    public init(code: String, titleZh: String, titleEn: String, strata: [Stratum], teamSize: Int, items: [String: [String]],
                beacon: BeaconSource, commit: String, publishWithinDays: Int = 20) {
        self.code = code
        self.titleZh = titleZh
        self.titleEn = titleEn
        self.strata = strata
        self.teamSize = teamSize
        self.items = items
        self.beacon = beacon
        self.commit = commit
        self.publishWithinDays = publishWithinDays
    }

    /// Everything wrong with the plan, in both languages; empty when it may be published.
    public func problems(jurisdiction: Jurisdiction, categories: Set<String>) -> [LocalizedText] {
        var out: [LocalizedText] = []
        if code.range(of: #"^[A-Z0-9][A-Z0-9-]{2,39}$"#, options: .regularExpression) == nil {
            out.append(LocalizedText(zh: "计划编号为3–40位大写字母、数字或连字符", en: "The plan code is 3–40 capital letters, digits or hyphens"))
        }
        if titleZh.trimmingCharacters(in: .whitespaces).isEmpty || titleEn.trimmingCharacters(in: .whitespaces).isEmpty
            || titleZh.count > 200 || titleEn.count > 200 {
            out.append(LocalizedText(zh: "请填写中英文计划名称（各200字以内）", en: "Give the plan's title in Chinese and English (at most 200 characters each)"))
        }
        if teamSize < Self.minimumTeam || teamSize > 10 {
            out.append(LocalizedText(zh: "检查组至少\(Self.minimumTeam)人（最多10人）", en: "A team has at least \(Self.minimumTeam) inspectors (at most 10)"))
        }
        if strata.isEmpty || strata.count > 2_000 {
            out.append(LocalizedText(zh: "请列出1至2000个抽查层级", en: "List between 1 and 2000 strata"))
        }
        var keys = Set<String>()
        for s in strata {
            if !keys.insert(s.key).inserted {
                out.append(LocalizedText(zh: "层级\(s.key)重复", en: "Stratum \(s.key) is listed twice"))
            }
            if !categories.contains(s.category) {
                out.append(LocalizedText(zh: "层级\(s.key)的产品类别\(s.category)不存在", en: "Stratum \(s.key): there is no category \(s.category)"))
            }
            if !(s.region.count == 6 && s.region.allSatisfy(\.isASCII) && s.region.allSatisfy(\.isNumber))
                || !jurisdiction.contains(divisionCode: s.region) {
                out.append(LocalizedText(zh: "层级\(s.key)的地区不在本机关辖区内", en: "Stratum \(s.key): the region is outside this authority's jurisdiction"))
            }
            if s.quota < 0 || s.quota > 1_000_000 {
                out.append(LocalizedText(zh: "层级\(s.key)的抽取数应为0至1000000", en: "Stratum \(s.key): the quota must be 0 to 1000000"))
            }
        }
        for (category, list) in items {
            if !categories.contains(category) || list.isEmpty || list.count > 100 || list.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 200 }) {
                out.append(LocalizedText(zh: "类别\(category)的检查项目应为1至100项、每项200字以内", en: "Category \(category): list 1 to 100 inspection items of at most 200 characters"))
            }
        }
        for s in strata where items[s.category] == nil {
            out.append(LocalizedText(zh: "请为类别\(s.category)列出检查项目", en: "List the inspection items for category \(s.category)"))
            break
        }
        if commit.range(of: "^[0-9a-f]{64}$", options: .regularExpression) == nil {
            out.append(LocalizedText(zh: "承诺值应为64位小写十六进制SHA-256", en: "The commitment is a SHA-256 in 64 lower-case hex digits"))
        }
        if publishWithinDays < 1 || publishWithinDays > 60 {
            out.append(LocalizedText(zh: "结果公示期限应为1至60个工作日", en: "Results are published within 1 to 60 working days"))
        }
        return out + beacon.problems
    }

    /// The stratum a target falls in: the first listed that covers it.
    public func stratum(kind: Stratum.Kind, category: String, county: String, risk: RiskClass) -> Stratum? {
        strata.first { $0.covers(kind: kind, category: category, county: county, risk: risk) }
    }
}

/// How risky an enterprise counts for a draw (docs/DOMAIN.md §9: problems mean more checks). Its record over the
/// last `windowDays` days decides, a project decision where the law names no period.
public enum RiskPolicy {
    public static let windowDays = 730

    /// The first day of the record a draw on `today` looks at.
    public static func since(_ today: CivilDate) -> CivilDate { today.adding(days: -windowDays) }

    /// What is known of an enterprise over the window.
    public struct Record: Sendable, Equatable {
        /// Checked at least once (a concluded inspection).
        public var inspected = false
        /// Any of those checks failed.
        public var failed = false
        /// It reported an accident.
        public var accident = false
        /// It stands on a credit list today.
        public var listed = false
        public init(inspected: Bool = false, failed: Bool = false, accident: Bool = false, listed: Bool = false) {
            (self.inspected, self.failed, self.accident, self.listed) = (inspected, failed, accident, listed)
        }
    }

    /// High after a failed check, an accident or a credit listing; low when checked and never failed; normal when
    /// nothing is known.
    public static func risk(_ r: Record) -> RiskClass {
        if r.listed || r.failed || r.accident { return .high }
        return r.inspected ? .low : .normal
    }
}
