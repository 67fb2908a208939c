import Crypto

/// RFC 6962 §2.1 Merkle trees over SHA-256, addressed so a database can hold them.
///
/// Every complete subtree is a `Node` (level, index): it covers leaves `index·2^level ..< (index+1)·2^level`.
/// Nodes are stored in the order they complete as leaves are appended, so each has a fixed storage
/// position; any root, proof or tile is then a handful of reads of positions computed up front.
public enum Merkle {
    public typealias Hash = [UInt8]

    public static func sha256(_ bytes: some Sequence<UInt8>) -> Hash { Array(SHA256.hash(data: Array(bytes))) }

    // One buffer and one call into SHA-256: rosters and the log hash millions of these.
    public static func leafHash(_ entry: some Sequence<UInt8>) -> Hash {
        var message: [UInt8] = [0]
        message.append(contentsOf: entry)
        return Array(SHA256.hash(data: message))
    }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var message: [UInt8] = [1]
        message.reserveCapacity(1 + left.count + right.count)
        message.append(contentsOf: left)
        message.append(contentsOf: right)
        return Array(SHA256.hash(data: message))
    }

    public static let emptyRoot: Hash = sha256([])

    public struct Node: Hashable, Sendable, CustomStringConvertible {
        public var level: Int
        public var index: Int
        public init(level: Int, index: Int) { self.level = level; self.index = index }

        /// Position in append order: all hashes stored before the leaf that completes this node, plus its level.
        public var storageIndex: Int {
            let lastLeaf = ((index + 1) << level) - 1
            return 2 * lastLeaf - lastLeaf.nonzeroBitCount + level
        }
        public var description: String { "(\(level),\(index))" }
    }

    /// The complete subtrees whose hashes make MTH(D[range]), left to right (RFC 6962 splits at the largest
    /// power of two below the size, so the left part is always complete).
    public static func nodes(covering range: Range<Int>) -> [Node] {
        var out: [Node] = []
        var lo = range.lowerBound
        var size = range.count
        while size > 0 {
            let level = Int.bitWidth - 1 - size.leadingZeroBitCount
            precondition(lo % (1 << level) == 0, "range not aligned to its subtrees")
            out.append(Node(level: level, index: lo >> level))
            lo += 1 << level
            size -= 1 << level
        }
        return out
    }

    /// MTH(D[range]) from the hashes of `nodes(covering: range)`.
    public static func rangeHash(_ range: Range<Int>, _ hash: (Node) throws -> Hash) rethrows -> Hash {
        if range.isEmpty { return emptyRoot }
        let ns = nodes(covering: range)
        var h = try hash(ns[ns.count - 1])
        for n in ns.dropLast().reversed() { h = nodeHash(try hash(n), h) }
        return h
    }

    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The leaf ranges whose MTH form PATH(m, D[n]) (RFC 6962 §2.1.1), leaf to root.
    public static func inclusionRanges(leaf m: Int, size n: Int) -> [Range<Int>] {
        precondition(m >= 0 && m < n)
        var out: [Range<Int>] = []
        func path(_ m: Int, _ lo: Int, _ hi: Int) {
            let n = hi - lo
            guard n > 1 else { return }
            let k = split(n)
            if m < k {
                path(m, lo, lo + k)
                out.append(lo + k ..< hi)
            } else {
                path(m - k, lo + k, hi)
                out.append(lo ..< lo + k)
            }
        }
        path(m, 0, n)
        return out
    }

    /// The leaf ranges whose MTH form PROOF(m, D[n]) (RFC 6962 §2.1.2), for 0 < m ≤ n.
    public static func consistencyRanges(from m: Int, to n: Int) -> [Range<Int>] {
        precondition(m > 0 && m <= n)
        var out: [Range<Int>] = []
        func sub(_ m: Int, _ lo: Int, _ hi: Int, _ b: Bool) {
            let n = hi - lo
            if m == n {
                if !b { out.append(lo ..< hi) }
                return
            }
            let k = split(n)
            if m <= k {
                sub(m, lo, lo + k, b)
                out.append(lo + k ..< hi)
            } else {
                sub(m - k, lo + k, hi, false)
                out.append(lo ..< lo + k)
            }
        }
        sub(m, 0, n, true)
        return out
    }

    /// Appending leaf `n` stores its hash and the hash of every subtree it completes; each of those needs
    /// the stored left sibling one level down.
    public static func appendPlan(leaf n: Int) -> (reads: [Node], writes: [Node]) {
        var reads: [Node] = [], writes = [Node(level: 0, index: n)]
        var level = 1
        while (n + 1) & ((1 << level) - 1) == 0 {
            let index = ((n + 1) >> level) - 1
            writes.append(Node(level: level, index: index))
            reads.append(Node(level: level - 1, index: 2 * index))
            level += 1
        }
        return (reads, writes)
    }

    /// Hashes for the nodes `appendPlan(leaf:)` writes, given the leaf hash and the stored left siblings (same order as `reads`).
    public static func appendHashes(leafHash: Hash, lefts: [Hash]) -> [Hash] {
        var out = [leafHash]
        for left in lefts { out.append(nodeHash(left, out[out.count - 1])) }
        return out
    }

    /// The root of a list of leaf hashes held in memory (tests, rosters, small trees).
    public static func root(ofLeafHashes leaves: [Hash]) -> Hash {
        var tree = Accumulator()
        for leaf in leaves { tree.append(leafHash: leaf) }
        return tree.root
    }

    /// A tree's right edge: the complete subtrees of its size's binary decomposition, largest first. Enough
    /// to go on appending and to give the root, in memory proportional to log n.
    public struct Accumulator: Sendable {
        private var edge: [(level: Int, hash: Hash)] = []
        public private(set) var size = 0

        public init() {}

        public mutating func append(leafHash: Hash) {
            edge.append((0, leafHash))
            size += 1
            while edge.count >= 2, edge[edge.count - 1].level == edge[edge.count - 2].level {
                let right = edge.removeLast(), left = edge.removeLast()
                edge.append((left.level + 1, nodeHash(left.hash, right.hash)))
            }
        }

        /// MTH of the leaves so far: the edge folded from the right, as RFC 6962 splits.
        public var root: Hash {
            guard var h = edge.last?.hash else { return emptyRoot }
            for item in edge.dropLast().reversed() { h = nodeHash(item.hash, h) }
            return h
        }
    }

    /// RFC 9162 §2.1.3.2.
    public static func verifyInclusion(leafIndex: Int, treeSize: Int, leafHash: Hash, proof: [Hash], root: Hash) -> Bool {
        guard leafIndex >= 0, leafIndex < treeSize, leafHash.count == 32, proof.allSatisfy({ $0.count == 32 }) else { return false }
        var fn = leafIndex, sn = treeSize - 1, r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn != 0 && fn & 1 == 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// RFC 9162 §2.1.4.2; size 0 is refused and equal sizes need an empty proof and equal roots.
    public static func verifyConsistency(first: Int, second: Int, firstRoot: Hash, secondRoot: Hash, proof: [Hash]) -> Bool {
        guard first > 0, second >= first, proof.allSatisfy({ $0.count == 32 }) else { return false }
        if first == second { return proof.isEmpty && firstRoot == secondRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        if first & (first - 1) == 0 { path.insert(firstRoot, at: 0) }
        var fn = first - 1, sn = second - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0], sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn != 0 && fn & 1 == 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}
