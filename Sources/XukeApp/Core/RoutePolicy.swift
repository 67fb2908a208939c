import Hummingbird
import HTTPTypes
import NIOCore
import XukeDomain
import XukeStorage
import Logging
import Foundation

/// Who may call a route and how large a body it takes. Every route of the router has one entry in
/// `RoutePolicies.table`; `PolicyMiddleware` applies it before a byte of the body is read, and the authorization
/// matrix test walks the router's own route table against it.
struct RoutePolicy: Sendable, Equatable {
    enum Access: Sendable, Equatable {
        /// Public by design, signed in or not.
        case anyone
        /// Any signed-in account; the handler narrows further by jurisdiction or ownership.
        case signedIn
        /// Signed in with one of these roles.
        case roles(Set<Role>)
        /// National registers (bans, CCC, catalog drafts): administrators and officers of the national authority.
        case national
    }

    var access: Access
    /// The largest body the route reads, enforced while the body streams.
    var maxBody: Int
    /// Costs more than an index look-up: counted against the caller's per-minute allowance (`XUKE_PUBLIC_RATE`).
    var limited = false

    /// The same policy, counted against the per-minute allowance.
    var rateLimited: RoutePolicy {
        var p = self
        p.limited = true
        return p
    }

    static let kib = 1024
    static let mib = 1024 * 1024

    /// Anonymous forms and queries are small (a report is the largest, 32 KiB of JSON).
    static func anyone(_ maxBody: Int = 64 * kib) -> RoutePolicy { RoutePolicy(access: .anyone, maxBody: maxBody) }
    /// Signed-in JSON and forms reach 512 KiB (a spot-check plan); files and imports declare more.
    static func signedIn(_ maxBody: Int = mib) -> RoutePolicy { RoutePolicy(access: .signedIn, maxBody: maxBody) }
    static func only(_ roles: Role..., maxBody: Int = mib) -> RoutePolicy { RoutePolicy(access: .roles(Set(roles)), maxBody: maxBody) }
    static func national(maxBody: Int = mib) -> RoutePolicy { RoutePolicy(access: .national, maxBody: maxBody) }

    func admits(_ user: User?) -> Bool { admits(role: user?.role, national: user?.jurisdiction == nil) }

    /// Whether a caller of this role (nil: anonymous) passes; `national` says an officer has no division.
    func admits(role: Role?, national: Bool) -> Bool {
        switch access {
        case .anyone: true
        case .signedIn: role != nil
        case .roles(let roles): role.map { roles.contains($0) } ?? false
        case .national: role == .administrator || (role == .officer && national)
        }
    }

    /// What a caller the policy does not admit is told: sign in first, or this role may not.
    func refusal(for user: User?) -> AppError {
        guard let user else { return AppError(.auth.required) }
        if access == .national, user.role == .officer {
            return AppError(.registry.nationalOnly)
        }
        return AppError.roleForbidden
    }
}

