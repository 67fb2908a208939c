// Targets from issue 4: issuing a credential (sign + status entry + log append) under 2 ms; verifying
// one under 0.2 ms; an inclusion proof for any leaf of a 10,000,000-leaf log under 1 ms. (The public
// verify endpoint against a bare Hummingbird route is measured with wrk by scripts/load-verify.)
//
// The database holding the 10,000,000-leaf log is built once and kept in $XUKE_BENCH_DIR-log (default
// /tmp/xuke-bench-log); set XUKE_BENCH_LOG_DATABASE_URL=postgres://… to measure PostgreSQL instead.
import Benchmark
import Foundation
import Logging
import SQLKit
import XukeApp
import XukeDomain
import XukeStorage
import XukeTrust

let logLeaves = 10_000_000
/// Licenses kept ready without a credential, one per measured issuance.
let issuancePool = 3_000

func trustBenchmarks() {
    let micro = Benchmark.Configuration(metrics: [.wallClock, .throughput], timeUnits: .microseconds, maxDuration: .seconds(10), maxIterations: issuancePool)

    Benchmark("Issue a credential: sign, status entry, log leaf (one transaction, 10M-leaf log)", configuration: micro) { benchmark in
        let bench = try await TrustBench.shared()
        let license = try await bench.pool.next()
        benchmark.startMeasurement()
        let logged = try await bench.services.db.write { sql in
            try await bench.services.transparency.record(sql, license, type: .licenseIssued, at: bench.at, authorityName: "广东省市场监督管理局")
        }
        benchmark.stopMeasurement()
        blackHole(logged)
    }

    Benchmark("Verify a credential offline: signature, claims, status-list bit",
              configuration: .init(metrics: [.wallClock, .throughput], timeUnits: .microseconds, maxDuration: .seconds(5), maxIterations: 100_000)) { benchmark in
        let bench = try await TrustBench.shared()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let check = CredentialCheck.verify(bench.credential, keys: bench.keys, statusLists: bench.statusLists, now: bench.now)
            precondition(check.verdict == .valid && check.statusChecked, "offline verdict \(check.verdict) \(check.code)")
            blackHole(check)
        }
        benchmark.stopMeasurement()
    }

    // Each credential once: the platform has never seen it, so it checks the signature and reads the status row.
    Benchmark("Verify a credential on the platform, first sight: signature, claims, live status row",
              configuration: .init(metrics: [.wallClock, .throughput], timeUnits: .microseconds, maxDuration: .seconds(10), maxIterations: 2_000)) { benchmark in
        let bench = try await TrustBench.shared()
        let jws = try await bench.unseen.next()
        benchmark.startMeasurement()
        let result = try await bench.services.trust.verifyCredential(jws)
        benchmark.stopMeasurement()
        precondition(result.verdict == .valid, "platform verdict \(result.verdict)")
        blackHole(result)
    }

    // The same credential again and again, as a popular QR code is scanned: the signature check is remembered
    // and the status reused while it is under a second old and no write has been committed.
    Benchmark("Verify a credential on the platform, repeat scan",
              configuration: .init(metrics: [.wallClock, .throughput], timeUnits: .microseconds, maxDuration: .seconds(5), maxIterations: 50_000)) { benchmark in
        let bench = try await TrustBench.shared()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let result = try await bench.services.trust.verifyCredential(bench.credential)
            precondition(result.verdict == .valid, "platform verdict \(result.verdict)")
            blackHole(result)
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Inclusion proof, random leaf of a 10,000,000-leaf log (entry, root, audit path)",
              configuration: .init(metrics: [.wallClock, .throughput], timeUnits: .microseconds, maxDuration: .seconds(10), maxIterations: 20_000)) { benchmark in
        let bench = try await TrustBench.shared()
        var rng = SystemRandomNumberGenerator()
        let size = try await bench.services.db.read { try await TransparencyStore.size($0) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let index = Int.random(in: 0..<size, using: &rng)
            let proof = try await bench.services.db.read { sql in try await TransparencyStore.inclusion(sql, index: index, size: size) }
            blackHole(proof)
        }
        benchmark.stopMeasurement()
    }
}

/// A database with a 10,000,000-leaf log, licenses waiting for their credentials, and one credential to verify.
final class TrustBench: Sendable {
    let services: AppServices
    let pool: Handout<LicenseRecord>
    let at = "2026-11-21T08:00:00Z"
    let now = Int64(Timestamp.date("2026-11-21T08:00:00Z")!.timeIntervalSince1970)
    let credential: String
    let keys: JWKSet
    let statusLists: [String: StatusList.Token]
    /// Credentials in force this process has not verified yet.
    let unseen: Handout<String>

