import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import XukeApp
import XukeStorage
import XukeDomain

/// Runs a test against a fresh platform: on SQLite always, and again on PostgreSQL when
/// XUKE_TEST_DATABASE_URL is set (as `.ci/run` does).
enum Harness {
    static var backends: [String] {
        var list = ["sqlite"]
        if let url = ProcessInfo.processInfo.environment["XUKE_TEST_DATABASE_URL"], !url.isEmpty { list.append(url) }
        return list
    }

    static func run(configure: (inout AppConfig) -> Void = { _ in },
                    _ body: @escaping @Sendable (any TestClientProtocol, AppServices) async throws -> Void) async throws {
        for backend in backends {
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            var config = AppConfig()
            config.bcryptCost = 4
            config.tokenDays = 36_500  // tests move the platform clock by years,
            config.sessionHours = 876_000  // and signed-in browsers along with it
            config.port = 0
            config.metricsToken = "metrics-token-for-tests-0123456789abcdef"
            config.databaseMaxConnections = 4  // dozens of test databases share one PostgreSQL server at once
            config.sweepMinutes = 0  // tests sweep when they mean to
            config.webhookSeconds = 0  // and deliver webhooks and write dumps when they mean to
            config.dumpHours = 0
            config.allowLoopbackWebhooks = true  // the tests' receivers listen on 127.0.0.1
            config.webhookTimeout = .seconds(2)
            config.mailSeconds = 0  // and send mail when they mean to
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-test-\(UUID().uuidString)").path
            config.dataDirectory = dir
            let scratch = "xuke_test_\(UUID().uuidString.prefix(8).lowercased())"
            if backend != "sqlite" {
                config.databaseURL = try await Database.createScratchPostgres(from: backend, name: scratch, logger: logger)
            }
            configure(&config)
            let db = try await XukeApplication.prepareDatabase(config: config, logger: logger)
            do {
                let services = try await XukeApplication.services(config: config, db: db)
                let app = XukeApplication.build(services: services, logger: logger)
                try await app.test(.router) { client in try await body(client, services) }
                try await checkEventPayloads(db)
            } catch {
                await cleanup(db, dir, backend, scratch, logger)
                throw error
            }
            await cleanup(db, dir, backend, scratch, logger)
        }
    }

    /// Every event a test's requests recorded reads back as its type's payload and writes again unchanged: a payload
    /// property the snake_case round trip would lose (`reportUrl`, say) fails here, on every path the tests take.
    static func checkEventPayloads(_ db: Database) async throws {
        let events = try await db.read { try await Events.list($0, limit: 100_000) }
        for e in events {
            guard let type = EventType(rawValue: e.type) else { Issue.record("event \(e.id): unknown type \(e.type)"); continue }
            let normal = Events.normalized(e.payload, as: type.payloadType)
            #expect(normal == e.payload, "event \(e.id) (\(e.type)) does not round-trip as \(type.payloadType): \(e.payload.prefix(200))")
        }
    }

