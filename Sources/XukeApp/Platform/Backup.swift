import Crypto
import Foundation
public import Logging
public import XukeStorage
import XukeTrust
import XukeDomain

/// `xuke backup DIR` and `xuke restore DIR`. A backup is a folder: the database (SQLite's online copy by
/// `VACUUM INTO`, or PostgreSQL's `pg_dump` in its custom format), the private keys, the uploads and dumps of a
/// directory blob store (a database blob store is inside the database), and `manifest.json` with every file's size
/// and SHA-256. Restore checks every digest first and writes only into an empty place.
public enum Backup {
    struct Manifest: Codable {
        var format = "xuke-backup-1"
        var createdAt: String
        var database: String
        var blobs: String
        var files: [Entry]
    }

    struct Entry: Codable, Equatable {
        var path: String
        var size: Int
        var sha256: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Summary: Sendable {
        public var files: Int
        public var bytes: Int
    }

    static let manifestName = "manifest.json"

    public static func create(config: AppConfig, db: Database, into dir: String, progress: (String) -> Void) async throws -> Summary {
        let fm = FileManager.default
        if fm.fileExists(atPath: dir) {
            guard try fm.contentsOfDirectory(atPath: dir).isEmpty else { throw Failure(description: "\(dir) is not empty; a backup goes into a new folder") }
        }
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir)
        var files: [String] = []

        switch db.kind {
        case .sqlite:
            let target = (dir as NSString).appendingPathComponent("database.sqlite")
            try await db.copySQLite(to: target)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
            files.append("database.sqlite")
        case .postgres:
            let target = (dir as NSString).appendingPathComponent("database.pgdump")
            try PostgresTool.run("pg_dump", ["--format=custom", "--no-owner", "--file", target], url: config.effectiveDatabaseURL)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
            files.append("database.pgdump")
        }
        progress("database copied")

        let keys = config.effectiveKeysDirectory
        for name in (try? fm.contentsOfDirectory(atPath: keys))?.sorted() ?? [] where !name.hasPrefix(".") {
            try copy((keys as NSString).appendingPathComponent(name), to: (dir as NSString).appendingPathComponent("keys/\(name)"), mode: 0o600)
            files.append("keys/\(name)")
        }
        progress("\(files.count - 1) keys copied")

        if config.blobKind == .directory {
            let blobs = DirectoryBlobs(root: config.dataDirectory)
            for name in try await blobs.names() {
                try copy(blobs.path(name), to: (dir as NSString).appendingPathComponent("blobs/\(name)"), mode: 0o600)
                files.append("blobs/\(name)")
            }
        }
        progress("files copied")

