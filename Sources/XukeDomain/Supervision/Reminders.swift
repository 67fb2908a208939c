/// When the platform reminds of a yearly duty (docs/DOMAIN.md §9): a self-inspection report, a review body's
/// report. Reminding is recorded per stage, so each stage reminds once.
public enum Reminders {
    /// `due_soon` from `from` until the due day, `overdue` after it, nothing before `from`.
    public static func stage(today: CivilDate, due: CivilDate, from: CivilDate) -> String? {
        today > due ? "overdue" : today >= from ? "due_soon" : nil
    }
}
