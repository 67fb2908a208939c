import Hummingbird

/// The paths programs call rather than people: they answer in JSON, errors included, never with an HTML page.
/// The public read-only ones among them are what third-party verifiers fetch from pages of their own, so they
/// allow any origin (no credentials: nothing behind them depends on who asks).
enum MachineEndpoints {
    static let prefixes = ["/api/", "/status/", "/log/", "/dumps/", "/.well-known/"]
    static let exact: Set<String> = ["/openapi.json", "/healthz", "/metrics"]

    static func isMachine(_ path: String) -> Bool {
        exact.contains(path) || prefixes.contains { path.hasPrefix($0) }
    }

    static let crossOriginPrefixes = ["/status/", "/log/", "/dumps/", "/.well-known/", "/api/v1/public/", "/api/v1/log/"]

    /// The methods a page elsewhere may use on a path: reads on the public documents, and posting a credential
    /// to be verified.
    static func crossOriginMethods(_ path: String) -> [HTTPRequest.Method] {
        if path == "/api/v1/verify" { return [.post] }
        if path == "/openapi.json" || crossOriginPrefixes.contains(where: { path.hasPrefix($0) }) { return [.get, .head] }
        return []
    }
}

/// CORS for the public machine endpoints (MachineEndpoints.crossOriginMethods); every other path sends no CORS
/// header, so browsers keep other origins out of it. The header goes on every answer of those paths, asked for or
/// not: they are cached publicly, and a copy cached from a request without `Origin` must serve a verifier's page too.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = MachineEndpoints.crossOriginMethods(request.uri.path)
        guard !allowed.isEmpty else { return try await next(request, context) }
        if request.method == .options, request.headers[.origin] != nil {
            // A preflight: answered here, as no route serves OPTIONS.
            return Response(status: .noContent, headers: [
                .accessControlAllowOrigin: "*",
                .accessControlAllowMethods: (allowed + [.options]).map(\.rawValue).joined(separator: ", "),
                .accessControlAllowHeaders: "Content-Type, If-None-Match",
                .accessControlMaxAge: "86400",
            ])
        }
        var response = try await next(request, context)
        if allowed.contains(request.method) || (request.method == .head && allowed.contains(.get)) {
            response.headers[.accessControlAllowOrigin] = "*"
            response.headers[.accessControlExposeHeaders] = "ETag, Cache-Control"
        }
        return response
    }
}
