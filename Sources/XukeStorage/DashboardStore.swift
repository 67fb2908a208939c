public import SQLKit
public import XukeDomain
import Foundation

/// One count the dashboard keeps, e.g. ("checks", "2026", "10", "440000", "fail").
public struct FactKey: Sendable, Hashable {
    public var metric: String
    public var period: String
    public var d1: String
    public var d2: String
    public var d3: String
    public init(_ metric: String, _ period: String, _ d1: String = "", _ d2: String = "", _ d3: String = "") {
        (self.metric, self.period, self.d1, self.d2, self.d3) = (metric, period, d1, d2, d3)
    }
}

/// An event as the dashboard folds it.
public struct FoldedEvent: Sendable {
    public var position: FeedCursor
    public var type: String
    public var subject: String
    public var at: String
    public var jurisdiction: String?
    public var payload: String
}

/// Read from an events row: its place in the feed is its transaction and id.
extension FoldedEvent: Decodable {
    enum Keys: String, CodingKey { case tx, id, type, subject, at, jurisdiction, payload }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        position = FeedCursor(tx: try c.decode(Int64.self, forKey: .tx), id: try c.decode(Int64.self, forKey: .id))
        type = try c.decode(String.self, forKey: .type)
        subject = try c.decode(String.self, forKey: .subject)
        at = try c.decode(String.self, forKey: .at)
        jurisdiction = try c.decodeIfPresent(String.self, forKey: .jurisdiction)
        payload = try c.decode(String.self, forKey: .payload)
    }
}

/// The dashboard's pre-aggregated figures: events are folded into counts once, in feed order, so a page reads a
/// few hundred rows however many events there are.
public enum DashboardStore {
    public static let foldedTypes: [EventType] = [.applicationIssued, .inspectionConcluded, .inspectionOutcomeChanged, .creditListed, .catalogDraftInForce]

    /// The province a jurisdiction or authority code belongs to ("440300" → "440000"); the national authority is "national".
    public static func province(_ code: String) -> String {
        code.count == 6 && code.allSatisfy(\.isNumber) ? String(code.prefix(2)) + "0000" : code.isEmpty ? "" : "national"
    }

    public static func position(_ sql: any SQLDatabase) async throws -> FeedCursor {
        try FeedCursor(try await sql.raw("SELECT position FROM dashboard_state WHERE id = 1").first()?.decode(column: "position", as: String.self) ?? "0-0")
    }

    /// The next events to fold after `after`, in feed order and behind the same horizon as the change feed.
    public static func pending(_ sql: any SQLDatabase, after: FeedCursor, limit: Int) async throws -> [FoldedEvent] {
        let types = foldedTypes.map { SQLQueryString("\(bind: $0.rawValue)") }.joined(separator: ", ")
        return try await sql.rows("""
            SELECT tx, id, type, subject, at, jurisdiction, payload FROM events
            WHERE \(SharingStore.past(after, sql)) AND tx < \(SharingStore.horizon(sql)) AND type IN (\(types))
            ORDER BY tx, id LIMIT \(bind: limit)
            """, as: FoldedEvent.self)
    }

    /// Adds the counts and moves the position on, unless someone else folded from `from` meanwhile (then nothing
    /// changes and false comes back).
    public static func fold(_ sql: any SQLDatabase, _ counts: [FactKey: Int], from: FeedCursor, to: FeedCursor) async throws -> Bool {
        guard try await sql.raw("""
            UPDATE dashboard_state SET position = \(bind: to.description) WHERE id = 1 AND position = \(bind: from.description) RETURNING id
            """).first() != nil else { return false }
        for (k, n) in counts where n != 0 {
            try await sql.raw("""
                INSERT INTO dashboard_facts (metric, period, d1, d2, d3, n) VALUES (\(bind: k.metric), \(bind: k.period), \(bind: k.d1), \(bind: k.d2), \(bind: k.d3), \(bind: n))
                ON CONFLICT (metric, period, d1, d2, d3) DO UPDATE SET n = dashboard_facts.n + excluded.n
                """).run()
        }
        return true
    }

    public static func facts(_ sql: any SQLDatabase, metric: String) async throws -> [FactKey: Int] {
        var out: [FactKey: Int] = [:]
        for r in try await sql.raw("SELECT period, d1, d2, d3, n FROM dashboard_facts WHERE metric = \(bind: metric)").all() {
            out[FactKey(metric, try r.decode(column: "period", as: String.self), try r.decode(column: "d1", as: String.self),
                        try r.decode(column: "d2", as: String.self), try r.decode(column: "d3", as: String.self))] = try r.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// Licenses in force by province and by category, in one pass over the licenses.
    public static func licensed(_ sql: any SQLDatabase, categories: [String]) async throws -> (byProvince: [String: Int], byCategory: [String: Int]) {
        var byProvince: [String: Int] = [:]
        for r in try await sql.raw("""
            SELECT substr(authority, 1, 2) AS p, count(*) AS n FROM licenses WHERE status IN ('valid', 'suspended') GROUP BY substr(authority, 1, 2)
            """).all() {
            let p = try r.decode(column: "p", as: String.self)
            byProvince[province(p.allSatisfy(\.isNumber) ? p + "0000" : Routing.national), default: 0] += try r.decode(column: "n", as: Int.self)
        }
        guard !categories.isEmpty else { return (byProvince, [:]) }
        let sums = categories.enumerated().map { i, c in
            SQLQueryString("SUM(CASE WHEN units LIKE \(bind: "%\"category_no\":\"\(c)\"%") THEN 1 ELSE 0 END) AS c\(unsafeRaw: String(i))")
        }
        var byCategory: [String: Int] = [:]
        if let r = try await sql.raw("SELECT \(sums.joined(separator: ", ")) FROM licenses WHERE status IN ('valid', 'suspended')").first() {
            for (i, c) in categories.enumerated() { byCategory[c] = try r.decode(column: "c\(i)", as: Int?.self) ?? 0 }
        }
        return (byProvince, byCategory)
    }

    /// Entries in force on each credit list today, listed by one province's authorities or by any.
    public static func creditSizes(_ sql: any SQLDatabase, on day: CivilDate, province: String?) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        let within: SQLQueryString = province.map { " AND substr(c.authority, 1, 2) = \(bind: String($0.prefix(2)))" } ?? ""
        for r in try await sql.raw("SELECT c.list, count(*) AS n FROM credit_entries c WHERE \(CreditStore.inForce(day))" + within + " GROUP BY c.list").all() {
            out[try r.decode(column: "list", as: String.self)] = try r.decode(column: "n", as: Int.self)
        }
        return out
    }
}