    static func cleanup(_ db: Database, _ dir: String, _ backend: String, _ scratch: String, _ logger: Logger) async {
        await db.shutdown()
        try? FileManager.default.removeItem(atPath: dir)
        if backend != "sqlite" { try? await Database.dropScratchPostgres(from: backend, name: scratch, logger: logger) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// A page shows no Swift leftovers ("nil", "Optional(") in the text a person reads, nor an error. Attribute
    /// values are left out: a random token may hold the letters "nil".
    var readsClean: Bool {
        text.range(of: #">[^<]*\bnil\b[^<]*<"#, options: .regularExpression) == nil && !text.contains("Optional(")
            && !text.contains(#"class="error""#)
    }

    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The stable code of a JSON error; nil for anything else (without recording an issue, unlike `json()`).
    /// The stable code of a JSON error, to compare with the catalog's members (codes compare by name).
    var errorCode: ErrorCode? {
        let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return ((object?["error"] as? [String: Any])?["code"] as? String).map { ErrorCode(rawValue: $0) }
    }

    /// The stable code an HTML error page carries in its data-code attribute.
    var pageErrorCode: ErrorCode? {
        guard let range = text.range(of: #"data-code=""#) else { return nil }
        return ErrorCode(rawValue: String(text[range.upperBound...].prefix { $0 != "\"" }))
    }
    var errorMessage: String? { ((try? json())?["error"] as? [String: Any])?["message"] as? String }

    /// Values of the Set-Cookie headers by cookie name.
    var cookies: [String: String] {
        var out: [String: String] = [:]
        for field in headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { out[String(pair[0])] = String(pair[1]) }
        }
        return out
    }
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers, body: nil)
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, json: String, token: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var h = headers
        h[.contentType] = "application/json"
        if let token { h[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: h, body: ByteBuffer(string: json))
    }

    func sendText(_ uri: String, _ text: String, token: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: [.contentType: "text/csv", .authorization: "Bearer \(token)"], body: ByteBuffer(string: text))
    }

    /// Creates a user through the service and returns an API token for it.
    func token(_ s: AppServices, username: String, role: String, jurisdiction: String? = nil, enterprise: String? = nil) async throws -> String {
        _ = try await s.createUser(username: username, displayName: username, password: "correct horse battery", role: role,
                                   jurisdiction: jurisdiction, enterpriseUSCC: enterprise)
        let r = try await send(.post, "/api/v1/auth/token", json: #"{"username":"\#(username)","password":"correct horse battery"}"#)
        #expect(r.status == .created)
        return try #require(try r.json()["token"] as? String)
    }

    /// Signs in through the login form as a browser would; returns the Cookie header to send afterwards.
    func browserSignIn(username: String, password: String) async throws -> (cookie: String, response: TestResponse) {
        let page = try await get("/login")
        let csrf = try #require(page.cookies["xuke_csrf"])
        let body = "_csrf=\(csrf)&next=%2Faccount&username=\(username)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        let r = try await execute(uri: "/login", method: .post,
                                  headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "xuke_csrf=\(csrf)"],
                                  body: ByteBuffer(string: body))
        let session = r.cookies["xuke_session"] ?? ""
        return ("xuke_csrf=\(csrf); xuke_session=\(session)", r)
    }
}

/// Fictitious but valid codes, per docs/DOMAIN.md §3.
enum Fixtures {
    static let beijing = "91110108MA83JN2N13"
    static let shanghai = "91310115MA11X9522T"
    static let shenzhen = "91440300MAHTRKJH63"

    static func enterprise(_ uscc: String, name: String, division: String, extra: String = "") -> String {
        #"{"uscc":"\#(uscc)","name":"\#(name)","domicile":"测试路1号","division_code":"\#(division)","legal_representative":"张三","production_addresses":[{"address":"工业园2号","division_code":"\#(division)"}]\#(extra)}"#
    }
}

/// A signed-in browser: its cookies and the form token its pages carry.
struct Browser {
    var cookie: String
    var csrf: String
}

extension TestClientProtocol {
    /// Signs in through the login form and reads the session's form token from a page.
    func browser(_ username: String, password: String = "correct horse battery") async throws -> Browser {
        let (cookie, _) = try await browserSignIn(username: username, password: password)
        let page = try await get("/account", headers: [.cookie: cookie])
        let csrf = try #require(page.text.range(of: #"name="_csrf" value=""#).map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) })
        return Browser(cookie: cookie, csrf: csrf)
    }

    /// Posts a form as the browser would, token included.
    func submit(_ path: String, _ fields: [(String, String)], _ who: Browser) async throws -> TestResponse {
        let body = ([("_csrf", who.csrf)] + fields).map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await execute(uri: path, method: .post, headers: [.cookie: who.cookie, .contentType: "application/x-www-form-urlencoded"],
                                 body: ByteBuffer(string: body))
    }
}
