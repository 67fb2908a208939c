import Crypto
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import XukeDomain
public import XukeStorage
import XukeTrust

/// Where the platform keeps files: uploads (`uploads/ab/<sha256>`) and daily dumps (`dumps/<day>/<file>`). Two
/// kinds: a directory (the default, one server: the names are paths under the data directory, as they always
/// were) and the database (`XUKE_BLOBS=database`, for several servers: chunked and content-addressed).
/// `xuke blobs migrate` moves every file from one to the other and checks every digest.
protocol BlobStore: Sendable {
    /// Stores `data` under `name`, replacing what was there.
    func put(_ name: String, data: Data) async throws
    /// Stores the local file at `path` under `name`; the file is consumed (moved, or read and removed).
    func put(_ name: String, movingFile path: String) async throws
    func read(_ name: String) async throws -> Data?
    func exists(_ name: String) async throws -> Bool
    /// The file in pieces of at most a mebibyte, for an answer that should not hold it whole in memory.
    func pieces(_ name: String) async throws -> AsyncThrowingStream<ByteBuffer, any Error>?
    /// Every stored name, in name order.
    func names() async throws -> [String]
    var kind: BlobKind { get }
}

enum BlobKind: String, Sendable, CaseIterable {
    case directory, database
}

extension AppConfig {
    func blobStore(_ db: Database, clock: PlatformClock) -> any BlobStore {
        switch blobKind {
        case .directory: DirectoryBlobs(root: dataDirectory)
        case .database: DatabaseBlobs(db: db, clock: clock)
        }
    }
}

/// Files under the data directory, written to a temporary name and renamed into place, so a reader sees a whole
/// file or none.
struct DirectoryBlobs: BlobStore {
    let root: String
    var kind: BlobKind { .directory }

    func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

    func put(_ name: String, data: Data) async throws {
        let target = path(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: target), options: .atomic)
    }

    func put(_ name: String, movingFile source: String) async throws {
        let target = path(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // rename(2) replaces the target in one step on the same file system; across file systems, copy.
        if rename(source, target) != 0 {
            try Data(contentsOf: URL(fileURLWithPath: source)).write(to: URL(fileURLWithPath: target), options: .atomic)
            try? FileManager.default.removeItem(atPath: source)
        }
    }

    func read(_ name: String) async throws -> Data? { FileManager.default.contents(atPath: path(name)) }

    func exists(_ name: String) async throws -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Read on demand, a piece per request for the next one, on NIO's blocking-I/O threads: a slow client holds
    /// one piece, not the file.
    func pieces(_ name: String) async throws -> AsyncThrowingStream<ByteBuffer, any Error>? {
        guard let handle = FileHandle(forReadingAtPath: path(name)) else { return nil }
        let reader = ClosingHandle(handle)
        return AsyncThrowingStream(unfolding: {
            let data = try await NIOThreadPool.singleton.runIfActive { try reader.handle.read(upToCount: DatabaseBlobs.chunkSize) }
            guard let data, !data.isEmpty else { return nil }
            return ByteBuffer(bytes: data)
        })
    }

    func names() async throws -> [String] {
        var out: [String] = []
        for top in ["uploads", "dumps"] {
            guard let walker = FileManager.default.enumerator(atPath: path(top)) else { continue }
            while let relative = walker.nextObject() as? String {
                let name = "\(top)/\(relative)"
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path(name), isDirectory: &isDirectory), !isDirectory.boolValue,
                      !(relative as NSString).lastPathComponent.hasPrefix(".") else { continue }
                out.append(name)
            }
        }
        return out.sorted()
    }
}

/// Files in the database: each cut into chunks of a mebibyte stored once by their SHA-256 (`blob_chunks`), and the
/// name listing its chunks (`blobs`), written last, so a reader sees a whole file or none.
struct DatabaseBlobs: BlobStore {
    let db: Database
    let clock: PlatformClock
    var kind: BlobKind { .database }

    static let chunkSize = 1 << 20

    func put(_ name: String, data: Data) async throws {
        var offset = 0
        try await store(name) {
            defer { offset += Self.chunkSize }
            return offset < data.count ? data.subdata(in: offset..<min(offset + Self.chunkSize, data.count)) : nil
        }
    }

    func put(_ name: String, movingFile path: String) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
        defer { try? handle.close() }
        try await store(name) { try handle.read(upToCount: Self.chunkSize).flatMap { $0.isEmpty ? nil : $0 } }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Stores the pieces `next` gives (a chunk each, nil at the end), then the name listing them.
    private func store(_ name: String, _ next: () throws -> Data?) async throws {
        var whole = SHA256()
        var chunks: [String] = []
        var size = 0
        while let piece = try next() {
            whole.update(data: piece)
            size += piece.count
            chunks.append(try await putChunk(piece))
        }
        if chunks.isEmpty { chunks.append(try await putChunk(Data())) }
        let sha = Array(whole.finalize()).hex
        try await db.write { try await BlobRows.name($0, name, sha256: sha, size: size, chunks: chunks, at: clock.stamp) }
    }

