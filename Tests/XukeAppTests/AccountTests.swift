import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import XukeApp
import XukeStorage
import XukeDomain
import SQLKit

@Suite struct AccountTests {
    @Test func loginNeedsCSRFAndSetsAHardenedCookie() async throws {
        try await Harness.run { client, s in
            _ = try await s.createUser(username: "alice", displayName: "Alice", password: "correct horse battery", role: "admin",
                                       jurisdiction: nil, enterpriseUSCC: nil)
            let forged = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "username=alice&password=correct+horse+battery"))
            #expect(forged.status == .forbidden)
            let (cookie, r) = try await client.browserSignIn(username: "alice", password: "correct horse battery")
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/account")
            let setCookie = r.headers[values: .setCookie].first { $0.hasPrefix("xuke_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
            let account = try await client.get("/account", headers: [.cookie: cookie])
            #expect(account.status == .ok && account.text.contains("alice"))
            // A cookie-authenticated API write without the CSRF header is refused.
            let noHeader = try await client.send(.post, "/api/v1/me/tokens", json: #"{"name":"x"}"#, headers: [.cookie: cookie])
            #expect(noHeader.status == .forbidden && noHeader.errorCode == ErrorCode.csrf.invalid)
            // Signed out, the session no longer works.
            let csrf = String(cookie.split(separator: ";")[0].dropFirst("xuke_csrf=".count))
            let sessionCSRF = account.text.firstMatch(of: /name="_csrf" value="([^"]+)"/).map { String($0.1) } ?? csrf
            let out = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                               body: ByteBuffer(string: "_csrf=\(sessionCSRF)"))
            #expect(out.status == .seeOther)
            let after = try await client.get("/account", headers: [.cookie: cookie])
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    /// A burst of wrong passwords for one account from one address: each attempt is counted before its password
    /// is checked, so only the free ones (and the one that starts the wait) reach bcrypt, none fails with a 5xx, and
    /// the account's owner signing in from elsewhere is not held up.
    @Test func signInFailuresSlowTheGuesserNotTheAccount() async throws {
        try await Harness.run { client, s in
            _ = try await s.createUser(username: "bob", displayName: "Bob", password: "correct horse battery", role: "officer",
                                       jurisdiction: "440000", enterpriseUSCC: nil)
            s.clock.set(Date())  // the waits are seconds long; time stands still for the test
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<100 {
                    group.addTask { try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"bob","password":"wrong password"}"#).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests }, "\(Set(statuses.map(\.code)))")
            #expect(statuses.filter { $0 == .unauthorized }.count <= s.config.loginFreeFailures + 1)
            let blocked = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"bob","password":"correct horse battery"}"#)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers[.retryAfter].flatMap { Int($0) }.map { $0 >= 1 } == true)
            let owner = try await s.accounts.authenticate(username: "bob", password: "correct horse battery", address: "198.51.100.7")
            #expect(owner.username == "bob")
            // Guessers on many addresses each wait on their own; none of it falls on the owner.
            for n in 1...30 {
                for _ in 0...s.config.loginFreeFailures {
                    _ = try? await s.accounts.authenticate(username: "bob", password: "wrong password", address: "203.0.113.\(n)")
                }
            }
            #expect(try await s.accounts.authenticate(username: "bob", password: "correct horse battery", address: "198.51.100.8").username == "bob")
            // One IPv6 subscriber is one client, whichever of its addresses it uses.
            #expect(s.accounts.signInKeys(username: "bob", address: "2001:db8:1:2::5")[0].0 == s.accounts.signInKeys(username: "bob", address: "2001:db8:1:2:ffff::9")[0].0)
            #expect(s.accounts.signInKeys(username: "bob", address: "2001:db8:1:3::5")[0].0 != s.accounts.signInKeys(username: "bob", address: "2001:db8:1:2::5")[0].0)
            // A name no account can have costs nothing to refuse.
            await #expect(throws: AppError.self) { try await s.accounts.authenticate(username: String(repeating: "a\u{301}", count: 5000), password: "x", address: "192.0.2.1") }
        }
    }

    /// An administrator disables an account (its tokens and sessions stop at once) and hands its owner a one-time
    /// link to set a new password; the link works once, and the new password ends every earlier token.
    @Test func administratorsDisableAccountsAndIssueOneTimeResetLinks() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "root", role: "admin")
            let token = try await client.token(s, username: "dora", role: "lab")
            let dora = try #require(try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(token)"]).json()["id"] as? Int)
            let me = try #require(try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(admin)"]).json()["id"] as? Int)
            #expect(try await client.send(.post, "/api/v1/users/\(me)/disable", json: "{}", token: admin).errorCode == ErrorCode.user.`self`)
            #expect(try await client.send(.post, "/api/v1/users/\(dora)/disable", json: "{}", token: token).status == .forbidden)
            #expect(try await client.send(.post, "/api/v1/users/\(dora)/disable", json: "{}", token: admin).status == .noContent)
            #expect(try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(token)"]).errorCode == ErrorCode.auth.badToken)
            let refused = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"dora","password":"correct horse battery"}"#)
            #expect(refused.status == .unauthorized)
            #expect(try await client.send(.post, "/api/v1/users/\(dora)/enable", json: "{}", token: admin).status == .noContent)
            let second = try #require(try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"dora","password":"correct horse battery"}"#).json()["token"] as? String)

            let reset = try await client.send(.post, "/api/v1/users/\(dora)/password-reset", json: "{}", token: admin)
            #expect(reset.status == .created)
            let link = try #require(try reset.json()["link"] as? String)
            let path = try #require(URLComponents(string: link)?.path)
            let page = try await client.get(path)
            #expect(page.status == .ok && page.text.contains("dora"))
            let csrf = try #require(page.cookies["xuke_csrf"])
            func post(_ new: String, _ confirm: String) async throws -> TestResponse {
                try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "xuke_csrf=\(csrf)"],
                                         body: ByteBuffer(string: "_csrf=\(csrf)&new=\(new)&confirm=\(confirm)"))
            }
            #expect(try await post("short", "short").status == .unprocessableContent)
            #expect(try await post("a-new-long-password", "a-new-long-password").status == .seeOther)
            #expect(try await post("another-long-password", "another-long-password").status == .notFound, "used once")
            #expect(try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(second)"]).errorCode == ErrorCode.auth.badToken, "a new password ends every token")
            let fresh = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"dora","password":"a-new-long-password"}"#)
            #expect(fresh.status == .created)
        }
    }

    @Test func apiTokensAreHashedAndRevocable() async throws {
        try await Harness.run { client, s in
            let token = try await client.token(s, username: "carol", role: "lab")
            let me = try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(token)"]).json()
            #expect(me["username"] as? String == "carol")
            let stored = try await s.db.read { try await $0.raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) } }
            #expect(!stored.contains(token) && stored.count == 1)
            let list = try await client.get("/api/v1/me/tokens", headers: [.authorization: "Bearer \(token)"])
            let id = try #require(try list.list().first?["id"] as? Int)
            let revoke = try await client.execute(uri: "/api/v1/me/tokens/\(id)", method: .delete, headers: [.authorization: "Bearer \(token)"], body: nil)
            #expect(revoke.status == .noContent)
            let denied = try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(token)"])
            #expect(denied.status == .unauthorized && denied.errorCode == ErrorCode.auth.badToken)
            #expect(try await client.get("/api/v1/me").status == .unauthorized)
        }
    }

    @Test func onlyAdministratorsManageUsers() async throws {
        try await Harness.run { client, s in
            let admin = try await client.token(s, username: "root", role: "admin")
            let lab = try await client.token(s, username: "lab1", role: "lab")
            let body = #"{"username":"dave","display_name":"Dave","password":"long enough pw","role":"officer","jurisdiction":"310000"}"#
            #expect(try await client.send(.post, "/api/v1/users", json: body, token: lab).status == .forbidden)
            #expect(try await client.send(.post, "/api/v1/users", json: body, token: admin).status == .created)
            #expect(try await client.send(.post, "/api/v1/users", json: body, token: admin).status == .conflict)
            let badDivision = body.replacingOccurrences(of: "dave", with: "erin").replacingOccurrences(of: "310000", with: "999999")
            #expect(try await client.send(.post, "/api/v1/users", json: badDivision, token: admin).status == .unprocessableContent)
            let shortPassword = body.replacingOccurrences(of: "dave", with: "fay").replacingOccurrences(of: "long enough pw", with: "short")
            #expect(try await client.send(.post, "/api/v1/users", json: shortPassword, token: admin).errorCode == ErrorCode.user.password)
        }
    }
}
