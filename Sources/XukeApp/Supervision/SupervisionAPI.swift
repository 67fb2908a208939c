import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// Supervision over JSON: rosters, spot-check plans and their draws, inspections; the public side of each draw.
struct SupervisionAPI {
    let s: SupervisionService

    func register(_ api: RouterGroup<AppRequestContext>) {
        api.get("public/plans") { _, _ in
            JSONReply(try await s.db.read { try await PlanStore.plans($0, authorityPrefix: nil, publicOnly: true) }.map(SupervisionService.PublicPlan.init))
        }
        api.get("public/plans/{code}") { _, c in
            JSONReply(try await s.publicPlan(code: try c.parameters.require("code")))
        }
        // Everything needed to recompute the draw: the format of reference/dr_v1_vector.json.
        api.get("public/plans/{code}/draw.json") { _, c in
            let bundle = try await s.publicDrawBundle(code: try c.parameters.require("code"))
            return TrustAPI.bytes(bundle.canonical, "application/json; charset=utf-8")
        }

        api.get("public/inspections") { request, c in
            let uscc = request.query("uscc")
            return JSONReply(try await s.db.read { try await InspectionStore.publishedResults($0, uscc: uscc) }.map(SupervisionService.publicResult))
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("supervision/inspectors") { _, c in
            let (_, j) = try s.supervisor(c.user)
            return JSONReply(try await s.db.read { try await InspectorStore.inspectors($0, countyPrefix: j.prefix) })
        }
        signedIn.post("supervision/inspectors") { request, c in
            JSONReply(try await s.saveInspector(try await request.json(SupervisionService.InspectorInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
        signedIn.get("supervision/delicensed") { _, c in
            let (_, j) = try s.supervisor(c.user)
            return JSONReply(try await s.db.read { try await TargetStore.delicensed($0, countyPrefix: j.prefix) })
        }
        signedIn.post("supervision/delicensed") { request, c in
            JSONReply(try await s.addDelicensed(try await request.json(SupervisionService.DelicensedInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }

        signedIn.get("plans") { _, c in
            let (authority, j) = try s.supervisor(c.user)
            return JSONReply(try await s.db.read { sql in
                try await PlanStore.plans(sql, authorityPrefix: authority == Routing.national ? nil : j.prefix, publicOnly: false)
            })
        }
        signedIn.post("plans") { request, c in
            JSONReply(try await s.createPlan(try await request.json(SupervisionService.PlanInput.self, limit: 512 * 1024), by: c.user), status: .created)
        }
        signedIn.get("plans/{id}") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            return JSONReply(try await s.db.read { try await s.ownPlan($0, id: id, user: c.user) })
        }
        signedIn.put("plans/{id}") { request, c in
            let input = try await request.json(SupervisionService.PlanInput.self, limit: 512 * 1024)
            return JSONReply(try await s.updatePlan(id: try c.parameters.require("id", as: Int.self), input, by: c.user))
        }
        signedIn.post("plans/{id}/announce") { _, c in
            JSONReply(try await s.announcePlan(id: try c.parameters.require("id", as: Int.self), by: c.user))
        }
        signedIn.post("plans/{id}/freeze") { _, c in
            JSONReply(try await s.freezePlan(id: try c.parameters.require("id", as: Int.self), by: c.user))
        }
        signedIn.post("plans/{id}/beacon") { request, c in
            let input = try await request.json(SupervisionService.BeaconInput.self, limit: 4 * 1024)
            return JSONReply(try await s.enterBeacon(id: try c.parameters.require("id", as: Int.self), input, by: c.user))
        }
        signedIn.post("plans/{id}/draw") { request, c in
            let input = try await request.json(SupervisionService.DrawInput.self, limit: 4 * 1024)
            return JSONReply(try await s.runDraw(id: try c.parameters.require("id", as: Int.self), input, by: c.user))
        }
        signedIn.get("plans/{id}/inspections") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            return JSONReply(try await s.db.read { sql in
                _ = try await s.ownPlan(sql, id: id, user: c.user)
                return try await InspectionStore.inspections(sql, planID: id)
            })
        }
        signedIn.get("inspections") { request, c in
            let u = c.user
            return JSONReply(try await s.db.read { sql -> [InspectionRecord] in
                switch u.role {
                case .officer: try await InspectionStore.inspections(sql, authorityPrefix: u.jurisdiction.map { Jurisdiction(divisionCode: $0).prefix } ?? "")
                case .verifier: try await InspectionStore.inspections(sql, memberID: u.id)
                case .enterprise: try await InspectionStore.inspections(sql, uscc: u.enterpriseUSCC ?? "-")
                case .administrator, .lab, .agency: []
                }
            })
        }
        signedIn.get("inspections/{id}") { _, c in
            JSONReply(try await s.visibleInspection(id: try c.parameters.require("id", as: Int.self), user: c.user))
        }
        signedIn.post("inspections/{id}/visit") { request, c in
            let input = try await request.json(SupervisionService.VisitInput.self, limit: 256 * 1024)
            return JSONReply(try await s.recordVisit(id: try c.parameters.require("id", as: Int.self), input, by: c.user))
        }
        signedIn.post("inspections/{id}/conclude") { request, c in
            let input = try await request.json(SupervisionService.ConcludeInput.self, limit: 64 * 1024)
            return JSONReply(try await s.conclude(id: try c.parameters.require("id", as: Int.self), input, by: c.user))
        }
        signedIn.post("inspections/{id}/evidence") { request, c in
            let input = try await request.json(SupervisionService.EvidenceInput.self, limit: 4 * 1024)
            return JSONReply(try await s.addEvidence(id: try c.parameters.require("id", as: Int.self), input, by: c.user), status: .created)
        }
        signedIn.get("inspections/{id}/evidence/{sha256}") { _, c in
            let (e, type, data) = try await s.evidenceFile(id: try c.parameters.require("id", as: Int.self), sha256: try c.parameters.require("sha256"), user: c.user)
            return fileResponse(data, mediaType: type, filename: e.filename)
        }
        signedIn.post("inspections/{id}/publish") { _, c in
            JSONReply(try await s.publishResult(id: try c.parameters.require("id", as: Int.self), by: c.user))
        }
        signedIn.post("inspections/{id}/objections") { request, c in
            let input = try await request.json(SupervisionService.ObjectionInput.self, limit: 16 * 1024)
            return JSONReply(try await s.object(id: try c.parameters.require("id", as: Int.self), input, by: c.user), status: .created)
        }
        signedIn.post("inspections/{id}/objections/{objection}") { request, c in
            let input = try await request.json(SupervisionService.ObjectionDecision.self, limit: 16 * 1024)
            return JSONReply(try await s.decideObjection(id: try c.parameters.require("id", as: Int.self),
                                                         objection: try c.parameters.require("objection", as: Int.self), input, by: c.user))
        }
        signedIn.get("enforcement") { request, c in
            let (_, j) = try s.supervisor(c.user)
            let uscc = request.query("uscc")
            return JSONReply(try await s.db.read { try await EnforcementStore.enforcements($0, authorityPrefix: j.prefix, uscc: uscc) })
        }
        signedIn.post("enforcement") { request, c in
            JSONReply(try await s.enforce(try await request.json(SupervisionService.EnforcementInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
        signedIn.post("enforcement/{id}/close") { request, c in
            let input = try await request.json(SupervisionService.CloseInput.self, limit: 16 * 1024)
            return JSONReply(try await s.closeEnforcement(id: try c.parameters.require("id", as: Int.self), input, by: c.user))
        }
        signedIn.post("inspections/flying") { request, c in
            JSONReply(try await s.openFlyingInspection(try await request.json(SupervisionService.FlyingInput.self, limit: 64 * 1024), by: c.user), status: .created)
        }
    }
}

extension SupervisionService {
    /// A plan as the public sees it: nothing before it is announced, the secret only once it is revealed.
    struct PublicPlan: Encodable, Sendable {
        var code: String
        var authority: String
        var state: PlanRecord.State
        var titleZh: String
        var titleEn: String
        var announcedAt: String?
        var frozenAt: String?
        var beaconAt: String?
        /// When the organiser must have revealed the secret; past it an undrawn plan is forfeited.
        var revealDue: String?
        var drawnAt: String?
        var forfeitedAt: String?

        init(_ p: PlanRecord) {
            code = p.code
            authority = p.authority
            state = p.state
            titleZh = p.draft.titleZh
            titleEn = p.draft.titleEn
            announcedAt = p.announcedAt
            frozenAt = p.frozenAt
            beaconAt = p.beaconAt
            revealDue = p.revealDue
            drawnAt = p.drawnAt
            forfeitedAt = p.forfeitedAt
        }
    }

    struct PublicPlanDetail: Encodable, Sendable {
        var summary: PublicPlan
        var plan: JSONValue
        var enterpriseRoot: String?
        var inspectorRoot: String?
        var enterpriseCount: Int?
        var inspectorCount: Int?
        var beacon: String?
        /// One officer has entered a value that a second has not yet confirmed.
        var beaconProposed: Bool
        var secret: String?
        var result: JSONValue?
    }

    func announcedPlan(_ sql: any SQLDatabase, code: String) async throws -> PlanRecord {
        guard let p = try await PlanStore.plan(sql, code: code), p.state != .draft else { throw AppError.notFound("plan \(code)") }
        return p
    }

    func publicPlan(code: String) async throws -> PublicPlanDetail {
        try await db.read { sql in
            let p = try await announcedPlan(sql, code: code)
            return PublicPlanDetail(
                summary: PublicPlan(p), plan: try JSONValue.parse(Array((p.published ?? "{}").utf8)),
                enterpriseRoot: p.enterpriseRoot, inspectorRoot: p.inspectorRoot, enterpriseCount: p.enterpriseCount, inspectorCount: p.inspectorCount,
                beacon: p.beaconValue, beaconProposed: p.beaconValue == nil && p.beaconProposedValue != nil, secret: p.secret, result: try p.result.map { try JSONValue.parse(Array($0.utf8)) })
        }
    }

    /// The published inputs and result of a drawn plan, for anyone to recompute.
    func publicDrawBundle(code: String) async throws -> JSONValue {
        try await db.read { sql in
            let p = try await announcedPlan(sql, code: code)
            guard p.state == .drawn, let secret = p.secret.flatMap({ [UInt8](hex: $0) }), let result = p.result else {
                throw AppError(.draw.notYet)
            }
            return try await drawBundle(sql, p, secret: secret).json(result: try JSONValue.parse(Array(result.utf8)))
        }
    }
}
