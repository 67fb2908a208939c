import Hummingbird
import HTTPTypes
import XukeDomain
import XukeStorage
import XukeTrust
import Foundation
import Logging

/// Security headers on every response.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// On when the platform is served over HTTPS (`XUKE_PUBLIC_URL` is https).
    var hsts = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name.xFrameOptions] = "DENY"
        response.headers[HTTPField.Name.referrerPolicy] = "same-origin"
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        if hsts { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!
    static let forwarded = HTTPField.Name("Forwarded")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

/// Picks the language: `?lang=` (remembered in a cookie), then the cookie, then Accept-Language; Chinese by default.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var remember: Language? = nil
        if let q = request.uri.queryParameters.get("lang"), let l = Language(rawValue: q) {
            context.language = l
            remember = l
        } else if let c = request.cookies["xuke_lang"], let l = Language(rawValue: c.value) {
            context.language = l
        } else if let accept = request.headers[.acceptLanguage] {
            context.language = LanguageMiddleware.fromAcceptLanguage(accept)
        }
        var response = try await next(request, context)
        if let remember {
            response.setCookie(Cookie(name: "xuke_lang", value: remember.rawValue, maxAge: 365 * 86400, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// The first of zh or en the header lists with a non-zero weight, in the order of preference.
    static func fromAcceptLanguage(_ header: String) -> Language {
        var best: (Language, Double)? = nil
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            let lang: Language? = tag.hasPrefix("zh") ? .zh : tag.hasPrefix("en") ? .en : nil
            if let lang, q > 0, q > (best?.1 ?? -1) { best = (lang, q) }
        }
        return best?.0 ?? .zh
    }
}

/// Finds who is asking (session cookie or bearer token; where from, `RequestLogMiddleware` has worked out), and hands
/// out the form token anonymous forms carry. `PolicyMiddleware` then decides what they may do.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let db: Database
    let config: AppConfig
    let clock: PlatformClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var newAnonymousToken: String? = nil

        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            let token = String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            if request.uri.path == "/metrics", !config.metricsToken.isEmpty, Secrets.constantTimeEqual(token, config.metricsToken) {
                context.metricsToken = true
                return try await next(request, context)
            }
            let now = clock.stamp
            guard token.utf8.count <= 256,
                  let user = try await db.read({ try await UserStore.userForToken($0, tokenHash: Secrets.hash(token), now: now) }) else {
                throw AppError(.auth.badToken)
            }
            context.user = user
            context.viaBearer = true
        } else if let cookie = request.cookies["xuke_session"], cookie.value.utf8.count <= 256 {
            let hash = Secrets.hash(cookie.value)
            let now = clock.stamp
            if let (user, csrf) = try await db.read({ try await UserStore.session($0, tokenHash: hash, now: now) }) {
                context.user = user
                context.csrfToken = csrf
                context.sessionHash = hash
            }
        }
        // Forms need a CSRF token before sign-in; JSON API calls without a session never post a form.
        let isAPI = request.uri.path.hasPrefix("/api/")
        if (context.user == nil || context.viaBearer) && !isAPI {
            if let c = request.cookies["xuke_csrf"], (32...256).contains(c.value.utf8.count) {
                context.csrfToken = c.value
            } else {
                newAnonymousToken = Secrets.token()
                context.csrfToken = newAnonymousToken!
            }
        }

        var response = try await next(request, context)
        if let newAnonymousToken {
            response.setCookie(Cookie(name: "xuke_csrf", value: newAnonymousToken, path: "/", secure: config.secureCookies, httpOnly: true, sameSite: .strict))
        }
        return response
    }
}

/// Turns every error into a response in the caller's language: JSON under /api, an HTML page elsewhere.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: Renderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let isAPI = MachineEndpoints.isMachine(request.uri.path)
            guard let e = AppError.from(error) else {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
                let internalError = AppError(.general.`internal`)
                return isAPI ? apiResponse(internalError, context.language) : renderer.error(internalError, context: context)
            }
            // The database refused or was away: the client is told a code, the log keeps the constraint or cause.
            if e.code.rawValue.hasPrefix("db.") {
                context.logger.warning("database refused the request", metadata: ["code": "\(e.code)", "error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            if !isAPI, e.status == .unauthorized, request.method == .get {
                let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                let target = "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
                return Response(status: .seeOther, headers: [.location: target])
            }
            return isAPI ? apiResponse(e, context.language) : renderer.error(e, context: context)
        }
    }

    func apiResponse(_ e: AppError, _ lang: Language) -> Response {
        struct Body: Encodable {
            struct Problem: Encodable { var line: Int; var message: String }
            struct Inner: Encodable { var code: String; var message: String; var problems: [Problem]? }
            var error: Inner
        }
        let body = Body(error: .init(code: e.code.rawValue, message: e.message.text(for: lang),
                                     problems: e.problems.isEmpty ? nil : e.problems.map { .init(line: $0.line, message: $0.message.text(for: lang)) }))
        let data = (try? AppJSON.responseEncoder.encode(body)) ?? Data()
        var headers = e.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLanguage] = lang == .zh ? "zh-CN" : "en"
        return Response(status: e.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Random tokens and their stored hashes.
enum Secrets {
    static func token() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Base64URL.encode(bytes)
    }

    static func hash(_ token: String) -> String {
        sha256Hex(Data(token.utf8))
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The routes whose path is itself a secret (a password reset, an address confirmation): never traced, always
/// read from the primary.
enum OneTimeLinks {
    static let prefixes = ["/reset/", "/account/email/confirm/", "/api/v1/email-confirmations/"]
    static func contains(_ path: String) -> Bool { prefixes.contains(where: path.hasPrefix) }
}

/// Sends the reads of public, anonymous GET requests (and of the change feed, which reads only what others wrote)
/// to the read replica; everything a signed-in user does reads from the primary, so they always see their own writes.
struct ReplicaReadMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // One-time links are read from the primary: one mailed a moment ago must work at once.
        guard request.method == .get || request.method == .head, path != "/healthz", path != "/metrics", !OneTimeLinks.contains(path),
              context.user == nil || path == "/api/v1/feed" else { return try await next(request, context) }
        return try await ReadRouting.$replicaAllowed.withValue(true) { try await next(request, context) }
    }
}