/// Applies each route's declared policy: the caller's role first, then the declared body size while the body
/// streams, then the CSRF token (from the header, or the form's first field, before the rest is read). A multipart
/// form is parsed once here, after the token matched.
struct PolicyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // No route matched: the router answers 404 itself. A route the router has that the table lacks is refused.
        guard let path = context.endpointPath else { return try await next(request, context) }
        guard let policy = RoutePolicies.policy(request.method == .head ? .get : request.method, path) else {
            context.logger.error("route without a declared policy", metadata: ["route": "\(request.method) \(path)"])
            throw AppError(.route.undeclared)
        }
        guard policy.admits(context.user) else { throw policy.refusal(for: context.user) }
        // Signed-in callers count on their own account, so colleagues behind one office address do not share.
        if policy.limited { try limiter.check(context.user.map { "user/\($0.id)" } ?? context.clientAddress) }

        var request = request
        var context = context
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > policy.maxBody {
            throw AppError.tooLarge(policy.maxBody)
        }
        let limited = LimitedBody(base: request.body, limit: policy.maxBody)
        request.body = RequestBody(asyncSequence: limited)

        // Browsers send cookies on their own, so anything cookie-authenticated, and every form, must prove it came from our page.
        let isAPI = request.uri.path.hasPrefix("/api/")
        guard !context.viaBearer, !isAPI || context.sessionHash != nil else { return try await next(request, context) }
        if let sent = request.headers[.csrfToken] {
            try CSRF.check(sent, context.csrfToken)
            return try await next(request, context)
        }
        let contentType = request.headers[.contentType]
        let form: FormKind
        if contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            form = .urlencoded
        } else if let boundary = Multipart.boundary(contentType) {
            form = .multipart(boundary: boundary)
        } else {
            throw CSRF.invalid
        }
        var body = ByteBuffer()
        var checked = false
        for try await chunk in limited {
            var chunk = chunk
            body.writeBuffer(&chunk)
            if !checked {
                switch CSRF.firstField(body.readableBytesView, form) {
                case .some(let sent): try CSRF.check(sent, context.csrfToken); checked = true
                case .none where body.readableBytes > CSRF.firstFieldLimit: throw CSRF.invalid
                case .none: break
                }
            }
        }
        if !checked {
            guard let sent = CSRF.firstField(body.readableBytesView, form, complete: true) else { throw CSRF.invalid }
            try CSRF.check(sent, context.csrfToken)
        }
        if case .multipart(let boundary) = form { context.multipart = try Multipart(body, boundary: boundary) }
        request.body = RequestBody(buffer: body)
        return try await next(request, context)
    }

    enum FormKind { case urlencoded, multipart(boundary: String) }
}

/// The form token: sent as the `X-CSRF-Token` header or as the first field of the form.
enum CSRF {
    /// The first field (`_csrf` and its value) must arrive within this many bytes.
    static let firstFieldLimit = 4096

    static let invalid = AppError(.csrf.invalid)

    static func check(_ sent: String, _ expected: String) throws {
        guard !expected.isEmpty, Secrets.constantTimeEqual(sent, expected) else { throw invalid }
    }

    /// The value of the form's first field when that field is `_csrf` and has fully arrived; "" (never a valid
    /// token) when the first field is something else; nil while more bytes are needed.
    static func firstField(_ bytes: ByteBufferView, _ form: PolicyMiddleware.FormKind, complete: Bool = false) -> String? {
        let head = Array(bytes.prefix(firstFieldLimit + 256))
        switch form {
        case .urlencoded:
            guard let end = head.firstIndex(of: UInt8(ascii: "&")) ?? (complete ? head.endIndex : nil) else { return nil }
            let pair = head[..<end]
            let prefix = Array("_csrf=".utf8)
            guard pair.starts(with: prefix) else { return "" }
            return String(decoding: pair.dropFirst(prefix.count), as: UTF8.self).removingPercentEncoding ?? ""
        case .multipart(let boundary):
            // --boundary CRLF headers CRLF CRLF value CRLF --boundary
            let opening = Array("--\(boundary)\r\n".utf8)
            guard head.count >= opening.count || complete else { return nil }
            guard head.starts(with: opening) else { return "" }
            guard let split = Multipart.find(Array("\r\n\r\n".utf8), in: head, from: opening.count) else { return complete ? "" : nil }
            let headers = String(decoding: head[opening.count..<split], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  Multipart.parameter("name", in: String(disposition)) == "_csrf" else { return "" }
            guard let end = Multipart.find(Array("\r\n--\(boundary)".utf8), in: head, from: split + 4) else { return complete ? "" : nil }
            return String(decoding: head[(split + 4)..<end], as: UTF8.self)
        }
    }
}

/// A request body that fails with 413 as soon as more than `limit` bytes have arrived.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            seen += chunk.readableBytes
            guard seen <= limit else { throw AppError.tooLarge(limit) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }
}

extension AppError {
    static func tooLarge(_ limit: Int) -> AppError {
        let size = limit >= RoutePolicy.mib ? "\(limit / RoutePolicy.mib) MiB" : "\(max(1, limit / RoutePolicy.kib)) KiB"
        return AppError(.request.tooLargeSize, ["size": "\(size)"])
    }
}