    private init(services: AppServices, pool: Handout<LicenseRecord>, credential: String, keys: JWKSet, statusLists: [String: StatusList.Token],
                 unseen: [String]) {
        self.services = services
        self.pool = pool
        self.unseen = .init(unseen)
        self.credential = credential
        self.keys = keys
        self.statusLists = statusLists
    }

    private static let cache = Once<TrustBench> { try await TrustBench.open() }
    static func shared() async throws -> TrustBench { try await cache.get() }

    static func open() async throws -> TrustBench {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let env = ProcessInfo.processInfo.environment
        var config = AppConfig()
        // Background jobs stay off: nothing but the measured work runs.
        config.dumpHours = 0
        config.webhookSeconds = 0
        config.dataDirectory = (env["XUKE_BENCH_DIR"] ?? NSTemporaryDirectory() + "xuke-bench") + "-log"
        config.databaseURL = env["XUKE_BENCH_LOG_DATABASE_URL"] ?? ""
        config.sweepMinutes = 0
        config.publicURL = "https://xuke.example"
        let db = try await XukeApplication.prepareDatabase(config: config, logger: logger)
        let services = try await XukeApplication.services(config: config, db: db)
        services.clock.set(Timestamp.date("2026-11-21T08:00:00Z"))
        try await fillLog(db)
        try await checkProofs(db)
        // A server holding this log has its hashes in memory; read them once so the timings are not of a cold disk.
        _ = try await db.read { sql in try await sql.raw("SELECT SUM(LENGTH(hash)) AS n FROM log_hashes").first() }
        var waiting = try await waitingLicenses(db)
        // The harness may run a few more iterations than it measures (warm-up); keep a margin.
        if waiting.count < issuancePool + 20 {
            try await addLicenses(db, count: issuancePool + 20 - waiting.count)
            waiting = try await waitingLicenses(db)
        }
        // One credential issued outside any measurement, to be verified over and over.
        let first = waiting.removeFirst()
        try await db.write { sql in _ = try await services.transparency.record(sql, first, type: .licenseIssued, at: "2026-11-21T08:00:00Z", authorityName: "广东省市场监督管理局") }
        let (jws, keys, token) = try await db.read { sql in
            (try await CredentialStore.current(sql, licenseID: first.id)!.jws, try await services.transparency.jwks(sql),
             try await services.transparency.statusToken(sql, list: first.authority, now: services.clock.now()))
        }
        let list = try StatusList.open(token, keys: keys)
        let inForce = try await db.read { sql in
            try await sql.raw("SELECT jws FROM credentials WHERE status = 0 ORDER BY id LIMIT 2100").all().map { try $0.decode(column: "jws", as: String.self) }
        }
        return TrustBench(services: services, pool: Handout(waiting), credential: jws, keys: keys, statusLists: [list.uri: list], unseen: inForce)
    }

    /// Appends filler entries straight into the log tables until it holds `logLeaves` leaves, computing
    /// every subtree hash as TransparencyStore.append would; resumes where an interrupted fill stopped.
    static func fillLog(_ db: Database) async throws {
        var size = try await db.read { try await TransparencyStore.size($0) }
        guard size < logLeaves else { return }
        print("filling the log from \(size) to \(logLeaves) leaves …")
        // The right edge of the tree: the roots of its complete subtrees, largest first.
        var edge = try await db.read { sql in
            let nodes = Merkle.nodes(covering: 0..<size)
            let stored = try await TransparencyStore.hashes(sql, nodes)
            return nodes.map { stored[$0]! }
        }
        let batch = 3_000
        while size < logLeaves {
            let upper = min(size + batch, logLeaves)
            var entries: [[any Encodable & Sendable]] = []
            var hashes: [[any Encodable & Sendable]] = []
            for n in size..<upper {
                let entry: JSONValue = ["type": "bench.filler", "at": "2026-01-01T00:00:00Z", "n": .int(Int64(n))]
                let bytes = entry.canonical
                entries.append([n, "bench.filler", "bench/\(n)", Data(bytes), "2026-01-01T00:00:00Z"])
                let plan = Merkle.appendPlan(leaf: n)
                let lefts = plan.reads.map { _ in edge.removeLast() }
                let computed = Merkle.appendHashes(leafHash: Merkle.leafHash(bytes), lefts: lefts)
                edge.append(computed.last!)
                for (node, hash) in zip(plan.writes, computed) { hashes.append([node.storageIndex, Data(hash)]) }
            }
            try await db.write { sql in
                var e = sql.insert(into: "log_entries").columns("idx", "kind", "subject", "entry", "at")
                for row in entries { e = e.values(row) }
                try await e.run()
                for chunk in stride(from: 0, to: hashes.count, by: 3_000) {
                    var h = sql.insert(into: "log_hashes").columns("id", "hash")
                    for row in hashes[chunk..<min(chunk + 3_000, hashes.count)] { h = h.values(row) }
                    try await h.run()
                }
                try await sql.raw("UPDATE log_head SET size = \(bind: upper) WHERE id = 1").run()
            }
            size = upper
            if size % 500_000 == 0 { print("  \(size)") }
        }
    }

