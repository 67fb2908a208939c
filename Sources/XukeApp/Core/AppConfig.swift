public import Foundation
import XukeDomain

/// Settings, read from `XUKE_*` environment variables. Every one has a default that works on a laptop.
public struct AppConfig: Sendable {
    public var dataDirectory: String = "./xuke-data"
    /// `sqlite:///path` or `postgres://…`; empty means a SQLite file in the data directory.
    public var databaseURL: String = ""
    /// A streaming replica of the PostgreSQL database for public, anonymous reads; empty means none.
    public var databaseReadURL: String = ""
    /// PostgreSQL connections this server may hold open at once; idle ones close after two minutes.
    public var databaseMaxConnections: Int = 16
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// bcrypt work factor; tests lower it to stay fast.
    public var bcryptCost: UInt8 = 12
    /// Set when served over HTTPS, so cookies carry the Secure attribute.
    public var secureCookies: Bool = false
    public var sessionHours: Int = 12
    public var loginWindowMinutes: Int = 15
    /// Largest request body accepted (CSV imports are the largest).
    public var maxBodyBytes: Int = 4 * 1024 * 1024
    /// Minutes between deadline sweeps (deemed acceptance, deemed renewal, expiry); 0 turns the sweeper off.
    public var sweepMinutes: Int = 60
    /// Private signing keys, one 0600 file each; empty means `keys` in the data directory.
    public var keysDirectory: String = ""
    /// The public log's name, the first line of every checkpoint and the name of its signing key.
    public var logOrigin: String = "xuke.localhost/log"
    /// Where the public reaches this platform; status-list URIs inside credentials are built on it.
    public var publicURL: String = ""
    /// Public query and verify requests allowed per client address per minute.
    public var publicRatePerMinute: Int = 120
    /// Hours an enterprise has to report a quality-safety accident; a later report is flagged late.
    public var accidentReportHours: Int = 24
    /// Hours between checks for the day's public dumps (written once a day); 0 turns dumps off.
    public var dumpHours: Int = 1
    /// Seconds between webhook delivery rounds; 0 turns delivery off.
    public var webhookSeconds: Int = 10
    /// How long one webhook POST may take, connecting included (a receiver that refuses connections is retried until then).
    public var webhookTimeout: Duration = .seconds(10)
    /// Reverse proxies whose `Forwarded`/`X-Forwarded-For` name the real client (addresses or CIDR ranges).
    var trustedProxies: [IPRange] = []
    /// The header those proxies write the client into.
    var forwardedHeader: ClientAddress.Header = .xForwardedFor
    /// Who may read `/metrics`: these client addresses, or whoever sends the metrics token as a bearer token.
    var metricsAllow: [IPRange] = IPRange.loopback
    var metricsToken: String = ""
    /// Days an API token lives.
    public var tokenDays: Int = 90
    /// Webhooks may name loopback addresses (tests and a receiver on the same machine); private ranges stay refused.
    public var allowLoopbackWebhooks: Bool = false
    /// Sign-in failures free of delay, per account from one address and per address; after them each failure doubles the wait.
    public var loginFreeFailures: Int = 5
    /// The longest wait imposed on one account from one address, or on one address.
    public var loginMaxDelaySeconds: Int = 900
    /// Where uploads and dumps are kept: the data directory (one server) or the database (several).
    var blobKind: BlobKind = .directory
    /// An OTLP/HTTP collector (`http://host:4318`) that receives a trace of every request; empty means none.
    var otelEndpoint: String = ""
    /// Where mail is handed over (`smtp://`, `smtp+starttls://`, `smtps://`); empty keeps mail in the outbox.
    var smtpURL: String = ""
    /// The sender of the platform's mail.
    var mailFrom: String = "noreply@xuke.localhost"
    /// Whether an enterprise's self-registration is approved without an officer when its name and legal
    /// representative match the register and the enterprise has no account yet.
    public var signupAutoApprove: Bool = false
    /// The Chromium that prints documents to PDF; empty finds `chromium` on the PATH (none: no PDF, pages still print).
    var chromiumPath: String = ""
    /// PEM certificates trusted for the SMTP server instead of the system's (a private CA, or the tests' own).
    var smtpCAFile: String = ""
    /// Seconds between rounds of the mail worker; 0 turns it off.
    var mailSeconds: Int = 10
    /// Hours an organiser has, once a plan's beacon value stands, to reveal the secret before the plan is forfeited.
    public var revealHours: Int = 72

