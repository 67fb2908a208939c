import Foundation
import Logging
import SQLKit
import Synchronization
import Testing
@testable import XukeApp
import XukeStorage

/// The PostgreSQL pool (PostgresNIO's PostgresClient): a strict maximum, and a local socket. Needs the test
/// PostgreSQL (`scripts/with-postgres`); skipped without it.
@Suite struct PoolTests {
    @Test func theMaximumIsStrict() async throws {
        guard let url = ProcessInfo.processInfo.environment["XUKE_TEST_DATABASE_URL"], !url.isEmpty else { return }
        let db = try await Database.open(url: url, maxConnections: 2, logger: Logger(label: "pool-test"))
        final class Most: Sendable { let value = Mutex(0) }
        let most = Most()
        let started = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await db.read { sql in
                            most.value.withLock { $0 = max($0, db.connectionsInUse) }
                            try await sql.raw("SELECT pg_sleep(0.2)").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
        #expect(most.value.withLock { $0 } <= 2)
        #expect(ContinuousClock.now - started >= .milliseconds(580), "six reads of 0.2 s on two connections take three rounds")
    }

    @Test func aLocalSocketIsReached() async throws {
        guard let socket = ProcessInfo.processInfo.environment["XUKE_TEST_PG_SOCKET"], !socket.isEmpty else { return }
        let db = try await Database.open(url: "postgres+uds://xuke@localhost\(socket)#postgres", maxConnections: 1, logger: Logger(label: "uds-test"))
        let one = try? await db.read { try await $0.raw("SELECT 1 AS n").first()?.decode(column: "n", as: Int.self) }
        await db.shutdown()
        #expect(one == 1)
    }
}
