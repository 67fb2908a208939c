import Foundation
import Testing
@testable import XukeTrust

/// An in-memory store laid out exactly as the database lays out the log's hashes.
struct MemoryTree {
    var stored: [Merkle.Hash] = []
    var size = 0

    mutating func append(_ entry: [UInt8]) {
        let plan = Merkle.appendPlan(leaf: size)
        let hashes = Merkle.appendHashes(leafHash: Merkle.leafHash(entry), lefts: plan.reads.map { stored[$0.storageIndex] })
        for (node, hash) in zip(plan.writes, hashes) {
            #expect(node.storageIndex == stored.count)
            stored.append(hash)
        }
        size += 1
    }

    func hash(_ range: Range<Int>) -> Merkle.Hash { Merkle.rangeHash(range) { stored[$0.storageIndex] } }
    func root(_ n: Int) -> Merkle.Hash { hash(0..<n) }
    func inclusion(_ m: Int, _ n: Int) -> [Merkle.Hash] { Merkle.inclusionRanges(leaf: m, size: n).map(hash) }
    func consistency(_ m: Int, _ n: Int) -> [Merkle.Hash] { Merkle.consistencyRanges(from: m, to: n).map(hash) }
}

@Suite struct MerkleTests {
    static func hexes(_ any: Any?) -> [[UInt8]] { (any as? [String] ?? []).map { [UInt8](hex: $0)! } }

    @Test func reproducesTheRFC6962Vectors() throws {
        let v = try Vectors.json("rfc6962_vectors")
        let leaves = (v["leaves_hex"] as! [String]).map { [UInt8](hex: $0)! }
        var tree = MemoryTree()
        let roots = v["root_by_size_hex"] as! [String: String]
        #expect(tree.root(0).hex == roots["0"])
        for leaf in leaves {
            tree.append(leaf)
            #expect(tree.root(tree.size).hex == roots[String(tree.size)], "root of size \(tree.size)")
            #expect(Merkle.root(ofLeafHashes: leaves.prefix(tree.size).map { Merkle.leafHash($0) }) == tree.root(tree.size))
        }
        #expect(tree.root(8).hex.hasPrefix("5dc9da79") && tree.root(8).hex.hasSuffix("4328"))
        let inclusions = v["inclusion"] as! [[String: Any]]
        #expect(inclusions.count > 5)
        for c in inclusions {
            let m = c["index"] as! Int, n = c["size"] as! Int
            let path = Self.hexes(c["path_hex"])
            #expect(tree.inclusion(m, n) == path, "inclusion \(m) in \(n)")
            #expect(Merkle.leafHash(leaves[m]).hex == c["leaf_hash_hex"] as? String)
            #expect(Merkle.verifyInclusion(leafIndex: m, treeSize: n, leafHash: Merkle.leafHash(leaves[m]), proof: path, root: tree.root(n)))
        }
        let consistencies = v["consistency"] as! [[String: Any]]
        #expect(consistencies.count > 3)
        for c in consistencies {
            let m = c["size1"] as! Int, n = c["size2"] as! Int
            let proof = Self.hexes(c["proof_hex"])
            #expect(tree.consistency(m, n) == proof, "consistency \(m) → \(n)")
            #expect(Merkle.verifyConsistency(first: m, second: n, firstRoot: tree.root(m), secondRoot: tree.root(n), proof: proof))
        }
    }

    @Test func proofsFromStoredNodesVerifyAtEverySize() {
        var tree = MemoryTree()
        for i in 0..<300 { tree.append(Array("entry \(i)".utf8)) }
        for n in [1, 2, 3, 7, 8, 9, 100, 255, 256, 257, 300] {
            let root = tree.root(n)
            for m in Set([0, n / 3, n / 2, n - 1]) {
                let proof = tree.inclusion(m, n)
                let leaf = Merkle.leafHash(Array("entry \(m)".utf8))
                #expect(Merkle.verifyInclusion(leafIndex: m, treeSize: n, leafHash: leaf, proof: proof, root: root))
                #expect(!Merkle.verifyInclusion(leafIndex: m, treeSize: n, leafHash: Merkle.leafHash([1]), proof: proof, root: root))
                if m + 1 < n {
                    #expect(!Merkle.verifyInclusion(leafIndex: m + 1, treeSize: n, leafHash: leaf, proof: proof, root: root))
                }
            }
            for m in Set([1, n / 2, n]) where m > 0 {
                let proof = tree.consistency(m, n)
                #expect(Merkle.verifyConsistency(first: m, second: n, firstRoot: tree.root(m), secondRoot: root, proof: proof), "\(m)→\(n)")
                if m < n {
                    #expect(!Merkle.verifyConsistency(first: m, second: n, firstRoot: Merkle.leafHash([9]), secondRoot: root, proof: proof))
                }
            }
        }
    }

    @Test func storagePositionsFollowAppendOrder() {
        // Leaf 0, leaf 1, node(1,0), leaf 2, leaf 3, node(1,1), node(2,0), leaf 4 …
        let order = [(0, 0), (0, 1), (1, 0), (0, 2), (0, 3), (1, 1), (2, 0), (0, 4)]
        for (i, (level, index)) in order.enumerated() {
            #expect(Merkle.Node(level: level, index: index).storageIndex == i)
        }
        #expect(Merkle.nodes(covering: 0..<7) == [.init(level: 2, index: 0), .init(level: 1, index: 2), .init(level: 0, index: 6)])
    }
}