    /// Proofs from the filled log must verify against its root, or the timings mean nothing.
    static func checkProofs(_ db: Database) async throws {
        try await db.read { sql in
            let size = try await TransparencyStore.size(sql)
            for index in [0, 1, size / 3, size - 2, size - 1] + (0..<20).map({ _ in Int.random(in: 0..<size) }) {
                let (entry, root, proof) = try await TransparencyStore.inclusion(sql, index: index, size: size)!
                precondition(Merkle.verifyInclusion(leafIndex: index, treeSize: size, leafHash: Merkle.leafHash(entry.entry), proof: proof, root: root),
                             "inclusion proof for leaf \(index) does not verify")
            }
        }
    }

    static func waitingLicenses(_ db: Database) async throws -> [LicenseRecord] {
        try await db.read { sql in
            let ids = try await sql.raw("""
                SELECT id FROM licenses WHERE NOT EXISTS (SELECT 1 FROM credentials c WHERE c.license_id = licenses.id) ORDER BY id
                """).all().map { try $0.decode(column: "id", as: Int.self) }
            var out: [LicenseRecord] = []
            for id in ids { out.append(try await LicenseStore.license(sql, id: id)!) }
            return out
        }
    }

    /// Shenzhen enterprises, each with a license in force that has not been given its credential yet.
    static func addLicenses(_ db: Database, count: Int) async throws {
        let start = try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM licenses").first()!.decode(column: "n", as: Int.self)
        }
        let unit = LicenseUnit(unitNo: "1001", categoryNo: "10", nameZh: "食品用塑料包装容器工具等制品", nameEn: "Plastic food packaging",
                               route: .commitment, since: CivilDate("2026-11-21")!)
        for n in start..<(start + count) {
            let uscc = BenchDatabase.syntheticUSCC(50_000_000 + n, county: "440305")
            try await db.write { sql in
                try await sql.insert(into: "enterprises")
                    .columns("uscc", "name", "domicile", "division_code", "legal_representative", "contact_name", "contact_phone", "created_at", "updated_at")
                    .values([uscc, "基准证照企业\(n)有限公司", "深圳市南山区科技路\(n)号", "440305", "法人", "", "", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"])
                    .run()
                _ = try await LicenseStore.insertLicense(sql, LicenseRecord(
                    id: 0, uscc: uscc, number: String(format: "粤XK16-204-%05d", n), storedStatus: .valid, version: 1, authority: "440000",
                    firstIssuedOn: CivilDate("2026-11-21")!, decidedOn: CivilDate("2026-11-21")!, issuedOn: CivilDate("2026-11-21")!,
                    validUntil: CivilDate("2031-11-20")!, name: "基准证照企业\(n)有限公司", domicile: "深圳市南山区科技路\(n)号",
                    addresses: [ProductionAddress(address: "深圳市南山区科技路\(n)号", divisionCode: "440305")], units: [unit],
                    updatedAt: "2026-11-21T08:00:00Z"), reason: "bench", applicationID: nil, at: "2026-11-21T08:00:00Z")
            }
        }
    }
}

/// Hands out each item once: a license to issue for, a credential not yet verified.
actor Handout<T: Sendable> {
    private var items: [T]
    init(_ items: [T]) { self.items = items.reversed() }
    func next() throws -> T {
        guard let item = items.popLast() else { throw PoolEmpty() }
        return item
    }
}

struct PoolEmpty: Error, CustomStringConvertible {
    var description: String { "nothing left to hand out: raise issuancePool, or run the issuing benchmark once more to make credentials" }
}

