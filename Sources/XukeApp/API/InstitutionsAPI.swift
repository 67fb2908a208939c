import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The testing-lab registry over JSON: the public list, registration, status, scope, members and filed reports.
struct InstitutionsAPI {
    let s: AppServices

    func register(_ api: RouterGroup<AppRequestContext>) {
        api.get("public/labs") { _, c in
            try s.publicLimiter.check(c.clientAddress)
            return JSONReply(try await s.db.read { try await LabStore.all($0) })
        }
        api.get("public/labs/{code}") { _, c in
            let code = try c.parameters.require("code")
            guard let lab = try await s.db.read({ try await LabStore.lab($0, code: code) }) else { throw AppError.notFound("lab \(code)") }
            return JSONReply(lab)
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.post("labs") { request, c in
            JSONReply(try await s.registerLab(try await request.json(AppServices.LabInput.self, limit: 256 * 1024), by: c.user), status: .created)
        }
        signedIn.post("labs/{code}/status") { request, c in
            let input = try await request.json(AppServices.LabStatusInput.self, limit: 16 * 1024)
            return JSONReply(try await s.changeLabStatus(code: try c.parameters.require("code"), input, by: c.user))
        }
        signedIn.post("labs/{code}/scopes") { request, c in
            let input = try await request.json([AppServices.ScopeInput].self, limit: 256 * 1024)
            return JSONReply(try await s.addLabScopes(code: try c.parameters.require("code"), input, by: c.user))
        }
        signedIn.post("labs/{code}/members") { request, c in
            struct Input: Decodable { var userId: Int }
            try await s.addLabMember(code: try c.parameters.require("code"), userID: try await request.json(Input.self, limit: 1024).userId, by: c.user)
            return Response(status: .noContent)
        }
        signedIn.post("test-reports") { request, c in
            JSONReply(try await s.fileTestReport(try await request.json(AppServices.LabReportInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
    }
}
