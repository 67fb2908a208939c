import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

/// Accounts over JSON: tokens, the caller, the enterprise register and, for administrators, users and the event log.
struct AccountAPI {
    let s: AccountService

    func register(_ api: RouterGroup<AppRequestContext>) {
        // Tokens by password, for scripts.
        api.post("auth/token") { request, c in
            let input = try await request.json(PasswordGrant.self, limit: 4096)
            let name = try s.tokenName(input.name ?? "api")
            let (_, (token, record)) = try await s.authenticate(username: input.username.lowercased(), password: input.password, address: c.clientAddress) {
                try await s.createToken(for: $1, name: name, in: $0)
            }
            return JSONReply(NewToken(token: token, id: record.id, name: record.name), status: .created)
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("me") { _, context in JSONReply(context.user) }
        signedIn.put("users/{id}/rank") { request, context in
            struct Input: Decodable { var rank: OfficerRank }
            let input = try await request.json(Input.self, limit: 1024)
            try await s.setRank(userID: try context.parameters.require("id", as: Int.self), rank: input.rank, by: context.user)
            return Response(status: .noContent)
        }
        signedIn.get("me/email") { _, context in
            let status = try await s.emailStatus(of: context.user)
            return JSONReply(EmailState(confirmed: status.confirmed, pending: status.pending))
        }
        signedIn.post("me/email") { request, context in
            let input = try await request.json(EmailRequest.self, limit: 4096)
            let pending = try await s.askEmailConfirmation(for: context.user, address: input.address)
            return JSONReply(EmailState(confirmed: try await s.emailStatus(of: context.user).confirmed, pending: pending), status: .accepted)
        }
        signedIn.delete("me/email") { _, context in
            try await s.removeEmail(of: context.user)
            return Response(status: .noContent)
        }
        // The token is the proof: whoever opened the mailed link confirms, signed in or not.
        api.post("email-confirmations/{token}") { _, c in
            JSONReply(ConfirmedEmail(address: try await s.confirmEmail(token: try c.parameters.require("token"))))
        }
        signedIn.get("me/tokens") { request, context in
            JSONReply(try Page(whole: try await s.tokens(of: context.user), try request.paging(standard: 200, max: 1000)))
        }
        signedIn.post("me/tokens") { request, context in
            let input = try await request.json(TokenRequest.self, limit: 4096)
            let (token, record) = try await s.createToken(for: context.user, name: input.name)
            return JSONReply(NewToken(token: token, id: record.id, name: record.name), status: .created)
        }
        signedIn.delete("me/tokens/{id}") { _, context in
            let id = try context.parameters.require("id", as: Int.self)
            try await s.revokeToken(id, of: context.user)
            return Response(status: .noContent)
        }

        // Enterprises: visible to administrators, to officers inside their jurisdiction, and to the enterprise itself.
        signedIn.get("enterprises") { request, context in
            let limit = try request.intQuery("limit", range: 1...200) ?? 50
            let after = try request.query("after").map { a in
                try (a.count <= 18 && a.allSatisfy { USCC.alphabet.contains($0) } ? a : nil).orThrow(AppError(.request.cursor))
            }
            let q = String((request.query("q") ?? "").prefix(100))
            let rows = try await s.enterprises(matching: q, for: context.user, limit: limit + 1, after: after)
            return JSONReply(Page(rows, limit: limit) { $0.uscc })
        }
        signedIn.post("enterprises") { request, context in
            let input = try await request.json(AccountService.EnterpriseInput.self, limit: 64 * 1024)
            return JSONReply(try await s.registerEnterprise(input, by: context.user), status: .created)
        }
        // A province's existing register, as CSV (UTF-8 or GB18030); ?dry_run=true checks and writes nothing.
        signedIn.post("enterprises/import") { request, context in
            let dryRun = try request.query("dry_run").map { try ["true": true, "false": false][$0].orBadRequest("dry_run", "true, false") } ?? false
            let body = try await request.bodyBytes(limit: AccountService.importBodyLimit)
            let report = try await s.importEnterprises(Data(body.readableBytesView), dryRun: dryRun, by: context.user)
            return JSONReply(report, status: dryRun ? .ok : .created)
        }
        signedIn.get("enterprises/{uscc}") { _, context in
            let uscc = try context.parameters.require("uscc")
            return JSONReply(try await s.enterprise(uscc, for: context.user))
        }
        signedIn.put("enterprises/{uscc}") { request, context in
            let uscc = try context.parameters.require("uscc")
            let input = try await request.json(AccountService.EnterpriseInput.self, limit: 64 * 1024)
            return JSONReply(try await s.updateEnterprise(uscc: uscc, input, by: context.user))
        }

        // Administration.
        let admin = api.group(context: AdminContext.self)
        admin.get("users") { request, _ in JSONReply(try Page(whole: try await s.users(), try request.paging(standard: 200, max: 1000))) }
        admin.post("users/{id}/disable") { _, c in
            try await s.setDisabled(userID: try c.parameters.require("id", as: Int.self), disabled: true, by: c.user)
            return Response(status: .noContent)
        }
        admin.post("users/{id}/enable") { _, c in
            try await s.setDisabled(userID: try c.parameters.require("id", as: Int.self), disabled: false, by: c.user)
            return Response(status: .noContent)
        }
        admin.post("users/{id}/password-reset") { _, c in
            JSONReply(try await s.issuePasswordReset(userID: try c.parameters.require("id", as: Int.self), by: c.user), status: .created)
        }
        admin.post("users") { request, context in
            let input = try await request.json(AccountService.NewUser.self, limit: 4096)
            return JSONReply(try await s.createUser(input, actor: "user/\(context.user.id)"), status: .created)
        }
        admin.get("events") { request, _ in
            let after = try request.query("after").map { try Int($0).flatMap { $0 >= 0 ? $0 : nil }.orThrow(AppError(.request.cursor)) } ?? 0
            let limit = try request.intQuery("limit", range: 1...1000) ?? 100
            let rows = try await s.events(subject: request.query("subject"), after: after, limit: limit + 1)
            return JSONReply(Page(rows, limit: limit) { "\($0.id)" })
        }
    }
}

struct PasswordGrant: Decodable, Sendable { var username: String; var password: String; var name: String? }
struct TokenRequest: Decodable, Sendable { var name: String }
struct NewToken: Encodable, Sendable { var token: String; var id: Int; var name: String }
struct EmailRequest: Decodable, Sendable { var address: String }
struct EmailState: Encodable, Sendable { var confirmed: String?; var pending: MailStore.Pending? }
struct ConfirmedEmail: Encodable, Sendable { var address: String }
