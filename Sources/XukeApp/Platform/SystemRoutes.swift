import Hummingbird
import XukeStorage
import Foundation
import Prometheus

/// Health, metrics, the API description and static files.
struct SystemRoutes {
    let db: Database

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
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: Metrics.registry.emitToBuffer())))
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