    public init() {}

    /// True when the public URL is https: cookies are Secure and responses carry HSTS.
    public var servedOverHTTPS: Bool { publicURL.lowercased().hasPrefix("https://") }

    public static let variables: [(name: String, meaning: String)] = [
        ("XUKE_CONFIG_FILE", "a JSON file of settings, by name without XUKE_ in lower case with dashes; the environment wins (default none)"),
        ("XUKE_DATA_DIR", "data directory (default ./xuke-data)"),
        ("XUKE_DATABASE_URL", "postgres://user:pass@host:port/db or sqlite:///path (default: SQLite file in the data directory)"),
        ("XUKE_DATABASE_READ_URL", "a streaming replica (postgres://…) for public, anonymous reads: queries, licence pages, status lists, dumps, the feed; signed-in users read from the primary (default none)"),
        ("XUKE_DB_MAX_CONNECTIONS", "PostgreSQL connections this server may hold open at once (as many again to a read replica); a request waits at most 5 s for one; idle ones close after 2 minutes (default 16)"),
        ("XUKE_HOST", "address to listen on (default 127.0.0.1)"),
        ("XUKE_METRICS_ALLOW", "client addresses or CIDR ranges that may read /metrics (default 127.0.0.0/8, ::1)"),
        ("XUKE_METRICS_TOKEN", "a bearer token (32 characters or more) that may read /metrics from anywhere (default none)"),
        ("XUKE_PORT", "port (default 8080)"),
        ("XUKE_BCRYPT_COST", "bcrypt cost, 4–31 (default 12)"),
        ("XUKE_SECURE_COOKIES", "true behind HTTPS (default false)"),
        ("XUKE_SESSION_HOURS", "session lifetime in hours (default 12)"),
        ("XUKE_LOGIN_MAX_FAILURES", "sign-in failures without delay, per account and address (default 5); each further one doubles the wait"),
        ("XUKE_LOGIN_WINDOW_MINUTES", "minutes after which failures are forgotten (default 15)"),
        ("XUKE_LOGIN_MAX_DELAY_SECONDS", "longest wait imposed after repeated failures (default 900)"),
        ("XUKE_SWEEP_MINUTES", "minutes between deadline sweeps, 0 = off (default 60)"),
        ("XUKE_KEYS_DIR", "directory of the private signing keys, files mode 0600 (default <data dir>/keys)"),
        ("XUKE_LOG_ORIGIN", "origin line of the transparency log's checkpoints (default xuke.localhost/log)"),
        ("XUKE_PUBLIC_URL", "public base URL, used in credentials' status-list URIs (default http://<host>:<port>)"),
        ("XUKE_PUBLIC_RATE", "public query and verify requests per client address per minute (default 120)"),
        ("XUKE_ACCIDENT_HOURS", "hours to report a quality-safety accident before it counts as late (default 24)"),
        ("XUKE_DUMP_HOURS", "hours between checks for the day's public dumps, 0 = off (default 1)"),
        ("XUKE_WEBHOOK_SECONDS", "seconds between webhook delivery rounds, 0 = off (default 10)"),
        ("XUKE_TRUSTED_PROXIES", "reverse proxies (addresses or CIDR ranges, comma-separated) whose Forwarded/X-Forwarded-For is believed (default none)"),
        ("XUKE_FORWARDED_HEADER", "x-forwarded-for or forwarded: the one header the trusted proxies write the client into (default x-forwarded-for)"),
        ("XUKE_TOKEN_DAYS", "days an API token lives (default 90)"),
        ("XUKE_REVEAL_HOURS", "hours to reveal a spot-check secret once the beacon value stands, before the plan is forfeited (default 72)"),
        ("XUKE_BLOBS", "where uploads and daily dumps are kept: directory (under the data directory; one server) or database (chunked, for several servers); move them with `xuke blobs migrate` (default directory)"),
        ("XUKE_OTEL_ENDPOINT", "an OpenTelemetry collector's OTLP/HTTP address (http://host:4318); every request is traced to it (default none)"),
        ("XUKE_SMTP_URL", "where mail is handed over: smtp://host[:25] (clear, a local or trusted relay), smtp+starttls://user:pass@host[:587] or smtps://user:pass@host[:465]; unset keeps mail in the outbox (default unset)"),
        ("XUKE_SMTP_CA_FILE", "PEM file of the certificates trusted for the SMTP server's TLS, instead of the system's (default: system roots)"),
        ("XUKE_MAIL_FROM", "sender address of the platform's mail (default noreply@xuke.localhost)"),
        ("XUKE_CHROMIUM", "the Chromium binary that prints official documents to PDF (default: chromium or chromium-browser on the PATH; none: no PDF)"),
        ("XUKE_SIGNUP_AUTO_APPROVE", "true: a self-registration matching the register (name, legal representative) of an enterprise without accounts needs no officer (default false)"),
        ("XUKE_MAIL_SECONDS", "seconds between rounds of the mail worker, 0 = off (default 10)"),
        ("XUKE_WEBHOOK_ALLOW_LOOPBACK", "true lets webhooks name loopback addresses, for tests (default false)"),
    ]

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var c = AppConfig()
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = env[key], !text.isEmpty else { return nil }
            guard let v = Int(text), range.contains(v) else { throw ConfigError(variable: key, value: text) }
            return v
        }
        if let v = env["XUKE_DATA_DIR"], !v.isEmpty { c.dataDirectory = v }
        if let v = env["XUKE_DATABASE_URL"] { c.databaseURL = v }
        if let v = env["XUKE_DATABASE_READ_URL"], !v.isEmpty {
            guard v.hasPrefix("postgres"), c.databaseURL.hasPrefix("postgres") else {
                throw ConfigError(variable: "XUKE_DATABASE_READ_URL", value: "a replica needs XUKE_DATABASE_URL and itself to be postgres:// URLs")
            }
            c.databaseReadURL = v
        }
        if let v = try int("XUKE_DB_MAX_CONNECTIONS", 1...10_000) { c.databaseMaxConnections = v }
        if let v = env["XUKE_HOST"], !v.isEmpty { c.host = v }
        if let v = try int("XUKE_PORT", 0...65535) { c.port = v }
        if let v = try int("XUKE_BCRYPT_COST", 4...31) { c.bcryptCost = UInt8(v) }
        if let v = try int("XUKE_SESSION_HOURS", 1...720) { c.sessionHours = v }
        if let v = try int("XUKE_LOGIN_MAX_FAILURES", 1...1000) { c.loginFreeFailures = v }
        if let v = try int("XUKE_LOGIN_MAX_DELAY_SECONDS", 1...86400) { c.loginMaxDelaySeconds = v }
        if let v = try int("XUKE_TOKEN_DAYS", 1...3650) { c.tokenDays = v }
        if let v = try int("XUKE_REVEAL_HOURS", 1...720) { c.revealHours = v }
        if let v = env["XUKE_WEBHOOK_ALLOW_LOOPBACK"] { c.allowLoopbackWebhooks = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = env["XUKE_TRUSTED_PROXIES"], !v.isEmpty {
            guard let list = IPRange.list(v) else { throw ConfigError(variable: "XUKE_TRUSTED_PROXIES", value: v) }
            c.trustedProxies = list
        }
        if let v = env["XUKE_METRICS_ALLOW"] {
            guard let list = IPRange.list(v) else { throw ConfigError(variable: "XUKE_METRICS_ALLOW", value: v) }
            c.metricsAllow = list
        }
        if let v = env["XUKE_METRICS_TOKEN"], !v.isEmpty {
            guard (32...256).contains(v.utf8.count), v.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ConfigError(variable: "XUKE_METRICS_TOKEN", value: "(\(v.utf8.count) characters)")
            }
            c.metricsToken = v
        }
        if let v = env["XUKE_FORWARDED_HEADER"], !v.isEmpty {
            guard let h = ClientAddress.Header(rawValue: v.lowercased()) else { throw ConfigError(variable: "XUKE_FORWARDED_HEADER", value: v) }
            c.forwardedHeader = h
        }
        if let v = try int("XUKE_LOGIN_WINDOW_MINUTES", 1...1440) { c.loginWindowMinutes = v }
        if let v = try int("XUKE_SWEEP_MINUTES", 0...1440) { c.sweepMinutes = v }
        if let v = try int("XUKE_PUBLIC_RATE", 1...100_000_000) { c.publicRatePerMinute = v }
        if let v = try int("XUKE_ACCIDENT_HOURS", 1...720) { c.accidentReportHours = v }
        if let v = try int("XUKE_WEBHOOK_SECONDS", 0...3600) { c.webhookSeconds = v }
        if let v = try int("XUKE_DUMP_HOURS", 0...24) { c.dumpHours = v }
        if let v = env["XUKE_SMTP_URL"], !v.isEmpty {
            guard SMTPEndpoint(url: v) != nil else { throw ConfigError(variable: "XUKE_SMTP_URL", value: SMTPEndpoint.redacted(v)) }
            c.smtpURL = v
        }
        if let v = env["XUKE_BLOBS"], !v.isEmpty {
            guard let kind = BlobKind(rawValue: v.lowercased()) else { throw ConfigError(variable: "XUKE_BLOBS", value: v) }
            c.blobKind = kind
        }
        if let v = env["XUKE_OTEL_ENDPOINT"], !v.isEmpty {
            guard let u = URLComponents(string: v), ["http", "https"].contains(u.scheme ?? ""), u.host?.isEmpty == false else {
                throw ConfigError(variable: "XUKE_OTEL_ENDPOINT", value: v)
            }
            c.otelEndpoint = v
        }
        if let v = env["XUKE_SMTP_CA_FILE"], !v.isEmpty { c.smtpCAFile = v }
        if let v = env["XUKE_MAIL_FROM"], !v.isEmpty {
            guard EmailAddress(v) != nil else { throw ConfigError(variable: "XUKE_MAIL_FROM", value: v) }
            c.mailFrom = v
        }
        if let v = try int("XUKE_MAIL_SECONDS", 0...3600) { c.mailSeconds = v }
        if let v = env["XUKE_CHROMIUM"], !v.isEmpty { c.chromiumPath = v }
        if let v = env["XUKE_SIGNUP_AUTO_APPROVE"], !v.isEmpty {
            guard let on = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][v.lowercased()] else {
                throw ConfigError(variable: "XUKE_SIGNUP_AUTO_APPROVE", value: v)
            }
            c.signupAutoApprove = on
        }
        if let v = env["XUKE_KEYS_DIR"], !v.isEmpty { c.keysDirectory = v }
        if let v = env["XUKE_LOG_ORIGIN"], !v.isEmpty {
            guard !v.contains("+"), !v.contains(where: \.isWhitespace) else { throw ConfigError(variable: "XUKE_LOG_ORIGIN", value: v) }
            c.logOrigin = v
        }
        if let v = env["XUKE_PUBLIC_URL"], !v.isEmpty {
            guard v.hasPrefix("http://") || v.hasPrefix("https://") else { throw ConfigError(variable: "XUKE_PUBLIC_URL", value: v) }
            c.publicURL = String(v.reversed().drop { $0 == "/" }.reversed())
        }
        // Served over HTTPS, cookies are Secure unless explicitly turned off.
        c.secureCookies = c.servedOverHTTPS
        if let v = env["XUKE_SECURE_COOKIES"], !v.isEmpty { c.secureCookies = ["1", "true", "yes"].contains(v.lowercased()) }
        return c
    }

    public var effectiveKeysDirectory: String {
        keysDirectory.isEmpty ? (dataDirectory as NSString).appendingPathComponent("keys") : keysDirectory
    }

    public var effectivePublicURL: String { publicURL.isEmpty ? "http://\(host):\(port)" : publicURL }

    public var effectiveDatabaseURL: String {
        databaseURL.isEmpty ? "sqlite://" + (dataDirectory as NSString).appendingPathComponent("xuke.sqlite") : databaseURL
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var variable: String
    public var value: String
    public var description: String { "invalid value for \(variable): \(value)" }
}
