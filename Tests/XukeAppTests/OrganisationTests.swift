import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

@Suite struct OrganisationTests {
    /// Officers of Guangdong with their ranks, set by the administrator; answers their tokens and ids.
    static func officers(_ client: any TestClientProtocol, _ s: AppServices, admin: String) async throws -> [String: (token: String, id: Int)] {
        var out: [String: (String, Int)] = [:]
        for (name, rank) in [("clerk1", "handler"), ("clerk2", "handler"), ("chief", "section_chief"), ("director", "director")] {
            let token = try await client.token(s, username: name, role: "officer", jurisdiction: "440000")
            let id = try #require(try await client.send(.get, "/api/v1/me", token: token).json()["id"] as? Int)
            let r = try await client.send(.put, "/api/v1/users/\(id)/rank", json: #"{"rank":"\#(rank)"}"#, token: admin)
            #expect(r.status == .noContent, "\(r.text)")
            out[name] = (token, id)
        }
        #expect(try await client.send(.put, "/api/v1/users/\(out["clerk1"]!.1)/rank", json: #"{"rank":"director"}"#, token: out["director"]!.0).status == .forbidden)
        return out
    }

    /// Handlers: taken from the queue, given by the office head, given again only with a reason; the work list
    /// narrows by handler, number and enterprise.
    @Test func casesHaveNamedHandlers() async throws {
        try await Harness.run { client, s in
            let flow = try await Flow.start(client, s)
            let o = try await Self.officers(client, s, admin: flow.admin)
            let id = try #require(try await flow.submit(kind: "new", route: "commitment")["id"] as? Int)
            let number = try #require(try await flow.state(id)["number"] as? String)
            let take = try await client.send(.post, "/api/v1/applications/\(id)/handler", json: "{}", token: o["clerk1"]!.token)
            #expect(try take.json()["handler_id"] as? Int == o["clerk1"]!.id, "\(take.text)")
            #expect(try await client.send(.post, "/api/v1/applications/\(id)/handler", json: "{}", token: o["clerk2"]!.token).status == .forbidden,
                    "a case with a handler is not taken from the queue")
            #expect(try await client.send(.post, "/api/v1/applications/\(id)/handler", json: #"{"handler_id":\#(o["clerk2"]!.id)}"#, token: o["chief"]!.token)
                .status == .unprocessableContent, "giving a case again needs a reason")
            let given = try await client.send(.post, "/api/v1/applications/\(id)/handler", json: #"{"handler_id":\#(o["clerk2"]!.id),"reason":"clerk1 on leave"}"#,
                                              token: o["chief"]!.token)
            #expect(try given.json()["handler_id"] as? Int == o["clerk2"]!.id, "\(given.text)")
            #expect(try await client.send(.post, "/api/v1/applications/\(id)/handler", json: #"{"handler_id":\#(flow.verifiers[0].id),"reason":"x"}"#,
                                          token: o["chief"]!.token).status == .unprocessableContent, "only an officer of the authority handles")

            func listed(_ query: String, as who: String) async throws -> [Int] {
                let r = try await client.send(.get, "/api/v1/applications?\(query)", token: o[who]!.token)
                return (try r.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            }
            #expect(try await listed("handler=me", as: "clerk2") == [id])
            #expect(try await listed("handler=me", as: "clerk1") == [])
            #expect(try await listed("handler=none", as: "chief") == [])
            #expect(try await listed("q=\(number)", as: "clerk1") == [id])
            #expect(try await listed("q=%E7%A4%BA%E4%BE%8B", as: "clerk1") == [id], "part of the enterprise's name")
            #expect(try await listed("uscc=\(Fixtures.beijing)", as: "clerk1") == [])
            #expect(try await client.send(.get, "/api/v1/applications?handler=x", token: o["clerk1"]!.token).status == .badRequest)
            let organisation = try await client.send(.get, "/api/v1/applications/\(id)/signoffs", token: o["chief"]!.token)
            #expect((try organisation.json()["assignments"] as? [[String: Any]])?.compactMap { $0["reason"] as? String } == ["", "clerk1 on leave"])

            // The officers' work list page narrows the same way, and exports what it shows as CSV.
            let chief = try await client.browser("chief")
            let page = try await client.get("/applications?handler=\(o["clerk2"]!.id)&lang=en", headers: [.cookie: chief.cookie])
            #expect(page.status == .ok && page.text.contains(number) && page.readsClean)
            let csv = try await client.get("/applications/export?handler=\(o["clerk2"]!.id)", headers: [.cookie: chief.cookie])
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.contains(number), "\(csv.text.prefix(300))")
        }
    }

    /// The authority's director sets its chain; a decision is then taken only by the chain's last signature, each
    /// signature recorded, a return ending the round, and nobody signing twice.
    @Test func decisionsGoThroughTheSignOffChain() async throws {
        try await Harness.run { client, s in
            let flow = try await Flow.start(client, s)
            let o = try await Self.officers(client, s, admin: flow.admin)
            let settings = #"{"decision_days":20,"sign_off":["handler","section_chief","director"]}"#
            #expect(try await client.send(.put, "/api/v1/authorities/440000/settings", json: settings, token: o["chief"]!.token).status == .forbidden)
            #expect(try await client.send(.put, "/api/v1/authorities/440000/settings", json: #"{"decision_days":40}"#, token: o["director"]!.token).status
                == .unprocessableContent, "never beyond the platform's limit")
            #expect(try await client.send(.put, "/api/v1/authorities/440000/settings", json: #"{"simplified_units":["0901"]}"#, token: o["director"]!.token).status
                == .unprocessableContent, "fertilizer has no simplified renewal")
            #expect(try await client.send(.put, "/api/v1/authorities/440000/settings", json: #"{"sign_off":["director","director"]}"#, token: o["director"]!.token).status
                == .unprocessableContent)
            let saved = try await client.send(.put, "/api/v1/authorities/440000/settings", json: settings, token: o["director"]!.token)
            #expect(saved.status == .ok, "\(saved.text)")
            let events = try await s.db.read { try await Events.list($0, limit: 1000) }.map(\.type)
            #expect(events.contains("settings.authority_changed"))

            let id = try #require(try await flow.submit(kind: "new", route: "commitment")["id"] as? Int)
            try await flow.act(id, "accept", as: o["clerk1"]!.token)
            _ = try await client.send(.post, "/api/v1/applications/\(id)/handler", json: "{}", token: o["chief"]!.token)  // the chief handles it
            try await flow.act(id, "approve", as: o["director"]!.token, expect: .conflict)
            func sign(_ who: String, _ body: String = "{}", expect: HTTPResponse.Status = .ok) async throws {
                let r = try await client.send(.post, "/api/v1/applications/\(id)/sign", json: body, token: o[who]!.token)
                #expect(r.status == expect, "\(who): \(r.text)")
            }
            try await sign("clerk1", #"{"decision":"approve"}"#, expect: .forbidden)  // not the handler
            try await sign("chief", #"{"decision":"approve"}"#)                        // the handler proposes
            try await sign("chief", expect: .conflict)                                  // and does not sign again as section chief
            try await sign("director", expect: .forbidden)                              // the section chief's step is next
            let returned = try await client.send(.post, "/api/v1/applications/\(id)/return", json: #"{"note":"单元名称有误"}"#, token: o["director"]!.token)
            #expect(returned.status == .forbidden, "only the next step's rank returns")
            // Another section chief returns it; the handler proposes again; the chain completes.
            let chief2 = try await client.token(s, username: "chief2", role: "officer", jurisdiction: "440000")
            let chief2ID = try #require(try await client.send(.get, "/api/v1/me", token: chief2).json()["id"] as? Int)
            _ = try await client.send(.put, "/api/v1/users/\(chief2ID)/rank", json: #"{"rank":"section_chief"}"#, token: flow.admin)
            #expect(try await client.send(.post, "/api/v1/applications/\(id)/return", json: #"{"note":"单元名称有误"}"#, token: chief2).status == .ok)
            try await sign("chief", #"{"decision":"approve"}"#)
            #expect(try await client.send(.post, "/api/v1/applications/\(id)/sign", json: "{}", token: chief2).status == .ok)
            #expect(try await flow.state(id)["state"] as? String == "accepted", "not decided before the last signature")
            // An officer above the authority may act on its cases but holds no rank in its chain; the applicant does not
            // read the office's proposals.
            let national = try await client.token(s, username: "national-director", role: "officer")
            let nationalID = try #require(try await client.send(.get, "/api/v1/me", token: national).json()["id"] as? Int)
            _ = try await client.send(.put, "/api/v1/users/\(nationalID)/rank", json: #"{"rank":"director"}"#, token: flow.admin)
            #expect(try await client.send(.post, "/api/v1/applications/\(id)/sign", json: "{}", token: national).status == .forbidden)
            #expect(try await client.send(.get, "/api/v1/applications/\(id)/signoffs", token: flow.enterprise).status == .forbidden)
            try await sign("director")
            #expect(try await flow.state(id)["state"] as? String == "approved")
            let org = try await client.send(.get, "/api/v1/applications/\(id)/signoffs", token: o["chief"]!.token).json()
            let rows = try #require(org["signoffs"] as? [[String: Any]])
            #expect(rows.map { "\($0["round"]!)\($0["rank"]!)\($0["outcome"]!)" } ==
                    ["1handlersigned", "1section_chiefreturned", "2handlersigned", "2section_chiefsigned", "2directorsigned"])
            #expect(try await s.db.read { try await DocumentStore.list($0, applicationID: id) }.map(\.kind) == [.acceptanceNotice, .grantDecision])
            let notice = try #require(try await s.db.read { try await DocumentStore.list($0, applicationID: id) }.first)
            #expect(notice.content.contains(#""decision_days":20"#), "the authority's own limit is the one the notice gives")
        }
    }

    /// Simplified renewal follows the authority's setting, never for fertilizer, never for an enterprise on a credit list.
    @Test func simplifiedRenewalFollowsTheAuthority() async throws {
        try await Harness.run { client, s in
            let flow = try await Flow.start(client, s)
            let o = try await Self.officers(client, s, admin: flow.admin)
            func check(_ units: [String], listed: Bool = false) async throws -> String? {
                do {
                    try await s.db.read { try await s.licensing.checkSimplifiedRenewal($0, authority: "440000", units: units, creditListed: listed) }
                    return nil
                } catch let e as AppError { return e.code.rawValue }
            }
            #expect(try await check(["1001"]) == nil)
            #expect(try await check(["0901"]) == "renewal.simplified_unit")
            #expect(try await check(["1001"], listed: true) == "renewal.simplified_credit")
            _ = try await client.send(.put, "/api/v1/authorities/440000/settings", json: #"{"simplified_units":["1002"]}"#, token: o["director"]!.token)
            #expect(try await check(["1001"]) == "renewal.simplified_unit")
            #expect(try await check(["1002"]) == nil)
            _ = try await client.send(.put, "/api/v1/authorities/440000/settings", json: #"{"simplified_renewal":false}"#, token: o["director"]!.token)
            #expect(try await check(["1002"]) == "renewal.simplified_closed")
        }
    }

    /// The same through the pages: the administrator sets a rank, the director the chain, the officers take, sign and decide.
    @Test func thePagesOrganiseTheOffice() async throws {
        try await Harness.run { client, s in
            let flow = try await Flow.start(client, s)
            let o = try await Self.officers(client, s, admin: flow.admin)
            let admin = try await client.browser("root")
            let users = try await client.get("/admin/users?lang=en", headers: [.cookie: admin.cookie])
            #expect(users.status == .ok && users.text.contains("section chief") && users.readsClean)
            #expect(try await client.submit("/admin/users/\(o["clerk2"]!.id)/rank", [("rank", "section_chief")], admin).status == .seeOther)
            #expect(try await s.db.read { try await OrganisationStore.rank($0, userID: o["clerk2"]!.id) } == .sectionChief)

            let director = try await client.browser("director")
            let form = try await client.get("/authority/settings?lang=en", headers: [.cookie: director.cookie])
            #expect(form.status == .ok && form.text.contains("Save") && form.readsClean)
            let tooLong = try await client.submit("/authority/settings?lang=en", [("decision_days", "99"), ("rank_director", "1")], director)
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("value=\"99\""), "what was typed stays")
            let saved = try await client.submit("/authority/settings?lang=en", [("decision_days", "25"), ("simplified_renewal", "1"),
                                                                                 ("rank_handler", "1"), ("rank_director", "1")], director)
            #expect(saved.status == .ok && saved.text.contains("saved"), "\(saved.text.prefix(300))")
            #expect(try await s.db.read { try await OrganisationStore.settings($0, authority: "440000") }.signOff == [.handler, .director])
            let clerk = try await client.browser("clerk1")
            let readOnly = try await client.get("/authority/settings?lang=en", headers: [.cookie: clerk.cookie])
            #expect(readOnly.status == .ok && readOnly.text.contains("Only a director"))

            let id = try #require(try await flow.submit(kind: "new", route: "commitment")["id"] as? Int)
            try await flow.act(id, "accept")
            let casePage = try await client.get("/applications/\(id)?lang=en", headers: [.cookie: clerk.cookie])
            #expect(casePage.status == .ok && casePage.text.contains("Handle it myself") && casePage.readsClean)
            #expect(try await client.submit("/applications/\(id)/handler", [], clerk).status == .seeOther)
            let proposing = try await client.get("/applications/\(id)?lang=en", headers: [.cookie: clerk.cookie])
            #expect(proposing.text.contains("Proposed decision"), "the handler proposes")
            #expect(try await client.submit("/applications/\(id)/sign", [("decision", "approve"), ("note", "条件符合")], clerk).status == .seeOther)
            let signing = try await client.get("/applications/\(id)?lang=en", headers: [.cookie: director.cookie])
            #expect(signing.text.contains("条件符合") && signing.text.contains(">Sign<"))
            #expect(try await client.submit("/applications/\(id)/sign", [], director).status == .seeOther)
            #expect(try await flow.state(id)["state"] as? String == "approved")
            let after = try await client.get("/applications/\(id)?lang=en", headers: [.cookie: director.cookie])
            #expect(!after.text.contains("Next to sign") && !after.text.contains(">Sign<"), "nothing to sign once decided")
        }
    }
}
