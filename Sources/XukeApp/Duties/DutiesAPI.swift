import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// Enterprise duties and problem leads over JSON: declarations, accidents, recalls, yearly self-inspection reports;
/// the public's complaint form and tracking; the officers' lead list.
struct DutiesAPI {
    let s: DutiesService
    let supervision: SupervisionService

    func register(_ api: RouterGroup<AppRequestContext>) {
        api.get("public/enterprises/{uscc}/declarations") { _, c in
            let uscc = try c.parameters.require("uscc")
            return JSONReply(try await s.publicDeclarations(uscc: uscc))
        }
        api.get("public/recalls") { request, c in
            let uscc = request.query("uscc")
            let paging = try request.paging()
            return JSONReply(Page(try await s.publicRecalls(uscc: uscc, paging: paging), limit: paging.limit) { "\($0.id)" }.map(DutiesService.PublicRecall.init))
        }
        api.post("public/reports") { request, c in
            return JSONReply(try await supervision.fileReport(try await request.json(SupervisionService.ReportInput.self, limit: 32 * 1024)), status: .created)
        }
        // The code travels in the body, so it stays out of access logs.
        api.post("public/reports/track") { request, c in
            struct Input: Decodable { var code: String }
            return JSONReply(try await supervision.trackLead(code: try await request.json(Input.self, limit: 1024).code))
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.post("declarations") { request, c in
            JSONReply(try await s.publishDeclaration(try await request.json(DutiesService.DeclarationInput.self, limit: 256 * 1024), by: c.user), status: .created)
        }
        signedIn.get("accidents") { request, c in
            let paging = try request.paging()
            return JSONReply(Page(try await s.accidents(for: c.user, paging: paging), limit: paging.limit) { "\($0.id)" }.map(WithLate.init))
        }
        signedIn.post("accidents") { request, c in
            JSONReply(WithLate(try await s.reportAccident(try await request.json(DutiesService.AccidentInput.self, limit: 64 * 1024), by: c.user)), status: .created)
        }
        signedIn.get("recalls") { request, c in
            let paging = try request.paging()
            return JSONReply(Page(try await s.recalls(for: c.user, paging: paging), limit: paging.limit) { "\($0.id)" }.map(WithLate.init))
        }
        signedIn.get("recalls/{number}") { _, c in
            JSONReply(try await s.recallDetail(number: try c.parameters.require("number"), user: c.user))
        }
        signedIn.post("recalls") { request, c in
            JSONReply(WithLate(try await s.reportRecall(try await request.json(DutiesService.RecallInput.self, limit: 64 * 1024), by: c.user)), status: .created)
        }
        signedIn.post("recalls/{number}/progress") { request, c in
            let input = try await request.json(DutiesService.RecallProgressInput.self, limit: 16 * 1024)
            return JSONReply(WithLate(try await s.updateRecall(number: try c.parameters.require("number"), input, by: c.user)))
        }
        signedIn.get("self-reports") { request, c in
            JSONReply(try Page(whole: try await s.selfReports(of: c.user).map { WithLate($0) }, try request.paging(standard: 200, max: 1000)))
        }
        // Who owes a year's report in the officer's jurisdiction; the ones still missing come first.
        signedIn.get("supervision/self-reports") { request, c in
            let year = try request.intQuery("year", range: 2015...9999) ?? s.clock.today.year - 1
            let paging = try request.paging(standard: 200, max: 1000)
            return JSONReply(Page(try await s.owing(year: year, for: c.user, paging: paging), limit: paging.limit, cursor: DutiesService.owingCursor))
        }
        signedIn.post("self-reports") { request, c in
            JSONReply(WithLate(try await s.submitSelfReport(try await request.json(DutiesService.SelfReportInput.self, limit: 32 * 1024), by: c.user)),
                      status: .created)
        }

        signedIn.get("leads") { request, c in
            let state = request.query("state").flatMap(Lead.State.init(rawValue:))
            let paging = try request.paging()
            return JSONReply(Page(try await supervision.leads(for: c.user, state: state, paging: paging), limit: paging.limit) { "\($0.id)" })
        }
        signedIn.get("leads/{number}") { _, c in
            let number = try c.parameters.require("number")
            return JSONReply(try await supervision.officerLead(number: number, user: c.user))
        }
        signedIn.post("leads/{number}/close") { request, c in
            let input = try await request.json(SupervisionService.LeadCloseInput.self, limit: 16 * 1024)
            return JSONReply(try await supervision.closeLead(number: try c.parameters.require("number"), input, by: c.user))
        }
        signedIn.post("inspections/follow-up") { request, c in
            JSONReply(try await supervision.openFollowUpInspection(try await request.json(SupervisionService.FlyingInput.self, limit: 64 * 1024), by: c.user), status: .created)
        }
    }
}

/// A duty filing with its deadline verdict beside its fields.
struct WithLate<T: LateFlagged & Encodable & Sendable>: Encodable, Sendable {
    var value: T
    init(_ value: T) { self.value = value }

    enum Key: String, CodingKey { case late }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(value.late, forKey: .late)
    }
}

protocol LateFlagged { var late: Bool { get } }
extension AccidentReport: LateFlagged {}
extension Recall: LateFlagged {}
extension SelfReport: LateFlagged {}