    private func putChunk(_ piece: Data) async throws -> String {
        let sha = sha256Hex(piece)
        try await db.write { try await BlobRows.putChunk($0, sha256: sha, data: piece) }
        return sha
    }

    func read(_ name: String) async throws -> Data? {
        try await db.read { sql in
            guard let (_, chunks) = try await BlobRows.entry(sql, name: name) else { return nil }
            var out = Data()
            for c in chunks {
                guard let piece = try await BlobRows.chunk(sql, sha256: c) else { throw StorageError.corruptRow("blob_chunks \(c)") }
                out.append(piece)
            }
            return out
        }
    }

    func exists(_ name: String) async throws -> Bool {
        try await db.read { try await BlobRows.entry($0, name: name) } != nil
    }

    /// A chunk per request for the next one: a slow client holds one chunk, not the file.
    func pieces(_ name: String) async throws -> AsyncThrowingStream<ByteBuffer, any Error>? {
        guard let (_, chunks) = try await db.read({ try await BlobRows.entry($0, name: name) }) else { return nil }
        let db = self.db
        let next = Counter()
        return AsyncThrowingStream(unfolding: {
            let i = next.take()
            guard i < chunks.count else { return nil }
            guard let piece = try await db.read({ try await BlobRows.chunk($0, sha256: chunks[i]) }) else {
                throw StorageError.corruptRow("blob_chunks \(chunks[i])")
            }
            return ByteBuffer(bytes: piece)
        })
    }

    func names() async throws -> [String] {
        var out: [String] = []
        var after = ""
        while true {
            let page = try await db.read { try await BlobRows.entries($0, after: after, limit: 1000) }
            out += page.map(\.name)
            guard let last = page.last, page.count == 1000 else { return out }
            after = last.name
        }
    }
}

/// A file handle closed when the stream reading it is dropped.
final class ClosingHandle: @unchecked Sendable {
    // Read by one piece request at a time: the stream asks for the next piece only after the last one came.
    let handle: FileHandle
    init(_ handle: FileHandle) { self.handle = handle }
    deinit { try? handle.close() }
}

/// The next chunk's position, for a stream that asks for one piece at a time.
final class Counter: Sendable {
    private let value = Mutex(0)
    func take() -> Int { value.withLock { v in defer { v += 1 }; return v } }
}

/// `xuke blobs migrate`: copies every file from one store to the other, then reads each back from the target and
/// compares its SHA-256 with the source's. Uploads are also checked against the digest their name carries.
enum BlobMigration {
    struct Report: Sendable { var copied = 0; var bytes = 0; var problems: [String] = [] }

    static func run(from source: any BlobStore, to target: any BlobStore, progress: (String) -> Void) async throws -> Report {
        var report = Report()
        for name in try await source.names() {
            guard let data = try await source.read(name) else { report.problems.append("\(name): vanished while copying"); continue }
            let digest = sha256Hex(data)
            if name.hasPrefix("uploads/"), (name as NSString).lastPathComponent != digest {
                report.problems.append("\(name): the source's bytes do not match the digest in its name (\(digest))")
                continue
            }
            try await target.put(name, data: data)
            guard let back = try await target.read(name), sha256Hex(back) == digest else {
                report.problems.append("\(name): the copy does not read back with SHA-256 \(digest)")
                continue
            }
            report.copied += 1
            report.bytes += data.count
            if report.copied % 1000 == 0 { progress("\(report.copied) files copied") }
        }
        return report
    }
}

extension XukeApplication {
    /// `xuke blobs migrate --to KIND`: copies every upload and dump from the other store into `KIND` and checks each.
    /// Answers the files copied, their bytes and the problems (none when every digest matched).
    public static func migrateBlobs(config: AppConfig, db: Database, to kindName: String,
                                    progress: (String) -> Void) async throws -> (copied: Int, bytes: Int, problems: [String]) {
        guard let target = BlobKind(rawValue: kindName) else { throw ConfigError(variable: "--to", value: kindName) }
        let clock = PlatformClock()
        let stores = (directory: DirectoryBlobs(root: config.dataDirectory) as any BlobStore, database: DatabaseBlobs(db: db, clock: clock) as any BlobStore)
        let (from, to) = target == .database ? (stores.directory, stores.database) : (stores.database, stores.directory)
        let r = try await BlobMigration.run(from: from, to: to, progress: progress)
        return (r.copied, r.bytes, r.problems)
    }
}
