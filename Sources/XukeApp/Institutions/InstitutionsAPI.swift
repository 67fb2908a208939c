import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The testing-lab registry over JSON: the public list, registration, status, scope, members and filed reports.
struct InstitutionsAPI {
    let s: InstitutionsService

    func register(_ api: RouterGroup<AppRequestContext>) {
        api.get("public/labs") { request, c in
            JSONReply(try Page(whole: try await s.labs(), try request.paging(standard: 200, max: 1000)))
        }
        api.get("public/labs/{code}") { _, c in
            let code = try c.parameters.require("code")
            return JSONReply(try await s.lab(code))
        }

        // Credit lists are public: entries in force, and life bans.
        api.get("public/credit") { request, c in
            let paging = try request.paging()
            let rows = try await s.publicCredit(uscc: request.query("uscc"), paging: paging)
            return JSONReply(Page(rows, limit: paging.limit) { "\($0.id)" }.map(InstitutionsService.PublicCreditEntry.init))
        }
        api.get("public/bans") { request, c in
            JSONReply(try Page(whole: try await s.bans(), try request.paging(standard: 200, max: 1000)))
        }

        api.get("public/review-bodies") { request, _ in
            JSONReply(try Page(whole: try await s.reviewBodies(), try request.paging(standard: 200, max: 1000)))
        }
        // A body with its status history, its years (reports and inspections) and its performance in one year.
        api.get("public/review-bodies/{code}") { request, c in
            let year = try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year - 1
            return JSONReply(try await s.reviewBodyDetail(try c.parameters.require("code"), year: year))
        }
        api.get("public/cert-bodies") { request, _ in
            JSONReply(try Page(whole: try await s.certBodies(), try request.paging(standard: 200, max: 1000)))
        }
        // A certificate by number, or a holder's certificates, with the status as of today.
        api.get("public/ccc") { request, c in
            let number = request.query("number"), holder = request.query("holder")?.uppercased()
            guard number != nil || holder != nil else {
                throw AppError(.ccc.query)
            }
            let paging = try request.paging()
            return JSONReply(Page(try await s.cccCertificates(number: number, holder: holder, paging: paging), limit: paging.limit) { $0.number })
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.post("cert-bodies") { request, c in
            JSONReply(try await s.registerCertBody(try await request.json(InstitutionsService.CertBodyInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
        signedIn.post("ccc/import") { request, c in
            // Whole registers arrive at once: up to 512 MiB, far above the usual body limit.
            JSONReply(try await s.importCertificates(try await request.text(limit: 512 * 1024 * 1024), by: c.user))
        }
        signedIn.post("credit") { request, c in
            JSONReply(try await s.listEnterprise(try await request.json(InstitutionsService.CreditEntryInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
        signedIn.get("credit/{number}") { _, c in
            let number = try c.parameters.require("number")
            return JSONReply(try await s.creditDetail(number: number, user: c.user))
        }
        signedIn.post("credit/{number}/repairs") { request, c in
            let input = try await request.json(InstitutionsService.RepairInput.self, limit: 32 * 1024)
            return JSONReply(try await s.applyForRepair(number: try c.parameters.require("number"), input, by: c.user), status: .created)
        }
        signedIn.post("credit-repairs/{id}") { request, c in
            let input = try await request.json(InstitutionsService.RepairDecision.self, limit: 16 * 1024)
            return JSONReply(try await s.decideRepair(id: try c.parameters.require("id", as: Int.self), input, by: c.user))
        }
        signedIn.post("bans") { request, c in
            JSONReply(try await s.ban(try await request.json(InstitutionsService.BanInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
        signedIn.post("labs") { request, c in
            JSONReply(try await s.registerLab(try await request.json(InstitutionsService.LabInput.self, limit: 256 * 1024), by: c.user), status: .created)
        }
        signedIn.post("labs/{code}/status") { request, c in
            let input = try await request.json(InstitutionsService.LabStatusInput.self, limit: 16 * 1024)
            return JSONReply(try await s.changeLabStatus(code: try c.parameters.require("code"), input, by: c.user))
        }
        signedIn.post("labs/{code}/scopes") { request, c in
            let input = try await request.json([InstitutionsService.ScopeInput].self, limit: 256 * 1024)
            return JSONReply(try await s.addLabScopes(code: try c.parameters.require("code"), input, by: c.user))
        }
        signedIn.post("labs/{code}/members") { request, c in
            struct Input: Decodable { var userId: Int }
            try await s.addLabMember(code: try c.parameters.require("code"), userID: try await request.json(Input.self, limit: 1024).userId, by: c.user)
            return Response(status: .noContent)
        }
        signedIn.post("review-bodies") { request, c in
            JSONReply(try await s.registerReviewBody(try await request.json(InstitutionsService.ReviewBodyInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
        signedIn.post("review-bodies/{code}/status") { request, c in
            JSONReply(try await s.changeReviewBodyStatus(try c.parameters.require("code"), try await request.json(InstitutionsService.ReviewStatusInput.self, limit: 16 * 1024), by: c.user))
        }
        signedIn.post("review-bodies/{code}/members") { request, c in
            struct Input: Decodable { var userId: Int }
            try await s.addReviewMember(try c.parameters.require("code"), userID: try await request.json(Input.self, limit: 1024).userId, by: c.user)
            return Response(status: .noContent)
        }
        signedIn.post("review-bodies/{code}/inspections") { request, c in
            JSONReply(try await s.inspectReviewBody(try c.parameters.require("code"), try await request.json(InstitutionsService.ReviewInspectionInput.self, limit: 64 * 1024), by: c.user),
                      status: .created)
        }
        signedIn.post("review-reports") { request, c in
            JSONReply(try await s.fileReviewReport(try await request.json(InstitutionsService.ReviewReportInput.self, limit: 64 * 1024), by: c.user), status: .created)
        }
        signedIn.post("test-reports") { request, c in
            JSONReply(try await s.fileTestReport(try await request.json(InstitutionsService.LabReportInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
    }
}

