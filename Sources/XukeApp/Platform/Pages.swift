import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

/// The server-rendered site.
struct Pages: PageRoutes {
    let s: AppServices
    init(_ s: AppServices) { self.s = s }


    func register(_ router: Router<AppRequestContext>) {
        router.get("/") { _, c in
            let (editions, enterprises) = try await s.db.read { sql in
                (try await CatalogStore.editions(sql),
                 try await EnterpriseStore.count(sql))
            }
            let today = s.clock.today
            let current = editions.last { $0.inForce <= today }
            return s.renderer.page("home", context: c, title: t("home.title", c), [
                "currentEdition": current.map { ["code": $0.code, "instrument": $0.instrument, "inForce": $0.inForce.description, "categories": $0.categoryCount] as [String: Any] } as Any,
                "enterpriseCount": enterprises,
                "today": today.description,
            ])
        }

        // Sign-in.
        router.get("login") { request, c in
            s.renderer.page("login", context: c, title: t("login.title", c), ["next": safeNext(request.query("next") ?? "/")])
        }
        router.post("login") { request, c in
            let form = try await Form(request, limit: 16 * 1024)
            let next = safeNext(form["next"])
            do {
                let (_, token) = try await s.authenticate(username: form["username"].lowercased(), password: form.fields["password"] ?? "", address: c.clientAddress) {
                    try await s.startSession(for: $1, in: $0)
                }
                var response = redirect(next)
                response.setCookie(Cookie(name: "xuke_session", value: token, maxAge: s.config.sessionHours * 3600, path: "/",
                                          secure: s.config.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            } catch let e as AppError {
                var response = s.renderer.page("login", context: c, title: t("login.title", c), status: e.status, [
                    "next": next, "username": form["username"], "error": e.message.text(for: c.language),
                ])
                for h in e.headers { response.headers.append(h) }
                return response
            }
        }
        router.post("logout") { _, c in
            if let hash = c.sessionHash { try await s.db.write { try await UserStore.deleteSession($0, tokenHash: hash) } }
            var response = redirect("/")
            response.setCookie(Cookie(name: "xuke_session", value: "", maxAge: 0, path: "/", secure: s.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }

        CatalogPages(s).register(router)
        EnterprisePages(s).register(router)
        AccountPages(s).register(router)
        LicensingPages(s).register(router)
        TrustPages(s: s).register(router)
        SupervisionPages(s: s).register(router)
        SupervisionDeskPages(s: s).register(router)
        PlanDeskPages(s: s).register(router)
        DutiesPages(s: s).register(router)
        RegistryPages(s: s).register(router)
        ReviewBodyPages(s: s).register(router)
        SharingPages(s: s).register(router)
        RiskPages(s: s).register(router)
        DraftPages(s: s).register(router)
        DashboardPages(s: s).register(router)
    }
}
