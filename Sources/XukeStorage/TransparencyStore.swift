public import SQLKit
public import XukeTrust
import XukeDomain
import Foundation

public struct LogEntry: Sendable, Equatable {
    public var index: Int
    public var kind: String
    public var subject: String
    public var entry: [UInt8]
    public var at: String
}

/// The public log's rows: entries, the hash of every complete subtree, and the checkpoints handed out.
public enum TransparencyStore {
    public static let maxEntryBytes = 65_535

    public static func size(_ sql: any SQLDatabase) async throws -> Int {
        guard let r = try await sql.raw("SELECT size FROM log_head WHERE id = 1").first() else { throw StorageError.corruptRow("log_head") }
        return try r.decode(column: "size", as: Int.self)
    }

    /// Appends one entry inside the caller's transaction and returns its index. Bumping the head first
    /// takes its row lock (PostgreSQL) or rides the single writer (SQLite), so appends never interleave.
    @discardableResult
    public static func append(_ sql: any SQLDatabase, kind: String, subject: String, entry: [UInt8], at: String) async throws -> Int {
        try await appendMany(sql, [(kind, subject, entry)], at: at)
    }

    /// Appends many entries at once inside the caller's transaction (an import) and answers the first one's index.
    /// The same tree as appending them one by one: the new nodes are computed in memory, and only the left
    /// siblings that were complete before the first of them are read.
    @discardableResult
    public static func appendMany(_ sql: any SQLDatabase, _ entries: [(kind: String, subject: String, entry: [UInt8])], at: String) async throws -> Int {
        guard !entries.isEmpty else { return try await size(sql) }
        guard entries.allSatisfy({ $0.entry.count <= maxEntryBytes }) else { throw DomainError(.log.entryTooLarge) }
        guard let r = try await sql.raw("UPDATE log_head SET size = size + \(bind: entries.count) WHERE id = 1 RETURNING size").first() else {
            throw StorageError.corruptRow("log_head")
        }
        let first = try r.decode(column: "size", as: Int.self) - entries.count
        let plans = (0..<entries.count).map { Merkle.appendPlan(leaf: first + $0) }
        let written = Set(plans.flatMap(\.writes))
        var known = try await hashes(sql, Array(Set(plans.flatMap(\.reads)).subtracting(written)))
        var rows: [HashRow] = []
        for (entry, plan) in zip(entries, plans) {
            let computed = Merkle.appendHashes(leafHash: Merkle.leafHash(entry.entry), lefts: try plan.reads.map { try known[$0].orThrow("log_hashes \($0)") })
            for (node, hash) in zip(plan.writes, computed) {
                known[node] = hash
                rows.append(HashRow(id: node.storageIndex, hash: Data(hash)))
            }
        }
        try await sql.insertRows(into: "log_entries", entries.enumerated().map {
            EntryRow(idx: first + $0.offset, kind: $0.element.kind, subject: $0.element.subject, entry: Data($0.element.entry), at: at)
        })
        try await sql.insertRows(into: "log_hashes", rows)
        return first
    }

    struct EntryRow: Encodable {
        var idx: Int
        var kind: String
        var subject: String
        var entry: Data
        var at: String
    }

    struct HashRow: Encodable {
        var id: Int
        var hash: Data
    }

    /// Stored hashes by node; missing nodes are simply absent.
    public static func hashes(_ sql: any SQLDatabase, _ nodes: [Merkle.Node]) async throws -> [Merkle.Node: Merkle.Hash] {
        guard !nodes.isEmpty else { return [:] }
        let byIndex = Dictionary(nodes.map { ($0.storageIndex, $0) }, uniquingKeysWith: { a, _ in a })
        let ids = integerList(byIndex.keys.sorted())
        var out: [Merkle.Node: Merkle.Hash] = [:]
        for r in try await sql.raw("SELECT id, hash FROM log_hashes WHERE id IN (\(ids))").all() {
            let id = try r.decode(column: "id", as: Int.self)
            if let node = byIndex[id] { out[node] = [UInt8](try r.decode(column: "hash", as: Data.self)) }
        }
        return out
    }

