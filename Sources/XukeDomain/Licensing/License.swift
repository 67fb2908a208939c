/// The states of the one license an enterprise holds (docs/DOMAIN.md §7–§8).
public enum LicenseStatus: String, Sendable, Codable, CaseIterable {
    case valid
    case suspended
    /// 撤销: the grant itself is withdrawn (fraud, a false commitment, a failed follow-up check).
    case revoked
    /// 注销: ended on request, on dissolution, or after expiry.
    case cancelled
    /// Past its validity without renewal; reached by itself.
    case expired

    public var name: LocalizedText {
        switch self {
        case .valid: LocalizedText(zh: "有效", en: "valid")
        case .suspended: LocalizedText(zh: "暂停", en: "suspended")
        case .revoked: LocalizedText(zh: "撤销", en: "revoked")
        case .cancelled: LocalizedText(zh: "注销", en: "cancelled")
        case .expired: LocalizedText(zh: "过期", en: "expired")
        }
    }

    /// Valid or suspended: the license still stands (一企一证 counts it, it can be changed, suspended or ended).
    public var isInForce: Bool { self == .valid || self == .suspended }

    /// The status on `today` of a license stored as `self` that is valid until `validUntil`.
    public func on(_ today: CivilDate, validUntil: CivilDate) -> LicenseStatus {
        isInForce && today > validUntil ? .expired : self
    }
}

/// `(粤)XK13-006-00123`: province abbreviation (absent when issued nationally), `XK`, 2-digit
/// industry code, 3-digit product code, 5-digit serial.
public struct LicenseNumber: Sendable, Hashable, CustomStringConvertible {
    public var province: String?
    public var industry: String
    public var product: String
    public var serial: Int

    public init(province: String?, industry: String, product: String, serial: Int) {
        self.province = province
        self.industry = industry
        self.product = product
        self.serial = serial
    }

    /// The part shared by every number in one serial sequence.
    public var prefix: String { "\(province.map { "(\($0))" } ?? "")XK\(industry)-\(product)-" }

    public var description: String {
        let digits = String(serial)
        return prefix + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// Reads a number as printed on a certificate: `(粤)XK13-006-00123`, with full-width brackets `（粤）`, or with
    /// the abbreviation bare (`粤XK13-006-00123`); `XK` in either case. Nil for anything else.
    public static func parse(_ text: String) -> LicenseNumber? {
        var rest = Substring(text)
        while rest.first?.isWhitespace == true { rest.removeFirst() }
        while rest.last?.isWhitespace == true { rest.removeLast() }
        var province: String? = nil
        if let open = rest.first, open == "(" || open == "（" {
            let close: Character = open == "(" ? ")" : "）"
            guard let end = rest.firstIndex(of: close) else { return nil }
            province = String(rest[rest.index(after: rest.startIndex)..<end])
            rest = rest[rest.index(after: end)...]
        } else if let first = rest.first, !first.isASCII {
            province = String(first)
            rest = rest.dropFirst()
        }
        if let p = province, p.isEmpty || p.count > 2 || p.contains(where: \.isASCII) { return nil }
        guard rest.uppercased().hasPrefix("XK") else { return nil }
        let parts = rest.dropFirst(2).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 3, parts[2].count == 5,
              parts.joined().allSatisfy({ $0.isASCII && $0.isNumber }), let serial = Int(parts[2]) else { return nil }
        return LicenseNumber(province: province, industry: String(parts[0]), product: String(parts[1]), serial: serial)
    }

    /// Splits "13-006" into industry and product codes.
    public static func codes(_ text: String) -> (industry: String, product: String)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 3,
              parts.joined().allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The code for a unit whose official product code is unknown: the category number as the
    /// industry code and the unit's place in its category as the product code. It is this
    /// project's numbering (docs/DOMAIN.md §1), replaced as soon as an authority records the official one.
    public static func provisionalCode(unitNo: String) -> String {
        let category = String(unitNo.prefix(2))
        let place = Int(unitNo.dropFirst(2)) ?? 0
        let p = String(place)
        return category + "-" + String(repeating: "0", count: max(0, 3 - p.count)) + p
    }
}

/// Time limits and periods, each a setting whose default is docs/DOMAIN.md's.
public struct LicensingRules: Sendable, Codable, Equatable {
    /// Working days the authority has to accept or send one correction notice; silence accepts.
    public var acceptanceDays = 5
    /// Working days from acceptance for the site verification (2016 notice: 15 days).
    public var verificationDays = 15
    /// Working days from acceptance for the whole approval (2016 reform: 30).
    public var decisionDays = 30
    /// Working days from the decision to the certificate.
    public var issuanceDays = 10
    /// Working days after a commitment-route license for the follow-up site verification.
    public var followUpDays = 30
    /// Months before expiry from which renewal is accepted.
    public var renewalWindowMonths = 6
    public var validityYears = 5
    /// A provincial-or-higher spot check passed within this many months spares the renewal test.
    public var spotCheckMonths = 6
    /// Cases due within this many working days appear on the nearly-due list.
    public var nearlyDueDays = 3
    /// Editions in force from this day forbid delegating approval below provincial level (the 2024 catalog).
    public var delegationBelowProvinceUntil = CivilDate(year: 2024, month: 9, day: 25)!

    public init() {}

