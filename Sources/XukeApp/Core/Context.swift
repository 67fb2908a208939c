public import Hummingbird
public import XukeDomain
public import XukeStorage
public import Foundation

/// What every request carries: who is asking, in which language, and the CSRF token their forms must return.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var language: Language = .zh
    public var user: User?
    /// The token forms and cookie-authenticated API writes must send back.
    public var csrfToken: String = ""
    /// The signed-in session's token hash, for logout.
    public var sessionHash: String?
    /// True when the caller authenticated with an API bearer token (no CSRF applies then).
    public var viaBearer = false
    /// The request carried the metrics token (`XUKE_METRICS_TOKEN`), which is no user's.
    var metricsToken = false
    /// A multipart form body, kept once the CSRF check has read it so the handler need not parse it again.
    var multipart: Multipart?
    /// The peer's IP address, for per-client limits; absent in in-process tests.
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    public var responseEncoder: JSONEncoder { AppJSON.responseEncoder }
}

/// A request from someone signed in. Routes in groups of this context cannot run for anonymous callers.
public struct SignedInContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var parent: AppRequestContext
    public let user: User

    public init(context: AppRequestContext) throws {
        guard let user = context.user else {
            throw AppError(.auth.required)
        }
        self.coreContext = context.coreContext
        self.parent = context
        self.user = user
    }

    public var language: Language { parent.language }
    public var responseEncoder: JSONEncoder { AppJSON.responseEncoder }

    public func require(_ roles: Role...) throws {
        guard roles.contains(user.role) else {
            throw AppError.roleForbidden
        }
    }
}

/// A request from an administrator.
public struct AdminContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var parent: AppRequestContext
    public let user: User

    public init(context: AppRequestContext) throws {
        let signedIn = try SignedInContext(context: context)
        try signedIn.require(.administrator)
        self.coreContext = context.coreContext
        self.parent = context
        self.user = signedIn.user
    }

    public var language: Language { parent.language }
    public var responseEncoder: JSONEncoder { AppJSON.responseEncoder }
}

enum AppJSON {
    /// One encoder for every response: its settings never change after this.
    static let responseEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }
}
