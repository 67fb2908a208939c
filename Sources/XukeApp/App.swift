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

/// The composition root: the shared pieces, built once at start-up, and one service per area, each given only
/// what it uses. Routes receive the services of their area; the sweep and the demo, which span areas, live here.
public struct AppServices: Sendable {
    public let config: AppConfig
    public let db: Database
    public let messages: Messages
    let renderer: Renderer
    let places: Places
    /// The platform's time; tests move it to drive statutory clocks.
    public let clock: PlatformClock
    /// Keys, credentials, status lists and the public log.
    public let transparency: Transparency
    /// Public query and verification, per client address.
    let publicLimiter: RateLimiter
    /// This server's name on the leases of periodic jobs.
    let lease: JobLease

    /// Uploads and dumps: the data directory, or the database for a cluster.
    let blobs: any BlobStore
    let uploads: UploadService
    /// Official documents to PDF, where Chromium is installed.
    let printer: PDFPrinter
    let mail: MailService
    let accounts: AccountService
    let registrations: RegistrationService
    let catalog: CatalogService
    let licensing: LicensingService
    let supervision: SupervisionService
    let duties: DutiesService
    let institutions: InstitutionsService
    let sharing: SharingService
    public let trust: TrustService

    init(config: AppConfig, db: Database, messages: Messages, renderer: Renderer, places: Places, dummyHash: String,
         clock: PlatformClock, transparency: Transparency) {
        self.config = config
        self.db = db
        self.messages = messages
        self.renderer = renderer
        self.places = places
        self.clock = clock
        self.transparency = transparency
        publicLimiter = RateLimiter(perMinute: config.publicRatePerMinute, clock: clock)
        lease = JobLease(db: db, clock: clock, holder: JobLease.holderName())
        let notifier = Notifier(messages: messages, publicURL: config.effectivePublicURL)
        accounts = AccountService(db: db, clock: clock, config: config, places: places, dummyHash: dummyHash, signInGates: SignInGates(), notifier: notifier)
        blobs = config.blobStore(db, clock: clock)
        uploads = UploadService(db: db, clock: clock, blobs: blobs)
        printer = PDFPrinter(configured: config.chromiumPath)
        registrations = RegistrationService(db: db, clock: clock, config: config, places: places, accounts: accounts, blobs: blobs, notifier: notifier)
        mail = MailService(db: db, clock: clock, config: config, smtp: config.smtpClient)
        licensing = LicensingService(db: db, clock: clock, config: config, places: places, uploads: uploads, notifier: notifier, transparency: transparency)
        catalog = CatalogService(db: db, clock: clock, config: config, places: places, licensing: licensing)
        supervision = SupervisionService(db: db, clock: clock, config: config, places: places, uploads: uploads, transparency: transparency, licensing: licensing)
        duties = DutiesService(db: db, clock: clock, config: config, places: places, notifier: notifier, supervision: supervision)
        institutions = InstitutionsService(db: db, clock: clock, config: config, places: places, notifier: notifier, supervision: supervision)
        sharing = SharingService(db: db, clock: clock, config: config, accounts: accounts, blobs: blobs)
        trust = TrustService(db: db, clock: clock, config: config, places: places, transparency: transparency,
                             verifyCache: VerifyCache(), renders: RenderCache(capacity: 2000))
    }

    // What the command line and the benchmarks drive directly, without HTTP.

    public func createToken(for user: User, name: String) async throws -> (String, UserStore.APIToken) {
        try await accounts.createToken(for: user, name: name)
    }

    public func foldDashboard() async throws -> Int { try await catalog.foldDashboard() }

    /// `xuke import enterprises`: as the administrator; answers rows, imported, and the encoding found.
    public func importEnterprises(_ data: Data, dryRun: Bool) async throws -> (rows: Int, imported: Int, encoding: String) {
        let r = try await accounts.importEnterprises(data, dryRun: dryRun, by: Self.importer, actor: "cli")
        return (r.rows, r.imported, r.encoding.rawValue)
    }

