// Target from issue 6: a CCC certificate CSV of 1,000,000 rows imported in under 60 s with full validation
// (every row's number, holder code checksum, product, standard, body, status and dates), through the API on SQLite.
//
// The database is made fresh in $XUKE_BENCH_DIR-ccc (default /tmp/xuke-bench-ccc); each iteration imports the
// whole file again, replacing every certificate.
import Benchmark
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import XukeApp
import XukeDomain
import XukeStorage

func cccBenchmarks() {
    Benchmark("CCC import: 1,000,000 certificate rows, validated, one transaction",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], timeUnits: .seconds, maxDuration: .seconds(600), maxIterations: 3)) { benchmark in
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let config = AppConfig.bench("-ccc")
        try? FileManager.default.removeItem(atPath: config.dataDirectory)
        let db = try await XukeApplication.prepareDatabase(config: config, logger: logger)
        let services = try await XukeApplication.services(config: config, db: db)
        let admin = try await services.createUser(username: "benchadmin", displayName: "admin", password: "correct horse battery", role: "admin",
                                                  jurisdiction: nil, enterpriseUSCC: nil)
        let token = try await services.createToken(for: admin, name: "bench").0
        let app = XukeApplication.build(services: services, logger: logger)
        try await app.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let r = try await client.execute(uri: "/api/v1/cert-bodies", method: .post, headers: headers,
                                             body: ByteBuffer(string: #"{"name":"中国质量认证中心","uscc":"\#(BenchDatabase.syntheticUSCC(7, county: "110108"))","approval_number":"CNCA-R-2002-001"}"#))
            precondition(r.status == .created, "body: \(String(buffer: r.body))")
            let products = ["摩托车乘员头盔", "电热毯", "防爆电气"]
            var csv = "number,holder_uscc,product,standard,body,status,issued_on,expires_on\n"
            csv.reserveCapacity(120 * 1_000_000)
            for n in 0..<1_000_000 {
                csv += "\(2020_0000_0000_0000 + n),\(BenchDatabase.syntheticUSCC(n, county: "440305")),\(products[n % 3]),GB 4706.8-2008,CB-000001,valid,2021-03-01,2026-02-28\n"
            }
            let body = ByteBuffer(string: csv)
            let csvHeaders: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "text/csv"]
            benchmark.startMeasurement()
            let done = try await client.execute(uri: "/api/v1/ccc/import", method: .post, headers: csvHeaders, body: body)
            benchmark.stopMeasurement()
            precondition(done.status == .ok, "import: \(String(buffer: done.body).prefix(500))")
        }
        await db.shutdown()
    }
}
