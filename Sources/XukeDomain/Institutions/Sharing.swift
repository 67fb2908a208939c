/// Data shared with other agencies (market registration, tax, finance, insurance, investment): which events a
/// client may read, where it stands in the change feed, and how often a failing webhook is tried again.
public enum ShareScope: String, Sendable, Codable, CaseIterable, Comparable {
    case licenses
    case inspections
    case penalties
    case credit
    case duties
    case institutions

    /// Event types belong to a scope by their prefix. Sign-ins, settings, leads (which carry what
    /// whistle-blowers said) and anything not named here are never shared.
    public var eventPrefixes: [String] {
        switch self {
        case .licenses: ["application.", "license.", "verification."]
        case .inspections: ["plan.", "inspection.", "objection."]
        case .penalties: ["enforcement."]
        case .credit: ["credit."]
        case .duties: ["declaration.", "accident.", "recall.", "self_report."]
        case .institutions: ["lab.", "review_body.", "cert_body.", "ccc."]
        }
    }

    public static func < (a: ShareScope, b: ShareScope) -> Bool { a.rawValue < b.rawValue }

    /// Parses a list such as `licenses credit` or `licenses,credit`; unknown names are an error, not ignored.
    public static func parseList(_ text: String) throws -> Set<ShareScope> {
        var out = Set<ShareScope>()
        for name in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let s = ShareScope(rawValue: String(name)) else {
                throw DomainError(.sharing.scope, ["name": "\(name)"])
            }
            out.insert(s)
        }
        guard !out.isEmpty else {
            throw DomainError(.sharing.noScope)
        }
        return out
    }

    public static func text(_ scopes: Set<ShareScope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: " ")
    }
}

/// The kinds of agency the platform shares with (docs/DOMAIN.md §2).
public enum AgencySector: String, Sendable, Codable, CaseIterable {
    case marketRegistration = "market_registration"
    case tax
    case finance
    case insurance
    case investment
    case other
}

/// A position in the change feed. Events are read in (transaction, id) order: on PostgreSQL ids are handed out
/// before commit, so id order alone would let a reader pass an event whose transaction had not committed yet.
/// On SQLite every writer waits its turn, so `tx` is 0 throughout and the order is the id order.
public struct FeedCursor: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var tx: Int64
    public var id: Int64

    public static let start = FeedCursor(tx: 0, id: 0)

    public init(tx: Int64, id: Int64) {
        self.tx = tx
        self.id = id
    }

    /// The text form clients pass back: `<tx>-<id>`.
    public init(_ text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let tx = Int64(parts[0]), let id = Int64(parts[1]), tx >= 0, id >= 0 else {
            throw DomainError(.feed.cursor, ["text": "\(text.prefix(40))"])
        }
        self.init(tx: tx, id: id)
    }

    public var description: String { "\(tx)-\(id)" }

    public static func < (a: FeedCursor, b: FeedCursor) -> Bool { (a.tx, a.id) < (b.tx, b.id) }
}

/// When a webhook whose delivery failed is tried again, and when it gives up.
public struct RetrySchedule: Sendable, Equatable {
    public var firstDelaySeconds: Int
    public var maxDelaySeconds: Int
    public var maxAttempts: Int

    public static let standard = RetrySchedule(firstDelaySeconds: 30, maxDelaySeconds: 3600, maxAttempts: 12)

    public init(firstDelaySeconds: Int, maxDelaySeconds: Int, maxAttempts: Int) {
        self.firstDelaySeconds = firstDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxAttempts = maxAttempts
    }

    /// Seconds to wait after the `failures`-th failure in a row: doubling from the first delay, capped.
    public func delay(afterFailures failures: Int) -> Int {
        let doublings = min(max(failures - 1, 0), 30)
        return min(firstDelaySeconds << doublings, maxDelaySeconds)
    }

    /// True once a batch has failed as often as allowed; it then goes to the dead-letter list.
    public func exhausted(failures: Int) -> Bool { failures >= maxAttempts }
}
