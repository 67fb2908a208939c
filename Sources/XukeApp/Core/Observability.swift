import Foundation
import Hummingbird
import Logging
import Prometheus
import Synchronization
import XukeStorage

/// The platform's Prometheus metrics, named with their units (`_total`, `_seconds`), and the one registry
/// `/metrics` shows.
enum PlatformMetrics {
    static let registry = PrometheusCollectorRegistry()

    static func name(_ subsystem: String, _ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "xuke", subsystem: subsystem, metricName: metric, unitName: unit, helpText: help)
    }

    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let requests = name("http", "requests", "total", "HTTP requests answered, by method, route and status")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let duration = name("http", "request_duration", "seconds", "Time from a request's head to its answer, by method and route")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let jobRuns = name("job", "runs", "total", "Runs of a periodic job on this server, by job and outcome")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let jobDuration = name("job", "duration", "seconds", "How long a periodic job's last run took on this server")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let leaseHeld = name("job", "lease_held", "", "1 when this server holds the job's lease")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let sweepChanges = name("sweep", "changes", "total", "What the deadline sweep did, by kind (deemed_accepted, deemed_renewed, expired)")

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

/// Where a request comes from, worked out once for every later step (the peer, or the client a trusted proxy
/// forwarded); and, once it is answered, one log line (its id from Hummingbird's logger metadata, method, path
/// without the query string, which may hold what someone searched for, status, time and client) and its count and
/// duration in the metrics, by route pattern so that ids do not multiply the series.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let config: AppConfig

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = ClientAddress.resolve(peer: context.clientAddress, headers: request.headers, trusted: config.trustedProxies,
                                                      header: config.forwardedHeader)
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
        let route = context.endpointPath ?? "NotFound"
        PlatformMetrics.counted(method: Self.method(request.method), route: route, status: status, seconds: took)
        let ms = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15
        context.logger.log(level: status >= 500 ? .error : .info, "request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path), "status": .stringConvertible(status),
            "ms": .string(String(format: "%.1f", ms)), "client": .string(context.clientAddress),
        ])
    }

    /// A client may send any method name; the metrics keep the standard ones and count the rest as one.
    static func method(_ m: HTTPRequest.Method) -> String {
        switch m {
        case .get, .head, .post, .put, .patch, .delete, .options: m.rawValue
        default: "other"
        }
    }
}

extension PlatformMetrics {
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let mailSent = name("mail", "sent", "total", "Messages the SMTP server accepted")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let mailFailures = name("mail", "failures", "total", "Failed attempts, by outcome (retry later, dead, or the server could not be used)")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let mailQueue = name("mail", "queue_length", "", "Messages waiting to be sent (on the server holding the mail lease)")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let mailDead = name("mail", "dead_letters", "", "Messages given up on, waiting for an administrator")

    static func mail(_ r: MailService.Report) {
        registry.makeCounter(descriptor: mailSent).increment(by: Int64(r.sent))
        registry.makeCounter(descriptor: mailFailures, labels: [("outcome", "retry")]).increment(by: Int64(r.retried))
        registry.makeCounter(descriptor: mailFailures, labels: [("outcome", "dead")]).increment(by: Int64(r.dead))
        registry.makeCounter(descriptor: mailFailures, labels: [("outcome", "server_unusable")]).increment(by: Int64(r.postponed))
    }

    static func mailQueue(_ c: MailStore.Counts) {
        registry.makeGauge(descriptor: mailQueue).set(Double(c.pending))
        registry.makeGauge(descriptor: mailDead).set(Double(c.dead))
    }
}

extension PlatformMetrics {
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let poolInUse = name("db", "connections_in_use", "", "Database connections this server has checked out")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let replicaLagSeconds = name("db", "replica_lag", "seconds", "Seconds since the replica's last replayed transaction while it is behind (0 when caught up)")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let replicaLagBytes = name("db", "replica_lag", "bytes", "WAL bytes the replica has not replayed yet")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let replicaReads = name("db", "replica_reads", "", "Reads this server has sent to the replica since it started")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let replicaUp = name("db", "replica_up", "", "1 when the replica answered the last scrape's lag query")

    /// Read at scrape time: cheap, and current when it is read.
    static func observeDatabase(_ db: Database) async {
        registry.makeGauge(descriptor: poolInUse).set(Double(db.connectionsInUse))
        guard db.replica != nil else { return }
        registry.makeGauge(descriptor: replicaReads).set(Double(ReadRouting.replicaReadCount))
        if let lag = await db.checkReplica() {
            registry.makeGauge(descriptor: replicaLagSeconds).set(lag.seconds)
            registry.makeGauge(descriptor: replicaLagBytes).set(Double(lag.bytes))
            registry.makeGauge(descriptor: replicaUp).set(1.0)
        } else {
            registry.makeGauge(descriptor: replicaUp).set(0.0)
        }
    }
}

extension PlatformMetrics {
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let webhookEvents = name("webhook", "events_delivered", "total", "Events delivered to webhook receivers")
    // Immutable once made; the type is not marked Sendable.
    nonisolated(unsafe) static let webhookFailures = name("webhook", "failures", "total", "Failed batches, by outcome (retry later, or parked as a dead letter)")

    static func webhooks(delivered: Int, failed: Int, parked: Int) {
        registry.makeCounter(descriptor: webhookEvents).increment(by: Int64(delivered))
        registry.makeCounter(descriptor: webhookFailures, labels: [("outcome", "retry")]).increment(by: Int64(failed))
        registry.makeCounter(descriptor: webhookFailures, labels: [("outcome", "parked")]).increment(by: Int64(parked))
    }
}
