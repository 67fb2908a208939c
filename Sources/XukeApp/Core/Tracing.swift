import Foundation
import Logging
import OTel
import ServiceLifecycle
import Hummingbird

/// OpenTelemetry traces, when `XUKE_OTEL_ENDPOINT` names an OTLP/HTTP collector: one span per request (Hummingbird's
/// tracing middleware), with the W3C trace context taken from and passed on in `traceparent`. Only traces: the
/// metrics stay on `/metrics` and the logs on standard output.
enum Tracing {
    /// The exporter's service, to run beside the server; nil when no endpoint is set.
    static func bootstrap(config: AppConfig) throws -> (any Service)? {
        guard !config.otelEndpoint.isEmpty else { return nil }
        var c = OTel.Configuration.default
        c.serviceName = "xuke"
        c.metrics.enabled = false
        c.logs.enabled = false
        c.traces.enabled = true
        c.traces.exporter = .otlp
        // The collector's address, as OTEL_EXPORTER_OTLP_ENDPOINT gives it; traces go to its /v1/traces.
        let base = config.otelEndpoint.hasSuffix("/") ? String(config.otelEndpoint.dropLast()) : config.otelEndpoint
        c.traces.otlpExporter.endpoint = base.hasSuffix("/v1/traces") ? base : base + "/v1/traces"
        c.traces.otlpExporter.protocol = .httpProtobuf
        c.traces.otlpExporter.timeout = .seconds(5)
        // Only XUKE_* settings apply; OTEL_* variables in the environment are not read.
        return try OTel.bootstrap(configuration: c, environment: [:])
    }
}

/// Hummingbird's tracing middleware, kept away from one-time links: their paths are the secret (a password reset,
/// an address confirmation), and a span would carry them to the collector. Query parameters that may hold what
/// someone searched for, or a credential, are redacted.
struct TracedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tracing = TracingMiddleware<AppRequestContext>(recordingHeaders: [], redactingQueryParameters: ["q", "uscc", "number", "after", "jws", "holder", "next"])

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if OneTimeLinks.contains(request.uri.path) { return try await next(request, context) }
        return try await tracing.handle(request, context: context, next: next)
    }
}
