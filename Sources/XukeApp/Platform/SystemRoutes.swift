import Hummingbird
import XukeStorage
import Foundation
import Prometheus
import XukeDomain

/// Health, metrics, the API description and static files.
struct SystemRoutes {
    let db: Database
    let config: AppConfig

    static let openAPI: ByteBuffer = {
        let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "static")!
        return ByteBuffer(bytes: (try? Data(contentsOf: url)) ?? Data())
    }()

    static let stylesheet: ByteBuffer = {
        let url = Bundle.module.url(forResource: "app", withExtension: "css", subdirectory: "static")!
        return ByteBuffer(bytes: (try? Data(contentsOf: url)) ?? Data())
    }()

    func register(_ router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ -> Response in
            do {
                try await db.ping()
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"database":"ok","status":"ok"}"#)))
            } catch {
                return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: #"{"database":"unreachable","status":"fail"}"#)))
            }
        }
        router.get("metrics") { request, context in
            // Behind a trusted proxy the client is the forwarded one. A request that names a client the server was not
            // told to believe came through some proxy: its peer address says nothing, so it needs the token.
            let forwarded = config.trustedProxies.isEmpty && (request.headers[.xForwardedFor] != nil || request.headers[.forwarded] != nil)
            let listed = !forwarded && IPAddress(context.clientAddress).map { a in config.metricsAllow.contains { $0.contains(a) } } == true
            guard context.metricsToken || listed else {
                throw AppError(.metrics.forbidden)
            }
            await PlatformMetrics.observeDatabase(db)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: PlatformMetrics.registry.emitToBuffer())))
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: SystemRoutes.openAPI))
        }
        router.get("static/app.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: SystemRoutes.stylesheet))
        }
    }
}
