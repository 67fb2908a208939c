import Foundation
import Logging
import ServiceLifecycle
import XukeStorage

/// A server's hold on periodic jobs when several servers share one database (LeaseStore): a job runs only on
/// the server holding its lease, which renews it while it lives and gives it up when it stops.
struct JobLease: Sendable {
    /// A lease not renewed for this long is taken over, so a dead holder's jobs move on within a minute.
    static let seconds: Int64 = 45
    let db: Database
    let clock: PlatformClock
    let holder: String

    /// Host, process and a random part: a restarted process is a new holder.
    static func holderName() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(Secrets.token().prefix(8))"
    }

    struct Lost: Error, CustomStringConvertible {
        var job: String
        var description: String { "the lease on \(job) went to another server during a run; the run was stopped" }
    }

    func take(_ name: String) async throws -> Bool {
        let (now, stamp) = (clock.seconds, clock.stamp)
        return try await db.write { try await LeaseStore.take($0, name: name, holder: holder, now: now, until: now + Self.seconds, at: stamp) }
    }

    func release(_ name: String) async throws {
        try await db.write { try await LeaseStore.release($0, name: name, holder: holder) }
    }
}

/// Runs one job at start-up and then after every interval, logging failures and going on: the deadline sweep,
/// the daily dumps and webhook delivery each run as one of these. With a lease, only its holder runs the job; the
/// others keep asking, so one of them takes over when the holder stops.
struct Periodic: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    /// Nil: this process runs the job without asking anyone.
    var lease: JobLease? = nil
    let job: @Sendable () async throws -> Void

    /// How often the lease is renewed (or asked for): well within its lifetime.
    var beatInterval: Duration { lease == nil ? interval : min(interval, .seconds(JobLease.seconds / 3)) }

    func run() async throws {
        // A graceful shutdown cancels the wait; that is the job's end, not its failure.
        try? await cancelWhenGracefulShutdown {
            var due = ContinuousClock.now
            while !Task.isCancelled {
                await beat(due: &due)
                try await Task.sleep(for: beatInterval)
            }
        }
        if let lease {
            try? await lease.release(name)
            PlatformMetrics.lease(name, held: false)
        }
    }

    /// Holds the lease, if there is one, and runs the job when it is due; answers whether it ran.
    @discardableResult
    func beat(due: inout ContinuousClock.Instant) async -> Bool {
        if let lease {
            let held: Bool
            do {
                held = try await lease.take(name)
            } catch {
                logger.error("\(name): the lease could not be taken: \(error)")
                held = false
            }
            PlatformMetrics.lease(name, held: held)
            guard held else { return false }
        }
        let now = ContinuousClock.now
        guard now >= due else { return false }
        due = now + interval
        var failed = false
        do {
            try await runHoldingLease()
        } catch where !Task.isCancelled {
            failed = true
            logger.error("\(name) failed: \(error)")
        } catch {}
        PlatformMetrics.job(name, failed: failed, took: ContinuousClock.now - now)
        return true
    }

    /// The job, with the lease renewed beside it so that a long run is not taken over halfway. A renewal that fails
    /// or finds another holder cancels the run, so the job never goes on where another server may have started it.
    func runHoldingLease() async throws {
        guard let lease else { return try await job() }
        let name = name
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await job() }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(JobLease.seconds / 3))
                    guard try await lease.take(name) else { throw JobLease.Lost(job: name) }
                }
            }
            // The renewal never ends by itself: the first to finish is the job, or a lost lease.
            try await group.next()
            group.cancelAll()
        }
    }
}
