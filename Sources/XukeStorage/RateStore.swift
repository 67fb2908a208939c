public import SQLKit

/// Request counts per client and minute, shared by the servers of one platform (RateLimiter in XukeApp).
public enum RateStore {
    struct Total: Decodable {
        var n: Int
    }

    /// Adds counts to the minute's and answers each client's total over every server. Minutes before the previous
    /// one are forgotten on the way.
    public static func add(_ sql: any SQLDatabase, minute: Int64, counts: [String: Int]) async throws -> [String: Int] {
        var totals: [String: Int] = [:]
        for (client, n) in counts.sorted(by: { $0.key < $1.key }) {
            let total = try await sql.row("""
                INSERT INTO rate_counts (client, minute, n) VALUES (\(bind: client), \(bind: minute), \(bind: n))
                ON CONFLICT (client, minute) DO UPDATE SET n = rate_counts.n + excluded.n
                RETURNING n
                """, as: Total.self)
            totals[client] = total?.n
        }
        try await sql.raw("DELETE FROM rate_counts WHERE minute < \(bind: minute - 1)").run()
        return totals
    }
}
