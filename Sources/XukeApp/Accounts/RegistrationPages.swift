import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The pages of enterprises letting themselves in: sign-up, the confirmation link, a forgotten password, the officers'
/// queue of registrations, and an enterprise administrator's list of users.
struct RegistrationPages: PageRoutes {
    let s: RegistrationService
    let renderer: Renderer

    func register(_ router: Router<AppRequestContext>) {
        router.get("signup") { _, c in signUpPage(c, SignUpModel()) }
        router.post("signup") { request, c in
            let form = try await Multipart.form(request, c)
            let field = { (name: String) in form?[name] ?? "" }
            let input = RegistrationService.SignUp(uscc: field("uscc"), enterpriseName: field("enterprise_name"), legalRepresentative: field("legal_representative"),
                                                   username: field("username"), displayName: field("display_name"), password: field("password"),
                                                   confirm: field("confirm"), email: field("email"))
            do {
                let r = try await s.signUp(input, licence: form?.file("licence").map { Data($0.data) })
                return signUpPage(c, SignUpModel(sent: true, email: r.email), status: .accepted)
            } catch {
                // The form again with everything typed but the passwords and the file, and what is wrong.
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                let kept = ["uscc", "enterprise_name", "legal_representative", "username", "display_name", "email"]
                return signUpPage(c, SignUpModel(error: e.message.text(for: c.language), v: Dictionary(uniqueKeysWithValues: kept.map { ($0, field($0)) })),
                                  status: e.status)
            }
        }
        router.get("signup/confirm/{token}") { _, c in
            let token = try c.parameters.require("token")
            do {
                let r = try await s.pendingRegistration(token: token)
                return confirmPage(c, ConfirmModel(token: token, enterprise: r.enterpriseName, uscc: r.uscc, username: r.username))
            } catch let e as AppError {
                return confirmPage(c, ConfirmModel(error: e.message.text(for: c.language)), status: e.status)
            }
        }
        router.post("signup/confirm/{token}") { request, c in
            let token = try c.parameters.require("token")
            _ = try await Form(request, limit: 1024)
            do {
                let r = try await s.confirm(token: token)
                return confirmPage(c, ConfirmModel(waiting: r.state == .waiting, approved: r.state == .approved))
            } catch let e as AppError {
                return confirmPage(c, ConfirmModel(error: e.message.text(for: c.language)), status: e.status)
            }
        }
        router.get("password/forgot") { _, c in forgotPage(c, ForgotModel()) }
        router.post("password/forgot") { request, c in
            let f = try await Form(request, limit: 4096)
            do {
                try await s.requestPasswordReset(login: f["login"])
                return forgotPage(c, ForgotModel(sent: true), status: .accepted)
            } catch let e as AppError {
                return forgotPage(c, ForgotModel(error: e.message.text(for: c.language), login: f["login"]), status: e.status)
            }
        }

        let group = router.group(context: SignedInContext.self)
        group.get("registrations") { request, c in
            let state = RegistrationState(rawValue: request.query("state") ?? "waiting") ?? .waiting
            let page = try request.intQuery("page", range: 1...10_000) ?? 1
            let (rows, registered) = try await s.registrationsWithRegister(state: state, for: c.user, limit: 51, offset: (page - 1) * 50)
            return renderer.page("registrations", context: c.parent, title: t("registrations.title", c), RegistrationsModel(
                states: RegistrationState.allCases.map { .init(code: $0.rawValue, label: t("registration.state.\($0.rawValue)", c), selected: $0 == state) },
                rows: rows.prefix(50).map {
                    .init(id: $0.id, at: Timestamp.chinaMinute($0.createdAt), name: $0.enterpriseName, uscc: $0.uscc, username: $0.username,
                          register: t(registered.contains($0.uscc) ? "registration.in_register" : "registration.not_in_register", c))
                },
                none: rows.isEmpty, next: rows.count > 50 ? "/registrations?state=\(state.rawValue)&page=\(page + 1)" : nil))
        }
        group.get("registrations/{id}") { _, c in
            try await registrationPage(c, id: try c.parameters.require("id", as: Int.self))
        }
        group.get("registrations/{id}/licence") { _, c in
            let (data, type) = try await s.licenceCopy(id: try c.parameters.require("id", as: Int.self), for: c.user)
            return fileResponse(data, mediaType: type, filename: "licence-\(try c.parameters.require("id", as: Int.self))")
        }
        group.post("registrations/{id}/approve") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            _ = try await Form(request, limit: 1024)
            do {
                _ = try await s.approve(id: id, by: c.user)
                return redirect("/registrations/\(id)")
            } catch let e as AppError where e.status.code < 500 {
                return try await registrationPage(c, id: id, error: e.message.text(for: c.language), status: e.status)
            }
        }
        group.post("registrations/{id}/refuse") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 4096)
            do {
                _ = try await s.refuse(id: id, reason: f["reason"], by: c.user)
                return redirect("/registrations/\(id)")
            } catch let e as AppError where e.status.code < 500 {
                return try await registrationPage(c, id: id, error: e.message.text(for: c.language), reason: f["reason"], status: e.status)
            }
        }

        group.get("enterprise/users") { _, c in try await usersPage(c, UsersModel()) }
        group.post("enterprise/users") { request, c in
            let f = try await Form(request, limit: 4096)
            do {
                let u = try await s.addEnterpriseUser(username: f["username"], displayName: f["display_name"], email: f["email"], by: c.user)
                return try await usersPage(c, UsersModel(notice: renderer.messages.text("enterprise_users.added", c.language, ["username": u.username, "email": f["email"]])))
            } catch let e as AppError where e.status.code < 500 {
                return try await usersPage(c, UsersModel(error: e.message.text(for: c.language), v: ["username": f["username"], "display_name": f["display_name"], "email": f["email"]]),
                                           status: e.status)
            }
        }
        group.post("enterprise/users/{id}/remove") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            _ = try await Form(request, limit: 1024)
            do {
                try await s.removeEnterpriseUser(id: id, by: c.user)
                return redirect("/enterprise/users")
            } catch let e as AppError where e.status.code < 500 {
                return try await usersPage(c, UsersModel(error: e.message.text(for: c.language)), status: e.status)
            }
        }
    }

    // MARK: Models

    struct SignUpModel: PageModel {
        var sent = false
        var email = ""
        var error: String?
        var v: [String: String] = [:]
    }

    struct ConfirmModel: PageModel {
        var token: String?
        var enterprise = "", uscc = "", username = ""
        var waiting = false, approved = false
        var error: String?
    }

    struct ForgotModel: PageModel {
        var sent = false
        var error: String?
        var login = ""
    }

    struct RegistrationsModel: PageModel {
        struct State: Encodable, Sendable { var code: String, label: String, selected: Bool }
        struct Row: Encodable, Sendable { var id: Int, at: String, name: String, uscc: String, username: String, register: String }
        var states: [State]
        var rows: [Row]
        var none: Bool
        var next: String?
    }

    struct RegistrationModel: PageModel {
        var id: Int, state: String, uscc: String, enterprise: String, legal: String, username: String, displayName: String, email: String, at: String
        var registered: Bool, register: String, registerName: String, registerLegal: String, nameDiffers: Bool, legalDiffers: Bool
        var waiting: Bool, note: String?
        var error: String?, reason: String
        /// The enterprise's name and legal representative as a link to the register's form carries them.
        var enterpriseQuery = "", legalQuery = ""
    }

    struct UsersModel: PageModel {
        struct Row: Encodable, Sendable { var id: Int, username: String, name: String, email: String, status: String, removable: Bool }
        var notice: String?
        var error: String?
        var v: [String: String] = [:]
        var rows: [Row] = []
    }

    // MARK: Pages

    func signUpPage(_ c: AppRequestContext, _ model: SignUpModel, status: HTTPResponse.Status = .ok) -> Response {
        renderer.page("signup", context: c, title: renderer.messages.text("signup.title", c.language), status: status, model)
    }

    func confirmPage(_ c: AppRequestContext, _ model: ConfirmModel, status: HTTPResponse.Status = .ok) -> Response {
        renderer.page("signup-confirm", context: c, title: renderer.messages.text("signup.confirm_title", c.language), status: status, model)
    }

    func forgotPage(_ c: AppRequestContext, _ model: ForgotModel, status: HTTPResponse.Status = .ok) -> Response {
        renderer.page("forgot", context: c, title: renderer.messages.text("forgot.title", c.language), status: status, model)
    }

    func registrationPage(_ c: SignedInContext, id: Int, error: String? = nil, reason: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let (r, e) = try await s.registration(id: id, for: c.user)
        return renderer.page("registration", context: c.parent, title: t("registration.title", c) + " " + r.enterpriseName, status: status, RegistrationModel(
            id: r.id, state: t("registration.state.\(r.state.rawValue)", c), uscc: r.uscc, enterprise: r.enterpriseName, legal: r.legalRepresentative,
            username: r.username, displayName: r.displayName, email: r.email, at: Timestamp.chinaMinute(r.createdAt),
            registered: e != nil, register: t(e != nil ? "registration.in_register" : "registration.not_in_register", c),
            registerName: e?.name ?? "", registerLegal: e?.legalRepresentative ?? "",
            nameDiffers: e.map { $0.name != r.enterpriseName } ?? false, legalDiffers: e.map { $0.legalRepresentative != r.legalRepresentative } ?? false,
            waiting: r.state == .waiting, note: r.decisionNote.isEmpty ? nil : r.decisionNote, error: error, reason: reason,
            enterpriseQuery: r.enterpriseName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
            legalQuery: r.legalRepresentative.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    func usersPage(_ c: SignedInContext, _ model: UsersModel, status: HTTPResponse.Status = .ok) async throws -> Response {
        var model = model
        model.rows = try await s.enterpriseUsers(for: c.user).map {
            .init(id: $0.id, username: $0.username, name: $0.displayName, email: $0.email ?? "—",
                  status: t($0.disabled ? "enterprise_users.removed" : ($0.enterpriseAdmin ? "enterprise_users.admin" : "enterprise_users.active"), c),
                  removable: !$0.disabled && $0.id != c.user.id)
        }
        return renderer.page("enterprise-users", context: c.parent, title: t("enterprise_users.title", c), status: status, model)
    }
}
