import Foundation
import Logging
import SQLKit
import Synchronization
import Testing
@testable import XukeStorage

/// Which reads a replica answers, on a stand-in taken as fresh (a real standby runs in scripts/cluster).
@Suite struct ReplicaRoutingTests {
    @Test func markedReadsGoToAFreshReplicaAndWritesNever() async throws {
        guard let url = ProcessInfo.processInfo.environment["XUKE_TEST_DATABASE_URL"], !url.isEmpty else { return }
        let logger = Logger(label: "routing-test")
        let db = try await Database.open(url: url, maxConnections: 2, logger: logger).withReplica(url: url, maxConnections: 2)
        do {
            db.replicaFresh.store(true, ordering: .relaxed)
            var before = ReadRouting.replicaReadCount
            _ = try await ReadRouting.$replicaAllowed.withValue(true) { try await db.read { try await $0.raw("SELECT 1 AS n").first() } }
            #expect(ReadRouting.replicaReadCount == before + 1, "a marked read goes to the replica")
            before = ReadRouting.replicaReadCount
            _ = try await db.read { try await $0.raw("SELECT 1 AS n").first() }
            _ = try await ReadRouting.$replicaAllowed.withValue(true) { try await db.write { try await $0.raw("SELECT 1 AS n").first() } }
            #expect(ReadRouting.replicaReadCount == before, "unmarked reads and every write go to the primary")
            // A stale replica answers nothing.
            db.replicaFresh.store(false, ordering: .relaxed)
            _ = try await ReadRouting.$replicaAllowed.withValue(true) { try await db.read { try await $0.raw("SELECT 1 AS n").first() } }
            #expect(ReadRouting.replicaReadCount == before)
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }
}
