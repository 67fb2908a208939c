import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The data-sharing desk: an administrator creates agency clients and sets their scopes; an agency registers its
/// webhooks, turns them on and off, and sends parked batches again. The feed itself is read over the API.
struct SharingPages: PageRoutes {
    let s: SharingService
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        router.get("data") { _, c in
            let dumps = try await s.dumps(days: 7)
            return renderer.page("open_data", context: c, title: t("data.title", c.language), [
                "rows": dumps.map { d in
                    ["day": d.day, "file": "\(d.dataset).\(d.format)", "dataset": t("data.dataset.\(d.dataset)", c.language), "rows": d.rows,
                     "size": ByteCountFormatter.string(fromByteCount: Int64(d.bytes), countStyle: .file), "sha": d.sha256] as [String: Any]
                },
                "days": Array(Set(dumps.map(\.day))).sorted(by: >),
            ])
        }

        let group = router.group(context: SignedInContext.self)
        group.get("sharing") { _, c in try await page(c) }
        group.post("sharing/clients") { request, c in
            let f = try await Form(request, limit: 16 * 1024)
            return try await formPost({
                guard c.user.role == .administrator else { throw AppError.roleForbidden }
                _ = try await s.createAgencyClient(.init(username: f["username"], displayName: f["display_name"], password: f["password"], agency: f["agency"],
                                                         sector: f["sector"], scopes: f.all("scope").joined(separator: " ")), by: c.user)
                return redirect("/sharing")
            }, refused: { try await page(c, error: $0, values: f.fields.filter { $0.key != "password" }) })
        }
        group.post("sharing/clients/{id}/scopes") { request, c in
            let f = try await Form(request, limit: 4 * 1024)
            return try await formPost({
                guard c.user.role == .administrator else { throw AppError.roleForbidden }
                _ = try await s.setAgencyScopes(userID: try c.parameters.require("id", as: Int.self), scopes: f.all("scope").joined(separator: " "), by: c.user)
                return redirect("/sharing")
            }, refused: { try await page(c, error: $0) })
        }
        group.post("sharing/webhooks") { request, c in
            let f = try await Form(request, limit: 8 * 1024)
            return try await formPost({
                let made = try await s.createWebhook(.init(url: f["url"], scopes: f.all("scope").joined(separator: " "), after: f["after"].isEmpty ? nil : f["after"]),
                                                     by: c.user)
                // The secret is shown on this one page and never again, so this answer is a page, not a redirect.
                return try await page(c, secret: (made.webhook.id, made.secret))
            }, refused: { try await page(c, error: $0, values: f.fields) })
        }
        group.post("sharing/webhooks/{id}/{action}") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            return try await formPost({
                switch try c.parameters.require("action") {
                case "enable": _ = try await s.setWebhookActive(id, active: true, by: c.user)
                case "disable": _ = try await s.setWebhookActive(id, active: false, by: c.user)
                default: throw AppError.notFound("action")
                }
                return redirect("/sharing")
            }, refused: { try await page(c, error: $0) })
        }
        group.post("sharing/dead-letters/{id}/redeliver") { _, c in
            try await formPost({
                _ = try await s.redeliver(deadLetter: try c.parameters.require("id", as: Int.self), by: c.user)
                return redirect("/sharing")
            }, refused: { try await page(c, error: $0) })
        }
    }

    func page(_ c: SignedInContext, error: AppError? = nil, values: [String: String] = [:], secret: (Int, String)? = nil) async throws -> Response {
        let user = c.user, lang = c.language
        let d = try await s.desk(for: user)
        let (clients, own, hooks, letters) = (d.clients, d.own, d.webhooks, d.deadLetters)
        let agencies = Dictionary(clients.map { ($0.userId, $0.agency) }, uniquingKeysWith: { a, _ in a })
        func scopeBoxes(_ chosen: Set<ShareScope>, among: [ShareScope] = ShareScope.allCases) -> [[String: Any]] {
            among.map { ["value": $0.rawValue, "name": t("sharing.scope.\($0.rawValue)", lang), "on": chosen.contains($0)] }
        }
        var data: [String: Any] = [
            "isAdmin": user.role == .administrator,
            "clients": clients.map { cl in
                ["id": cl.userId, "agency": cl.agency, "sector": t("sharing.sector.\(cl.sector.rawValue)", lang), "username": cl.username,
                 "scopes": scopeBoxes(cl.scopeSet), "created": Timestamp.chinaDay(cl.createdAt)] as [String: Any]
            },
            "sectors": AgencySector.allCases.map { ["value": $0.rawValue, "name": t("sharing.sector.\($0.rawValue)", lang), "on": values["sector"] == $0.rawValue] },
            "newScopes": scopeBoxes([]),
            "hooks": hooks.map { h in
                ["id": h.id, "url": h.url, "scopes": h.scopes, "position": h.position, "active": h.active, "failures": h.failures,
                 "failing": h.failures > 0, "agency": agencies[h.clientId] ?? "",
                 "lastError": h.lastError ?? "",
                 "next": h.active && h.failures > 0 ? Timestamp.chinaMinute(h.nextAttemptAt) : "",
                 "delivered": h.lastDeliveredAt.map(Timestamp.chinaMinute) ?? "—",
                 "off": h.disabledReason.map { t("sharing.off.\($0)", lang) } ?? "",
                 "letters": (letters[h.id] ?? []).map { l in
                     ["id": l.id, "from": l.fromPosition, "to": l.toPosition, "events": l.events, "attempts": l.attempts, "error": l.lastError,
                      "at": Timestamp.chinaMinute(l.createdAt), "redelivered": l.redeliveredAt.map(Timestamp.chinaMinute) ?? ""] as [String: Any]
                 },
                ] as [String: Any]
            },
            "v": values,
        ]
        if let own {
            data["own"] = ["agency": own.agency, "sector": t("sharing.sector.\(own.sector.rawValue)", lang), "scopes": own.scopes]
            data["hookScopes"] = scopeBoxes(own.scopeSet, among: own.scopeSet.sorted())
        }
        if let (id, secret) = secret { data["secret"] = ["id": id, "value": secret] }
        if let error { data["error"] = error.message.text(for: lang) }
        return renderer.page("sharing", context: c.parent, title: t("sharing.title", lang), status: error?.status ?? .ok, data)
    }
}
