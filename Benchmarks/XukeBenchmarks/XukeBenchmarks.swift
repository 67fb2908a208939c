// Targets from issue 2: enterprise lookup by USCC over 1,000,000 enterprises under 1 ms median;
// every catalog page under 20 ms of server time. (Start-up time is measured on the real binary
// by scripts/bench-startup.)
//
// The million-enterprise database is built once and kept in $XUKE_BENCH_DIR (default
// /tmp/xuke-bench); set XUKE_BENCH_DATABASE_URL=postgres://… to measure PostgreSQL instead.
import Benchmark
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import XukeApp
import XukeDomain
import XukeStorage

let enterpriseCount = 1_000_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput],
        timeUnits: .microseconds,
        maxDuration: .seconds(10),
        maxIterations: 100_000
    )

    Benchmark("USCC lookup, 1,000,000 enterprises") { benchmark in
        let bench = try await BenchDatabase.shared()
        let usccs = bench.sample
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let e = try await bench.db.read { sql in
                try await EnterpriseStore.get(sql, uscc: usccs[i % usccs.count], visibility: .everything)
            }
            precondition(e != nil, "sampled enterprise missing")
            blackHole(e)
        }
        benchmark.stopMeasurement()
    }

    for (name, uri) in [
        ("Catalog page /catalog", "/catalog"),
        ("Catalog page /catalog/editions/2024", "/catalog/editions/2024"),
        ("Catalog page /catalog/editions/2019 (en)", "/catalog/editions/2019?lang=en"),
        ("Catalog page /catalog/diff 2019→2024", "/catalog/diff?from=2019&to=2024"),
        ("Catalog page /catalog/check", "/catalog/check?unit=0101&date=2026-11-21"),
    ] {
        Benchmark(name) { benchmark in
            let bench = try await BenchDatabase.shared()
            let app = XukeApplication.build(services: bench.services, logger: bench.logger)
            try await app.test(.router) { client in
                // One warm-up request, outside the measurement, so first-use costs are not counted.
                _ = try await client.execute(uri: uri, method: .get)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let response = try await client.execute(uri: uri, method: .get)
                    precondition(response.status == .ok, "\(uri) answered \(response.status)")
                    blackHole(response)
                }
                benchmark.stopMeasurement()
            }
        }
    }

    licensingBenchmarks()
    trustBenchmarks()
    drawBenchmarks()
    cccBenchmarks()
    sharingBenchmarks()
    dashboardBenchmarks()
}

/// A migrated database holding the shipped reference data and a million enterprises.
final class BenchDatabase: Sendable {
    let db: Database
    let services: AppServices
    let logger: Logger
    /// USCCs known to exist, spread over the whole key range.
    let sample: [String]

    private init(db: Database, services: AppServices, logger: Logger, sample: [String]) {
        self.db = db
        self.services = services
        self.logger = logger
        self.sample = sample
    }

    private static let cache = Once<BenchDatabase> { try await BenchDatabase.open() }

    static func shared() async throws -> BenchDatabase { try await cache.get() }

    static func open() async throws -> BenchDatabase {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let env = ProcessInfo.processInfo.environment
        var config = AppConfig()
        // Background jobs stay off: nothing but the measured work runs.
        config.dumpHours = 0
        config.webhookSeconds = 0
        config.dataDirectory = env["XUKE_BENCH_DIR"] ?? NSTemporaryDirectory() + "xuke-bench"
        config.databaseURL = env["XUKE_BENCH_DATABASE_URL"] ?? ""
        config.bcryptCost = 4
        let db = try await XukeApplication.prepareDatabase(config: config, logger: logger)
        let existing = try await db.read { try await EnterpriseStore.count($0) }
        if existing < enterpriseCount {
            try await fill(db, from: existing)
        }
        let sample = try await db.read { sql in
            try await sql.raw("SELECT uscc FROM enterprises ORDER BY name LIMIT 10000").all().map { try $0.decode(column: "uscc", as: String.self) }
        }
        let services = try await XukeApplication.services(config: config, db: db)
        return BenchDatabase(db: db, services: services, logger: logger, sample: sample.shuffled())
    }

    /// Inserts synthetic enterprises with valid USCCs spread over every county, in batches.
    static func fill(_ db: Database, from start: Int) async throws {
        let counties = try await db.read { sql in
            try await sql.raw("SELECT code FROM divisions WHERE code NOT LIKE '%00' ORDER BY code").all()
                .map { try $0.decode(column: "code", as: String.self) }
        }
        let now = "2026-01-01T00:00:00Z"
        let batch = 500
        var i = start
        print("filling \(enterpriseCount - start) enterprises …")
        while i < enterpriseCount {
            let upper = min(i + batch, enterpriseCount)
            let rows: [[any Encodable & Sendable]] = (i..<upper).map { n in
                let county = counties[n % counties.count]
                let uscc = syntheticUSCC(n, county: county)
                return [uscc, "测试企业\(n)有限公司", "测试地址\(n)号", county, "法定代表人", "联系人", "010-0000000", now, now]
            }
            try await db.write { sql in
                var insert = sql.insert(into: "enterprises").columns(
                    "uscc", "name", "domicile", "division_code", "legal_representative",
                    "contact_name", "contact_phone", "created_at", "updated_at")
                for row in rows { insert = insert.values(row) }
                try await insert.run()
            }
            i = upper
            if i % 100_000 == 0 { print("  \(i)") }
        }
    }

    /// "91" + county + an eight-character body derived from n + a body check placeholder,
    /// completed with the correct GB 32100 check character.
    static func syntheticUSCC(_ n: Int, county: String) -> String {
        let alphabet = USCC.alphabet
        var body = ""
        var v = n
        for _ in 0..<8 {
            body.append(alphabet[v % alphabet.count])
            v /= alphabet.count
        }
        return USCC.completing("91" + county + "MA" + body.dropLast(1))!.value
    }
}

/// A value made once, on first use, and shared by every benchmark after (each builds a large database).
actor Once<Value: Sendable> {
    private let make: @Sendable () async throws -> Value
    private var value: Value?

    init(_ make: @escaping @Sendable () async throws -> Value) { self.make = make }

    func get() async throws -> Value {
        if let value { return value }
        let made = try await make()
        value = made
        return made
    }
}

extension AppConfig {
    /// A benchmark's database in `$XUKE_BENCH_DIR` (default `/tmp/xuke-bench`) plus `suffix`, with the background
    /// jobs off, so nothing but the measured work runs, and cheap password hashing.
    static func bench(_ suffix: String) -> AppConfig {
        var config = AppConfig()
        config.dumpHours = 0
        config.webhookSeconds = 0
        config.sweepMinutes = 0
        config.bcryptCost = 4
        config.dataDirectory = (ProcessInfo.processInfo.environment["XUKE_BENCH_DIR"] ?? NSTemporaryDirectory() + "xuke-bench") + suffix
        return config
    }
}
