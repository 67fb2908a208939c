import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

/// Every route of the router × every kind of caller → the answer the route's declared policy expects.
/// Routes come from the router's own table, so a route added without a policy fails here.
@Suite struct AuthorizationMatrixTests {
    /// Codes a handler uses to refuse a caller for their role (not for a record outside their reach). An admitted
    /// role must never meet one of these: that would mean the declared policy is wider than the handler's.
    static let roleRefusals: Set<String> = [
        ErrorCode.auth.forbidden.rawValue, ErrorCode.supervision.officerOnly.rawValue, ErrorCode.cases.applicantOnly.rawValue, ErrorCode.application.enterpriseOnly.rawValue, ErrorCode.duty.enterpriseOnly.rawValue,
        ErrorCode.objection.enterpriseOnly.rawValue, ErrorCode.report.labOnly.rawValue, ErrorCode.upload.role.rawValue, ErrorCode.registry.nationalOnly.rawValue,
    ]

    struct Persona: Sendable {
        var name: String
        var role: Role?
        var token: String?
        var national = true
    }

    /// A concrete request path for a route pattern: parameters become values that name nothing.
    static func concrete(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            if part == "**" { return "0/000" }
            if part.hasPrefix("{") || part.hasPrefix(":") { return "999999" }
            return String(part)
        }.joined(separator: "/")
    }

    @Test func everyRouteDeclaresAPolicyAndEveryPolicyNamesARoute() async throws {
        try await Harness.run { _, s in
            let router = XukeApplication.router(s)
            var declared = Set(RoutePolicies.table.keys)
            var missing: [String] = []
            for r in router.routes {
                let key = "\(r.method.rawValue) \(r.path)"
                if declared.remove(key) == nil { missing.append(key) }
            }
            #expect(missing.isEmpty, "routes without a declared policy: \(missing.sorted())")
            #expect(declared.isEmpty, "policies naming no route: \(declared.sorted())")
        }
    }

    @Test func everyRouteAnswersEachCallerAsItsPolicySays() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "m-admin", role: "admin")
            _ = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.shenzhen, name: "甲", division: "440305"), token: admin)
            _ = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.shanghai, name: "乙", division: "310115"), token: admin)
            var personas = [Persona(name: "anonymous", role: nil, token: nil), Persona(name: "admin", role: .administrator, token: admin)]
            func add(_ name: String, _ role: Role, jurisdiction: String? = nil, enterprise: String? = nil) async throws {
                personas.append(Persona(name: name, role: role,
                                        token: try await client.token(s, username: name, role: role.rawValue, jurisdiction: jurisdiction, enterprise: enterprise),
                                        national: jurisdiction == nil))
            }
            try await add("m-ent-a", .enterprise, enterprise: Fixtures.shenzhen)
            try await add("m-ent-b", .enterprise, enterprise: Fixtures.shanghai)
            try await add("m-off-national", .officer)
            try await add("m-off-gd", .officer, jurisdiction: "440000")
            try await add("m-off-sh", .officer, jurisdiction: "310000")
            try await add("m-off-sz", .officer, jurisdiction: "440300")
            try await add("m-off-county", .officer, jurisdiction: "440305")
            try await add("m-verifier-1", .verifier)
            try await add("m-verifier-2", .verifier)
            try await add("m-lab-1", .lab)
            try await add("m-lab-2", .lab)
            // A review body acts through its member verifiers: one registered body, one member.
            try await add("m-review-member", .verifier)
            let body = try await client.send(.post, "/api/v1/review-bodies",
                                             json: #"{"name":"广东审查中心","uscc":"\#(Fixtures.shenzhen)","division_code":"440300","registered_on":"2024-05-01"}"#, token: admin)
            let bodyCode = try #require(try body.json()["code"] as? String, "\(body.text)")
            let member = try #require(try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(personas.last!.token!)"]).json()["id"] as? Int)
            #expect(try await client.send(.post, "/api/v1/review-bodies/\(bodyCode)/members", json: #"{"user_id":\#(member)}"#, token: admin).status == .noContent)
            for (name, scopes) in [("m-agency-scoped", "licenses"), ("m-agency-unscoped", "credit")] {
                let r = try await client.send(.post, "/api/v1/agency-clients", json: #"{"username":"\#(name)","display_name":"\#(name)","password":"correct horse battery","agency":"税务局","sector":"tax","scopes":"\#(scopes)"}"#, token: admin)
                if r.status == .created {
                    let t = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"\#(name)","password":"correct horse battery"}"#)
                    personas.append(Persona(name: name, role: .agency, token: try t.json()["token"] as? String))
                }
            }
            #expect(personas.count == 16)

            let routes = XukeApplication.router(s).routes.sorted { "\($0.path)\($0.method)" < "\($1.path)\($1.method)" }
            var failures: [String] = []
            var checked = 0
            for route in routes {
                let key = "\(route.method.rawValue) \(route.path)"
                guard let policy = RoutePolicies.table[key] else { failures.append("\(key): no policy"); continue }
                // Sign-in and sign-out change who is asking; their own tests cover them.
                if ["POST /login", "POST /logout", "POST /api/v1/auth/token"].contains(key) { continue }
                let uri = Self.concrete("\(route.path)")
                for p in personas {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let t = p.token { headers[.authorization] = "Bearer \(t)" }
                    let body = route.method == .get || route.method == .head ? nil : ByteBuffer(string: "{}")
                    let r = try await client.execute(uri: uri, method: route.method, headers: headers, body: body)
                    checked += 1
                    let code = (r.errorCode ?? r.pageErrorCode)?.rawValue
                    if r.status.code >= 500 {
                        failures.append("\(key) as \(p.name): \(r.status.code) \(code ?? "")")
                    } else if policy.admits(role: p.role, national: p.national) {
                        if (r.status == .unauthorized && [ErrorCode.auth.required.rawValue, ErrorCode.auth.badToken.rawValue].contains(code ?? "")) || (r.status == .forbidden && Self.roleRefusals.contains(code ?? "")) {
                            failures.append("\(key) as \(p.name): admitted by policy but refused \(r.status.code) \(code ?? "")")
                        }
                    } else {
                        let expected: HTTPResponse.Status = p.role == nil ? .unauthorized : .forbidden
                        let seeOther = p.role == nil && route.method == .get && !key.contains(" /api/") && r.status == .seeOther
                        if r.status != expected && !seeOther {
                            failures.append("\(key) as \(p.name): expected \(expected.code), got \(r.status.code) \(code ?? "")")
                        }
                    }
                }
            }
            #expect(checked > 3000)
            #expect(failures.isEmpty, "\(failures.count) answers differ from the declared policies:\n\(failures.joined(separator: "\n"))")
        }
    }
}
