import Foundation
import Hummingbird
import SQLKit
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
            return JSONReply(try await s.db.read { try await s.publicDeclarations($0, uscc: uscc) })
        }
        api.get("public/recalls") { request, c in
            let uscc = request.query("uscc")
            return JSONReply(try await s.db.read { try await DutiesStore.recalls($0, uscc: uscc) }.map(DutiesService.PublicRecall.init))
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
        signedIn.get("accidents") { _, c in
            JSONReply(try await s.db.read { sql in
                let (prefix, uscc) = try s.dutyScope(c.user)
                return try await DutiesStore.accidents(sql, authorityPrefix: prefix, uscc: uscc).map(WithLate.init)
            })
        }
        signedIn.post("accidents") { request, c in
            JSONReply(WithLate(try await s.reportAccident(try await request.json(DutiesService.AccidentInput.self, limit: 64 * 1024), by: c.user)), status: .created)
        }
        signedIn.get("recalls") { _, c in
            JSONReply(try await s.db.read { sql in
                let (prefix, uscc) = try s.dutyScope(c.user)
                return try await DutiesStore.recalls(sql, authorityPrefix: prefix, uscc: uscc).map(WithLate.init)
            })
        }
        signedIn.get("recalls/{number}") { _, c in
            JSONReply(try await s.recallDetail(number: try c.parameters.require("number"), user: c.user))
        }
        signedIn.post("recalls") { request, c in
            JSONReply(WithLate(try await s.reportRecall(try await request.json(DutiesService.RecallInput.self, limit: 64 * 1024), by: c.user)), status: .created)
        }
        signedIn.post("recalls/{number}/progress") { request, c in
            let input = try await request.json(DutiesService.RecallProgressInput.self, limit: 16 * 1024)
            return JSONReply(try await s.updateRecall(number: try c.parameters.require("number"), input, by: c.user))
        }
        signedIn.get("self-reports") { _, c in
            try c.require(.enterprise)
            let reports = try await s.db.read { try await DutiesStore.selfReports($0, uscc: c.user.enterpriseUSCC ?? "-") }
            return JSONReply(reports.map { WithLate($0) })
        }
        // Who owes a year's report in the officer's jurisdiction; the ones still missing come first.
        signedIn.get("supervision/self-reports") { request, c in
            let (_, j) = try supervision.supervisor(c.user)
            let year = try request.intQuery("year", range: 2015...9999) ?? s.clock.today.year - 1
            return JSONReply(try await s.db.read { try await DutiesStore.owing($0, year: year, divisionPrefix: j.prefix) })
        }
        signedIn.post("self-reports") { request, c in
            JSONReply(WithLate(try await s.submitSelfReport(try await request.json(DutiesService.SelfReportInput.self, limit: 32 * 1024), by: c.user)),
                      status: .created)
        }

        signedIn.get("leads") { request, c in
            let (_, j) = try supervision.supervisor(c.user)
            let state = request.query("state").flatMap(Lead.State.init(rawValue:))
            return JSONReply(try await s.db.read { try await DutiesStore.leads($0, authorityPrefix: j.prefix, state: state) })
        }
        signedIn.get("leads/{number}") { _, c in
            let number = try c.parameters.require("number")
            return JSONReply(try await s.db.read { try await supervision.officerLead($0, number: number, user: c.user) })
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

extension DutiesService {
    /// Whose duty filings a user may list: an officer's jurisdiction, or an enterprise's own.
    func dutyScope(_ user: User) throws -> (prefix: String?, uscc: String?) {
        switch user.role {
        case .enterprise: return (nil, user.enterpriseUSCC ?? "-")
        case .officer: return (try supervision.supervisor(user).jurisdiction.prefix, nil)
        default: throw AppError.roleForbidden
        }
    }

    /// A recall as the public sees it: everything but who filed it.
    struct PublicRecall: Encodable, Sendable {
        var number: String
        var uscc: String
        var product: String
        var batches: String
        var defect: String
        var quantity: Int
        var recovered: Int
        var decidedOn: String
        var reportedOn: String
        var late: Bool
        var state: Recall.State
        var summary: String

        init(_ r: Recall) {
            number = r.number
            uscc = r.uscc
            product = r.product
            batches = r.batches
            defect = r.defect
            quantity = r.quantity
            recovered = r.recovered
            decidedOn = r.decidedOn.description
            reportedOn = r.reportedOn.description
            late = r.late
            state = r.state
            summary = r.summary
        }
    }

    struct RecallDetail: Encodable, Sendable {
        var recall: WithLate<Recall>
        var updates: [RecallUpdate]
    }

    func recallDetail(number: String, user: User) async throws -> RecallDetail {
        try await db.read { sql in
            let (prefix, uscc) = try dutyScope(user)
            guard let r = try await DutiesStore.recall(sql, number: number), uscc.map({ $0 == r.uscc }) ?? true,
                  prefix.map({ r.authority.hasPrefix($0) }) ?? true else { throw AppError.notFound("recall \(number)") }
            return RecallDetail(recall: WithLate(r), updates: try await DutiesStore.recallUpdates(sql, recallID: r.id))
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
