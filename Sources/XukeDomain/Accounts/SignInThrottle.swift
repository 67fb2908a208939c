/// How repeated sign-in failures slow further attempts. Failures are counted per key (the platform uses one account
/// from one client, and one client) within a window; past a number of free failures each one doubles the wait
/// before the next attempt, up to a cap. A stranger slows only their own address: no key covers an account from
/// everywhere, since any wait on such a key is one a stranger can impose on the owner.
public struct SignInThrottle: Sendable, Equatable {
    public var freeFailures: Int
    public var maxDelaySeconds: Int
    public var windowSeconds: Int

    public init(freeFailures: Int, maxDelaySeconds: Int, windowSeconds: Int) {
        self.freeFailures = freeFailures
        self.maxDelaySeconds = maxDelaySeconds
        self.windowSeconds = windowSeconds
    }

    /// What is stored per key.
    public struct State: Sendable, Equatable, Codable {
        public var failures: Int
        public var windowStart: Int64
        /// No attempt is checked before this moment (Unix seconds).
        public var nextAt: Int64

        public init(failures: Int, windowStart: Int64, nextAt: Int64) {
            self.failures = failures
            self.windowStart = windowStart
            self.nextAt = nextAt
        }

        public static func fresh(_ now: Int64) -> State { State(failures: 0, windowStart: now, nextAt: now) }
    }

    /// Seconds to wait before an attempt may be checked; 0 when it may be checked now.
    public func wait(_ s: State, now: Int64) -> Int {
        s.nextAt > now ? Int(min(s.nextAt - now, Int64(maxDelaySeconds))) : 0
    }

    /// The state after one more failure at `now` (recorded before the password is checked).
    public func failed(_ s: State, now: Int64) -> State {
        var s = now - s.windowStart >= Int64(windowSeconds) ? State.fresh(now) : s
        s.failures = min(s.failures + 1, 1_000_000)
        s.nextAt = now + Int64(delay(after: s.failures))
        return s
    }

    /// The state once an attempt counted up front turns out to be right.
    public func succeeded(_ s: State) -> State {
        var s = s
        s.failures = max(0, s.failures - 1)
        if s.failures <= freeFailures { s.nextAt = s.windowStart }
        return s
    }

    /// Seconds of delay after `failures` failures: none for the free ones, then 1, 2, 4 … up to the cap.
    public func delay(after failures: Int) -> Int {
        let over = failures - freeFailures
        guard over > 0 else { return 0 }
        return over > 30 ? maxDelaySeconds : min(maxDelaySeconds, 1 << (over - 1))
    }
}
