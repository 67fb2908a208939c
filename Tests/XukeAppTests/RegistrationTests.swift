import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

@Suite struct RegistrationTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("营业执照副本 scan".utf8))
    static let password = "a long enough secret"

    static func fields(uscc: String = Fixtures.shenzhen, name: String = "深圳示例食品包装有限公司", legal: String = "张三", username: String = "szpack",
                       email: String = "boss@szpack.example", password: String = RegistrationTests.password, confirm: String? = nil) -> [(String, String)] {
        [("uscc", uscc), ("enterprise_name", name), ("legal_representative", legal), ("username", username), ("display_name", "王经理"),
         ("email", email), ("password", password), ("confirm", confirm ?? password)]
    }

    /// Posts the sign-up form as a browser would: the page's form token, the fields, the licence copy.
    static func signUp(_ client: any TestClientProtocol, _ fields: [(String, String)], licence: Data? = png) async throws -> TestResponse {
        let page = try await client.get("/signup?lang=en")
        let csrf = try #require(page.cookies["xuke_csrf"])
        return try await client.execute(uri: "/signup?lang=en", method: .post,
                                        headers: [.cookie: "xuke_csrf=\(csrf)", .contentType: "multipart/form-data; boundary=xukeBoundary42"],
                                        body: LicensingPageTests.multipart([("_csrf", csrf)] + fields, files: licence.map { [("licence", "执照.png", $0)] } ?? []))
    }

    /// The newest message queued for an address, and the one-time link in it.
    static func mail(_ s: AppServices, to address: String, path: String) async throws -> (MailStore.Outgoing, String)? {
        let queued = try await s.db.read { try await MailStore.due($0, now: "9999", limit: 1000) }.filter { $0.toAddress == address }
        guard let last = queued.last, let range = last.body.range(of: #"\#(path)[A-Za-z0-9_-]+"#, options: .regularExpression) else { return nil }
        return (last, String(last.body[range].dropFirst(path.count)))
    }

    static func register(_ client: any TestClientProtocol, _ s: AppServices, division: String = "440305") async throws {
        let admin = try await client.token(s, username: "root", role: "admin")
        let r = try await client.send(.post, "/api/v1/enterprises", json: Fixtures.enterprise(Fixtures.shenzhen, name: "深圳示例食品包装有限公司", division: division),
                                      token: admin)
        #expect(r.status == .created, "\(r.text)")
    }

    /// The whole way in: sign up with the licence copy, confirm the address from the mail, an officer of the area
    /// looks at the copy beside the register and approves; the applicant signs in as the enterprise's administrator.
    @Test func anEnterpriseSignsUpAndAnOfficerOfItsAreaApproves() async throws {
        try await Harness.run { client, s in
            try await Self.register(client, s)
            let sent = try await Self.signUp(client, Self.fields())
            #expect(sent.status == .accepted && sent.text.contains("boss@szpack.example"), "\(sent.text.prefix(500))")
            let (message, token) = try #require(try await Self.mail(s, to: "boss@szpack.example", path: "/signup/confirm/"))
            #expect(message.body.contains("深圳示例食品包装有限公司") && message.body.contains("Open this link"))
            #expect(try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"szpack","password":"\#(Self.password)"}"#).status == .unauthorized,
                    "no account before approval")

            let ask = try await client.get("/signup/confirm/\(token)?lang=en")
            #expect(ask.status == .ok && ask.text.contains("szpack") && ask.readsClean)
            let csrf = try #require(ask.cookies["xuke_csrf"])
            let confirmed = try await client.execute(uri: "/signup/confirm/\(token)?lang=en", method: .post,
                                                     headers: [.cookie: "xuke_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                                                     body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(confirmed.status == .ok && confirmed.text.contains("waits for an officer"), "\(confirmed.text.prefix(400))")
            #expect(try await client.get("/signup/confirm/\(token)").status == .notFound, "the link is used up")

            // An officer of another province neither sees it nor decides it; one of Shenzhen does both.
            let far = try await client.token(s, username: "officer-bj", role: "officer", jurisdiction: "110000")
            let list = try await client.send(.get, "/api/v1/registrations", token: far)
            #expect((try list.json()["items"] as? [Any])?.isEmpty == true)
            let id = try #require(try await s.db.read { try await RegistrationStore.list($0, state: .waiting, areaPrefix: "", limit: 5, offset: 0) }.first?.id)
            #expect(try await client.send(.post, "/api/v1/registrations/\(id)/approve", token: far).status == .forbidden)

            _ = try await client.token(s, username: "officer-sz", role: "officer", jurisdiction: "440300")
            let officer = try await client.browser("officer-sz")
            let queue = try await client.get("/registrations?lang=en", headers: [.cookie: officer.cookie])
            #expect(queue.status == .ok && queue.text.contains("/registrations/\(id)") && queue.readsClean)
            let detail = try await client.get("/registrations/\(id)?lang=en", headers: [.cookie: officer.cookie])
            #expect(detail.status == .ok && detail.text.contains("in the register") && !detail.text.contains("differs from the register") && detail.readsClean)
            let copy = try await client.get("/registrations/\(id)/licence", headers: [.cookie: officer.cookie])
            #expect(copy.status == .ok && Data(copy.body.readableBytesView) == Self.png)
            let approved = try await client.submit("/registrations/\(id)/approve?lang=en", [], officer)
            #expect(approved.status == .seeOther || approved.status == .found, "\(approved.text.prefix(300))")

            let user = try #require(try await s.db.read { try await UserStore.enterpriseUsers($0, uscc: Fixtures.shenzhen) }.first)
            #expect(user.username == "szpack" && user.enterpriseAdmin && user.email == "boss@szpack.example")
            #expect(try await s.db.read { try await MailStore.due($0, now: "9999", limit: 100) }.contains { $0.toAddress == "boss@szpack.example" && $0.body.contains("/login") })
            let signIn = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"szpack","password":"\#(Self.password)"}"#)
            #expect(signIn.status == .created)
            #expect(try await client.send(.post, "/api/v1/registrations/\(id)/approve", token: try await client.token(s, username: "officer-sz2", role: "officer", jurisdiction: "440000")).status == .conflict,
                    "approved once only")
            let events = try await s.db.read { try await Events.list($0, limit: 1000) }.map(\.type)
            for type in ["registration.submitted", "registration.confirmed", "registration.approved"] { #expect(events.contains(type)) }
        }
    }

    /// Bad input comes back on the page with what was typed (never the password), in the page's language.
    @Test func badInputIsRefusedWithWhatWasTypedKept() async throws {
        try await Harness.run { client, s in
            let badCheck = String(Fixtures.shenzhen.dropLast()) + (Fixtures.shenzhen.last == "3" ? "4" : "3")
            let cases: [([(String, String)], Data?, String)] = [
                (Self.fields(uscc: badCheck), Self.png, "check"),
                (Self.fields(confirm: "another long secret"), Self.png, "match"),
                (Self.fields(password: "short"), Self.png, "10 to 72"),
                (Self.fields(email: "not-an-address"), Self.png, "not-an-address"),
                (Self.fields(), nil, "business licence"),
                (Self.fields(), Data("GIF89a".utf8), "PDF"),
                (Self.fields(name: ""), Self.png, "enterprise name"),
            ]
            for (fields, licence, expected) in cases {
                let r = try await Self.signUp(client, fields, licence: licence)
                #expect(r.status.code >= 400 && r.status.code < 500, "\(expected): \(r.status)")
                #expect(r.text.localizedCaseInsensitiveContains(expected), "\(expected): \(r.text.prefix(600))")
                #expect(r.text.contains("value=\"szpack\"") && !r.text.contains(Self.password), "typed values kept, passwords not")
            }
            #expect(try await s.db.read { try await RegistrationStore.list($0, state: .emailPending, areaPrefix: "", limit: 5, offset: 0) }.isEmpty)
            // A username someone holds is refused; so is a fourth registration from one address in a day.
            _ = try await client.token(s, username: "taken", role: "admin")
            #expect(try await Self.signUp(client, Self.fields(username: "taken")).status == .conflict)
            for n in 1...3 { #expect(try await Self.signUp(client, Self.fields(username: "user\(n)")).status == .accepted) }
            #expect(try await Self.signUp(client, Self.fields(username: "user4")).status == .tooManyRequests)
            #expect(try await Self.signUp(client, Self.fields(username: "user1", email: "other@szpack.example")).status == .conflict, "an open registration holds its username")
            s.clock.set(s.clock.now().addingTimeInterval(25 * 3600))
            #expect(try await Self.signUp(client, Self.fields(username: "user1", email: "other@szpack.example")).status == .accepted,
                    "until its link expires unopened")
        }
    }

    /// With the setting on, a registration whose names match the register of an enterprise without accounts opens at once.
    @Test func theRegisterCanApproveByItself() async throws {
        try await Harness.run(configure: { $0.signupAutoApprove = true }) { client, s in
            try await Self.register(client, s)
            // A name that differs from the register waits for an officer.
            _ = try await Self.signUp(client, Self.fields(name: "深圳示例公司", username: "wrongname", email: "a@szpack.example"))
            let (_, first) = try #require(try await Self.mail(s, to: "a@szpack.example", path: "/signup/confirm/"))
            let waiting = try await client.send(.post, "/api/v1/registrations/confirm/\(first)")
            #expect(try waiting.json()["state"] as? String == "waiting", "\(waiting.text)")
            _ = try await Self.signUp(client, Self.fields(email: "b@szpack.example"))
            let (_, second) = try #require(try await Self.mail(s, to: "b@szpack.example", path: "/signup/confirm/"))
            let approved = try await client.send(.post, "/api/v1/registrations/confirm/\(second)")
            #expect(try approved.json()["state"] as? String == "approved", "\(approved.text)")
            #expect(try await s.db.read { try await UserStore.enterpriseUsers($0, uscc: Fixtures.shenzhen) }.map(\.enterpriseAdmin) == [false],
                    "the register's own approval never makes an administrator: only an officer who saw the licence copy does")
        }
    }

    /// An officer refuses with a reason the applicant is mailed; an enterprise not in the register cannot be approved.
    @Test func refusalsGiveReasonsAndTheRegisterComesFirst() async throws {
        try await Harness.run { client, s in
            let officer = try await client.token(s, username: "officer-gd", role: "officer", jurisdiction: "440000")
            _ = try await Self.signUp(client, Self.fields(email: "c@szpack.example"))
            let (_, token) = try #require(try await Self.mail(s, to: "c@szpack.example", path: "/signup/confirm/"))
            _ = try await client.send(.post, "/api/v1/registrations/confirm/\(token)")
            let id = try #require(try await s.db.read { try await RegistrationStore.list($0, state: .waiting, areaPrefix: "44", limit: 5, offset: 0) }.first?.id)
            let r = try await client.send(.get, "/api/v1/registrations/\(id)", token: officer)
            #expect(try r.json()["area"] as? String == "440300", "an enterprise not in the register belongs to the area its USCC names")
            #expect(try await client.send(.post, "/api/v1/registrations/\(id)/approve", token: officer).status == .conflict)
            #expect(try await client.send(.post, "/api/v1/registrations/\(id)/refuse", json: #"{"reason":"  "}"#, token: officer).status == .unprocessableContent)
            let refused = try await client.send(.post, "/api/v1/registrations/\(id)/refuse", json: #"{"reason":"营业执照副本模糊，无法辨认"}"#, token: officer)
            #expect(try refused.json()["state"] as? String == "refused")
            let (mail, _) = try #require(try await Self.mail(s, to: "c@szpack.example", path: ""))
            #expect(mail.body.contains("营业执照副本模糊"))
            let maker = try await client.token(s, username: "anyone", role: "admin")
            #expect(try await client.send(.get, "/api/v1/registrations", token: maker).status == .forbidden, "administrators keep accounts, officers decide links")
        }
    }

    /// The enterprise's administrator adds a user, who sets a password through the mailed link (confirming the
    /// address), and removes one; a plain user of the enterprise may do neither.
    @Test func anEnterpriseAdministratorAddsAndRemovesUsers() async throws {
        try await Harness.run { client, s in
            try await Self.register(client, s)
            _ = try await Self.signUp(client, Self.fields())
            let (_, token) = try #require(try await Self.mail(s, to: "boss@szpack.example", path: "/signup/confirm/"))
            let waiting = try await client.send(.post, "/api/v1/registrations/confirm/\(token)")
            let officer = try await client.token(s, username: "officer-sz", role: "officer", jurisdiction: "440300")
            let approved = try await client.send(.post, "/api/v1/registrations/\(try #require(try waiting.json()["id"] as? Int))/approve", token: officer)
            #expect(approved.status == .ok, "\(approved.text)")
            let boss = try await client.browser("szpack", password: Self.password)
            let page = try await client.get("/enterprise/users?lang=en", headers: [.cookie: boss.cookie])
            #expect(page.status == .ok && page.text.contains("szpack") && page.readsClean)
            let bad = try await client.submit("/enterprise/users?lang=en", [("username", "qc01"), ("display_name", "质检员"), ("email", "nope")], boss)
            #expect(bad.status == .unprocessableContent && bad.text.contains("value=\"质检员\""))
            let added = try await client.submit("/enterprise/users?lang=en", [("username", "qc01"), ("display_name", "质检员"), ("email", "qc@szpack.example")], boss)
            #expect(added.status == .ok && added.text.contains("qc@szpack.example"), "\(added.status) \(added.text.components(separatedBy: "role=\"alert\"").dropFirst().first?.prefix(300) ?? "")")
            let (_, reset) = try #require(try await Self.mail(s, to: "qc@szpack.example", path: "/reset/"))
            let form = try await client.get("/reset/\(reset)")
            let csrf = try #require(form.cookies["xuke_csrf"])
            let set = try await client.execute(uri: "/reset/\(reset)", method: .post, headers: [.cookie: "xuke_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                                               body: ByteBuffer(string: "_csrf=\(csrf)&new=quality+first+always&confirm=quality+first+always"))
            #expect(set.status == .seeOther || set.status == .found, "\(set.status)")
            let qc = try #require(try await s.db.read { try await UserStore.enterpriseUsers($0, uscc: Fixtures.shenzhen) }.first { $0.username == "qc01" })
            #expect(qc.email == "qc@szpack.example" && !qc.enterpriseAdmin, "the link confirmed the address")
            let qcToken = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"qc01","password":"quality first always"}"#)
            let plain = try #require(try qcToken.json()["token"] as? String)
            #expect(try await client.send(.get, "/api/v1/enterprise/users", token: plain).status == .forbidden)
            #expect(try await client.send(.delete, "/api/v1/enterprise/users/\(qc.id)", token: plain).status == .forbidden)

            let removed = try await client.submit("/enterprise/users/\(qc.id)/remove", [], boss)
            #expect(removed.status == .seeOther || removed.status == .found)
            #expect(try await client.send(.get, "/api/v1/me", token: plain).status == .unauthorized, "a removed user's tokens end")
            let other = try await client.token(s, username: "someone", role: "admin")
            #expect(try await client.send(.delete, "/api/v1/enterprise/users/1", token: other).status == .forbidden)
        }
    }

    /// A forgotten password: a link to the confirmed address, the same answer for an unknown account, three a day.
    @Test func aForgottenPasswordIsResetByMail() async throws {
        try await Harness.run(configure: { $0.signupAutoApprove = true }) { client, s in
            try await Self.register(client, s)
            _ = try await Self.signUp(client, Self.fields())
            let (_, token) = try #require(try await Self.mail(s, to: "boss@szpack.example", path: "/signup/confirm/"))
            _ = try await client.send(.post, "/api/v1/registrations/confirm/\(token)")
            #expect(try await client.send(.post, "/api/v1/password-resets", json: #"{"login":"nobody"}"#).status == .noContent)
            let page = try await client.get("/password/forgot?lang=en")
            #expect(page.status == .ok && page.readsClean)
            let csrf = try #require(page.cookies["xuke_csrf"])
            let asked = try await client.execute(uri: "/password/forgot?lang=en", method: .post,
                                                 headers: [.cookie: "xuke_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                                                 body: ByteBuffer(string: "_csrf=\(csrf)&login=boss%40szpack.example"))
            #expect(asked.status == .accepted && asked.text.contains("If the account exists"))
            let (_, link) = try #require(try await Self.mail(s, to: "boss@szpack.example", path: "/reset/"))
            #expect(try await client.get("/reset/\(link)").status == .ok)
            for _ in 1...4 { _ = try await client.send(.post, "/api/v1/password-resets", json: #"{"login":"szpack"}"#) }
            let sent = try await s.db.read { try await MailStore.due($0, now: "9999", limit: 1000) }.filter { $0.body.contains("/reset/") }
            #expect(sent.count == 3, "three links a day: \(sent.count)")
            #expect(try await client.get("/reset/\(link)").status == .ok, "asking again cancels no link: a stranger cannot spoil the one the user holds")
            #expect(try await client.send(.post, "/api/v1/password-resets", json: #"{"login":""}"#).status == .unprocessableContent)
        }
    }
}

extension TestClientProtocol {
    /// A request with no body, as a token holder (or nobody) sends it.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: token.map { [.authorization: "Bearer \($0)"] } ?? [:], body: nil)
    }
}
