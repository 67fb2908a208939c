import Testing
import XukeDomain
@testable import XukeStorage

@Suite struct TimestampTests {
    /// Beijing is UTC+8 all year: 16:00 UTC is already the next day there.
    @Test func chinaDayAndMinuteTurnAtBeijingMidnight() {
        #expect(Timestamp.chinaDay("2026-12-03T15:59:59Z") == "2026-12-03")
        #expect(Timestamp.chinaDay("2026-12-03T16:00:00Z") == "2026-12-04")
        #expect(Timestamp.chinaMinute("2026-12-03T15:59:59Z") == "2026-12-03 23:59")
        #expect(Timestamp.chinaMinute("2026-12-03T16:30:00Z") == "2026-12-04 00:30")
        #expect(Timestamp.chinaMinute("1969-12-31T16:05:00Z") == "1970-01-01 00:05")
        #expect(Timestamp.chinaMinute("not a time") == "not a time")
        #expect(Timestamp.chinaDay(nil) == "")
    }
}
