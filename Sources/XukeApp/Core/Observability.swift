import Foundation
import Hummingbird
import Logging
import Prometheus
import Synchronization

/// The platform's Prometheus metrics, named with their units (`_total`, `_seconds`), and the one registry
/// `/metrics` shows.
enum PlatformMetrics {
    static let registry = PrometheusCollectorRegistry()

    static func name(_ subsystem: String, _ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "xuke", subsystem: subsystem, metricName: metric, unitName: unit, helpText: help)
    }

    static var requests: MetricNameDescriptor { name("http", "requests", "total", "HTTP requests answered, by method, route and status") }
    static var duration: MetricNameDescriptor { name("http", "request_duration", "seconds", "Time from a request's head to its answer, by method and route") }
    static var jobRuns: MetricNameDescriptor { name("job", "runs", "total", "Runs of a periodic job on this server, by job and outcome") }
    static var jobDuration: MetricNameDescriptor { name("job", "duration", "seconds", "How long a periodic job's last run took on this server") }
    static var leaseHeld: MetricNameDescriptor { name("job", "lease_held", "", "1 when this server holds the job's lease") }
    static var sweepChanges: MetricNameDescriptor { name("sweep", "changes", "total", "What the deadline sweep did, by kind (deemed_accepted, deemed_renewed, expired)") }

    /// Up to a minute: a slow page and a long import both fall in a bucket.
    static let buckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                      .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(60)]

    static func counted(method: String, route: String, status: Int, seconds: Duration) {
        registry.makeCounter(descriptor: requests, labels: [("method", method), ("route", route), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: duration, labels: [("method", method), ("route", route)], buckets: buckets).record(seconds)
    }

    static func job(_ name: String, failed: Bool, took: Duration) {
        registry.makeCounter(descriptor: jobRuns, labels: [("job", name), ("outcome", failed ? "failed" : "ok")]).increment()
        registry.makeGauge(descriptor: jobDuration, labels: [("job", name)]).set(Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
    }

    static func swept(_ kind: String, _ count: Int) {
        registry.makeCounter(descriptor: sweepChanges, labels: [("kind", kind)]).increment(by: Int64(count))
    }

    static func lease(_ name: String, held: Bool) {
        registry.makeGauge(descriptor: leaseHeld, labels: [("job", name)]).set(held ? 1.0 : 0.0)
    }
}

/// One log line per request once it is answered: its id (from Hummingbird's logger metadata), method, path (the
/// query string left out, since it may hold what someone searched for), status and time; and the request's
/// count and duration in the metrics, by route pattern so that ids do not multiply the series.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let config: AppConfig

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            finish(request, context, status: response.status.code, start: start)
            return response
        } catch {
            // The error middleware inside has answered everything it knows; what still escapes is a server fault.
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            finish(request, context, status: status, start: start)
            throw error
        }
    }

    func finish(_ request: Request, _ context: Context, status: Int, start: ContinuousClock.Instant) {
        let took = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        PlatformMetrics.counted(method: request.method.rawValue, route: route, status: status, seconds: took)
        let ms = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15
        context.logger.log(level: status >= 500 ? .error : .info, "request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path), "status": .stringConvertible(status),
            "ms": .string(String(format: "%.1f", ms)),
            "client": .string(ClientAddress.resolve(peer: context.clientAddress, headers: request.headers, trusted: config.trustedProxies,
                                                    header: config.forwardedHeader)),
        ])
    }
}
