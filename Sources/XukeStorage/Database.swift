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

    /// The pools lock internally; AsyncKit predates Sendable annotations. PostgreSQL uses PostgresNIO's own pool,
    /// which runs in a task of its own until shut down.
    enum Pool: @unchecked Sendable {
        case sqlite(EventLoopGroupConnectionPool<TunedSQLiteSource>)
        case postgres(PostgresClient, Task<Void, Never>)
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

    /// Opens a database from a URL: `postgres://user:pass@host:port/db`, `postgres+uds://user@localhost/path/to/socket#db`
    /// (a local socket) or `sqlite:///path/to/file.sqlite`. On PostgreSQL at most `maxConnections` are open at once,
    /// and a connection idle for two minutes is closed.
    public static func open(url: String, maxConnections: Int = 16, logger: Logger) async throws -> Database {
        if ["postgres://", "postgresql://", "postgres+tcp://", "postgres+uds://", "postgresql+uds://"].contains(where: url.hasPrefix) {
            // The pool logs every failed connection attempt at info, several a second while the server is down; the
            // platform says it once, in its own words (a 503, a resting replica).
            var background = logger
            background.logLevel = max(logger.logLevel, .warning)
            let client = PostgresClient(configuration: try clientConfiguration(url: url, maxConnections: maxConnections), backgroundLogger: background)
            let running = Task { await client.run() }
            return Database(kind: .postgres, pool: .postgres(client, running), logger: logger)
        }
        let prefix = "sqlite://"
        guard url.hasPrefix(prefix) else { throw StorageError.badURL(url) }
        let path = String(url.dropFirst(prefix.count))
        return try await openSQLite(path: path, logger: logger)
    }

    /// PostgresKit reads the URL (TCP or socket, TLS mode); PostgresNIO's pool takes the result.
    static func clientConfiguration(url: String, maxConnections: Int) throws -> PostgresClient.Configuration {
        // PostgresKit's error would carry the whole URL, password included.
        guard let parsed = try? SQLPostgresConfiguration(url: url) else { throw StorageError.badURL(url) }
        let core = parsed.coreConfiguration
        var c: PostgresClient.Configuration
        if let socket = core.unixSocketPath {
            c = .init(unixSocketPath: socket, username: core.username, password: core.password, database: core.database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch (core.tls.isEnforced, core.tls.isAllowed, core.tls.sslContext) {
            case (true, _, let context?): .require(context.configuration)
            case (false, true, let context?): .prefer(context.configuration)
            default: .disable
            }
            c = .init(host: core.host ?? "localhost", port: core.port ?? 5432, username: core.username, password: core.password,
                      database: core.database, tls: tls)
        }
        c.options.maximumConnections = maxConnections
        c.options.minimumConnections = 0
        c.options.connectionIdleTimeout = .seconds(120)
        return c
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

    init(kind: Kind, pool: Pool, logger: Logger, replica: Database? = nil) {
        self.kind = kind
        self.pool = pool
        self.logger = logger
        self.writeGate = kind == .sqlite ? AsyncGate() : nil
        self.replica = replica
    }

    /// A streaming replica that takes reads marked `ReadRouting.replicaAllowed` (public, anonymous reads).
    public let replica: Database?
    /// Until when (monotonic nanoseconds) the replica is skipped after it failed.
    private let replicaResting = Atomic<UInt64>(0)
    private static var uptime: UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// The same database with reads that allow it sent to the replica at `url`.
    public func withReplica(url: String, maxConnections: Int) async throws -> Database {
        guard kind == .postgres, case .postgres(let client, let running) = pool else { throw StorageError.badURL("a replica needs PostgreSQL") }
        let replica: Database
        do {
            replica = try await Database.open(url: url, maxConnections: maxConnections, logger: logger)
        } catch {
            throw StorageError.badURL("XUKE_DATABASE_READ_URL")
        }
        // A physical replica shares the primary's system identifier; another server's database must not answer.
        let ids = try? await (read { try await $0.raw("SELECT system_identifier::text AS id FROM pg_control_system()").first()?.decode(column: "id", as: String.self) },
                              replica.read { try await $0.raw("SELECT system_identifier::text AS id FROM pg_control_system()").first()?.decode(column: "id", as: String.self) })
        if let (mine, theirs) = ids, let mine, let theirs, mine != theirs {
            await replica.shutdown()
            throw StorageError.notAReplica
        }
        return Database(kind: kind, pool: .postgres(client, running), logger: logger, replica: replica)
    }

    /// Runs queries on one pooled connection, outside any transaction. Inside `ReadRouting.$replicaAllowed` they go to
    /// the replica when there is one; a replica that cannot be reached is skipped for 30 s (logged) and the primary
    /// answers instead.
    public func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        if let replica, ReadRouting.replicaAllowed, replicaFresh.load(ordering: .relaxed), replicaResting.load(ordering: .relaxed) <= Self.uptime {
            do {
                let result = try await replica.primaryRead(body)
                ReadRouting.replicaReads.add(1, ordering: .relaxed)
                return result
            } catch where DatabaseUnavailable.matches(error) {
                replicaResting.store(Self.uptime + 30_000_000_000, ordering: .relaxed)
                logger.warning("read replica unreachable; reading from the primary for 30 s", metadata: ["error": "\(error)"])
            } catch let error as PSQLError {
                // A standby can refuse what the primary answers (a query cancelled by replay, a write in a read):
                // the primary answers instead.
                logger.notice("read replica refused a read; the primary answers it", metadata: ["error": "\(error)"])
            }
        }
        return try await primaryRead(body)
    }

    /// Longest replica lag, in seconds, at which reads still go to it; `checkReplica` measures the lag.
    public static let maxReplicaLagSeconds = 10.0
    let replicaFresh = Atomic<Bool>(true)

    /// Measures the replica's lag and sends reads to it only while the lag is within `maxReplicaLagSeconds` (the
    /// server calls this every few seconds), so the public never reads far-stale revocations or registers.
    @discardableResult
    public func checkReplica() async -> (seconds: Double, bytes: Int)? {
        guard replica != nil else { return nil }
        let lag = try? await replicaLag()
        let fresh = lag.map { $0.seconds <= Self.maxReplicaLagSeconds } ?? false
        if replicaFresh.exchange(fresh, ordering: .relaxed) != fresh {
            if fresh { logger.notice("read replica caught up; public reads go to it again") }
            else { logger.warning("read replica is behind or not replaying; public reads go to the primary", metadata: ["lag": "\(lag.map { "\($0.seconds) s, \($0.bytes) bytes" } ?? "unknown")"]) }
        }
        return lag
    }

    /// Connections this process has checked out right now (on the primary; the replica counts its own).
    public var connectionsInUse: Int { inUse.load(ordering: .relaxed) }
    private let inUse = Atomic<Int>(0)

    private func primaryRead<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch pool {
        case .sqlite(let p):
            let conn = try await p.requestConnection(logger: logger).get()
            defer { p.releaseConnection(conn, logger: logger) }
            return try await counted { try await body(conn.sql()) }
        case .postgres(let client, _):
            // A query sent down a connection that has just closed (the server stopped) is never answered; every
            // statement checks first, so it fails at once instead.
            return try await Self.leasing(client, within: Self.leaseTimeout) { conn in
                try await counted { try await body(LiveConnectionDatabase(base: conn.sql(), isClosed: { conn.isClosed })) }
            }
        }
    }

    /// Counts a connection as in use while it is held (not while a request waits for one).
    private func counted<T>(_ work: () async throws -> T) async throws -> T {
        inUse.add(1, ordering: .relaxed)
        defer { inUse.subtract(1, ordering: .relaxed) }
        return try await work()
    }

    /// Runs `body` in one transaction: all of its writes land, or none do.
    public func write<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        if let gate = writeGate { await gate.enter() }
        defer { writeGate?.leave() }
        return try await primaryRead { sql in
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

    /// How long a request waits for a PostgreSQL connection before it is answered "unavailable" (503): while the
    /// server is down the pool keeps trying to connect, and without a limit a request would wait as long.
    static let leaseTimeout: Duration = .seconds(5)

    /// Runs `body` on a pooled connection, giving up if none is leased within `timeout`. PostgresNIO's pool waits
    /// for a connection as long as it takes; the lease is made in a child task that a watchdog cancels (which
    /// cancels the wait) unless the lease came first. A body that has its connection is never cut short.
    static func leasing<T: Sendable>(_ client: PostgresClient, within timeout: Duration,
                                     _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { escapable in
            // Used only inside the group below, which ends before this function returns.
            nonisolated(unsafe) let work = escapable
            // Whoever moves it from waiting first wins: the lease (the body runs to its end) or the watchdog (the
            // body never starts). So a body is never cut short, and a timed-out request did nothing.
            let state = LeaseState()
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { conn in
                        guard state.claim(.leased) else { throw LeaseTimeout() }
                        return try await work(conn)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    if state.claim(.timedOut) { throw LeaseTimeout() }
                    return nil
                }
                while let next = try await group.next() {
                    if let result = next {
                        group.cancelAll()
                        return result
                    }
                }
                throw LeaseTimeout()
            }
        }
    }

    public func ping() async throws {
        try await read { try await $0.raw("SELECT 1 AS ok").run() }
    }

    public func shutdown() async {
        await replica?.shutdown()
        switch pool {
        case .sqlite(let p): try? await p.shutdownAsync()
        case .postgres(_, let running):
            running.cancel()
            await running.value
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
    case notAReplica

    public var description: String {
        switch self {
        case .notAReplica: "XUKE_DATABASE_READ_URL names a database that is not a replica of XUKE_DATABASE_URL (their system identifiers differ)"
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

/// Which reads may go to a read replica: those of public, anonymous requests, marked by the request's task.
public enum ReadRouting {
    @TaskLocal public static var replicaAllowed = false
    static let replicaReads = Atomic<Int>(0)
    /// Reads the replica answered in this process, for the metrics and the cluster check.
    public static var replicaReadCount: Int { replicaReads.load(ordering: .relaxed) }
}

final class LeaseState: Sendable {
    enum Outcome: Int { case waiting, leased, timedOut }
    private let value = Atomic<Int>(Outcome.waiting.rawValue)
    /// True for the first to move the state on from waiting.
    func claim(_ outcome: Outcome) -> Bool {
        value.compareExchange(expected: Outcome.waiting.rawValue, desired: outcome.rawValue, ordering: .acquiringAndReleasing).exchanged
    }
}

/// No PostgreSQL connection could be had in time (the server is down or every connection is busy).
public struct LeaseTimeout: Error, CustomStringConvertible {
    public var description: String { "no database connection within \(Database.leaseTimeout)" }
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