    /// `xuke import licenses`: as the administrator; answers the rows, the licences made, how many had ended, and
    /// the licences merged from several rows (number and the numbers it replaced).
    public func importLicenses(_ data: Data, dryRun: Bool) async throws -> (rows: Int, licenses: Int, expired: Int, imported: Int, encoding: String, merged: [(String, [String])]) {
        let r = try await licensing.importLicenses(data, dryRun: dryRun, by: Self.importer, actor: "cli")
        return (r.rows, r.licenses, r.expired, r.imported, r.encoding.rawValue, r.merged.map { ($0.number, $0.replaces) })
    }

    static let importer = User(id: 0, username: "cli", displayName: "xuke import", role: .administrator, jurisdiction: nil, enterpriseUSCC: nil, disabled: false)

    public func createUser(username: String, displayName: String, password: String, role: String,
                           jurisdiction: String?, enterpriseUSCC: String?) async throws -> User {
        try await accounts.createUser(username: username, displayName: displayName, password: password, role: role,
                                      jurisdiction: jurisdiction, enterpriseUSCC: enterpriseUSCC)
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
        let db = try await Database.open(url: config.effectiveDatabaseURL, maxConnections: config.databaseMaxConnections, logger: logger)
        do {
            for m in try await db.migrate(at: clock.stamp) { progress("migrated \(m)") }
            try await db.write { try await UserStore.dateLegacyTokens($0, days: config.tokenDays, now: clock.now()) }
            try await ShippedData.load(into: db, at: clock.stamp, progress: progress)
            if !config.databaseReadURL.isEmpty {
                return try await db.withReplica(url: config.databaseReadURL, maxConnections: config.databaseMaxConnections)
            }
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
        let transparency = try await Transparency.open(config: config, clock: clock, db: db)
        try await transparency.checkIssuerKeys(db)
        return AppServices(config: config, db: db, messages: messages, renderer: renderer,
                           places: Places(divisions: Dictionary(uniqueKeysWithValues: divisions.map { ($0.code, $0) })), dummyHash: dummy,
                           clock: clock, transparency: transparency)
    }

    public static func router(_ s: AppServices) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        if !s.config.otelEndpoint.isEmpty {
            // Outermost, so a request's span covers everything; what people search for stays out of it.
            router.add(middleware: TracedMiddleware())
        }
        router.add(middleware: SecurityHeadersMiddleware(hsts: s.config.servedOverHTTPS))
        router.add(middleware: CORSMiddleware())
        router.add(middleware: RequestLogMiddleware(config: s.config))
        router.add(middleware: LanguageMiddleware())
        router.add(middleware: ErrorMiddleware(renderer: s.renderer))
        router.add(middleware: AuthMiddleware(db: s.db, config: s.config, clock: s.clock))
        if s.db.replica != nil { router.add(middleware: ReplicaReadMiddleware()) }
        router.add(middleware: PolicyMiddleware(limiter: s.publicLimiter))
        SystemRoutes(db: s.db, config: s.config).register(router)
        let api = router.group("/api/v1")
        CatalogAPI(s: s.catalog).register(api)
        CatalogGovernanceAPI(s: s.catalog).register(api)
        AccountAPI(s: s.accounts).register(api)
        RegistrationAPI(s: s.registrations).register(api)
        LicensingAPI(s: s.licensing, uploads: s.uploads).register(api)
        TrustAPI(s: s.trust).register(root: router, api: api)
        SupervisionAPI(s: s.supervision).register(api)
        DutiesAPI(s: s.duties, supervision: s.supervision).register(api)
        InstitutionsAPI(s: s.institutions).register(api)
        SharingAPI(s: s.sharing).register(root: router, api: api)
        PlatformAPI(s: s).register(api)
        MailAPI(s: s.mail).register(api)
        DocumentPages(s: s.licensing, printer: s.printer, blobs: s.blobs, renderer: s.renderer).register(router, api: api)
        Pages(s: s).register(router)
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
        do {
            if let tracing = try Tracing.bootstrap(config: s.config) {
                app.addServices(tracing)
                let c = URLComponents(string: s.config.otelEndpoint)
                logger.notice("tracing: every request is traced to \(c?.scheme ?? "")://\(c?.host ?? ""):\(c?.port.map(String.init) ?? "") (OTLP/HTTP)")
            }
        } catch {
            logger.error("tracing: XUKE_OTEL_ENDPOINT is set but the exporter could not start; running without traces: \(error)")
        }
        if s.config.sweepMinutes > 0 { app.addServices(sweeper(s, logger: logger, interval: .seconds(s.config.sweepMinutes * 60))) }
        // Several servers can share a PostgreSQL database, and then one client's budget: each server adds its counts
        // every second. One SQLite file has one server, which counts alone.
        if s.db.replica != nil {
            // Every server judges for itself whether its replica is fresh enough to answer the public.
            app.addServices(Periodic(name: "replica check", interval: .seconds(5), logger: logger) { await s.db.checkReplica() })
        }
        if s.db.kind == .postgres {
            app.addServices(Periodic(name: "rate sharing", interval: .seconds(1), logger: logger) { try await s.publicLimiter.share(s.db) })
        }
        // Checked hourly by default, so the day's dumps appear soon after midnight in China; a day already written costs one read.
        if s.config.dumpHours > 0 {
            app.addServices(Periodic(name: "dumps", interval: .seconds(s.config.dumpHours * 3600), logger: logger, lease: s.lease) {
                let files = try await s.sharing.writeDumps()
                if !files.isEmpty { logger.info("dumps: \(files.count) files for \(files[0].day)") }
            })
        }
        if s.mail.smtp == nil {
            logger.notice("mail: XUKE_SMTP_URL is not set; messages wait in the outbox until it is")
        } else if s.config.mailSeconds > 0 {
            app.addServices(Periodic(name: "mail", interval: .seconds(s.config.mailSeconds), logger: logger, lease: s.lease) {
                let r = try await s.mail.deliver()
                if r.retried + r.dead + r.postponed > 0 {
                    logger.warning("mail: \(r.sent) sent, \(r.retried) to retry, \(r.dead) dead, \(r.postponed) waiting for the SMTP server")
                }
            })
        }
        if s.config.webhookSeconds > 0 {
            app.addServices(Periodic(name: "webhook delivery", interval: .seconds(s.config.webhookSeconds), logger: logger, lease: s.lease) {
                let r = try await s.sharing.deliverWebhooks()
                PlatformMetrics.webhooks(delivered: r.delivered, failed: r.failed, parked: r.parked)
                if r.failed + r.parked > 0 { logger.warning("webhooks: \(r.delivered) events delivered, \(r.failed) batches failed, \(r.parked) parked") }
            })
        }
        return app
    }
}

extension XukeApplication {
    /// Applies what deadlines do by themselves (deemed acceptance, deemed renewal, expiry, reminders) at start-up and then periodically.
    static func sweeper(_ s: AppServices, logger: Logger, interval: Duration) -> Periodic {
        Periodic(name: "sweep", interval: interval, logger: logger, lease: s.lease) {
            let r = try await s.sweep()
            PlatformMetrics.swept("deemed_accepted", r.deemedAccepted.count)
            PlatformMetrics.swept("deemed_renewed", r.deemedRenewed.count)
            PlatformMetrics.swept("expired", r.expired.count)
            try await s.catalog.foldDashboard()
            if r != AppServices.SweepReport() {
                logger.info("sweep: \(r.deemedAccepted.count) deemed accepted, \(r.deemedRenewed.count) deemed renewed, \(r.expired.count) expired")
            }
        }
    }
}

/// Prometheus metrics for the whole process (swift-metrics can be bootstrapped only once).
enum Metrics {
    static var registry: PrometheusCollectorRegistry { PlatformMetrics.registry }
    private static let bootstrapped = Mutex(false)

    static func bootstrapOnce() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
}