        let entries = try files.map { path -> Entry in
            let (size, sha) = try digest((dir as NSString).appendingPathComponent(path))
            return Entry(path: path, size: size, sha256: sha)
        }
        let manifest = Manifest(createdAt: Timestamp.string(Date()), database: db.kind.rawValue, blobs: config.blobKind.rawValue, files: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifestPath = (dir as NSString).appendingPathComponent(manifestName)
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: manifestPath), options: .atomic)
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: manifestPath)
        return Summary(files: entries.count, bytes: entries.reduce(0) { $0 + $1.size })
    }

    /// Restores into the configured database and directories, which must hold nothing yet.
    public static func restore(config: AppConfig, from dir: String, logger: Logger, progress: (String) -> Void) async throws -> Summary {
        let fm = FileManager.default
        guard let data = fm.contents(atPath: (dir as NSString).appendingPathComponent(manifestName)),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data), manifest.format == "xuke-backup-1" else {
            throw Failure(description: "\(dir) holds no readable \(manifestName)")
        }
        var problems: [String] = []
        let databaseFile = manifest.database == "sqlite" ? "database.sqlite" : "database.pgdump"
        if !manifest.files.contains(where: { $0.path == databaseFile }) { problems.append("\(databaseFile): not in the manifest") }
        for e in manifest.files {
            guard allowed(e.path, databaseFile: databaseFile) else { problems.append("\(e.path): not a file a backup holds"); continue }
            guard let (size, sha) = try? digest((dir as NSString).appendingPathComponent(e.path)) else { problems.append("\(e.path): missing"); continue }
            if size != e.size || sha != e.sha256 { problems.append("\(e.path): SHA-256 \(sha), the manifest says \(e.sha256)") }
        }
        guard problems.isEmpty else { throw Failure(description: "the backup does not match its manifest; nothing restored:\n" + problems.joined(separator: "\n")) }
        progress("\(manifest.files.count) files match the manifest")

        let url = config.effectiveDatabaseURL
        let kind: Database.Kind = url.hasPrefix("sqlite://") ? .sqlite : .postgres
        guard kind.rawValue == manifest.database else {
            throw Failure(description: "the backup holds a \(manifest.database) database and XUKE_DATABASE_URL names \(kind.rawValue)")
        }
        guard manifest.blobs == config.blobKind.rawValue else {
            throw Failure(description: "the backup kept uploads and dumps in the \(manifest.blobs) store and XUKE_BLOBS is \(config.blobKind.rawValue); set XUKE_BLOBS=\(manifest.blobs) to restore (and `xuke blobs migrate` afterwards to move them)")
        }
        let keys = config.effectiveKeysDirectory
        if let present = try? fm.contentsOfDirectory(atPath: keys), !present.isEmpty {
            throw Failure(description: "\(keys) is not empty; restore writes only into an empty place")
        }
        for top in ["uploads", "dumps"] where fm.fileExists(atPath: (config.dataDirectory as NSString).appendingPathComponent(top)) {
            throw Failure(description: "\(config.dataDirectory) already holds \(top)/; restore writes only into an empty place")
        }
        switch kind {
        case .sqlite:
            let path = String(url.dropFirst("sqlite://".count))
            guard !fm.fileExists(atPath: path) else { throw Failure(description: "\(path) exists; restore writes only into an empty place") }
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try copy((dir as NSString).appendingPathComponent("database.sqlite"), to: path, mode: 0o600)
        case .postgres:
            let db = try await Database.open(url: url, maxConnections: 1, logger: logger)
            let used: Bool
            do { used = try await db.holdsSchema() } catch {
                await db.shutdown()
                throw error
            }
            await db.shutdown()
            guard !used else { throw Failure(description: "the database XUKE_DATABASE_URL names already holds Xuke's tables") }
            let name = String(URLComponents(string: url)?.path.dropFirst() ?? "")
            try PostgresTool.run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", name,
                                                (dir as NSString).appendingPathComponent("database.pgdump")], url: url)
        }
        progress("database restored")

        for e in manifest.files where e.path.hasPrefix("keys/") {
            try copy((dir as NSString).appendingPathComponent(e.path), to: (keys as NSString).appendingPathComponent(String(e.path.dropFirst(5))), mode: 0o600)
        }
        let blobFiles = manifest.files.filter { $0.path.hasPrefix("blobs/") }
        if !blobFiles.isEmpty {
            let db = try await XukeApplication.prepareDatabase(config: config, logger: logger)
            do {
                let store = config.blobStore(db, clock: PlatformClock())
                for e in blobFiles {
                    guard let bytes = fm.contents(atPath: (dir as NSString).appendingPathComponent(e.path)) else { throw Failure(description: "\(e.path): unreadable") }
                    try await store.put(String(e.path.dropFirst("blobs/".count)), data: bytes)
                }
            } catch {
                await db.shutdown()
                throw error
            }
            await db.shutdown()
        }
        progress("keys and files restored")
        return Summary(files: manifest.files.count, bytes: manifest.files.reduce(0) { $0 + $1.size })
    }

    /// The files a backup may name: the database, key files, and uploads and dumps under their own names only, so
    /// a changed manifest cannot write anywhere else.
    static func allowed(_ path: String, databaseFile: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let plain = { (name: String) in !name.isEmpty && !name.hasPrefix(".") && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) } }
        switch parts.count {
        case 1: return path == databaseFile
        case 2: return parts[0] == "keys" && plain(parts[1])
        case 4 where parts[1] == "uploads":
            return parts[0] == "blobs" && parts[2].count == 2 && parts[3].count == 64 && parts[3].hasPrefix(parts[2])
                && parts[3].allSatisfy { "0123456789abcdef".contains($0) }
        case 4: return parts[0] == "blobs" && parts[1] == "dumps" && CivilDate(parts[2]) != nil && plain(parts[3])
        default: return false
        }
    }

    static func copy(_ source: String, to target: String, mode: Int) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                               attributes: [.posixPermissions: 0o700])
        try fm.copyItem(atPath: source, toPath: target)
        try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
    }

    /// Size and SHA-256 of a file, read a mebibyte at a time.
    static func digest(_ path: String) throws -> (Int, String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
        defer { try? handle.close() }
        var hash = SHA256()
        var size = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            hash.update(data: piece)
            size += piece.count
        }
        return (size, Array(hash.finalize()).hex)
    }
}

/// pg_dump and pg_restore, given the database's URL as libpq's environment (so the password never shows in a
/// process list).
enum PostgresTool {
    static func run(_ tool: String, _ arguments: [String], url: String) throws {
        guard let c = URLComponents(string: url), let host = c.host else { throw Backup.Failure(description: "XUKE_DATABASE_URL is not a PostgreSQL URL") }
        var env = ProcessInfo.processInfo.environment
        env["PGHOST"] = host
        env["PGPORT"] = String(c.port ?? 5432)
        env["PGUSER"] = c.user ?? ""
        env["PGPASSWORD"] = c.password ?? ""
        env["PGDATABASE"] = String(c.path.dropFirst())
        if let mode = c.queryItems?.first(where: { $0.name == "sslmode" })?.value { env["PGSSLMODE"] = mode }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + arguments
        p.environment = env
        let err = Pipe()
        p.standardError = err
        do { try p.run() } catch { throw Backup.Failure(description: "\(tool) could not be started (install postgresql-client): \(error)") }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Backup.Failure(description: "\(tool) failed (exit \(p.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
