import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage
import SQLKit

@Suite struct BlobTests {
    /// What the platform keeps comes back whole from either store: small, empty, several chunks (a repeated chunk
    /// stored once in the database), in pieces, and replaced in one step.
    @Test(arguments: BlobKind.allCases) func eitherStoreKeepsFilesWhole(kind: BlobKind) async throws {
        try await Harness.run(configure: { $0.blobKind = kind }) { _, s in
            let blobs = s.blobs
            #expect(blobs.kind == kind)
            var random = SystemRandomNumberGenerator()
            let chunk = Data((0..<DatabaseBlobs.chunkSize).map { _ in UInt8.random(in: 0...255, using: &random) })
            let big = chunk + chunk + Data("tail".utf8)
            try await blobs.put("dumps/2026-12-04/big.csv", data: big)
            try await blobs.put("dumps/2026-12-04/empty.csv", data: Data())
            #expect(try await blobs.read("dumps/2026-12-04/big.csv") == big)
            #expect(try await blobs.read("dumps/2026-12-04/empty.csv") == Data())
            #expect(try await blobs.read("dumps/2026-12-04/none.csv") == nil)
            #expect(try await blobs.exists("dumps/2026-12-04/big.csv"))
            #expect(try await !blobs.exists("dumps/2026-12-04/none.csv"))
            var joined = Data()
            for try await piece in try #require(try await blobs.pieces("dumps/2026-12-04/big.csv")) {
                #expect(piece.readableBytes <= DatabaseBlobs.chunkSize)
                joined.append(contentsOf: piece.readableBytesView)
            }
            #expect(joined == big)

            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-blob-\(UUID().uuidString)").path
            try Data("replaced".utf8).write(to: URL(fileURLWithPath: scratch))
            try await blobs.put("dumps/2026-12-04/big.csv", movingFile: scratch)
            #expect(!FileManager.default.fileExists(atPath: scratch), "the file is handed over")
            #expect(try await blobs.read("dumps/2026-12-04/big.csv") == Data("replaced".utf8))
            #expect(try await blobs.names() == ["dumps/2026-12-04/big.csv", "dumps/2026-12-04/empty.csv"])
            if kind == .database {
                let chunks = try await s.db.read { try await $0.raw("SELECT COUNT(*) AS n FROM blob_chunks").first()?.decode(column: "n", as: Int.self) }
                #expect(chunks == 4, "the repeated mebibyte once, the tail, the empty file, the replacement")
            }
        }
    }

    /// With uploads in the database, a document uploaded on one server is read on any other: here, through the API.
    @Test func uploadsLiveInTheDatabaseForACluster() async throws {
        try await Harness.run(configure: { $0.blobKind = .database }) { client, s in
            let token = try await client.token(s, username: "officer", role: "officer")
            let pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
            let r = try await client.execute(uri: "/api/v1/uploads", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/pdf"],
                                             body: ByteBuffer(string: pdf))
            #expect(r.status == .created)
            let sha = try #require(try r.json()["sha256"] as? String)
            #expect(try await s.uploads.read(sha) == Data(pdf.utf8))
            #expect(try await DatabaseBlobs(db: s.db, clock: s.clock).read(UploadService.name(sha)) == Data(pdf.utf8))
            #expect(!FileManager.default.fileExists(atPath: (s.config.dataDirectory as NSString).appendingPathComponent(UploadService.name(sha))))
        }
    }

    /// `xuke blobs migrate` copies everything across and back, checks every digest, and names a file whose bytes
    /// no longer match the digest in its name instead of copying it.
    @Test func migrationCopiesAndChecksEveryFile() async throws {
        try await Harness.run { _, s in
            let directory = DirectoryBlobs(root: s.config.dataDirectory)
            let pdf = Data("%PDF-1.4 a document\n".utf8)
            try await directory.put(UploadService.name(sha256Hex(pdf)), data: pdf)
            try await directory.put("dumps/2026-12-04/licenses.csv", data: Data("uscc,number\r\n".utf8))
            try await directory.put("dumps/2026-12-04/SHA256SUMS", data: Data("x  licenses.csv\n".utf8))
            let there = try await XukeApplication.migrateBlobs(config: s.config, db: s.db, to: "database") { _ in }
            #expect(there.copied == 3 && there.problems.isEmpty)
            let database = DatabaseBlobs(db: s.db, clock: s.clock)
            #expect(try await database.names() == (try await directory.names()))
            #expect(try await database.read(UploadService.name(sha256Hex(pdf))) == pdf)

            // Back into an empty directory.
            var elsewhere = s.config
            elsewhere.dataDirectory += "-restored"
            let back = try await XukeApplication.migrateBlobs(config: elsewhere, db: s.db, to: "directory") { _ in }
            #expect(back.copied == 3 && back.problems.isEmpty)
            #expect(try await DirectoryBlobs(root: elsewhere.dataDirectory).read("dumps/2026-12-04/licenses.csv") == Data("uscc,number\r\n".utf8))
            try? FileManager.default.removeItem(atPath: elsewhere.dataDirectory)

            // A damaged upload is reported, not copied.
            let damaged = Data("%PDF-1.4 other\n".utf8)
            try await directory.put(UploadService.name(sha256Hex(damaged)), data: Data("%PDF-1.4 tampered\n".utf8))
            let again = try await XukeApplication.migrateBlobs(config: s.config, db: s.db, to: "database") { _ in }
            #expect(again.copied == 3 && again.problems.count == 1 && again.problems[0].contains(sha256Hex(damaged)))
            await #expect(throws: ConfigError.self) { try await XukeApplication.migrateBlobs(config: s.config, db: s.db, to: "s3") { _ in } }
        }
    }
}
