import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

@Suite struct BackupTests {
    /// A backup of a platform with a licence on the log and an upload restores into an empty place (a new data
    /// directory, keys folder and database) that opens with the same keys, passes the log audit and serves the file.
    /// A backup changed afterwards, or a place that is not empty, is refused with nothing written.
    @Test func aBackupRestoresIntoAnEmptyPlaceAndPassesTheAudit() async throws {
        try await Harness.run { client, s in
            let f = try await Flow.start(client, s)
            let (_, licenseID) = try await f.commitmentLicense()
            let sizeBefore = try await s.trust.auditLog().size
            #expect(sizeBefore > 0)
            let backup = s.config.dataDirectory + "-backup"
            defer { try? FileManager.default.removeItem(atPath: backup) }
            let summary = try await Backup.create(config: s.config, db: s.db, into: backup) { _ in }
            #expect(summary.files >= 3)
            let manifest = try String(contentsOfFile: backup + "/manifest.json", encoding: .utf8)
            #expect(manifest.contains("keys/log.key") && manifest.contains("blobs/uploads/"))
            await #expect(throws: Backup.Failure.self) { try await Backup.create(config: s.config, db: s.db, into: backup) { _ in } }

            var target = s.config
            target.dataDirectory = s.config.dataDirectory + "-restored"
            target.keysDirectory = ""
            defer { try? FileManager.default.removeItem(atPath: target.dataDirectory) }
            var scratch: String?
            let logger = Logger(label: "restore")
            if s.db.kind == .postgres, let admin = ProcessInfo.processInfo.environment["XUKE_TEST_DATABASE_URL"] {
                scratch = "xuke_restore_\(UUID().uuidString.prefix(8).lowercased())"
                target.databaseURL = try await Database.createScratchPostgres(from: admin, name: scratch!, logger: logger)
            }
            defer { if let scratch, let admin = ProcessInfo.processInfo.environment["XUKE_TEST_DATABASE_URL"] {
                Task { try? await Database.dropScratchPostgres(from: admin, name: scratch, logger: logger) } } }

            // A file changed after the backup: nothing is restored.
            let key = backup + "/keys/log.key"
            let original = try Data(contentsOf: URL(fileURLWithPath: key))
            try Data("tampered".utf8).write(to: URL(fileURLWithPath: key))
            await #expect(throws: Backup.Failure.self) { try await Backup.restore(config: target, from: backup, logger: logger) { _ in } }
            #expect(!FileManager.default.fileExists(atPath: target.effectiveKeysDirectory + "/log.key"))
            try original.write(to: URL(fileURLWithPath: key))

            let restored = try await Backup.restore(config: target, from: backup, logger: logger) { _ in }
            #expect(restored.files == summary.files)
            #expect(Backup.allowed("blobs/uploads/ab/ab" + String(repeating: "0", count: 62), databaseFile: "database.sqlite"))
            for bad in ["blobs/../xuke.sqlite", "blobs/uploads/ab/../../keys/log.key", "keys/../x", "blobs/dumps/2026-12-04/../../x",
                        "/etc/passwd", "database.pgdump", "blobs/xuke.sqlite", "blobs/uploads/ab/cd" + String(repeating: "0", count: 62)] {
                #expect(!Backup.allowed(bad, databaseFile: "database.sqlite"), "\(bad)")
            }
            // Restoring again would overwrite: refused.
            await #expect(throws: Backup.Failure.self) { try await Backup.restore(config: target, from: backup, logger: logger) { _ in } }

            let db = try await XukeApplication.prepareDatabase(config: target, logger: logger)
            do {
                let copy = try await XukeApplication.services(config: target, db: db)  // the same log key, or it would refuse
                let audit = try await copy.trust.auditLog()
                #expect(audit.problems.isEmpty && audit.size == sizeBefore)
                #expect(try await db.read { try await LicenseStore.license($0, id: licenseID) } != nil)
                #expect(try await copy.uploads.read(f.sha) == (try await s.uploads.read(f.sha)))
            } catch {
                await db.shutdown()
                throw error
            }
            await db.shutdown()
        }
    }
}