    /// MTH of each leaf range (all within a tree of the given size), read in one query.
    public static func rangeHashes(_ sql: any SQLDatabase, _ ranges: [Range<Int>]) async throws -> [Merkle.Hash] {
        let nodes = ranges.flatMap { Merkle.nodes(covering: $0) }
        let stored = try await hashes(sql, nodes)
        return try ranges.map { range in try Merkle.rangeHash(range) { try stored[$0].orThrow("log_hashes \($0)") } }
    }

    public static func root(_ sql: any SQLDatabase, size: Int) async throws -> Merkle.Hash {
        size == 0 ? Merkle.emptyRoot : try await rangeHashes(sql, [0..<size])[0]
    }

    /// The hashes of tlog-tiles tile `level`/`index`: `width` subtrees of height 8·level, 256 to a full tile.
    public static func tile(_ sql: any SQLDatabase, level: Int, index: Int, width: Int) async throws -> [Merkle.Hash] {
        let nodes = (0..<width).map { Merkle.Node(level: 8 * level, index: 256 * index + $0) }
        let stored = try await hashes(sql, nodes)
        return try nodes.map { try stored[$0].orThrow("log_hashes \($0)") }
    }

    /// An entry with the root of a tree of `size` leaves and the RFC 6962 audit path from the entry to it,
    /// all hashes in one read. Nil when there is no entry at `index`.
    public static func inclusion(_ sql: any SQLDatabase, index: Int, size: Int) async throws -> (entry: LogEntry, root: Merkle.Hash, proof: [Merkle.Hash])? {
        precondition(index >= 0 && index < size)
        guard let entry = try await entries(sql, from: index, count: 1).first else { return nil }
        var hashes = try await rangeHashes(sql, [0..<size] + Merkle.inclusionRanges(leaf: index, size: size))
        let root = hashes.removeFirst()
        return (entry, root, hashes)
    }

    static func logEntry(_ r: any SQLRow) throws -> LogEntry {
        LogEntry(index: try r.decode(column: "idx", as: Int.self), kind: try r.decode(column: "kind", as: String.self),
                 subject: try r.decode(column: "subject", as: String.self),
                 entry: [UInt8](try r.decode(column: "entry", as: Data.self)), at: try r.decode(column: "at", as: String.self))
    }

    public static func entries(_ sql: any SQLDatabase, from: Int, count: Int) async throws -> [LogEntry] {
        try await sql.raw("""
            SELECT * FROM log_entries WHERE idx >= \(bind: from) AND idx < \(bind: from + count) ORDER BY idx
            """).all().map(logEntry)
    }

    /// Index of the last log entry about a subject, e.g. the event behind a license's current state.
    public static func lastIndex(_ sql: any SQLDatabase, subject: String) async throws -> Int? {
        try await sql.raw("SELECT MAX(idx) AS i FROM log_entries WHERE subject = \(bind: subject)").first()?.decode(column: "i", as: Int?.self)
    }

    public static func saveCheckpoint(_ sql: any SQLDatabase, size: Int, note: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO log_checkpoints (size, note, at) VALUES (\(bind: size), \(bind: note), \(bind: at)) ON CONFLICT (size) DO NOTHING
            """).run()
    }

    public static func checkpoint(_ sql: any SQLDatabase, size: Int) async throws -> String? {
        try await sql.raw("SELECT note FROM log_checkpoints WHERE size = \(bind: size)").first()?.decode(column: "note", as: String.self)
    }

    public static func latestCheckpoint(_ sql: any SQLDatabase) async throws -> (size: Int, note: String)? {
        guard let r = try await sql.raw("SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1").first() else { return nil }
        return (try r.decode(column: "size", as: Int.self), try r.decode(column: "note", as: String.self))
    }
}
