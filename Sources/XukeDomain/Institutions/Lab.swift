/// A testing laboratory on the registry (备案, docs/DOMAIN.md §2): accredited (CMA), graded class II or above, with a
/// scope of catalog units and standards and a status history. Enterprises choose any lab whose record, on the
/// day of the report, says it was registered and in scope.
public struct Lab: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case registered, suspended, withdrawn
    }

    /// One stretch of a status, from `since` up to the day before `until` (open when nil).
    public struct Period: Sendable, Codable, Equatable {
        public var status: Status
        public var since: CivilDate
        public var until: CivilDate?
        public var note: String

        public init(status: Status, since: CivilDate, until: CivilDate?, note: String) {
            self.status = status
            self.since = since
            self.until = until
            self.note = note
        }

        public func covers(_ day: CivilDate) -> Bool { since <= day && until.map { day < $0 } ?? true }
    }

    /// A catalog unit the lab may test, to a standard, from a day up to the day before `until`.
    public struct Scope: Sendable, Codable, Equatable {
        public var unitNo: String
        public var standard: String
        public var from: CivilDate
        public var until: CivilDate?

        public init(unitNo: String, standard: String, from: CivilDate, until: CivilDate?) {
            self.unitNo = unitNo
            self.standard = standard
            self.from = from
            self.until = until
        }

        public func covers(_ day: CivilDate) -> Bool { from <= day && until.map { day < $0 } ?? true }
    }

    /// The lowest grade the licensing system accepts: class II (1 is the highest).
    public static let lowestAcceptedGrade = 2

    public var id: Int
    /// `LAB-000001`, made from the id, so never reused.
    public var code: String
    public var name: String
    public var uscc: String
    /// CMA certificate number: 12 digits.
    public var cmaNumber: String
    public var grade: Int
    public var divisionCode: String
    public var periods: [Period]
    public var scopes: [Scope]

    public init(id: Int, code: String, name: String, uscc: String, cmaNumber: String, grade: Int, divisionCode: String, periods: [Period], scopes: [Scope]) {
        self.id = id
        self.code = code
        self.name = name
        self.uscc = uscc
        self.cmaNumber = cmaNumber
        self.grade = grade
        self.divisionCode = divisionCode
        self.periods = periods
        self.scopes = scopes
    }

    public static func code(id: Int) -> String { "LAB-" + String(repeating: "0", count: max(0, 6 - String(id).count)) + String(id) }

    public func status(on day: CivilDate) -> Status? { periods.first { $0.covers(day) }?.status }

    /// Why a report this lab issued on `day` for these units cannot be accepted; empty when it can.
    public func problems(reportFor units: [String], on day: CivilDate) -> [LocalizedText] {
        guard let status = status(on: day) else {
            return [LocalizedText(zh: "检验机构\(name)（\(code)）在报告日期\(day)尚未备案", en: "Lab \(name) (\(code)) was not yet registered on the report's date, \(day)")]
        }
        guard status == .registered else {
            let zh = status == .suspended ? "暂停" : "撤销"
            return [LocalizedText(zh: "检验机构\(name)（\(code)）在报告日期\(day)处于\(zh)备案状态",
                                  en: "Lab \(name) (\(code)) was \(status.rawValue) on the report's date, \(day)")]
        }
        return units.filter { unit in !scopes.contains { $0.unitNo == unit && $0.covers(day) } }.map {
            LocalizedText(zh: "检验机构\(name)（\(code)）在报告日期\(day)的检验范围不含单元\($0)",
                          en: "Unit \($0) was outside the scope of lab \(name) (\(code)) on the report's date, \(day)")
        }
    }

    /// Problems with a registration as entered: the CMA number, the grade and the scope's dates.
    public static func problems(cmaNumber: String, grade: Int, scopes: [Scope]) -> [LocalizedText] {
        var out: [LocalizedText] = []
        if cmaNumber.count != 12 || !cmaNumber.allSatisfy(\.isASCII) || !cmaNumber.allSatisfy(\.isNumber) {
            out.append(LocalizedText(zh: "CMA资质认定证书编号应为12位数字", en: "A CMA certificate number has 12 digits"))
        }
        if !(1...lowestAcceptedGrade).contains(grade) {
            out.append(LocalizedText(zh: "只有二级及以上的检验机构可以承担许可检验", en: "Only labs graded class II or above may test for licensing"))
        }
        for (n, s) in scopes.enumerated() {
            if let until = s.until, until <= s.from {
                out.append(LocalizedText(zh: "检验范围第\(n + 1)项的截止日期应晚于起始日期", en: "Scope entry \(n + 1) ends before it starts"))
            }
        }
        for (i, a) in scopes.enumerated() {
            for b in scopes[(i + 1)...] where a.unitNo == b.unitNo && a.standard == b.standard && overlap(a.from, a.until, b.from, b.until) {
                out.append(LocalizedText(zh: "单元\(a.unitNo)按\(a.standard)的检验范围有重叠的期间", en: "Unit \(a.unitNo) to \(a.standard) has overlapping scope periods"))
            }
        }
        return out
    }

    /// Two stretches `[from, until)`, open-ended when `until` is nil, share a day.
    public static func overlap(_ aFrom: CivilDate, _ aUntil: CivilDate?, _ bFrom: CivilDate, _ bUntil: CivilDate?) -> Bool {
        aUntil.map { bFrom < $0 } ?? true && bUntil.map { aFrom < $0 } ?? true
    }
}
