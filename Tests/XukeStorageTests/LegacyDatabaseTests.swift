import Foundation
import Logging
import SQLKit
import Testing
import XukeDomain
import XukeZlib
@testable import XukeStorage

/// A database written by the code of migration 16 (the demo data set for 30 enterprises, made with `xuke demo`
/// before events had typed names) must open with today's code and read correctly.
@Suite struct LegacyDatabaseTests {
    static func openFixture() async throws -> (Database, URL) {
        let url = try #require(Bundle.module.url(forResource: "v16-demo.sqlite", withExtension: "zz", subdirectory: "Fixtures"))
        let bytes = try Zlib.decompress(Array(try Data(contentsOf: url)), limit: 64 << 20)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("xuke.sqlite")
        try Data(bytes).write(to: file)
        return (try await Database.openSQLite(path: file.path, logger: Logger(label: "test")), dir)
    }

    @Test func aVersion16DatabaseMigratesAndKeepsItsEvents() async throws {
        let (db, dir) = try await Self.openFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            try await check(db)
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }

    func check(_ db: Database) async throws {
        let before = try await db.read { sql in
            try await sql.raw("SELECT type, COUNT(*) AS n FROM events GROUP BY type").all()
                .map { (try $0.decode(column: "type", as: String.self), try $0.decode(column: "n", as: Int.self)) }
        }
        #expect(before.contains { $0.0 == "application.issue" }, "the fixture predates the renames")
        // Rows as older code could leave them: deemed steps comma-joined, an absent day as empty text.
        var cases = try await db.read { sql in
            try await sql.raw("SELECT number, deemed FROM applications ORDER BY id").all()
                .map { (try $0.decode(column: "number", as: String.self), try $0.decode(column: "deemed", as: String.self)) }
        }
        let (twice, blank) = (try #require(cases.first?.0), try #require(cases.last?.0))
        cases[0].1 = "acceptance,renewal"
        try await db.write { sql in
            try await sql.raw("UPDATE applications SET deemed = 'acceptance,renewal' WHERE number = \(bind: twice)").run()
            try await sql.raw("UPDATE applications SET decided_on = '' WHERE number = \(bind: blank)").run()
        }
        let applied = try await db.migrate(at: "2026-12-03T00:00:00Z")
        #expect(applied == ["17 event_names", "18 event_payloads", "19 stored_days", "20 job_leases", "21 rate_counts", "22 mail", "23 blobs", "24 former_numbers", "25 registrations", "26 documents", "27 organisation", "28 remedies"])
        try await db.read { sql in
            for (number, deemed) in cases {
                let c = try #require(try await CaseStore.getCase(sql, number: number), "case \(number) does not read")
                #expect(c.deemed == deemed.split(separator: ",").map(String.init), "case \(number)")
                if number == blank { #expect(c.decidedOn == nil) }
            }
            #expect(cases.contains { $0.1 == "acceptance" }, "the fixture has a deemed acceptance")
            #expect(try await InspectionStore.inspections(sql).count > 0, "inspections read")
        }
        let events = try await db.read { try await Events.list($0, limit: 10_000) }
        #expect(events.count == before.map(\.1).reduce(0, +), "no event lost")
        for e in events {
            #expect(EventType(rawValue: e.type) != nil, "event \(e.id) has a name outside the list: \(e.type)")
        }
        let issued = before.first { $0.0 == "application.issue" }?.1 ?? 0
        #expect(events.filter { $0.type == EventType.applicationIssued.rawValue }.count == issued)
        // Every payload reads as its type's struct and is stored in the one convention (snake_case keys).
        var camel = 0
        for e in events {
            let type = try #require(EventType(rawValue: e.type))
            let read = Events.normalized(e.payload, as: type.payloadType)
            let normal = try #require(read, "event \(e.id) (\(e.type)) does not read as \(type.payloadType)")
            #expect(normal == e.payload, "event \(e.id) (\(e.type)) is not in the one convention")
            if e.payload.range(of: #""[a-z]+[A-Z][A-Za-z]*":"#, options: .regularExpression) != nil { camel += 1 }
        }
        #expect(camel == 0, "\(camel) payloads still have camelCase keys")
        // Opening it again changes nothing.
        #expect(try await db.migrate(at: "2026-12-04T00:00:00Z").isEmpty)
    }
}
