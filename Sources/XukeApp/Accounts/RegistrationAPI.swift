import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// Self-registration, its decision, an enterprise's own users and forgotten passwords, over JSON (the sign-up itself
/// is a multipart form, as it carries the business licence copy).
struct RegistrationAPI {
    let s: RegistrationService

    struct Submitted: Encodable, Sendable { var id: Int; var state: RegistrationState; var email: String }
    struct Reason: Decodable, Sendable { var reason: String }
    struct Login: Decodable, Sendable { var login: String }
    struct NewEnterpriseUser: Decodable, Sendable { var username: String; var displayName: String; var email: String }

    func register(_ api: RouterGroup<AppRequestContext>) {
        api.post("registrations") { request, c in
            guard let form = try await Multipart.form(request, c) else { throw AppError(.registration.licenceMissing) }
            let input = RegistrationService.SignUp(uscc: form["uscc"], enterpriseName: form["enterprise_name"], legalRepresentative: form["legal_representative"],
                                                   username: form["username"], displayName: form["display_name"], password: form["password"],
                                                   confirm: form["confirm"], email: form["email"])
            let r = try await s.signUp(input, licence: form.file("licence").map { Data($0.data) })
            return JSONReply(Submitted(id: r.id, state: r.state, email: r.email), status: .accepted)
        }
        api.post("registrations/confirm/{token}") { _, c in
            let r = try await s.confirm(token: try c.parameters.require("token"))
            return JSONReply(Submitted(id: r.id, state: r.state, email: r.email))
        }
        api.post("password-resets") { request, _ in
            try await s.requestPasswordReset(login: try await request.json(Login.self, limit: 4096).login)
            return Response(status: .noContent)
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("registrations") { request, c in
            let state = try request.query("state").map { try RegistrationState(rawValue: $0).orBadRequest("state", RegistrationState.allCases.map(\.rawValue).joined(separator: ", ")) } ?? .waiting
            let paging = try request.paging()
            let offset = try paging.afterID() ?? 0
            let rows = try await s.registrations(state: state, for: c.user, limit: paging.fetch, offset: offset)
            return JSONReply(Page(items: Array(rows.prefix(paging.limit)), next: rows.count > paging.limit ? "\(offset + paging.limit)" : nil))
        }
        signedIn.get("registrations/{id}") { _, c in
            JSONReply(try await s.registration(id: try c.parameters.require("id", as: Int.self), for: c.user).0)
        }
        signedIn.post("registrations/{id}/approve") { _, c in
            JSONReply(try await s.approve(id: try c.parameters.require("id", as: Int.self), by: c.user))
        }
        signedIn.post("registrations/{id}/refuse") { request, c in
            let input = try await request.json(Reason.self, limit: 8192)
            return JSONReply(try await s.refuse(id: try c.parameters.require("id", as: Int.self), reason: input.reason, by: c.user))
        }
        signedIn.get("enterprise/users") { _, c in JSONReply(try await s.enterpriseUsers(for: c.user)) }
        signedIn.post("enterprise/users") { request, c in
            let input = try await request.json(NewEnterpriseUser.self, limit: 4096)
            return JSONReply(try await s.addEnterpriseUser(username: input.username, displayName: input.displayName, email: input.email, by: c.user),
                             status: .created)
        }
        signedIn.delete("enterprise/users/{id}") { _, c in
            try await s.removeEnterpriseUser(id: try c.parameters.require("id", as: Int.self), by: c.user)
            return Response(status: .noContent)
        }
    }
}
