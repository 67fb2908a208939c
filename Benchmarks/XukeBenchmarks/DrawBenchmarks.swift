// Targets from issue 5: a dr-v1 draw over 1,000,000 targets and 10,000 inspectors under 5 s; a roster root
// over 1,000,000 entries under 2 s. Pure computation on generated rosters (fixed seed), no database.
//
// The draw picks 1,000 enterprises (200 strata × 5): each pick ranks all 10,000 inspectors by hash, so the
// work grows with picks × inspectors; a provincial batch of a thousand inspections is the case measured.
import Benchmark
import Foundation
import XukeDomain
import XukeTrust

func drawBenchmarks() {
    let seconds = Benchmark.Configuration(metrics: [.wallClock], timeUnits: .milliseconds, maxDuration: .seconds(60), maxIterations: 5)

    Benchmark("dr-v1 draw: 1,000,000 targets, 10,000 inspectors, 1,000 picks in 200 strata", configuration: seconds) { benchmark in
        let r = DrawRosters.shared
        benchmark.startMeasurement()
        let result = try DrawV1.draw(plan: r.plan, targets: r.targets, inspectors: r.inspectors, beacon: r.beacon, secret: r.secret)
        benchmark.stopMeasurement()
        precondition(result.rows.count == 1_000, "drew \(result.rows.count)")
        blackHole(result)
    }

    Benchmark("Roster root: 1,000,000 targets (canonical lines, sorted, RFC 6962)", configuration: seconds) { benchmark in
        let r = DrawRosters.shared
        benchmark.startMeasurement()
        let root = try DrawV1.enterpriseRoot(r.targets)
        benchmark.stopMeasurement()
        blackHole(root)
    }
}

/// Generated rosters: targets spread over 200 strata and 100 counties, inspectors over the same counties.
final class DrawRosters: Sendable {
    let targets: [DrawV1.Target]
    let inspectors: [DrawV1.Inspector]
    let plan: JSONValue
    let beacon: [UInt8]
    let secret: [UInt8]

    static let shared = DrawRosters()

    private init() {
        var rng = SplitMix64(seed: 2026)
        let counties = (0..<100).map { String(format: "44%02d%02d", 1 + $0 / 10, 3 + $0 % 10) }
        let categories = (1...20).map { String(format: "%02d", $0) }
        var targets: [DrawV1.Target] = []
        targets.reserveCapacity(1_000_000)
        for n in 0..<1_000_000 {
            let category = categories[n % categories.count]
            let region = (n / categories.count) % 10
            targets.append(DrawV1.Target(id: String(format: "91440300MA%08X", n), stratum: "L-\(category)-\(region)", category: category,
                                         county: counties[Int(rng.next() % 100)],
                                         lastInspectors: n % 7 == 0 ? [String(format: "INS-%06d", Int(rng.next() % 10_000))] : []))
        }
        inspectors = (0..<10_000).map { n in
            DrawV1.Inspector(id: String(format: "INS-%06d", n), county: counties[n % 100], capacity: 2,
                             qualified: n % 5 == 0 ? [categories[n % categories.count]] : [])
        }
        self.targets = targets
        var quota: [String: JSONValue] = [:]
        for category in categories { for region in 0..<10 { quota["L-\(category)-\(region)"] = 5 } }
        secret = Array(repeating: 7, count: 32)
        beacon = Array(repeating: 9, count: 32)
        plan = ["id": "BENCH", "algorithm": "dr-v1", "quota": .object(quota), "team_size": 2, "commit": .string(DrawV1.commitment(of: secret))]
    }
}
