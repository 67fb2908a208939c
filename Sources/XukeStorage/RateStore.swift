public import SQLKit

/// Request counts per client and minute, shared by the servers of one platform (RateLimiter in XukeApp).
public enum RateStore {
    struct Total: Decodable {
        var client: String
        var n: Int
    }

    /// Clients per statement: three values each, well inside both databases' limit on bound values.
    static let batch = 500

    /// Adds counts to the minute's and answers each client's total over every server, a few hundred clients per
    /// statement, in client order (so two servers adding at once lock rows in the same order). Minutes before the
    /// previous one are forgotten on the way.
    public static func add(_ sql: any SQLDatabase, minute: Int64, counts: [String: Int]) async throws -> [String: Int] {
        var totals: [String: Int] = [:]
        let sorted = counts.sorted(by: { $0.key < $1.key })
        for start in stride(from: 0, to: sorted.count, by: batch) {
            let rows = sorted[start..<min(start + batch, sorted.count)].map { SQLQueryString("(\(bind: $0.key), \(bind: minute), \(bind: $0.value))") }
            let query = "INSERT INTO rate_counts (client, minute, n) VALUES " + rows.joined(separator: ", ")
                + " ON CONFLICT (client, minute) DO UPDATE SET n = rate_counts.n + excluded.n RETURNING client, n"
            for total in try await sql.rows(query, as: Total.self) { totals[total.client] = total.n }
        }
        try await sql.raw("DELETE FROM rate_counts WHERE minute < \(bind: minute - 1)").run()
        return totals
    }
}
