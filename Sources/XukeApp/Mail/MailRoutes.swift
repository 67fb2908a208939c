import Hummingbird
import XukeDomain
import XukeStorage

/// The outbox for administrators: what waits, what was sent in a day, and the dead letters with their last error,
/// each of which can be put back in the queue.
struct MailAPI {
    let s: MailService

    func register(_ api: RouterGroup<AppRequestContext>) {
        let admin = api.group(context: AdminContext.self)
        admin.get("admin/mail") { request, _ in
            let (counts, dead) = try await s.overview(limit: try request.intQuery("limit", range: 1...500) ?? 100)
            return JSONReply(Overview(configured: s.smtp != nil, counts: counts, dead: dead))
        }
        admin.post("admin/mail/{id}/retry") { _, c in
            try await s.retry(id: try c.parameters.require("id", as: Int.self), by: c.user)
            return Response(status: .noContent)
        }
    }

    struct Overview: Encodable, Sendable {
        var configured: Bool
        var counts: MailStore.Counts
        var dead: [MailStore.DeadLetter]
    }
}

struct MailPages: PageRoutes {
    let s: MailService
    let renderer: Renderer

    func register(_ router: Router<AppRequestContext>) {
        let admin = router.group(context: AdminContext.self)
        admin.get("admin/mail") { _, c in try await page(c, error: nil) }
        admin.post("admin/mail/{id}/retry") { _, c in
            do {
                try await s.retry(id: try c.parameters.require("id", as: Int.self), by: c.user)
                return redirect("/admin/mail")
            } catch let e as AppError {
                return try await page(c, error: e.message.text(for: c.language), status: e.status)
            }
        }
    }

    func page(_ c: AdminContext, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (counts, dead) = try await s.overview()
        let server = s.smtp.map { "\($0.endpoint.host):\($0.endpoint.port)" }
        return renderer.page("mail", context: c.parent, title: t("mail_admin.title", c), status: status, MailPage(
            server: server, counts: counts,
            dead: dead.map { .init(id: $0.id, to: $0.toAddress, subject: $0.subject, createdAt: Timestamp.chinaMinute($0.createdAt),
                                   attempts: $0.attempts, error: $0.lastError ?? "", deadAt: $0.deadAt.map(Timestamp.chinaMinute) ?? "") },
            hasDead: !dead.isEmpty, error: error))
    }
}

struct MailPage: PageModel {
    struct Dead: Encodable, Sendable { var id: Int, to: String, subject: String, createdAt: String, attempts: Int, error: String, deadAt: String }
    var server: String?
    var counts: MailStore.Counts
    var dead: [Dead]
    var hasDead: Bool
    var error: String?
}
