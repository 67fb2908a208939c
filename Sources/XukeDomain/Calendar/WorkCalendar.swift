/// China's working-day calendar: Monday–Friday, minus statutory holidays, plus make-up working days (调休).
public struct WorkCalendar: Sendable {
    public enum DayKind: String, Sendable, Codable {
        case holiday
        case workday
    }

    /// A date with whether it came from data or from the Monday–Friday fallback outside the data's range.
    public struct Result: Sendable, Equatable, Codable {
        public var date: CivilDate
        public var estimated: Bool
    }

    public struct Count: Sendable, Equatable, Codable {
        public var workingDays: Int
        public var estimated: Bool
    }

    public let overrides: [CivilDate: DayKind]
    /// Years whose holiday notice is loaded. The State Council publishes one notice per year covering the
    /// whole year, so a year with data is known day by day; any other year falls back to Monday–Friday.
    public let coveredYears: Set<Int>

    public init(overrides: [CivilDate: DayKind], coveredYears: Set<Int>? = nil) {
        self.overrides = overrides
        self.coveredYears = coveredYears ?? Set(overrides.keys.map(\.year))
    }

    public func isCovered(_ date: CivilDate) -> Bool {
        coveredYears.contains(date.year)
    }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        switch overrides[date] {
        case .workday: true
        case .holiday: false
        case nil: !date.isWeekend
        }
    }

    /// The date that is `n` working days after `start` (start itself not counted), as the law counts time limits.
    /// `n` = 0 gives `start`. Negative `n` counts backwards.
    public func adding(workingDays n: Int, to start: CivilDate) -> Result {
        var date = start
        var left = abs(n)
        let step = n >= 0 ? 1 : -1
        var estimated = !isCovered(start)
        while left > 0 {
            date = date.adding(days: step)
            if !isCovered(date) { estimated = true }
            if isWorkingDay(date) { left -= 1 }
        }
        return Result(date: date, estimated: estimated)
    }

    /// Working days after `from` up to and including `to` (0 when `to` ≤ `from`).
    public func workingDays(from: CivilDate, to: CivilDate) -> Count {
        guard to > from else { return Count(workingDays: 0, estimated: !isCovered(from) || !isCovered(to)) }
        var count = 0
        var estimated = false
        var date = from
        while date < to {
            date = date.adding(days: 1)
            if !isCovered(date) { estimated = true }
            if isWorkingDay(date) { count += 1 }
        }
        return Count(workingDays: count, estimated: estimated || !isCovered(from))
    }

    /// Reads `date,kind` rows (the shipped `cn-workdays.csv` and an authority's yearly notice alike).
    /// Every bad row is reported with its line number.
    public static func parseNotice(_ text: String) throws(ImportError) -> [(CivilDate, DayKind)] {
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch {
            throw ImportError(problems: [.init(line: error.line, zh: "CSV 引号不匹配", en: "unbalanced quotes in CSV")])
        }
        guard let header = records.first, header.fields.map({ $0.trimmed }) == ["date", "kind"] else {
            throw ImportError(problems: [.init(line: records.first?.line ?? 1,
                                              zh: "表头应为 date,kind", en: "the header must be date,kind")])
        }
        var rows: [(CivilDate, DayKind)] = []
        var seen: Set<CivilDate> = []
        var problems: [ImportError.Problem] = []
        for r in records.dropFirst() {
            guard r.fields.count == 2 else {
                problems.append(.init(line: r.line, zh: "应有2列，实际为\(r.fields.count)列", en: "expected 2 fields, got \(r.fields.count)"))
                continue
            }
            guard let date = CivilDate(r.fields[0].trimmed) else {
                problems.append(.init(line: r.line, zh: "日期“\(r.fields[0])”不是 YYYY-MM-DD 格式", en: "date “\(r.fields[0])” is not YYYY-MM-DD"))
                continue
            }
            guard let kind = DayKind(rawValue: r.fields[1].trimmed) else {
                problems.append(.init(line: r.line, zh: "类型“\(r.fields[1])”应为 holiday 或 workday", en: "kind “\(r.fields[1])” must be holiday or workday"))
                continue
            }
            guard seen.insert(date).inserted else {
                problems.append(.init(line: r.line, zh: "日期 \(date) 重复", en: "date \(date) appears twice"))
                continue
            }
            if kind == .workday && !date.isWeekend {
                problems.append(.init(line: r.line, zh: "\(date) 是工作日，无需列为调休上班日", en: "\(date) is a weekday; only weekend days can be make-up working days"))
                continue
            }
            rows.append((date, kind))
        }
        if !problems.isEmpty { throw ImportError(problems: problems) }
        return rows
    }
}

/// An import refused as a whole, with every bad line named.
public struct ImportError: Error, Sendable, Equatable {
    public struct Problem: Sendable, Equatable, Codable {
        public var line: Int
        public var message: LocalizedText

        public init(line: Int, zh: String, en: String) {
            self.line = line
            self.message = LocalizedText(zh: zh, en: en)
        }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
