import Foundation
import Testing
import XukeDomain
import XukeTestSupport
@testable import XukeTrust

@Suite struct DrawTests {
    struct Inputs {
        var plan: JSONValue
        var targets: [DrawV1.Target]
        var inspectors: [DrawV1.Inspector]
        var beacon: [UInt8]
        var secret: [UInt8]

        func draw() throws -> DrawV1.Result {
            try DrawV1.draw(plan: plan, targets: targets, inspectors: inspectors, beacon: beacon, secret: secret)
        }

        func json(result: DrawV1.Result) -> JSONValue {
            ["plan": plan, "enterprises": .array(targets.map(\.json)), "inspectors": .array(inspectors.map(\.json)),
             "beacon": .string(beacon.hex), "secret": .string(secret.hex), "result": result.json]
        }
    }

    static func vector() throws -> (Inputs, JSONValue) {
        let url = try #require(Bundle.module.url(forResource: "Vectors/dr_v1_vector", withExtension: "json"))
        let v = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
        let inputs = Inputs(
            plan: try #require(v["plan"]),
            targets: try #require(v["enterprises"]?.arrayValue).map { try DrawV1.Target(json: $0) },
            inspectors: try #require(v["inspectors"]?.arrayValue).map { try DrawV1.Inspector(json: $0) },
            beacon: try #require(v["beacon"]?.stringValue.flatMap { [UInt8](hex: $0) }),
            secret: try #require(v["secret"]?.stringValue.flatMap { [UInt8](hex: $0) }))
        return (inputs, try #require(v["result"]))
    }

    @Test func reproducesTheReferenceVectorByteForByte() throws {
        let (inputs, expected) = try Self.vector()
        let result = try inputs.draw()
        #expect(result.json.canonicalString == expected.canonicalString)
        #expect(result.seed.hex == "60975f1b1ee450985b7118c43256d4bbc2ef45512bcf1adb4f1dcde46fc64c10")
        // The roster lines we write are the lines the reference hashed.
        let url = try #require(Bundle.module.url(forResource: "Vectors/dr_v1_vector", withExtension: "json"))
        let v = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
        for (target, original) in zip(inputs.targets, try #require(v["enterprises"]?.arrayValue)) {
            #expect(target.canonical == original.canonical)
        }
    }

    @Test func inputOrderDoesNotMatter() throws {
        var (inputs, expected) = try Self.vector()
        inputs.targets.reverse()
        inputs.inspectors.reverse()
        #expect(try inputs.draw().json == expected)
    }

    @Test func refusesASecretThatDoesNotMatchItsCommitment() throws {
        var (inputs, _) = try Self.vector()
        inputs.secret[0] ^= 1
        #expect(throws: DrawV1.DrawError.secretMismatch) { try inputs.draw() }
    }

    @Test func refusesDuplicateAndMalformedRosters() throws {
        var (inputs, _) = try Self.vector()
        inputs.inspectors.append(inputs.inspectors[0])
        #expect(throws: DrawV1.DrawError.duplicateID("GD-0000")) { try inputs.draw() }
        #expect(throws: DrawV1.DrawError.self) { try DrawV1.Target(json: ["id": "x", "stratum": "07"]) }
        #expect(throws: DrawV1.DrawError.self) { try DrawV1.Inspector(json: ["id": "x", "county": "440103", "capacity": -1]) }
        #expect(throws: DrawV1.DrawError.self) { try DrawV1.Target(json: ["id": "x", "stratum": "07", "category": "07", "county": "1", "last_inspectors": "GD-1"]) }
        var plan = inputs.plan
        if case .object(var m) = plan { m["team_size"] = nil; plan = .object(m) }
        inputs.plan = plan
        inputs.inspectors.removeLast()
        #expect(throws: DrawV1.DrawError.self) { try inputs.draw() }
    }

    /// A larger draw with every kind of skip and teams that cannot be filled, built from a fixed seed.
    static func crowded() -> Inputs {
        var rng = SplitMix64(seed: 7)
        let counties = ["440303", "440304", "440305", "440306"]
        let categories = ["07", "10", "14"]
        var targets: [DrawV1.Target] = []
        for n in 0..<240 {
            let c = categories[n % 3]
            targets.append(DrawV1.Target(id: String(format: "E%05d", rng.next() % 90_000), stratum: c + "-" + counties[n % 4], category: c,
                                         county: counties[Int(rng.next() % 4)],
                                         lastInspectors: n % 5 == 0 ? [String(format: "GD-%04d", rng.next() % 30)] : []))
        }
        var seen = Set<String>()
        targets = targets.filter { seen.insert($0.id).inserted }
        let inspectors = (0..<30).map { n in
            DrawV1.Inspector(id: String(format: "GD-%04d", n), county: counties[n % 4], capacity: 1 + n % 3,
                             qualified: n % 4 == 1 ? [categories[n % 3]] : [])
        }
        var quota: [String: JSONValue] = [:]
        for t in targets { quota[t.stratum] = .int(Int64(3 + t.stratum.count % 3)) }
        let secret = DrawV1.hash(Array("crowded test secret".utf8))
        let plan: JSONValue = ["id": "TEST-CROWDED", "algorithm": "dr-v1", "quota": .object(quota), "team_size": 3,
                               "beacon": ["source": "lottery", "date": "2026-12-01"], "commit": .string(DrawV1.commitment(of: secret))]
        return Inputs(plan: plan, targets: targets, inspectors: inspectors, beacon: DrawV1.hash(Array("crowded beacon".utf8)), secret: secret)
    }

    @Test func staffsTeamsByTheRulesAndPublishesUnfilledOnes() throws {
        let inputs = Self.crowded()
        let result = try inputs.draw()
        let targets = Dictionary(uniqueKeysWithValues: inputs.targets.map { ($0.id, $0) })
        let inspectors = Dictionary(uniqueKeysWithValues: inputs.inspectors.map { ($0.id, $0) })
        var load: [String: Int] = [:]
        for row in result.rows {
            let e = try #require(targets[row.enterprise])
            for id in row.team ?? [] {
                let i = try #require(inspectors[id])
                #expect(i.county != e.county && !e.lastInspectors.contains(id))
                #expect(i.qualified.isEmpty || i.qualified.contains(e.category))
                load[id, default: 0] += 1
            }
            #expect(row.team == nil || row.team!.count == 3)
        }
        for (id, n) in load { #expect(n <= inspectors[id]!.capacity) }
        #expect(result.rows.contains { $0.team == nil }, "capacity runs out, so some teams stay unfilled")
        let reasons = Set(result.rows.flatMap { $0.skipped.map(\.reason) })
        #expect(reasons == [.sameCounty, .inspectedLastTime, .notQualified, .atCapacity])
        // Scores ascend through the published order.
        #expect(zip(result.rows, result.rows.dropFirst()).allSatisfy { !$1.score.lexicographicallyPrecedes($0.score) })
    }

    /// The design's reference implementation (outside this repository; XUKE_REFERENCE_DIR or ../shared/design/reference)
    /// recomputes a draw we made and agrees.
    /// Most inspectors share the enterprises' county, so the short list each walk starts from runs out and the
    /// walk goes on through the full ranking.
    static func crowdedCounty() -> Inputs {
        let targets = (0..<40).map { DrawV1.Target(id: String(format: "E%04d", $0), stratum: "S", category: "10", county: "440303") }
        let inspectors = (0..<150).map { n in DrawV1.Inspector(id: String(format: "GD-%04d", n), county: n < 145 ? "440303" : "440304", capacity: 1) }
        let secret = DrawV1.hash(Array("county secret".utf8))
        let plan: JSONValue = ["id": "TEST-COUNTY", "algorithm": "dr-v1", "quota": ["S": 8], "team_size": 2, "commit": .string(DrawV1.commitment(of: secret))]
        return Inputs(plan: plan, targets: targets, inspectors: inspectors, beacon: DrawV1.hash(Array("county beacon".utf8)), secret: secret)
    }

    @Test func walksPastTheShortListWhenItRunsOut() throws {
        let result = try Self.crowdedCounty().draw()
        #expect(result.rows.count == 8)
        #expect(result.rows.allSatisfy { ($0.team ?? []).allSatisfy { Int($0.dropFirst(3))! >= 145 } })
        // Five inspectors from another county, one team each: two teams of two, then every walk runs to the end.
        #expect(result.rows.filter { $0.team != nil }.count == 2)
        #expect(result.rows.filter { $0.team == nil }.allSatisfy { $0.skipped.count == 149 }, "unfilled walks went past the short list to the last inspector")
    }

    @Test(.enabled(if: Interop.reference != nil, "the design's reference scripts are not beside this checkout"))
    func theReferenceAgreesPastTheShortList() throws {
        let inputs = Self.crowdedCounty()
        let file = try Interop.temporaryFile("draw.json", Data(inputs.json(result: try inputs.draw()).canonical))
        let r = try Interop.run("python3", [Interop.reference! + "/dr_v1.py", "--check", file.path])
        #expect(r.status == 0 && r.text.contains("match"), "\(r.text) \(r.stderr)")
    }

    @Test(.enabled(if: Interop.reference != nil, "the design's reference scripts are not beside this checkout"))
    func theReferenceImplementationRecomputesOurDraw() throws {
        let inputs = Self.crowded()
        let published = inputs.json(result: try inputs.draw())
        let file = try Interop.temporaryFile("draw.json", Data(published.canonical))
        let r = try Interop.run("python3", [Interop.reference! + "/dr_v1.py", "--check", file.path])
        #expect(r.status == 0 && r.text.contains("match"), "\(r.text) \(r.stderr)")
    }
}
