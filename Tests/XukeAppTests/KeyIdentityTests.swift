import Foundation
import Testing
@testable import XukeApp
import XukeStorage
import XukeTrust

/// Several servers on one database sign with one log key and the same issuer keys: the private keys are files
/// each server must hold, and a server whose files disagree with what the database records refuses to start.
@Suite struct KeyIdentityTests {
    static func keysDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }

    @Test func aSecondServerMustHoldTheSameKeys() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            _ = try await f.commitmentLicense()  // an issuer key is in use now
            var other = s.config
            other.keysDirectory = try Self.keysDirectory()
            defer { try? FileManager.default.removeItem(atPath: other.keysDirectory) }

            // No log key here: the server does not make its own.
            await #expect { try await Transparency.open(config: other, clock: s.clock, db: s.db) } throws: { error in
                if case KeyRingError.logKeyElsewhere = error { true } else { false }
            }
            #expect(!FileManager.default.fileExists(atPath: other.keysDirectory + "/log.key"), "no stray key is left behind")

            // A log key of its own: refused, naming both keys.
            let ring = KeyRing(directory: other.keysDirectory)
            _ = try ring.saveLogKey(ring.newLogKey(origin: s.config.logOrigin), at: s.clock.stamp)
            await #expect { try await Transparency.open(config: other, clock: s.clock, db: s.db) } throws: { error in
                if case KeyRingError.logKeyDiffers = error { true } else { false }
            }

            // The platform's log key copied in: it opens and signs as the first server does.
            try FileManager.default.removeItem(atPath: other.keysDirectory + "/log.key")
            try FileManager.default.copyItem(atPath: s.config.effectiveKeysDirectory + "/log.key", toPath: other.keysDirectory + "/log.key")
            let second = try await Transparency.open(config: other, clock: s.clock, db: s.db)
            #expect(second.verifierKey.vkey == s.transparency.verifierKey.vkey)

            // Without the issuer keys in use it may not sign licences.
            await #expect { try await second.checkIssuerKeys(s.db) } throws: { error in
                if case KeyRingError.issuerKeyMissing = error { true } else { false }
            }
            for file in try FileManager.default.contentsOfDirectory(atPath: s.config.effectiveKeysDirectory) where file != "log.key" {
                try FileManager.default.copyItem(atPath: s.config.effectiveKeysDirectory + "/" + file, toPath: other.keysDirectory + "/" + file)
            }
            try await second.checkIssuerKeys(s.db)
        }
    }
}
