public import SQLKit
import SQLiteKit
import PostgresKit
public import Logging
import NIOCore
import NIOPosix
import Foundation
import Synchronization

/// The platform's database: an embedded SQLite file (single node) or PostgreSQL (production).
/// Every query in the project runs through `read` or `write`, written once for both dialects.
public final class Database: Sendable {
    public enum Kind: String, Sendable {
        case sqlite
        case postgres
    }

    /// The pools lock internally; AsyncKit predates Sendable annotations.
    enum Pool: @unchecked Sendable {
        case sqlite(EventLoopGroupConnectionPool<TunedSQLiteSource>)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    public let kind: Kind
    let pool: Pool
    let logger: Logger
    /// SQLite allows one writer at a time; queueing writers here avoids busy-waiting inside SQLite.
    let writeGate: AsyncGate?
    private let commits = Atomic<Int>(0)

    /// Goes up after every transaction this process commits. An answer tagged with the value read before its
    /// query stays current, as far as this process's own writes go, for as long as the value has not moved.
    public var writeGeneration: Int { commits.load(ordering: .acquiring) }

    /// Opens a database from a URL: `postgres://user:pass@host:port/db` or `sqlite:///path/to/file.sqlite`. On
    /// PostgreSQL at most `maxConnections` are open at once (spread over the event loops), and a connection idle
    /// for two minutes is closed.
    public static func open(url: String, maxConnections: Int = 16, logger: Logger) async throws -> Database {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            var config = try SQLPostgresConfiguration(url: url)
            config.searchPath = ["public"]
            let source = PostgresConnectionSource(sqlConfiguration: config)
            let loops = MultiThreadedEventLoopGroup.singleton.makeIterator().reduce(0) { n, _ in n + 1 }
            let pool = EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: max(1, maxConnections / max(1, loops)),
                                                    pruneInterval: .seconds(30), maxIdleTimeBeforePruning: .seconds(120),
                                                    logger: logger, on: MultiThreadedEventLoopGroup.singleton)
            return Database(kind: .postgres, pool: .postgres(pool), logger: logger)
        }
        let prefix = "sqlite://"
        guard url.hasPrefix(prefix) else { throw StorageError.badURL(url) }
        let path = String(url.dropFirst(prefix.count))
        return try await openSQLite(path: path, logger: logger)
    }

    public static func openSQLite(path: String, logger: Logger) async throws -> Database {
        let source = TunedSQLiteSource(base: SQLiteConnectionSource(configuration: .init(storage: .file(path: path), enableForeignKeys: true)))
        let pool = EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: 4, pruneInterval: nil,
                                                logger: logger, on: MultiThreadedEventLoopGroup.singleton)
        let db = Database(kind: .sqlite, pool: .sqlite(pool), logger: logger)
        // WAL lets readers go on while one writer writes; it is a property of the file, so set it once.
        try await db.read { sql in
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        return db
    }

    init(kind: Kind, pool: Pool, logger: Logger) {
        self.kind = kind
        self.pool = pool
        self.logger = logger
        self.writeGate = kind == .sqlite ? AsyncGate() : nil
    }

    /// Runs queries on one pooled connection, outside any transaction.
    public func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch pool {
        case .sqlite(let p):
            let conn = try await p.requestConnection(logger: logger).get()
            defer { p.releaseConnection(conn, logger: logger) }
            return try await body(conn.sql())
        case .postgres(let p):
            let conn = try await p.requestConnection(logger: logger).get()
            defer { p.releaseConnection(conn, logger: logger) }
            // A query sent down a connection that has just closed (the server stopped) is never answered; every
            // statement checks first, so it fails at once instead.
            return try await body(LiveConnectionDatabase(base: conn.sql(), isClosed: { conn.isClosed }))
        }
    }

    /// Runs `body` in one transaction: all of its writes land, or none do.
    public func write<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        if let gate = writeGate { await gate.enter() }
        defer { writeGate?.leave() }
        return try await read { sql in
            // IMMEDIATE takes SQLite's write lock up front, so two writers never deadlock upgrading a read lock.
            try await sql.raw(SQLQueryString(kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")).run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                commits.add(1, ordering: .releasing)
                return result
            } catch {
                // A connection the database dropped rolls back on the server's side; a ROLLBACK sent down it can
                // wait forever for an answer that never comes.
                if !DatabaseUnavailable.matches(error) { try? await sql.raw("ROLLBACK").run() }
                throw error
            }
        }
    }

    public func ping() async throws {
        try await read { try await $0.raw("SELECT 1 AS ok").run() }
    }

    public func shutdown() async {
        switch pool {
        case .sqlite(let p): try? await p.shutdownAsync()
        case .postgres(let p): try? await p.shutdownAsync()
        }
    }
}

/// SQLite connections with the platform's per-connection settings, applied as each one is opened: a larger page
/// cache, and the file mapped into memory so that reads of a big log (a proof touches dozens of pages) are memory
/// accesses rather than one system call each.
struct TunedSQLiteSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { conn in
            conn.query("PRAGMA cache_size = -65536")
                .flatMap { _ in conn.query("PRAGMA mmap_size = 4294967296") }
                .map { _ in conn }
        }
    }
}

public enum StorageError: Error, CustomStringConvertible {
    case badURL(String)
    case migrationChanged(Int)
    case corruptRow(String)

    public var description: String {
        switch self {
        case .badURL(let u): "unsupported database URL (use sqlite:///path or postgres://…): \(u.prefix(12))…"
        case .migrationChanged(let v): "migration \(v) differs from the one recorded in the database"
        case .corruptRow(let what): "unreadable value in the database: \(what)"
        }
    }
}

/// A FIFO async mutex.
public final class AsyncGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func enter() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.busy { s.waiters.append(c); return false }
                s.busy = true
                return true
            }
            if now { c.resume() }
        }
    }

    public func leave() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.busy = false; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}

extension Database {
    /// Creates an empty PostgreSQL database next to the one `url` names and returns its URL (for isolated tests).
    public static func createScratchPostgres(from url: String, name: String, logger: Logger) async throws -> String {
        let admin = try await Database.open(url: url, logger: logger)
        defer { Task { await admin.shutdown() } }
        try await admin.read { try await $0.raw(SQLQueryString("CREATE DATABASE \"\(name)\"")).run() }
        guard var components = URLComponents(string: url) else { throw StorageError.badURL(url) }
        components.path = "/" + name
        return components.string!
    }

    public static func dropScratchPostgres(from url: String, name: String, logger: Logger) async throws {
        let admin = try await Database.open(url: url, logger: logger)
        try await admin.read { try await $0.raw(SQLQueryString("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")).run() }
        await admin.shutdown()
    }
}

/// The connection was closed under us (the database server went away between two statements).
public struct ConnectionLost: Error, CustomStringConvertible {
    public var description: String { "the database connection closed" }
}

/// Passes every statement to the connection it wraps, unless that connection has closed, in which case the statement
/// fails at once with `ConnectionLost` rather than waiting for an answer that cannot come.
struct LiveConnectionDatabase: SQLDatabase {
    let base: any SQLDatabase
    let isClosed: @Sendable () -> Bool

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        guard !isClosed() else { return eventLoop.makeFailedFuture(ConnectionLost()) }
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        guard !isClosed() else { throw ConnectionLost() }
        try await base.execute(sql: query, onRow)
    }
}