    /// A stored or submitted setting may name only some limits (or come from an older release); the rest keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LicensingRules()
        acceptanceDays = try c.decodeIfPresent(Int.self, forKey: .acceptanceDays) ?? d.acceptanceDays
        verificationDays = try c.decodeIfPresent(Int.self, forKey: .verificationDays) ?? d.verificationDays
        decisionDays = try c.decodeIfPresent(Int.self, forKey: .decisionDays) ?? d.decisionDays
        issuanceDays = try c.decodeIfPresent(Int.self, forKey: .issuanceDays) ?? d.issuanceDays
        followUpDays = try c.decodeIfPresent(Int.self, forKey: .followUpDays) ?? d.followUpDays
        renewalWindowMonths = try c.decodeIfPresent(Int.self, forKey: .renewalWindowMonths) ?? d.renewalWindowMonths
        validityYears = try c.decodeIfPresent(Int.self, forKey: .validityYears) ?? d.validityYears
        spotCheckMonths = try c.decodeIfPresent(Int.self, forKey: .spotCheckMonths) ?? d.spotCheckMonths
        nearlyDueDays = try c.decodeIfPresent(Int.self, forKey: .nearlyDueDays) ?? d.nearlyDueDays
        delegationBelowProvinceUntil = try c.decodeIfPresent(CivilDate.self, forKey: .delegationBelowProvinceUntil) ?? d.delegationBelowProvinceUntil
    }

    /// Checks every value is usable; a zero or negative limit would make every case overdue at once.
    public func validated() throws(DomainError) -> LicensingRules {
        let limits: [(String, Int, ClosedRange<Int>)] = [
            ("acceptance_days", acceptanceDays, 1...60), ("verification_days", verificationDays, 1...120),
            ("decision_days", decisionDays, 1...120), ("issuance_days", issuanceDays, 1...60),
            ("follow_up_days", followUpDays, 1...250), ("renewal_window_months", renewalWindowMonths, 1...24),
            ("validity_years", validityYears, 1...10), ("spot_check_months", spotCheckMonths, 0...24),
            ("nearly_due_days", nearlyDueDays, 0...30),
        ]
        for (name, value, range) in limits where !range.contains(value) {
            throw DomainError(.settings.outOfRange, ["name": "\(name)", "lower_bound": "\(range.lowerBound)", "upper_bound": "\(range.upperBound)", "value": "\(value)"])
        }
        return self
    }

    /// Last day of validity for a license decided on `decision`.
    public func validUntil(decidedOn decision: CivilDate) -> CivilDate {
        decision.adding(months: 12 * validityYears).adding(days: -1)
    }

    /// First day a renewal is accepted for a license valid until `validUntil`.
    public func renewalOpens(validUntil: CivilDate) -> CivilDate {
        validUntil.adding(months: -renewalWindowMonths)
    }

    /// Refuses a renewal filed outside its window, saying when it is possible.
    public func checkRenewal(on today: CivilDate, validUntil: CivilDate) throws(DomainError) {
        let opens = renewalOpens(validUntil: validUntil)
        if today > validUntil {
            throw DomainError(.renewal.expired, ["valid_until": "\(validUntil)"])
        }
        if today < opens {
            throw DomainError(.renewal.tooEarly, ["renewal_window_months": "\(renewalWindowMonths)", "opens": "\(opens)"])
        }
    }
}

/// Why a statutory clock is stopped; the time does not count toward the limit and the applicant is told.
public enum StopReason: String, Sendable, Codable, CaseIterable {
    case testing
    case expertReview = "expert_review"
    case hearing
    case rectification

    public var name: LocalizedText {
        switch self {
        case .testing: LocalizedText(zh: "检验检测", en: "testing")
        case .expertReview: LocalizedText(zh: "专家评审", en: "expert review")
        case .hearing: LocalizedText(zh: "听证", en: "hearing")
        case .rectification: LocalizedText(zh: "整改", en: "rectification")
        }
    }
}

public struct ClockStop: Sendable, Codable, Equatable {
    public var reason: StopReason
    /// First day not counted.
    public var from: CivilDate
    /// The day the clock runs again; nil while stopped.
    public var until: CivilDate?

    public init(reason: StopReason, from: CivilDate, until: CivilDate?) {
        self.reason = reason
        self.from = from
        self.until = until
    }
}

/// A time limit counted in working days from a start date, extended by the working days the clock stood still.
public struct StatutoryClock: Sendable, Equatable {
    public var start: CivilDate
    public var limit: Int
    public var stops: [ClockStop]

    public init(start: CivilDate, limit: Int, stops: [ClockStop] = []) {
        self.start = start
        self.limit = limit
        self.stops = stops
    }

    /// Working days not counted up to `today` (an open stop counts through today).
    public func stoppedDays(today: CivilDate, calendar: WorkCalendar) -> Int {
        stops.reduce(0) { sum, stop in
            let last = stop.until.map { $0.adding(days: -1) } ?? today
            return sum + calendar.workingDays(from: stop.from.adding(days: -1), to: last).workingDays
        }
    }

    public func isStopped(today: CivilDate) -> Bool {
        stops.contains { $0.until == nil && $0.from <= today }
    }

    public func deadline(today: CivilDate, calendar: WorkCalendar) -> WorkCalendar.Result {
        calendar.adding(workingDays: limit + stoppedDays(today: today, calendar: calendar), to: start)
    }

    /// Working days left until the deadline (negative when overdue: working days past it).
    public func daysLeft(today: CivilDate, calendar: WorkCalendar) -> (days: Int, deadline: WorkCalendar.Result) {
        let due = deadline(today: today, calendar: calendar)
        if today <= due.date {
            return (calendar.workingDays(from: today, to: due.date).workingDays, due)
        }
        return (-calendar.workingDays(from: due.date, to: today).workingDays, due)
    }
}

extension CivilDate {
    /// The same day `n` months later, or the month's last day when it is shorter (Jan 31 + 1 month = Feb 28/29).
    public func adding(months n: Int) -> CivilDate {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + n
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        var day = d
        while day > 28, CivilDate(year: year, month: month, day: day) == nil { day -= 1 }
        return CivilDate(year: year, month: month, day: day)!
    }
}
