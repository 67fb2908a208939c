import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOPosix
import XukeDomain
import XukeStorage

/// Data sharing over JSON: agency clients (administrators), the change feed, webhooks and their dead letters,
/// and the public daily dumps.
struct SharingAPI {
    let s: SharingService

    func register(root: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        api.get("public/dumps") { request, _ in
            let days = try request.intQuery("days", range: 1...90) ?? 7
            return JSONReply(try Page(whole: try await s.dumps(days: days), try request.paging(standard: 200, max: 1000)))
        }
        root.get("dumps/{day}/{file}") { _, c in
            let day = try c.parameters.require("day"), file = try c.parameters.require("file")
            guard let (name, dump) = try await s.dumpFile(day: day, file: file), let pieces = try await s.blobs.pieces(name) else {
                throw AppError.notFound("dump \(day)/\(file)")
            }
            let body = ResponseBody(asyncSequence: pieces)
            let type = switch dump?.format {
            case "csv": "text/csv; charset=utf-8"
            case "jsonl": "application/jsonl; charset=utf-8"
            default: "text/plain; charset=utf-8"
            }
            var headers: HTTPFields = [.contentType: type, .contentDisposition: "attachment; filename=\"\(day)-\(file)\"", .cacheControl: "public, max-age=86400"]
            if let dump { headers[HTTPField.Name("Xuke-SHA256")!] = dump.sha256 }
            return Response(status: .ok, headers: headers, body: body)
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("feed") { request, c in
            let scopes = try await s.readableScopes(c.user, asked: request.query("scopes"))
            let after = try request.query("after").map(FeedCursor.init) ?? .start
            let limit = try request.intQuery("limit", range: 1...SharingService.maxFeedPage) ?? 1000
            let json = try await s.feedPage(after: after, scopes: scopes, limit: limit)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: json)))
        }

        signedIn.get("webhooks") { request, c in
            JSONReply(try Page(whole: try await s.webhooks(for: c.user), try request.paging(standard: 200, max: 1000)))
        }
        signedIn.post("webhooks") { request, c in
            JSONReply(try await s.createWebhook(try await request.json(SharingService.WebhookInput.self, limit: 8 * 1024), by: c.user), status: .created)
        }
        signedIn.get("webhooks/{id}") { _, c in
            JSONReply(try await s.ownedWebhook(try c.parameters.require("id", as: Int.self), by: c.user))
        }
        signedIn.post("webhooks/{id}/enable") { _, c in
            JSONReply(try await s.setWebhookActive(try c.parameters.require("id", as: Int.self), active: true, by: c.user))
        }
        signedIn.post("webhooks/{id}/disable") { _, c in
            JSONReply(try await s.setWebhookActive(try c.parameters.require("id", as: Int.self), active: false, by: c.user))
        }
        signedIn.get("webhooks/{id}/dead-letters") { request, c in
            JSONReply(try Page(whole: try await s.deadLetters(ofWebhook: try c.parameters.require("id", as: Int.self), by: c.user), try request.paging(standard: 200, max: 1000)))
        }
        signedIn.post("dead-letters/{id}/redeliver") { _, c in
            JSONReply(try await s.redeliver(deadLetter: try c.parameters.require("id", as: Int.self), by: c.user))
        }

        let admin = api.group(context: AdminContext.self)
        admin.get("agency-clients") { request, _ in
            JSONReply(try Page(whole: try await s.clients(), try request.paging(standard: 200, max: 1000)))
        }
        admin.post("agency-clients") { request, c in
            JSONReply(try await s.createAgencyClient(try await request.json(SharingService.AgencyClientInput.self, limit: 8 * 1024), by: c.user), status: .created)
        }
        admin.put("agency-clients/{id}/scopes") { request, c in
            struct Input: Decodable { var scopes: String }
            let input = try await request.json(Input.self, limit: 4096)
            return JSONReply(try await s.setAgencyScopes(userID: try c.parameters.require("id", as: Int.self), scopes: input.scopes, by: c.user))
        }
    }
}
