public import SQLKit
public import XukeDomain
import Foundation

/// Administrative divisions and the working-day calendar.
public enum ReferenceStore {
    public static func divisions(_ sql: any SQLDatabase) async throws -> [Division] {
        try await sql.raw("SELECT * FROM divisions ORDER BY code").all().map { r in
            Division(code: try r.decode(column: "code", as: String.self),
                     nameZh: try r.decode(column: "name_zh", as: String.self),
                     level: Division.Level(rawValue: try r.decode(column: "level", as: String.self)) ?? .county,
                     parentCode: try r.decode(column: "parent_code", as: String?.self),
                     kindZh: try r.decode(column: "kind_zh", as: String.self),
                     provinceAbbr: try r.decode(column: "province_abbr", as: String?.self))
        }
    }

    public static func calendar(_ sql: any SQLDatabase) async throws -> WorkCalendar {
        var overrides: [CivilDate: WorkCalendar.DayKind] = [:]
        for r in try await sql.raw("SELECT day, kind FROM calendar_days").all() {
            guard let d = CivilDate(try r.decode(column: "day", as: String.self)),
                  let k = WorkCalendar.DayKind(rawValue: try r.decode(column: "kind", as: String.self)) else { continue }
            overrides[d] = k
        }
        let years = try await sql.raw("SELECT year FROM calendar_years").all().map { try $0.decode(column: "year", as: Int.self) }
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
