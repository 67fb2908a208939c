import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

struct AccountPages: PageRoutes {
    let s: AccountService
    let renderer: Renderer

    func register(_ router: Router<AppRequestContext>) {
        let group = router.group(context: SignedInContext.self)
        group.get("account") { _, c in try await page(c, newToken: nil, message: nil) }
        group.post("account/email") { request, c in
            let f = try await Form(request, limit: 4096)
            let typed = f.fields["address"] ?? ""
            do {
                let pending = try await s.askEmailConfirmation(for: c.user, address: typed)
                return try await page(c, newToken: nil, message: nil, notice: renderer.messages.text("account.email_sent", c.language, ["address": pending.address]))
            } catch let e as AppError {
                return try await page(c, newToken: nil, message: e.message.text(for: c.language), status: e.status, typedAddress: typed)
            }
        }
        group.post("account/email/remove") { _, c in
            try await s.removeEmail(of: c.user)
            return redirect("/account")
        }
        group.post("account/tokens") { request, c in
            let f = try await Form(request, limit: 4096)
            do {
                let (token, _) = try await s.createToken(for: c.user, name: f["name"])
                return try await page(c, newToken: token, message: nil)
            } catch let e as AppError {
                return try await page(c, newToken: nil, message: e.message.text(for: c.language), status: e.status)
            }
        }
        group.post("account/tokens/{id}/revoke") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            try await s.revokeToken(id, of: c.user)
            return redirect("/account")
        }
        group.post("account/password") { request, c in
            let f = try await Form(request, limit: 4096)
            do {
                try await s.changePassword(of: c.user, current: f.fields["current"] ?? "", new: f.fields["new"] ?? "",
                                           confirm: f.fields["confirm"] ?? "", address: c.parent.clientAddress)
                return redirect("/login")
            } catch let e as AppError {
                return try await page(c, newToken: nil, message: e.message.text(for: c.language), status: e.status)
            }
        }

        // The link mailed to a new address: it shows what it would confirm and confirms only when the button is pressed.
        router.get("account/email/confirm/{token}") { _, c in
            let token = try c.parameters.require("token")
            let title = renderer.messages.text("email_confirm.title", c.language)
            do {
                return renderer.page("email-confirm", context: c, title: title, EmailConfirmPage(token: token, address: try await s.emailConfirmation(token: token)))
            } catch let e as AppError {
                return renderer.page("email-confirm", context: c, title: title, status: e.status, EmailConfirmPage(error: e.message.text(for: c.language)))
            }
        }
        router.post("account/email/confirm/{token}") { request, c in
            let token = try c.parameters.require("token")
            _ = try await Form(request, limit: 1024)
            let title = renderer.messages.text("email_confirm.title", c.language)
            do {
                return renderer.page("email-confirm", context: c, title: title, EmailConfirmPage(address: try await s.confirmEmail(token: token), confirmed: true))
            } catch let e as AppError {
                return renderer.page("email-confirm", context: c, title: title, status: e.status, EmailConfirmPage(error: e.message.text(for: c.language)))
            }
        }

        // A one-time link from an administrator: the owner sets a new password without signing in.
        router.get("reset/{token}") { _, c in
            let token = try c.parameters.require("token")
            do {
                let user = try await s.resetTarget(token: token)
                return renderer.page("reset", context: c, title: renderer.messages.text("reset.title", c.language), ResetPage(token: token, username: user.username))
            } catch let e as AppError {
                return renderer.page("reset", context: c, title: renderer.messages.text("reset.title", c.language), status: e.status, ResetPage(error: e.message.text(for: c.language)))
            }
        }
        router.post("reset/{token}") { request, c in
            let token = try c.parameters.require("token")
            let f = try await Form(request, limit: 4096)
            do {
                try await s.resetPassword(token: token, password: f.fields["new"] ?? "", confirm: f.fields["confirm"] ?? "")
                return redirect("/login?reset=1")
            } catch let e as AppError {
                let username = (try? await s.resetTarget(token: token))?.username
                return renderer.page("reset", context: c, title: renderer.messages.text("reset.title", c.language), status: e.status,
                                       ResetPage(token: username == nil ? nil : token, username: username, error: e.message.text(for: c.language)))
            }
        }

