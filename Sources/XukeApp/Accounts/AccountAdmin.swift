import Foundation
import Synchronization
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage

/// What an administrator does to other accounts: disable or enable one (a disabled account's sessions and
/// tokens end at once), and issue a one-time link that lets its owner set a new password.
extension AccountService {
    /// Hours a password-reset link stays usable.
    static let resetHours = 24

    func setDisabled(userID: Int, disabled: Bool, by admin: User) async throws {
        guard userID != admin.id else {
            throw AppError(.user.`self`)
        }
        try await db.write { try await UserStore.setDisabled($0, userID: userID, disabled: disabled, actor: admin.actor, at: clock.stamp) }
    }

    struct ResetLink: Encodable, Sendable { var link: String; var expiresAt: String }

    /// An officer's rank in the sign-off chains of their authority: set by administrators, who keep accounts.
    func setRank(userID: Int, rank: OfficerRank, by admin: User) async throws {
        guard admin.role == .administrator else { throw AppError.roleForbidden }
        try await db.write { try await OrganisationStore.setRank($0, userID: userID, rank: rank, actor: admin.actor, at: clock.stamp) }
    }

    /// A link shown once to the administrator, who hands it to the user by a channel they trust; only its hash is kept.
    func issuePasswordReset(userID: Int, by admin: User) async throws -> ResetLink {
        let token = Secrets.token()
        let now = clock.now()
        let expires = Timestamp.string(now.addingTimeInterval(Double(Self.resetHours) * 3600))
        try await db.write {
            try await UserStore.createPasswordReset($0, tokenHash: Secrets.hash(token), userID: userID, by: admin.id, now: Timestamp.string(now), expiresAt: expires)
        }
        return ResetLink(link: "\(config.effectivePublicURL)/reset/\(token)", expiresAt: expires)
    }

    /// The account a reset link opens, or a refusal that says no more than "unusable".
    func resetTarget(token: String) async throws -> User {
        let now = clock.stamp
        guard token.utf8.count <= 64, let user = try await db.read({ try await UserStore.passwordReset($0, tokenHash: Secrets.hash(token), now: now, consume: false) }) else {
            throw Self.resetUnusable
        }
        return user
    }

    /// Sets the new password and uses the link up; every session and token of the account ends.
    func resetPassword(token: String, password: String, confirm: String) async throws {
        guard password == confirm else {
            throw AppError(.user.passwordMismatch)
        }
        try checkPassword(password)
        _ = try await resetTarget(token: token)  // an unusable link costs no bcrypt
        let hash = try await hashPassword(password)
        let now = clock.stamp
        try await db.write { sql in
            guard token.utf8.count <= 64, let user = try await UserStore.passwordReset(sql, tokenHash: Secrets.hash(token), now: now, consume: true) else {
                throw Self.resetUnusable
            }
            try await UserStore.setPassword(sql, userID: user.id, passwordHash: hash, actor: "user/\(user.id)", at: clock.stamp)
        }
    }

    static let resetUnusable = AppError(.user.resetUnusable)
}

/// Sign-in attempts on one account go one at a time (striped by username), and the moments before which a
/// throttling key may not be tried, as this server last wrote or read them, answer a burst without the database.
/// The database stays the authority: a remembered wait only ever refuses what the database would refuse too,
/// unless a success on another server has cleared it since, which costs that client at most the remaining wait.
final class SignInGates: Sendable {
    private let gates = (0..<64).map { _ in AsyncGate() }
    private let waits = Mutex<[String: Int64]>([:])

    func gate(for username: String) -> AsyncGate {
        var h: UInt64 = 1469598103934665603
        for b in username.utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        return gates[Int(h % UInt64(gates.count))]
    }

    /// The longest remaining wait among the keys, if any is known to be waiting.
    func knownWait(_ keys: [String], now: Int64) -> Int? {
        let longest = waits.withLock { w in keys.compactMap { w[$0] }.max() }
        guard let longest, longest > now else { return nil }
        return Int(longest - now)
    }

    func remember(_ next: [String: Int64]) {
        waits.withLock { w in
            if w.count > 100_000 { w.removeAll() }
            for (k, v) in next { w[k] = v }
        }
    }

    func forget(_ keys: [String]) {
        waits.withLock { w in for k in keys { w[k] = nil } }
    }
}
