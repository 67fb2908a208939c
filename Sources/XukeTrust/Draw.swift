import Crypto
public import XukeDomain
import Dispatch
import Foundation

/// The verifiable double-random draw, algorithm dr-v1 (docs/FORMATS.md §3): who is inspected and by whom
/// follows from published inputs alone, so anyone can recompute it and nobody can steer it. Integers and
/// hashes only. The algorithm is kept in this one file, slightly over the project's 400 lines, so that it reads
/// top to bottom beside its specification.
public enum DrawV1 {
    public static let algorithm = "dr-v1"

    /// An inspection target as it is frozen in the roster.
    public struct Target: Sendable, Equatable {
        public var id: String
        public var stratum: String
        public var category: String
        public var county: String
        /// Inspectors who checked it last time; they may not be drawn for it again.
        public var lastInspectors: [String]

        public init(id: String, stratum: String, category: String, county: String, lastInspectors: [String] = []) {
            self.id = id
            self.stratum = stratum
            self.category = category
            self.county = county
            self.lastInspectors = lastInspectors
        }

        /// The roster line: keys in canonical order, `last_inspectors` only when there are some.
        public var canonical: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(128)
            out.append(contentsOf: #"{"category":"#.utf8); JSONValue.writeString(category, into: &out)
            out.append(contentsOf: #","county":"#.utf8); JSONValue.writeString(county, into: &out)
            out.append(contentsOf: #","id":"#.utf8); JSONValue.writeString(id, into: &out)
            if !lastInspectors.isEmpty {
                out.append(contentsOf: #","last_inspectors":"#.utf8)
                JSONValue.array(lastInspectors.map(JSONValue.string)).write(into: &out)
            }
            out.append(contentsOf: #","stratum":"#.utf8); JSONValue.writeString(stratum, into: &out)
            out.append(UInt8(ascii: "}"))
            return out
        }

        public var json: JSONValue {
            var m: [String: JSONValue] = ["id": .string(id), "stratum": .string(stratum), "category": .string(category), "county": .string(county)]
            if !lastInspectors.isEmpty { m["last_inspectors"] = .array(lastInspectors.map(JSONValue.string)) }
            return .object(m)
        }

        public init(json: JSONValue) throws(DrawError) {
            guard let id = json["id"]?.stringValue, let stratum = json["stratum"]?.stringValue,
                  let category = json["category"]?.stringValue, let county = json["county"]?.stringValue
            else { throw .malformed("an enterprise needs id, stratum, category and county") }
            let last = try DrawV1.strings(json["last_inspectors"], "last_inspectors")
            self.init(id: id, stratum: stratum, category: category, county: county, lastInspectors: last)
        }
    }

    public struct Inspector: Sendable, Equatable {
        public var id: String
        public var county: String
        /// Teams the inspector may join in one draw.
        public var capacity: Int
        /// Categories the inspector is qualified for; empty means any.
        public var qualified: [String]

        public init(id: String, county: String, capacity: Int, qualified: [String] = []) {
            self.id = id
            self.county = county
            self.capacity = capacity
            self.qualified = qualified
        }

        public var json: JSONValue {
            var m: [String: JSONValue] = ["id": .string(id), "county": .string(county), "capacity": .int(Int64(capacity))]
            if !qualified.isEmpty { m["qualified"] = .array(qualified.map(JSONValue.string)) }
            return .object(m)
        }

        public init(json: JSONValue) throws(DrawError) {
            guard let id = json["id"]?.stringValue, let county = json["county"]?.stringValue, let capacity = json["capacity"]?.intValue,
                  capacity >= 0, capacity <= Int64(Int32.max)
            else { throw .malformed("an inspector needs id, county and a capacity of 0 or more") }
            self.init(id: id, county: county, capacity: Int(capacity), qualified: try DrawV1.strings(json["qualified"], "qualified"))
        }
    }

    /// Why an inspector was passed over for one enterprise, checked in this order.
    public enum Skip: String, Sendable, Codable {
        case sameCounty = "same-county"
        case inspectedLastTime = "inspected-last-time"
        case notQualified = "not-qualified"
        case atCapacity = "at-capacity"
    }

    public struct Row: Sendable, Equatable {
        public var enterprise: String
        public var score: [UInt8]
        /// Nil when the team could not be filled: such a team is published unfilled, never completed by hand.
        public var team: [String]?
        public var skipped: [(inspector: String, reason: Skip)]

        public static func == (a: Row, b: Row) -> Bool {
            a.enterprise == b.enterprise && a.score == b.score && a.team == b.team
                && a.skipped.map(\.inspector) == b.skipped.map(\.inspector) && a.skipped.map(\.reason) == b.skipped.map(\.reason)
        }

        public var json: JSONValue {
            ["enterprise": .string(enterprise), "score": .string(score.hex), "team": team.map { .array($0.map(JSONValue.string)) } ?? .null,
             "skipped": .array(skipped.map { [.string($0.inspector), .string($0.reason.rawValue)] })]
        }
    }

    public struct Result: Sendable, Equatable {
        public var seed: [UInt8]
        public var enterpriseRoot: [UInt8]
        public var inspectorRoot: [UInt8]
        public var rows: [Row]

        public var json: JSONValue {
            ["algorithm": .string(algorithm), "seed": .string(seed.hex), "enterprise_root": .string(enterpriseRoot.hex),
             "inspector_root": .string(inspectorRoot.hex), "draw": .array(rows.map(\.json))]
        }
    }

    public enum DrawError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case secretMismatch
        case duplicateID(String)

        public var code: ErrorCode {
            switch self {
            case .malformed: .draw.malformed
            case .secretMismatch: .draw.secretMismatch
            case .duplicateID: .draw.duplicateId
            }
        }

        public var description: String {
            switch self {
            case .malformed(let why): "malformed draw input: \(why)"
            case .secretMismatch: "the revealed secret does not hash to the plan's commitment"
            case .duplicateID(let id): "the roster lists \(id) twice"
            }
        }
    }

    // MARK: Hashing

    /// SHA-256 over fields, each preceded by its length as 4 bytes big-endian.
    public static func hash(_ parts: [UInt8]...) -> [UInt8] {
        var message: [UInt8] = []
        for p in parts { append(p, to: &message) }
        return Array(SHA256.hash(data: message))
    }

    static func append(_ field: [UInt8], to message: inout [UInt8]) {
        let n = UInt32(field.count)
        message += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
        message += field
    }

    /// The RFC 6962 root over the roster's canonical lines, sorted by id as bytes: the order of input does not matter.
    public static func rosterRoot(_ lines: [(id: String, line: [UInt8])]) throws(DrawError) -> [UInt8] {
        try rosterRoot(ids: lines.map(\.id)) { lines[$0].line }
    }

    /// The same, with each member's line made on demand (and in parallel): a million of them add up.
    static func rosterRoot(ids names: [String], line: @Sendable (Int) -> [UInt8]) throws(DrawError) -> [UInt8] {
        let leaves = inParallelChunks(names.count) { Merkle.leafHash(line($0)) }
        // Ids as byte arrays, sorted by index: comparing String's UTF-8 views a million times costs seconds.
        let ids = names.map { Array($0.utf8) }
        let order = ids.indices.sorted { ids[$0].lexicographicallyPrecedes(ids[$1]) }
        for (a, b) in zip(order, order.dropFirst()) where ids[a] == ids[b] { throw .duplicateID(names[a]) }
        var tree = Merkle.Accumulator()
        for i in order { tree.append(leafHash: leaves[i]) }
        return tree.root
    }

    public static func enterpriseRoot(_ targets: [Target]) throws(DrawError) -> [UInt8] {
        try rosterRoot(ids: targets.map(\.id)) { targets[$0].canonical }
    }

    public static func inspectorRoot(_ inspectors: [Inspector]) throws(DrawError) -> [UInt8] {
        try rosterRoot(ids: inspectors.map(\.id)) { inspectors[$0].json.canonical }
    }

    public static func commitment(of secret: [UInt8]) -> String { Merkle.sha256(secret).hex }

    // MARK: The draw

    /// Runs dr-v1. `plan` is the published plan object; it must carry `quota` (stratum → count), `team_size` and `commit`.
    public static func draw(plan: JSONValue, targets: [Target], inspectors: [Inspector], beacon: [UInt8], secret: [UInt8]) throws(DrawError) -> Result {
        guard case .object(let quotaMembers)? = plan["quota"], let teamSize = plan["team_size"]?.intValue, teamSize >= 1, teamSize <= 1000,
              let commit = plan["commit"]?.stringValue
        else { throw .malformed("the plan needs quota, team_size and commit") }
        var quota: [String: Int] = [:]
        for (stratum, k) in quotaMembers {
            guard let k = k.intValue, k >= 0 else { throw .malformed("the quota of stratum \(stratum) is not a count") }
            quota[stratum] = Int(clamping: k)
        }
        guard commitment(of: secret) == commit.lowercased() else { throw .secretMismatch }
        let eRoot = try enterpriseRoot(targets), iRoot = try inspectorRoot(inspectors)
        let seed = hash(Array("dr-v1/seed".utf8), plan.canonical, eRoot, iRoot, beacon, secret)

        // Enterprises: the k lowest scores in each stratum, then all the picked in score order.
        var byStratum: [String: [Int]] = [:]
        for (i, t) in targets.enumerated() where quota[t.stratum] != nil { byStratum[t.stratum, default: []].append(i) }
        var picked: [(score: [UInt8], index: Int)] = []
        let eTag: [UInt8] = [0, 0, 0, 1, UInt8(ascii: "E")]
        // Strata are independent of one another: each is scored and cut on its own core.
        let strata = quota.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let groups = strata.map { byStratum[$0] ?? [] }, counts = strata.map { quota[$0]! }
        let cuts = inParallel(strata.count) { n -> [(score: [UInt8], index: Int)] in
            let prefix = lengthPrefixed(seed) + eTag + lengthPrefixed(Array(strata[n].utf8))
            var scored = groups[n].map { i in (score: Array(SHA256.hash(data: prefix + lengthPrefixed(Array(targets[i].id.utf8)))), index: i) }
            scored.sort { precedes($0.score, targets[$0.index].id, $1.score, targets[$1.index].id) }
            return Array(scored.prefix(counts[n]))
        }
        for cut in cuts { picked += cut }
        picked.sort { precedes($0.score, targets[$0.index].id, $1.score, targets[$1.index].id) }

        // Inspectors: for each picked enterprise, the first team_size in hash order that pass every check.
        // Ranking needs no state, so it runs on every core first and keeps a short list per enterprise; the
        // walk that depends on capacities runs in order afterwards, and ranks in full where a list runs out.
        let ids = inspectors.map { Array($0.id.utf8) }
        let prefixes = picked.map { lengthPrefixed(seed) + [0, 0, 0, 1, UInt8(ascii: "I")] + lengthPrefixed(Array(targets[$0.index].id.utf8)) }
        let shortlist = min(64, inspectors.count)
        let lists = Self.inParallel(prefixes.count) { Self.rank(ids, prefix: prefixes[$0], first: shortlist) }
        var load = [Int](repeating: 0, count: inspectors.count)
        var rows: [Row] = []
        rows.reserveCapacity(picked.count)
        for (p, (score, index)) in picked.enumerated() {
            let e = targets[index]
            var order = lists[p], position = 0
            var team: [Int] = [], skipped: [(inspector: String, reason: Skip)] = []
            let last = Set(e.lastInspectors)
            while team.count < teamSize {
                if position == order.count {
                    guard order.count < inspectors.count else { break }
                    order = Self.rank(ids, prefix: prefixes[p], first: inspectors.count)
                }
                let j = order[position]
                position += 1
                let inspector = inspectors[j]
                let why: Skip? =
                    if inspector.county == e.county { .sameCounty }
                    else if last.contains(inspector.id) { .inspectedLastTime }
                    else if !inspector.qualified.isEmpty && !inspector.qualified.contains(e.category) { .notQualified }
                    else if load[j] >= inspector.capacity { .atCapacity }
                    else { nil }
                if let why {
                    skipped.append((inspector.id, why))
                } else {
                    team.append(j)
                    load[j] += 1
                }
            }
            let filled = team.count == teamSize
            if !filled { for j in team { load[j] -= 1 } }
            rows.append(Row(enterprise: e.id, score: score, team: filled ? team.map { inspectors[$0].id } : nil, skipped: skipped))
        }
        return Result(seed: seed, enterpriseRoot: eRoot, inspectorRoot: iRoot, rows: rows)
    }

    /// The first `first` inspectors (by index) in order of H(prefix, id), ties by id.
    static func rank(_ ids: [[UInt8]], prefix: [UInt8], first: Int) -> [Int] {
        var message: [UInt8] = []
        message.reserveCapacity(prefix.count + 64)
        var keys: [Key] = []
        keys.reserveCapacity(ids.count)
        for (j, id) in ids.enumerated() {
            message.removeAll(keepingCapacity: true)
            message.append(contentsOf: prefix)
            append(id, to: &message)
            keys.append(Key(SHA256.hash(data: message), j))
        }
        var heap = MinHeap(keys) { a, b in a.precedes(b, ids) }
        var out: [Int] = []
        out.reserveCapacity(first)
        while out.count < first, let k = heap.pop() { out.append(k.index) }
        return out
    }

    /// `body(i)` for every i in 0..<count, spread over the machine's cores; results in order.
    static func inParallel<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = Slots<T>(count)
        let chunks = max(1, min(count, ProcessInfo.processInfo.activeProcessorCount * 4))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in stride(from: c, to: count, by: chunks) { slots.set(i, body(i)) }
        }
        return slots.values()
    }

