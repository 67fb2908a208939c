import Foundation
import NIOCore
import XukeDomain
import XukeStorage

/// Uploaded files, kept by their SHA-256 in the blob store: application documents, lab reports and inspection
/// evidence. Whoever attaches a file to a record checks its ownership (`UploadStore`).
struct UploadService: Sendable {
    let db: Database
    let clock: PlatformClock
    let blobs: any BlobStore

    struct Receipt: Codable, Sendable { var sha256: String; var mediaType: String; var size: Int }

    static func name(_ sha256: String) -> String { "uploads/\(sha256.prefix(2))/\(sha256)" }

    /// Stores an uploaded file by its SHA-256 after checking its type from its bytes.
    func store(_ body: ByteBuffer, by user: User) async throws -> Receipt {
        // Enterprises upload application documents; officers and verifiers upload inspection evidence.
        guard [.enterprise, .officer, .verifier, .lab].contains(user.role) else {
            throw AppError(.upload.role)
        }
        let bytes = Data(body.readableBytesView)
        guard !bytes.isEmpty else { throw AppError(.upload.empty) }
        guard let type = UploadType.sniff(bytes) else {
            throw AppError(.upload.type)
        }
        let sha = sha256Hex(bytes)
        if try await !blobs.exists(Self.name(sha)) { try await blobs.put(Self.name(sha), data: bytes) }
        try await db.write { try await UploadStore.recordUpload($0, sha256: sha, type: type, size: bytes.count, userID: user.id, at: clock.stamp) }
        return Receipt(sha256: sha, mediaType: type.rawValue, size: bytes.count)
    }

    /// A stored file, checked against its digest on the way out.
    func read(_ sha256: String) async throws -> Data {
        guard let data = try await blobs.read(Self.name(sha256)), sha256Hex(data) == sha256 else {
            throw AppError(.upload.missing)
        }
        return data
    }
}
