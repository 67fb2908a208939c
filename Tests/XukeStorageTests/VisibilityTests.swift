import Foundation
import Logging
import SQLKit
import Testing
import XukeDomain
@testable import XukeStorage

/// One visibility policy: the rows the SQL scoping returns are exactly those `Visibility.admits` admits.
@Suite struct VisibilityTests {
    @Test func theSQLScopingAndTheCheckAgree() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-visibility-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try await Database.openSQLite(path: dir.appendingPathComponent("v.sqlite").path, logger: Logger(label: "test"))
        let rows: [(division: String, uscc: String)] = [
            ("440305", "A"), ("440300", "B"), ("440000", "C"), ("441900", "A"), ("110105", "D"), ("national", "E"), ("4403", "F"),
        ]
        let visibilities: [Visibility] = [
            .everything, .nothing, .enterprise(uscc: "A"), .enterprise(uscc: "Z"),
            .of(role: .officer, jurisdiction: "440000", enterprise: nil), .of(role: .officer, jurisdiction: "440300", enterprise: nil),
            .of(role: .officer, jurisdiction: "440305", enterprise: nil), .of(role: .officer, jurisdiction: nil, enterprise: nil),
            .of(role: .verifier, jurisdiction: "440000", enterprise: nil),
        ]
        do {
            let found = try await db.write { sql -> [[String]] in
                try await sql.raw("CREATE TABLE t (division TEXT NOT NULL, uscc TEXT NOT NULL)").run()
                for r in rows { try await sql.raw("INSERT INTO t VALUES (\(bind: r.division), \(bind: r.uscc))").run() }
                var out: [[String]] = []
                for v in visibilities {
                    out.append(try await sql.raw("SELECT division, uscc FROM t WHERE " + visibilityClause(v, division: "division", uscc: "uscc") + " ORDER BY division, uscc")
                        .all().map { "\(try $0.decode(column: "division", as: String.self))/\(try $0.decode(column: "uscc", as: String.self))" })
                }
                return out
            }
            for (v, sqlRows) in zip(visibilities, found) {
                let admitted = rows.filter { v.admits(division: $0.division, uscc: $0.uscc) }.map { "\($0.division)/\($0.uscc)" }.sorted()
                #expect(sqlRows.sorted() == admitted, "\(v)")
            }
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }
}