        let admin = router.group(context: AdminContext.self)
        admin.get("admin/users") { _, c in try await usersPage(c, values: [:], error: nil) }
        admin.post("admin/users/{id}/{action}") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            do {
                switch try c.parameters.require("action") {
                case "rank":
                    let f = try await Form(request, limit: 1024)
                    try await s.setRank(userID: id, rank: try OfficerRank(rawValue: f["rank"]).orBadRequest("rank", "handler, section_chief, director"), by: c.user)
                case "disable": try await s.setDisabled(userID: id, disabled: true, by: c.user)
                case "enable": try await s.setDisabled(userID: id, disabled: false, by: c.user)
                case "reset":
                    let link = try await s.issuePasswordReset(userID: id, by: c.user)
                    return try await usersPage(c, values: [:], error: nil, resetLink: link)
                default: throw AppError.notFound("action")
                }
                return redirect("/admin/users")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return try await usersPage(c, values: [:], error: e.message.text(for: c.language), status: e.status)
            }
        }
        admin.post("admin/users") { request, c in
            let f = try await Form(request, limit: 8192)
            let input = AccountService.NewUser(username: f["username"], displayName: f["display_name"], password: f.fields["password"] ?? "",
                                            role: f["role"], jurisdiction: f["jurisdiction"], enterpriseUscc: f["enterprise_uscc"])
            do {
                _ = try await s.createUser(input, actor: c.user.actor)
                return redirect("/admin/users")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                var values = f.fields
                values["password"] = nil
                return try await usersPage(c, values: values, error: e.message.text(for: c.language), status: e.status)
            }
        }
    }

    func page(_ c: SignedInContext, newToken: String?, message: String?, status: HTTPResponse.Status = .ok,
              notice: String? = nil, typedAddress: String? = nil) async throws -> Response {
        let tokens = try await s.tokens(of: c.user)
        let email = try await s.emailStatus(of: c.user)
        let u = c.user
        return renderer.page("account", context: c.parent, title: renderer.messages.text("account.title", c.language), status: status, AccountPage(
            username: u.username, displayName: u.displayName, role: renderer.messages.text("role.\(u.role.rawValue)", c.language),
            jurisdiction: u.jurisdiction.flatMap { s.division($0)?.nameZh } ?? (u.role == .officer ? renderer.messages.text("jurisdiction.national", c.language) : "—"),
            enterprise: u.enterpriseUSCC ?? "—",
            tokens: tokens.map { .init(id: $0.id, name: $0.name, createdAt: Timestamp.chinaMinute($0.createdAt),
                                       expiresAt: $0.expiresAt.map(Timestamp.chinaMinute) ?? "—", revoked: $0.revokedAt != nil) },
            newToken: newToken, error: message, notice: notice,
            email: email.confirmed, pendingEmail: email.pending?.address, pendingExpires: email.pending.map { Timestamp.chinaMinute($0.expiresAt) },
            typedAddress: typedAddress ?? email.pending?.address ?? email.confirmed ?? ""))
    }

    func usersPage(_ c: AdminContext, values: [String: String], error: String?, status: HTTPResponse.Status = .ok,
                   resetLink: AccountService.ResetLink? = nil) async throws -> Response {
        let users = try await s.users()
        let data = UsersPage(
            v: values,
            users: users.map { u in
                .init(id: u.id, username: u.username, displayName: u.displayName, role: renderer.messages.text("role.\(u.role.rawValue)", c.language),
                      jurisdiction: u.jurisdiction.flatMap { s.division($0)?.nameZh } ?? "—", enterprise: u.enterpriseUSCC ?? "—",
                      disabled: u.disabled, self: u.id == c.user.id, isOfficer: u.role == .officer,
                      ranks: OfficerRank.allCases.map { r in .init(value: r.rawValue, label: r.name.text(for: c.language), selected: (u.officerRank ?? .handler) == r) })
            },
            resetLink: resetLink?.link, resetExpires: resetLink.map { Timestamp.chinaMinute($0.expiresAt) },
            roles: Role.allCases.filter { $0 != .agency }.map { .init(value: $0.rawValue, label: renderer.messages.text("role.\($0.rawValue)", c.language), selected: values["role"] == $0.rawValue) },
            error: error)
        return renderer.page("users", context: c.parent, title: renderer.messages.text("users.title", c.language), status: status, data)
    }
}

struct ResetPage: PageModel {
    var token: String?
    var username: String?
    var error: String?
}

struct AccountPage: PageModel {
    struct Token: Encodable, Sendable { var id: Int, name: String, createdAt: String, expiresAt: String, revoked: Bool }
    var username: String, displayName: String, role: String, jurisdiction: String, enterprise: String
    var tokens: [Token]
    /// Shown once, right after it is made.
    var newToken: String?
    var error: String?
    var notice: String?
    /// The confirmed address, and one waiting for its link to be opened.
    var email: String?
    var pendingEmail: String?
    var pendingExpires: String?
    /// What the address field holds: what was typed when it was refused.
    var typedAddress: String
}

struct EmailConfirmPage: PageModel {
    var token: String?
    var address: String?
    var confirmed = false
    var error: String?
}

/// The user list and, under `v`, the new-user form as typed.
struct UsersPage: PageModel {
    struct Row: Encodable, Sendable {
        var id: Int, username: String, displayName: String, role: String, jurisdiction: String, enterprise: String, disabled: Bool, `self`: Bool
        var isOfficer: Bool, ranks: [Option]
    }
    var v: [String: String]
    var users: [Row]
    var resetLink: String?
    var resetExpires: String?
    var roles: [Option]
    var error: String?
}
