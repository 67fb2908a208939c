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
}
