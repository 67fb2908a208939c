import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage
import SQLKit

/// Read routing to a replica. Here the "replica" is the primary itself under a second URL, so what is checked is
/// which reads go where; `scripts/cluster` runs a real streaming replica.
@Suite(.serialized) struct ReplicaTests {
    /// A "replica" that is no standby (here the primary under a second URL) is never trusted with public reads: the
    /// server finds it cannot measure its lag, reads from the primary, and says so in the metrics.
    @Test func aReplicaThatIsNoStandbyAnswersNothing() async throws {
        try await Harness.run(configure: { c in if c.databaseURL.hasPrefix("postgres") { c.databaseReadURL = c.databaseURL } }) { client, s in
            guard s.db.kind == .postgres else { return }
            #expect(s.db.replica != nil)
            await s.db.checkReplica()
            let before = ReadRouting.replicaReadCount
            #expect(try await client.get("/api/v1/catalog/editions").status == .ok)
            #expect(try await client.get("/query").status == .ok)
            #expect(ReadRouting.replicaReadCount == before)
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-token-for-tests-0123456789abcdef"], body: nil)
            #expect(metrics.text.contains("xuke_db_replica_up 0") && metrics.text.contains("xuke_db_connections_in_use"), "\(metrics.text.suffix(600))")
        }
    }

    /// A replica that cannot be reached: the read is answered by the primary, and the replica rests before it is tried again.
    @Test func anUnreachableReplicaFallsBackToThePrimary() async throws {
        guard let admin = ProcessInfo.processInfo.environment["XUKE_TEST_DATABASE_URL"], !admin.isEmpty else { return }
        let logger = Logger(label: "replica-test")
        let primary = try await Database.open(url: admin, maxConnections: 2, logger: logger)
        let db = try await primary.withReplica(url: "postgres://xuke@127.0.0.1:1/none?sslmode=disable", maxConnections: 1)
        do {
            let started = ContinuousClock.now
            let one = try await ReadRouting.$replicaAllowed.withValue(true) { try await db.read { try await $0.raw("SELECT 1 AS n").first()?.decode(column: "n", as: Int.self) } }
            #expect(one == 1)
            let again = ContinuousClock.now
            _ = try await ReadRouting.$replicaAllowed.withValue(true) { try await db.read { try await $0.raw("SELECT 1 AS n").first() } }
            #expect(ContinuousClock.now - again < .seconds(1), "the resting replica is not tried again at once")
            #expect(again - started < .seconds(10))
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }
}
