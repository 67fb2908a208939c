import Foundation
import Logging
import Synchronization
import Testing
@testable import XukeApp
import XukeStorage

/// Several servers on one database: each periodic job runs on the one server holding its lease, and another
/// takes it over once the holder has stopped renewing it for `JobLease.seconds`.
@Suite struct PeriodicTests {
    @Test func aJobRunsOnTheLeaseHolderAndMovesOnWhenItStops() async throws {
        try await Harness.run { _, s in
            Flow.at(s, "2026-11-16")
            let runs = Mutex<[String]>([])
            func server(_ holder: String) -> Periodic {
                Periodic(name: "test job", interval: .zero, logger: Logger(label: "test"),
                         lease: JobLease(db: s.db, clock: s.clock, holder: holder)) { runs.withLock { $0.append(holder) } }
            }
            let (a, b) = (server("a"), server("b"))
            var (dueA, dueB) = (ContinuousClock.now, ContinuousClock.now)
            var ran: Bool
            ran = await a.beat(due: &dueA); #expect(ran)
            ran = await b.beat(due: &dueB); #expect(!ran, "b waits while a holds the lease")
            ran = await a.beat(due: &dueA); #expect(ran, "a renews it and runs again")
            s.clock.set(s.clock.now().addingTimeInterval(Double(JobLease.seconds) - 1))
            ran = await b.beat(due: &dueB); #expect(!ran, "a's lease has not run out yet")
            s.clock.set(s.clock.now().addingTimeInterval(2))
            ran = await b.beat(due: &dueB); #expect(ran, "a stopped renewing: b takes over")
            ran = await a.beat(due: &dueA); #expect(!ran, "a, back, finds b holding it")
            try await #require(b.lease).release("test job")
            ran = await a.beat(due: &dueA); #expect(ran, "b gave it up on shutdown: a takes it at once")
            #expect(runs.withLock { $0 } == ["a", "a", "b", "a"])
            let leases = try await s.db.read { try await LeaseStore.leases($0) }
            #expect(leases.map(\.holder) == ["a"])
        }
    }
}
