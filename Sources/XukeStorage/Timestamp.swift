public import Foundation
import XukeDomain

/// Timestamps are stored as UTC ISO 8601 text, which sorts correctly in both databases.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    public static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }

    /// The day in China a stored timestamp falls on ("" for none): deadlines and pages count China days, not UTC ones.
    public static func chinaDay(_ text: String?) -> String {
        guard let text, let d = date(text) else { return "" }
        return CivilDate(inChinaAt: Int64(d.timeIntervalSince1970.rounded(.down))).description
    }

    /// A stored timestamp in Beijing time as `yyyy-MM-dd HH:mm` (the text itself when it is not a timestamp).
    public static func chinaMinute(_ text: String) -> String {
        guard let d = date(text) else { return text }
        let seconds = Int64(d.timeIntervalSince1970.rounded(.down))
        let minute = (seconds - CivilDate(inChinaAt: seconds).startInChina) / 60
        return "\(CivilDate(inChinaAt: seconds)) " + String(format: "%02d:%02d", minute / 60, minute % 60)
    }
}
