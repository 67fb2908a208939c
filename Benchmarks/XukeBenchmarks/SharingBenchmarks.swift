// Target from issue 6: a change-feed page of 10,000 events under 50 ms, measured as an agency client's HTTP request
// (authentication, scope check, query, JSON) against an events table of 1,000,000 events of every kind, about half
// of them in the client's scopes, starting at a random cursor.
//
// The database is built once and kept in $XUKE_BENCH_DIR-feed (default /tmp/xuke-bench-feed).
import Benchmark
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import XukeApp
import XukeDomain
import XukeStorage

let feedEvents = 1_000_000

func sharingBenchmarks() {
    Benchmark("Change feed: one page of 10,000 events (agency client, HTTP, 1,000,000-event table)",
              configuration: .init(metrics: [.wallClock, .throughput], timeUnits: .milliseconds, maxDuration: .seconds(20), maxIterations: 500)) { benchmark in
        let bench = try await FeedBench.shared()
        let app = XukeApplication.build(services: bench.services, logger: bench.logger)
        try await app.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(bench.token)"]
            let start = Int.random(in: 1...(feedEvents - 40_000))
            benchmark.startMeasurement()
            let response = try await client.execute(uri: "/api/v1/feed?limit=10000&after=0-\(start)", method: .get, headers: headers)
            benchmark.stopMeasurement()
            precondition(response.status == .ok, "feed answered \(response.status): \(String(buffer: response.body).prefix(300))")
            precondition(String(buffer: response.body).hasSuffix("\"more\":true}"), "a full page was expected")
            blackHole(response)
        }
    }
}

final class FeedBench: Sendable {
    let services: AppServices
    let logger: Logger
    let token: String

    private init(services: AppServices, logger: Logger, token: String) {
        self.services = services
        self.logger = logger
        self.token = token
    }

    private static let cache = Once<FeedBench> { try await FeedBench.open() }
    static func shared() async throws -> FeedBench { try await cache.get() }

    static func open() async throws -> FeedBench {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let config = AppConfig.bench("-feed")
        let db = try await XukeApplication.prepareDatabase(config: config, logger: logger)
        let services = try await XukeApplication.services(config: config, db: db)
        try await fill(db)
        // The client is made through the API as an administrator would, once; later runs sign it in again.
        if try await db.read({ try await SharingStore.clients($0) }).isEmpty {
            let admin = try await services.createUser(username: "benchadmin", displayName: "admin", password: "correct horse battery", role: "admin",
                                                      jurisdiction: nil, enterpriseUSCC: nil)
            let adminToken = try await services.createToken(for: admin, name: "bench").0
            try await XukeApplication.build(services: services, logger: logger).test(.router) { client in
                let r = try await client.execute(uri: "/api/v1/agency-clients", method: .post,
                                                 headers: [.authorization: "Bearer \(adminToken)", .contentType: "application/json"],
                                                 body: ByteBuffer(string: #"{"username":"benchtax","display_name":"税务接口","password":"correct horse battery","agency":"税务局","sector":"tax","scopes":"licenses inspections credit"}"#))
                precondition(r.status == .created, "agency client: \(String(buffer: r.body))")
            }
        }
        let clientID = try await db.read { try await SharingStore.clients($0) }[0].userId
        let user = try await db.read { try await UserStore.get($0, id: clientID) }!
        let token = try await services.createToken(for: user, name: "bench").0
        // Warm the table into the page cache, as a serving database would be.
        _ = try await db.read { try await $0.raw("SELECT SUM(LENGTH(payload)) AS n FROM events").first() }
        return FeedBench(services: services, logger: logger, token: token)
    }

    /// Events as the platform writes them: a dozen kinds, payloads of a few hundred bytes.
    static func fill(_ db: Database) async throws {
        let have = try await db.read { try await $0.raw("SELECT COUNT(*) AS n FROM events").first()?.decode(column: "n", as: Int.self) } ?? 0
        guard have < feedEvents else { return }
        let kinds = ["license.issued", "application.submitted", "user.signed_in", "inspection.concluded", "credit.listed", "lead.received",
                     "license.changed", "enforcement.rectification", "recall.reported", "plan.drafted", "verification.assigned", "user.token_created"]
        var n = have
        while n < feedEvents {
            try await db.write { sql in
                for _ in 0..<20 {
                    var values: [SQLQueryString] = []
                    for _ in 0..<500 where n < feedEvents {
                        n += 1
                        let type = kinds[n % kinds.count]
                        let payload = #"{"authority":"440000","number":"粤XK16-204-\#(String(format: "%05d", n % 100_000))","uscc":"91440300MA5\#(String(format: "%07d", n % 10_000_000))","units":["1001","1002"],"name":"示例食品包装有限公司","reason":"bench \#(n)"}"#
                        values.append("(\(bind: type), \(bind: "bench/\(n)"), 'system', '2026-11-21T08:00:00Z', '440000', \(bind: payload))")
                    }
                    if values.isEmpty { break }
                    try await sql.raw("INSERT INTO events (type, subject, actor, at, jurisdiction, payload) VALUES \(values.joined(separator: ", "))").run()
                }
            }
        }
    }
}

