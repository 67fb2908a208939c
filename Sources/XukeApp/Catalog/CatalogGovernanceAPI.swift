import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// Draft catalog editions over JSON: the national authority's steps, and the draft with its impact for anyone once
/// it is out for comment.
struct CatalogGovernanceAPI {
    let s: CatalogService

    func register(_ api: RouterGroup<AppRequestContext>) {
        api.get("catalog/drafts/{code}") { _, c in
            return JSONReply(try await s.draftDetail(try c.parameters.require("code"), user: c.user))
        }
        let signedIn = api.group(context: SignedInContext.self)
        signedIn.post("catalog/drafts") { request, c in
            JSONReply(try await s.createDraft(try await request.json(CatalogService.DraftInput.self, limit: 16 * 1024), by: c.user), status: .created)
        }
        signedIn.put("catalog/drafts/{code}/actions") { request, c in
            JSONReply(try await s.setDraftActions(try c.parameters.require("code"), try await request.json([DraftAction].self, limit: 256 * 1024), by: c.user))
        }
        signedIn.post("catalog/drafts/{code}/consultation") { request, c in
            struct Input: Decodable { var consultees: [CatalogDraft.Consultee]; var until: CivilDate }
            let input = try await request.json(Input.self, limit: 64 * 1024)
            return JSONReply(try await s.openConsultation(try c.parameters.require("code"), consultees: input.consultees, until: input.until, by: c.user))
        }
        signedIn.post("catalog/drafts/{code}/comments") { request, c in
            struct Input: Decodable { var organisation: String; var body: String; var receivedOn: CivilDate? }
            let input = try await request.json(Input.self, limit: 64 * 1024)
            return JSONReply(try await s.recordDraftComment(try c.parameters.require("code"), organisation: input.organisation, body: input.body,
                                                            receivedOn: input.receivedOn, by: c.user), status: .created)
        }
        signedIn.post("catalog/drafts/{code}/comments/{id}/answer") { request, c in
            struct Input: Decodable { var answer: String }
            try await s.answerDraftComment(try c.parameters.require("code"), commentID: try c.parameters.require("id", as: Int.self),
                                           answer: try await request.json(Input.self, limit: 64 * 1024).answer, by: c.user)
            return Response(status: .noContent)
        }
        signedIn.post("catalog/drafts/{code}/withdraw") { request, c in
            struct Input: Decodable { var reason: String }
            return JSONReply(try await s.withdrawDraft(try c.parameters.require("code"), reason: try await request.json(Input.self, limit: 4096).reason, by: c.user))
        }
        signedIn.post("catalog/drafts/{code}/publish") { request, c in
            struct Input: Decodable { var instrument: String }
            return JSONReply(try await s.publishDraft(try c.parameters.require("code"), instrument: try await request.json(Input.self, limit: 4096).instrument, by: c.user))
        }
    }
}