    /// `body(i)` for every i in 0..<count, in contiguous chunks per core: for many small pieces of work.
    static func inParallelChunks<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let size = max(1, (count + 63) / 64)
        return inParallel((count + size - 1) / size) { c in (c * size..<min(count, (c + 1) * size)).map(body) }.flatMap { $0 }
    }

    /// Result slots written by disjoint indices from several threads, read once all are done.
    final class Slots<T>: @unchecked Sendable {
        private var items: [T?]
        init(_ count: Int) { items = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: T) { items.withUnsafeMutableBufferPointer { $0[i] = value } }
        func values() -> [T] { items.map { $0! } }
    }

    static func lengthPrefixed(_ field: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        append(field, to: &out)
        return out
    }

    static func precedes(_ a: [UInt8], _ aID: String, _ b: [UInt8], _ bID: String) -> Bool {
        a == b ? aID.utf8.lexicographicallyPrecedes(bID.utf8) : a.lexicographicallyPrecedes(b)
    }

    static func strings(_ value: JSONValue?, _ name: String) throws(DrawError) -> [String] {
        guard let value, value != .null else { return [] }
        guard let items = value.arrayValue else { throw .malformed("\(name) must be a list") }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw .malformed("\(name) must list strings") }
            out.append(s)
        }
        return out
    }

    /// A SHA-256 digest as four big-endian words, so comparing digests is four integer comparisons.
    struct Key {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var index = 0

        init() {}

        init(_ digest: SHA256.Digest, _ index: Int) {
            words = digest.withUnsafeBytes { raw in
                (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
            }
            self.index = index
        }

        func precedes(_ o: Key, _ ids: [[UInt8]]) -> Bool {
            if words.0 != o.words.0 { return words.0 < o.words.0 }
            if words.1 != o.words.1 { return words.1 < o.words.1 }
            if words.2 != o.words.2 { return words.2 < o.words.2 }
            if words.3 != o.words.3 { return words.3 < o.words.3 }
            return ids[index].lexicographicallyPrecedes(ids[o.index])
        }
    }

    /// A binary heap: only the first few inspectors in hash order are ever needed, so ordering all of them would be waste.
    struct MinHeap<Element> {
        private var items: [Element]
        private let less: (Element, Element) -> Bool

        init(_ items: [Element], by less: @escaping (Element, Element) -> Bool) {
            self.items = items
            self.less = less
            for i in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        }

        mutating func pop() -> Element? {
            guard !items.isEmpty else { return nil }
            items.swapAt(0, items.count - 1)
            let top = items.removeLast()
            siftDown(0)
            return top
        }

        private mutating func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && less(items[l], items[m]) { m = l }
                if r < items.count && less(items[r], items[m]) { m = r }
                if m == i { return }
                items.swapAt(i, m)
                i = m
            }
        }
    }
}

extension DrawV1 {
    /// Recomputes a published draw from its published inputs: the plan, both rosters, the beacon value and the
    /// revealed secret, in the layout of the reference vector. `matches` says whether the published result is
    /// exactly what the inputs give.
    public static func recompute(_ bundle: JSONValue) throws(DrawError) -> (matches: Bool, result: Result) {
        guard let plan = bundle["plan"], let enterprises = bundle["enterprises"]?.arrayValue, let inspectors = bundle["inspectors"]?.arrayValue,
              let beacon = bundle["beacon"]?.stringValue.flatMap({ [UInt8](hex: $0) }), let secret = bundle["secret"]?.stringValue.flatMap({ [UInt8](hex: $0) })
        else { throw .malformed("a published draw has plan, enterprises, inspectors, beacon and secret (hex)") }
        var targets: [Target] = [], staff: [Inspector] = []
        for e in enterprises { targets.append(try Target(json: e)) }
        for i in inspectors { staff.append(try Inspector(json: i)) }
        let result = try draw(plan: plan, targets: targets, inspectors: staff, beacon: beacon, secret: secret)
        return (bundle["result"].map { $0.canonical == result.json.canonical } ?? false, result)
    }
}
