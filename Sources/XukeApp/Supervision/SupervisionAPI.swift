import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import XukeTrust

/// Supervision over JSON: rosters, spot-check plans and their draws, inspections; the public side of each draw.
struct SupervisionAPI {
    let s: SupervisionService

    func register(_ api: RouterGroup<AppRequestContext>) {
        api.get("public/plans") { request, _ in
            let paging = try request.paging()
            return JSONReply(Page(try await s.publicPlans(paging: paging), limit: paging.limit) { "\($0.id)" }.map(SupervisionService.PublicPlan.init))
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
            let paging = try request.paging()
            let rows = try await s.publishedResults(uscc: request.query("uscc"), paging: paging)
            let shown = rows.prefix(paging.limit)
            return JSONReply(Page(items: shown.map(SupervisionService.publicResult),
                                  next: rows.count > paging.limit ? shown.last.map(SupervisionService.resultCursor) : nil))
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("supervision/inspectors") { request, c in
            JSONReply(try Page(whole: try await s.inspectors(for: c.user), try request.paging(standard: 200, max: 1000)))
        }
        signedIn.post("supervision/inspectors") { request, c in
            JSONReply(try await s.saveInspector(try await request.json(SupervisionService.InspectorInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
        signedIn.get("supervision/delicensed") { request, c in
            JSONReply(try Page(whole: try await s.delicensed(for: c.user), try request.paging(standard: 200, max: 1000)))
        }
        signedIn.post("supervision/delicensed") { request, c in
            JSONReply(try await s.addDelicensed(try await request.json(SupervisionService.DelicensedInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }

        signedIn.get("plans") { request, c in
            let paging = try request.paging()
            return JSONReply(Page(try await s.plans(for: c.user, paging: paging), limit: paging.limit) { "\($0.id)" })
        }
        signedIn.post("plans") { request, c in
            JSONReply(try await s.createPlan(try await request.json(SupervisionService.PlanInput.self, limit: 512 * 1024), by: c.user), status: .created)
        }
        signedIn.get("plans/{id}") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            return JSONReply(try await s.ownPlan(id: id, user: c.user))
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
        signedIn.get("plans/{id}/inspections") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            return JSONReply(try Page(whole: try await s.planWithInspections(id: id, user: c.user).inspections, try request.paging(standard: 200, max: 1000)))
        }
        signedIn.get("inspections") { request, c in
            let paging = try request.paging()
            return JSONReply(Page(try await s.inspections(for: c.user, paging: paging), limit: paging.limit) { "\($0.id)" })
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
            let paging = try request.paging()
            return JSONReply(Page(try await s.enforcements(for: c.user, uscc: request.query("uscc"), paging: paging), limit: paging.limit) { "\($0.id)" })
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

