import Foundation
import SQLKit
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

/// Servers on one database hold a client to one budget: each counts at once and shares its counts through the
/// database, so a client spreading requests over servers gets no more than one server would give it (give or
/// take what arrives between two shares).
@Suite struct RateSharingTests {
    @Test func serversShareOneBudgetPerClient() async throws {
        try await Harness.run { _, s in
            Flow.at(s, "2026-11-16")
            let (a, b) = (RateLimiter(perMinute: 3, clock: s.clock), RateLimiter(perMinute: 3, clock: s.clock))
            try a.check("203.0.113.7")
            try a.check("203.0.113.7")
            try await a.share(s.db)
            try b.check("203.0.113.7")  // b has not heard of the first two yet
            try await b.share(s.db)
            #expect(throws: AppError.self, "b now knows the client spent 3 of 3 across both servers") { try b.check("203.0.113.7") }
            try b.check("198.51.100.2")  // another client's budget is its own

            // The next minute starts afresh, and the database forgets the minute before the last.
            s.clock.set(s.clock.now().addingTimeInterval(120))
            try b.check("203.0.113.7")
            try await b.share(s.db)
            let minutes = try await s.db.read { sql in
                try await sql.raw("SELECT DISTINCT minute FROM rate_counts").all().map { try $0.decode(column: "minute", as: Int64.self) }
            }
            #expect(minutes == [s.clock.seconds / 60])
        }
    }

    /// A flood of distinct clients is shared a bounded number at a time, the busiest first, and none is forgotten.
    @Test func aFloodOfClientsIsSharedInBoundedRounds() async throws {
        try await Harness.run { _, s in
            Flow.at(s, "2026-11-16")
            let limiter = RateLimiter(perMinute: 100, clock: s.clock)
            let clients = RateLimiter.maxSharedClients + 700
            for i in 0..<clients { try limiter.check("client-\(i)") }
            for _ in 0..<5 { try limiter.check("client-busy") }
            func shared() async throws -> (rows: Int, busy: Int?) {
                try await s.db.read { sql in
                    let rows = try await sql.raw("SELECT COUNT(*) AS n FROM rate_counts").first()?.decode(column: "n", as: Int.self) ?? 0
                    let busy = try await sql.raw("SELECT n FROM rate_counts WHERE client = 'client-busy'").first()?.decode(column: "n", as: Int.self)
                    return (rows, busy)
                }
            }
            try await limiter.share(s.db)
            let first = try await shared()
            #expect(first.rows == RateLimiter.maxSharedClients && first.busy == 5, "the busiest client goes in the first round")
            try await limiter.share(s.db)
            #expect(try await shared().rows == clients + 1, "the rest in the next")
        }
    }
}
