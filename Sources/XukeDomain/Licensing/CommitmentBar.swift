/// Whether an enterprise's credit closes the commitment route to it (docs/DOMAIN.md §6, §10): a false commitment
/// or a serious violation on record and in force, or an entry in force on either credit list. A project decision
/// reads the abnormal-operation list as closing the route too (docs/DOMAIN.md §10 says where the law is narrower).
public enum CommitmentBar {
    /// The kinds of credit flag that close the route while in force.
    public static let barringFlags: Set<String> = ["serious_violation", "false_commitment"]

    /// A credit flag as stored: its kind and the days it runs (`until` open when nil, exclusive).
    public struct Flag: Sendable, Equatable, Codable {
        public var kind: String
        public var since: CivilDate
        public var until: CivilDate?
        public init(kind: String, since: CivilDate, until: CivilDate?) {
            (self.kind, self.since, self.until) = (kind, since, until)
        }

        public func inForce(on day: CivilDate) -> Bool { since <= day && (until.map { day < $0 } ?? true) }
    }

    public static func barred(flags: [Flag], listedInForce: Bool, on day: CivilDate) -> Bool {
        listedInForce || flags.contains { barringFlags.contains($0.kind) && $0.inForce(on: day) }
    }
}
