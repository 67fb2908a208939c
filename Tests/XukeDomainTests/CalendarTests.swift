import Testing
import Foundation
@testable import XukeDomain

@Suite struct WorkCalendarTests {
    /// The calendar from the shipped data, read straight from the resource the app loads.
    static let shipped: WorkCalendar = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/XukeStorage/Resources/reference/cn-workdays.csv")
        let rows = try! WorkCalendar.parseNotice(String(contentsOf: url, encoding: .utf8))
        return WorkCalendar(overrides: Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0.1) }))
    }()

    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    @Test func nationalDay2026WithMakeUpSaturday() {
        let cal = Self.shipped
        // 1–7 October are holidays; Saturday 10 October is a make-up working day.
        #expect(cal.adding(workingDays: 1, to: d("2026-09-30")) == .init(date: d("2026-10-08"), estimated: false))
        #expect(cal.adding(workingDays: 3, to: d("2026-09-30")).date == d("2026-10-10"))
        #expect(cal.workingDays(from: d("2026-09-30"), to: d("2026-10-10")).workingDays == 3)
    }

    @Test func springFestival2015() {
        let cal = Self.shipped
        // 15 Feb 2015 (Sunday) was a make-up working day; 18–24 Feb were holidays; 28 Feb (Saturday) worked.
        #expect(cal.isWorkingDay(d("2015-02-15")))
        #expect(!cal.isWorkingDay(d("2015-02-18")))
        #expect(cal.adding(workingDays: 2, to: d("2015-02-16")) == .init(date: d("2015-02-25"), estimated: false))
        #expect(cal.adding(workingDays: 5, to: d("2015-02-16")).date == d("2015-02-28"))
    }

    @Test func outsideTheDataFallsBackToWeekdaysAndSaysSo() {
        let cal = Self.shipped
        let r = cal.adding(workingDays: 5, to: d("2027-01-04"))
        #expect(r.date == d("2027-01-11"))
        #expect(r.estimated)
        #expect(cal.workingDays(from: d("2026-12-30"), to: d("2027-01-05")).estimated)
        #expect(!cal.workingDays(from: d("2026-12-01"), to: d("2026-12-31")).estimated)
    }

    @Test func negativeAndZero() {
        let cal = Self.shipped
        #expect(cal.adding(workingDays: 0, to: d("2026-10-03")).date == d("2026-10-03"))
        #expect(cal.adding(workingDays: -1, to: d("2026-10-08")).date == d("2026-09-30"))
    }

    @Test func noticeValidation() {
        #expect(throws: ImportError.self) { try WorkCalendar.parseNotice("day,kind\n2027-01-01,holiday") }
        do {
            _ = try WorkCalendar.parseNotice("date,kind\n2027-01-01,holiday\n2027-01-05,workday\n2027-02-30,holiday\n2027-01-01,holiday")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.problems.map(\.line) == [3, 4, 5])
        }
    }
}
