public import Hummingbird
public import Logging
public import XukeStorage
public import XukeDomain
public import Foundation
public import NIOCore
import Metrics
import Prometheus
import Synchronization
import NIOPosix
import HummingbirdBcrypt
import ServiceLifecycle

/// Everything a request handler needs, built once at start-up.
public struct AppServices: Sendable {
    public let config: AppConfig
    public let db: Database
    public let messages: Messages
    let renderer: Renderer
    /// Divisions change only with a new GB/T 2260 release, so they are read once.
    public let divisions: [String: Division]
    /// Checked when a username is unknown, so a failed sign-in costs the same either way.
    let dummyHash: String
    /// The platform's time; tests move it to drive statutory clocks.
    public let clock: PlatformClock
    /// Keys, credentials, status lists and the public log.
    public let trust: Transparency
    /// Public query and verification, per client address.
    let publicLimiter: RateLimiter
    let verifyCache = VerifyCache()
    /// Rendered QR codes by credential.
    let renders = RenderCache(capacity: 2000)
    let signInGates = SignInGates()

    func division(_ code: String) -> Division? { divisions[code] }

    /// A division's own name, or its code when unknown.
    /// A division's name. In English a province is named in English; a place below it keeps its Chinese name,
    /// followed by its province's English name.
    func placeName(_ code: String, _ lang: Language = .zh) -> String {
        guard let d = divisions[code] else { return code }
        guard lang == .en, let province = Division.provinceNamesEn[String(code.prefix(2))] else { return d.nameZh }
        return d.level == .province ? province : "\(d.nameZh), \(province)"
    }
}

/// Now, unless a test (or the demo) has set the platform's time.
public final class PlatformClock: Sendable {
    private let fixed = Mutex<Date?>(nil)

    public init() {}

    public func now() -> Date { fixed.withLock { $0 } ?? Date() }

    public func set(_ date: Date?) { fixed.withLock { $0 = date } }

    public var seconds: Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }

    /// Today in China, where statutory clocks run.
    public var today: CivilDate { CivilDate(inChinaAt: seconds) }

    public var stamp: String { Timestamp.string(now()) }
}

public enum XukeApplication {
    /// Opens (and if needed creates) the database, migrates it and loads the shipped data once.
    public static func prepareDatabase(config: AppConfig, logger: Logger, clock: PlatformClock = PlatformClock(), progress: @Sendable (String) -> Void = { _ in }) async throws -> Database {
        if config.databaseURL.isEmpty {
            try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        }
        let db = try await Database.open(url: config.effectiveDatabaseURL, logger: logger)
        do {
            for m in try await db.migrate(at: clock.stamp) { progress("migrated \(m)") }
            try await db.write { try await UserStore.dateLegacyTokens($0, days: config.tokenDays, now: clock.now()) }
            try await ShippedData.load(into: db, at: clock.stamp, progress: progress)
        } catch {
            await db.shutdown()
            throw error
        }
        return db
    }

    public static func services(config: AppConfig, db: Database) async throws -> AppServices {
        let messages = try Messages.load()
        let renderer = try await Renderer.load(messages: messages)
        let divisions = try await db.read { try await ReferenceStore.divisions($0) }
        let cost = config.bcryptCost
        let dummy = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(Secrets.token(), cost: cost) }
        let clock = PlatformClock()
        return AppServices(config: config, db: db, messages: messages, renderer: renderer,
                           divisions: Dictionary(uniqueKeysWithValues: divisions.map { ($0.code, $0) }), dummyHash: dummy, clock: clock,
                           trust: try Transparency(config: config, clock: clock), publicLimiter: RateLimiter(perMinute: config.publicRatePerMinute, clock: clock))
    }

    public static func router(_ s: AppServices) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(hsts: s.config.servedOverHTTPS))
        router.add(middleware: CORSMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: LanguageMiddleware())
        router.add(middleware: ErrorMiddleware(renderer: s.renderer))
        router.add(middleware: AuthMiddleware(db: s.db, config: s.config, clock: s.clock))
        router.add(middleware: PolicyMiddleware(limiter: s.publicLimiter))
        SystemRoutes(s).register(router)
        API(s).register(router.group("/api/v1"))
        TrustAPI(s: s).register(root: router, api: router.group("/api/v1"))
        SupervisionAPI(s: s).register(router.group("/api/v1"))
        DutiesAPI(s: s).register(router.group("/api/v1"))
        InstitutionsAPI(s: s).register(router.group("/api/v1"))
        CatalogGovernanceAPI(s: s).register(router.group("/api/v1"))
        SharingAPI(s: s).register(root: router, api: router.group("/api/v1"))
        Pages(s).register(router)
        return router
    }

    public static func build(services s: AppServices, logger: Logger,
                             onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
        Metrics.bootstrapOnce()
        var app = Application(
            router: router(s),
            configuration: .init(address: .hostname(s.config.host, port: s.config.port), serverName: "xuke"),
            onServerRunning: onServerRunning,
            logger: logger
        )
        if s.config.sweepMinutes > 0 { app.addServices(sweeper(s, logger: logger, interval: .seconds(s.config.sweepMinutes * 60))) }
        // Checked hourly by default, so the day's dumps appear soon after midnight in China; a day already written costs one read.
        if s.config.dumpHours > 0 {
            app.addServices(Periodic(name: "dumps", interval: .seconds(s.config.dumpHours * 3600), logger: logger) {
                let files = try await s.writeDumps()
                if !files.isEmpty { logger.info("dumps: \(files.count) files for \(files[0].day)") }
            })
        }
        if s.config.webhookSeconds > 0 {
            app.addServices(Periodic(name: "webhook delivery", interval: .seconds(s.config.webhookSeconds), logger: logger) {
                let r = try await s.deliverWebhooks()
                if r.failed + r.parked > 0 { logger.warning("webhooks: \(r.delivered) events delivered, \(r.failed) batches failed, \(r.parked) parked") }
            })
        }
        return app
    }
}

extension XukeApplication {
    /// Applies what deadlines do by themselves (deemed acceptance, deemed renewal, expiry, reminders) at start-up and then periodically.
    static func sweeper(_ s: AppServices, logger: Logger, interval: Duration) -> Periodic {
        Periodic(name: "sweep", interval: interval, logger: logger) {
            let r = try await s.sweep()
            try await s.foldDashboard()
            if r != AppServices.SweepReport() {
                logger.info("sweep: \(r.deemedAccepted.count) deemed accepted, \(r.deemedRenewed.count) deemed renewed, \(r.expired.count) expired")
            }
        }
    }
}

/// Prometheus metrics for the whole process (swift-metrics can be bootstrapped only once).
enum Metrics {
    static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    static func bootstrapOnce() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
}

/// Runs one job at start-up and then after every interval, logging failures and going on: the deadline sweep,
/// the daily dumps and webhook delivery each run as one of these.
struct Periodic: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let job: @Sendable () async throws -> Void

    func run() async throws {
        // A graceful shutdown cancels the wait; that is the job's end, not its failure.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await job()
                } catch where !Task.isCancelled {
                    logger.error("\(name) failed: \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
