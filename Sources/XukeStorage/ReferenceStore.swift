public import SQLKit
public import XukeDomain
import Foundation

/// Administrative divisions and the working-day calendar.
public enum ReferenceStore {
    public static func divisions(_ sql: any SQLDatabase) async throws -> [Division] {
        try await sql.rows("SELECT * FROM divisions ORDER BY code", as: Division.self)
    }

    struct CalendarDay: Decodable {
        var day: CivilDate
        var kind: WorkCalendar.DayKind
    }

    struct CalendarYear: Decodable {
        var year: Int
    }

    public static func calendar(_ sql: any SQLDatabase) async throws -> WorkCalendar {
        var overrides: [CivilDate: WorkCalendar.DayKind] = [:]
        for r in try await sql.rows("SELECT day, kind FROM calendar_days", as: CalendarDay.self) {
            overrides[r.day] = r.kind
        }
        let years = try await sql.rows("SELECT year FROM calendar_years", as: CalendarYear.self).map(\.year)
        return WorkCalendar(overrides: overrides, coveredYears: Set(years))
    }

    /// Adds a holiday notice: every year it mentions is replaced by the notice's days and marked as known.
    public static func importCalendar(_ sql: any SQLDatabase, rows: [(CivilDate, WorkCalendar.DayKind)], source: String, actor: String, at: String) async throws {
        let years = Set(rows.map(\.0.year)).sorted()
        for y in years {
            try await sql.raw("DELETE FROM calendar_days WHERE day >= \(bind: "\(y)-01-01") AND day <= \(bind: "\(y)-12-31")").run()
            try await sql.raw("""
                INSERT INTO calendar_years (year, source, imported_at) VALUES (\(bind: y), \(bind: source), \(bind: at))
                ON CONFLICT (year) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at
                """).run()
        }
        for chunk in rows.chunked(500) {
            var query = SQLQueryString("INSERT INTO calendar_days (day, kind) VALUES ")
            for (i, (d, k)) in chunk.enumerated() {
                if i > 0 { query += ", " }
                query += "(\(bind: d.description), \(bind: k.rawValue))"
            }
            try await sql.raw(query).run()
        }
        try await Events.append(sql, type: .calendarImported, subject: "calendar", actor: actor, at: at,
                                payload: CalendarImported(years: years, days: rows.count, source: source))
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
