import Foundation
import XukeStorage
import XukeTrust

/// The public log as its readers fetch it (docs/FORMATS.md §4): keys, status lists, checkpoints, tiles and proofs.
extension TrustService {
    func jwks() async throws -> JWKSet {
        try await db.read { try await transparency.jwks($0) }
    }

    func statusToken(list: String) async throws -> String {
        try await db.read { try await transparency.statusToken($0, list: list, now: clock.now()) }
    }

    func checkpoint() async throws -> String {
        try await transparency.checkpoint(db)
    }

    func logSize() async throws -> Int {
        try await db.read { try await TransparencyStore.size($0) }
    }

    /// A tile's bytes: 256 hashes (or fewer, for a partial tile) or the entries bundle; nil for a tile the log
    /// does not have yet.
    func tile(_ tile: LogTilePath) async throws -> [UInt8]? {
        try await db.read { sql in
            let size = try await TransparencyStore.size(sql)
            guard tile.exists(in: size) else { return nil }
            if tile.entries {
                var bundle: [UInt8] = []
                for e in try await TransparencyStore.entries(sql, from: tile.index * 256, count: tile.width) {
                    bundle += [UInt8(e.entry.count >> 8), UInt8(e.entry.count & 0xFF)] + e.entry
                }
                return bundle
            }
            return try await TransparencyStore.tile(sql, level: tile.level, index: tile.index, width: tile.width).flatMap { $0 }
        }
    }

    /// `index` < `size` ≤ the log's size, as the caller has checked.
    func inclusionProof(index: Int, size: Int) async throws -> InclusionProof {
        let (entry, root, proof) = try await db.read { try await TransparencyStore.inclusion($0, index: index, size: size) }.orNotFound("log entry \(index)")
        return InclusionProof(index: index, treeSize: size, kind: entry.kind, entry: String(decoding: entry.entry, as: UTF8.self),
                              leafHash: Self.base64(Merkle.leafHash(entry.entry)), rootHash: Self.base64(root), proof: proof.map(Self.base64))
    }

    /// 1 ≤ `from` ≤ `to` ≤ the log's size, as the caller has checked.
    func consistencyProof(from: Int, to: Int) async throws -> ConsistencyProof {
        var hashes = try await db.read { try await TransparencyStore.rangeHashes($0, [0..<from, 0..<to] + Merkle.consistencyRanges(from: from, to: to)) }
        let fromRoot = hashes.removeFirst(), toRoot = hashes.removeFirst()
        return ConsistencyProof(from: from, to: to, fromRoot: Self.base64(fromRoot), toRoot: Self.base64(toRoot), proof: hashes.map(Self.base64))
    }

    static func base64(_ hash: [UInt8]) -> String { Data(hash).base64EncodedString() }

    struct InclusionProof: Encodable, Sendable {
        var index: Int
        var treeSize: Int
        var kind: String
        /// The entry's canonical JSON, exactly the bytes that were hashed.
        var entry: String
        var leafHash: String
        var rootHash: String
        var proof: [String]
    }

    struct ConsistencyProof: Encodable, Sendable {
        var from: Int
        var to: Int
        var fromRoot: String
        var toRoot: String
        var proof: [String]
    }
}
