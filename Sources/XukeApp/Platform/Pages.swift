import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

/// The server-rendered site.
/// The home page and sign-in, and every area's pages.
struct Pages: PageRoutes {
    let s: AppServices
    var renderer: Renderer { s.renderer }


    func register(_ router: Router<AppRequestContext>) {
        router.get("/") { _, c in
            let editions = try await s.catalog.editions()
            let enterprises = try await s.accounts.enterpriseCount()
            let today = s.clock.today
            let current = editions.last { $0.inForce <= today }
            return renderer.page("home", context: c, title: t("home.title", c), HomePage(
                currentEdition: current.map { .init(code: $0.code, instrument: $0.instrument, inForce: $0.inForce.description, categories: $0.categoryCount) },
                enterpriseCount: enterprises, today: today.description))
        }

        // Sign-in.
        router.get("login") { request, c in
            renderer.page("login", context: c, title: t("login.title", c), LoginPage(next: safeNext(request.query("next") ?? "/")))
        }
        router.post("login") { request, c in
            let form = try await Form(request, limit: 16 * 1024)
            let next = safeNext(form["next"])
            do {
                let (_, token) = try await s.accounts.authenticate(username: form["username"].lowercased(), password: form.fields["password"] ?? "", address: c.clientAddress) {
                    try await s.accounts.startSession(for: $1, in: $0)
                }
                var response = redirect(next)
                response.setCookie(Cookie(name: "xuke_session", value: token, maxAge: s.config.sessionHours * 3600, path: "/",
                                          secure: s.config.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            } catch let e as AppError {
                var response = renderer.page("login", context: c, title: t("login.title", c), status: e.status,
                                             LoginPage(next: next, username: form["username"], error: e.message.text(for: c.language)))
                for h in e.headers { response.headers.append(h) }
                return response
            }
        }
        router.post("logout") { _, c in
            if let hash = c.sessionHash { try await s.accounts.endSession(tokenHash: hash) }
            var response = redirect("/")
            response.setCookie(Cookie(name: "xuke_session", value: "", maxAge: 0, path: "/", secure: s.config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }

        let r = s.renderer
        CatalogPages(s: s.catalog, renderer: r).register(router)
        EnterprisePages(s: s.accounts, renderer: r).register(router)
        AccountPages(s: s.accounts, renderer: r).register(router)
        RegistrationPages(s: s.registrations, renderer: r).register(router)
        AuthoritySettingsPages(s: s.licensing, renderer: r).register(router)
        HearingPages(s: s.licensing, renderer: r).register(router)
        MailPages(s: s.mail, renderer: r).register(router)
        LicensingPages(s: s.licensing, uploads: s.uploads, trust: s.trust, renderer: r).register(router)
        TrustPages(s: s.trust, duties: s.duties, limiter: s.publicLimiter, renderer: r).register(router)
        SupervisionPages(s: s.supervision, renderer: r).register(router)
        SupervisionDeskPages(s: s.supervision, duties: s.duties, uploads: s.uploads, renderer: r).register(router)
        PlanDeskPages(s: s.supervision, renderer: r).register(router)
        DutiesPages(s: s.duties, supervision: s.supervision, renderer: r).register(router)
        RegistryPages(s: s.institutions, uploads: s.uploads, renderer: r).register(router)
        ReviewBodyPages(s: s.institutions, renderer: r).register(router)
        SharingPages(s: s.sharing, renderer: r).register(router)
        RiskPages(s: s.catalog, renderer: r).register(router)
        DraftPages(s: s.catalog, renderer: r).register(router)
        DashboardPages(s: s.catalog, renderer: r).register(router)
    }
}

struct HomePage: PageModel {
    struct Edition: Encodable, Sendable { var code: String, instrument: String, inForce: String, categories: Int }
    var currentEdition: Edition?
    var enterpriseCount: Int
    var today: String
}

struct LoginPage: PageModel {
    var next: String
    var username: String?
    var error: String?
}
