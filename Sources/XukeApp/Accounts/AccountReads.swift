import Foundation
import XukeDomain
import XukeStorage

/// What the account and enterprise routes read and change beside the use cases proper.
extension AccountService {
    func tokens(of user: User) async throws -> [UserStore.APIToken] {
        try await db.read { try await UserStore.tokens($0, userID: user.id) }
    }

    func revokeToken(_ id: Int, of user: User) async throws {
        try await db.write { try await UserStore.revokeToken($0, userID: user.id, tokenID: id, at: clock.stamp) }
    }

    /// A signed-in user's new password, after their current one is checked again.
    func changePassword(of user: User, current: String, new: String, confirm: String, address: String) async throws {
        _ = try await authenticate(username: user.username, password: current, address: address)
        guard new == confirm else { throw AppError(.user.passwordMismatch) }
        try checkPassword(new)
        let hash = try await hashPassword(new)
        try await db.write { try await UserStore.setPassword($0, userID: user.id, passwordHash: hash, actor: user.actor, at: clock.stamp) }
    }

    func endSession(tokenHash: String) async throws {
        try await db.write { try await UserStore.deleteSession($0, tokenHash: tokenHash) }
    }

    func users() async throws -> [User] {
        try await db.read { try await UserStore.list($0) }
    }

    /// The platform's events, oldest first, after an event id.
    func events(subject: String?, after: Int, limit: Int) async throws -> [Event] {
        try await db.read { try await Events.list($0, subject: subject, after: after, limit: limit) }
    }

    // MARK: Enterprises

    func enterprises(matching query: String, for user: User, limit: Int, after: String? = nil, offset: Int = 0) async throws -> [EnterpriseStore.Summary] {
        try await db.read { try await EnterpriseStore.search($0, query: query, visibility: user.visibility, limit: limit, offset: offset, after: after) }
    }

    func enterprise(_ uscc: String, for user: User) async throws -> Enterprise {
        guard let e = try await db.read({ try await EnterpriseStore.get($0, uscc: uscc, visibility: user.visibility) }) else {
            throw AppError.notFound(uscc)
        }
        return e
    }

    /// An enterprise's history, with the names of those who acted.
    func enterpriseHistory(_ uscc: String) async throws -> (events: [Event], actors: [String: String]) {
        try await db.read { sql in
            let events = try await Events.list(sql, subject: "enterprise/\(uscc)")
            return (events, try await UserStore.actorNames(sql, events.map(\.actor)))
        }
    }

    func enterpriseCount() async throws -> Int {
        try await db.read { try await EnterpriseStore.count($0) }
    }
}
