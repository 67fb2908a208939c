import HTTPTypes
import Synchronization
import XukeDomain
import XukeStorage

/// A fixed-window limit per client for the public endpoints and rate-limited routes, so nobody can copy the
/// register wholesale. Each request is judged at once from what this server counted and what the database last
/// said the other servers counted; `share` adds this server's counts to the database and learns the totals, so
/// servers behind one load balancer hold a client to one budget (give or take what arrives between two shares).
final class RateLimiter: Sendable {
    let perMinute: Int
    let clock: PlatformClock
    private struct Window {
        var minute: Int64 = 0
        /// Counted here and not yet shared.
        var pending: [String: Int] = [:]
        /// Every server's count as the database last gave it.
        var shared: [String: Int] = [:]
    }
    private let window = Mutex(Window())

    /// Windows follow the platform's clock, so a test that holds the clock still stays in one window.
    init(perMinute: Int, clock: PlatformClock) {
        self.perMinute = perMinute
        self.clock = clock
    }

    func check(_ client: String) throws {
        let minute = clock.seconds / 60
        let allowed = window.withLock { w -> Bool in
            if w.minute != minute { w = Window(minute: minute) }
            guard w.pending[client, default: 0] + w.shared[client, default: 0] < perMinute else { return false }
            w.pending[client, default: 0] += 1
            return true
        }
        guard allowed else {
            var e = AppError(.query.throttled)
            e.headers[.retryAfter] = "60"
            throw e
        }
    }

    /// Adds this server's new counts to the database's and takes back the totals (several servers, one budget).
    /// Clients shared per round: the busiest, who are the ones near their limit; the others wait for the next
    /// round (a second later), so a flood of distinct clients cannot make one round's statement unbounded.
    static let maxSharedClients = 5000

    func share(_ db: Database) async throws {
        var (minute, counts) = window.withLock { w in
            defer { w.pending = [:] }
            return (w.minute, w.pending)
        }
        if counts.count > Self.maxSharedClients {
            // Sorted outside the lock every request takes; the rest goes back for the next round.
            let rest = counts.sorted { $0.value > $1.value }.dropFirst(Self.maxSharedClients)
            for (client, _) in rest { counts[client] = nil }
            window.withLock { w in
                guard w.minute == minute else { return }
                w.pending.merge(rest.map { ($0.key, $0.value) }, uniquingKeysWith: +)
            }
        }
        guard !counts.isEmpty else { return }
        let totals: [String: Int]
        do {
            totals = try await db.write { sql in try await RateStore.add(sql, minute: minute, counts: counts) }
        } catch {
            // Kept for the next share, so a database hiccup forgets no request of this minute.
            window.withLock { w in
                guard w.minute == minute else { return }
                w.pending.merge(counts, uniquingKeysWith: +)
            }
            throw error
        }
        window.withLock { w in
            guard w.minute == minute else { return }
            for (client, total) in totals { w.shared[client] = total }
        }
    }
}
