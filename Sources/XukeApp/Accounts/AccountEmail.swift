import Foundation
import SQLKit
import XukeDomain
import XukeStorage

/// A user's e-mail address: set by its owner, used only once the owner opens the link mailed to it, so that no one
/// can point the platform's mail at a stranger's inbox (and a stranger's inbox gets at most three links a day).
extension AccountService {
    /// Hours a confirmation link stays usable.
    static let confirmHours = 24
    /// Confirmation mails one user may ask for in a day, and one address may receive.
    static let confirmationsPerDay = 5
    static let confirmationsPerAddress = 3

    struct EmailStatus: Sendable {
        var confirmed: String?
        var pending: MailStore.Pending?
    }

    func emailStatus(of user: User) async throws -> EmailStatus {
        let now = clock.stamp
        return try await db.read { sql in
            EmailStatus(confirmed: try await UserStore.get(sql, id: user.id)?.email, pending: try await MailStore.pending(sql, userID: user.id, now: now))
        }
    }

    /// Records the address as waiting and mails it the link; the address in use (if any) stays until the link is opened.
    func askEmailConfirmation(for user: User, address text: String) async throws -> MailStore.Pending {
        guard text.utf8.count <= 320, let address = EmailAddress(text) else {
            throw AppError(.mail.address, ["address": String(text.prefix(100))])
        }
        let token = Secrets.token()
        let now = clock.now()
        let stamp = Timestamp.string(now)
        let expires = Timestamp.string(now.addingTimeInterval(Double(Self.confirmHours) * 3600))
        let link = "\(config.effectivePublicURL)/account/email/confirm/\(token)"
        let body = notifier.bilingual("mail.confirm.body") { _ in
            ["name": user.displayName, "username": user.username, "address": address.value, "link": link, "hours": "\(Self.confirmHours)"]
        }
        try await db.write { sql in
            // The user's row first: two requests of one user count one after the other.
            try await UserStore.lockForUpdate(sql, id: user.id)
            let asked = try await MailStore.confirmationsAsked(sql, userID: user.id, address: address.value, since: Timestamp.string(now.addingTimeInterval(-86400)))
            guard asked.byUser < Self.confirmationsPerDay, asked.toAddress < Self.confirmationsPerAddress else {
                throw AppError(.mail.tooMany, ["limit": "\(Self.confirmationsPerDay)"])
            }
            try await MailStore.askConfirmation(sql, tokenHash: Secrets.hash(token), userID: user.id, address: address.value, now: stamp,
                                                expiresAt: expires, subject: notifier.subject("mail.confirm.subject"), body: body)
        }
        return MailStore.Pending(address: address.value, expiresAt: expires)
    }

    /// The address a link would confirm, without using it up (the page asks before it confirms: a mail scanner that
    /// follows links must not confirm on the owner's behalf).
    func emailConfirmation(token: String) async throws -> String { try await confirmation(token: token, consume: false) }

    func confirmEmail(token: String) async throws -> String { try await confirmation(token: token, consume: true) }

    private func confirmation(token: String, consume: Bool) async throws -> String {
        guard token.utf8.count <= 64 else { throw AppError(.mail.confirmationUnusable) }
        let (now, hash) = (clock.stamp, Secrets.hash(token))
        let look: @Sendable (any SQLDatabase) async throws -> (userID: Int, address: String)? = {
            try await MailStore.confirmation($0, tokenHash: hash, now: now, consume: consume)
        }
        guard let found = try await (consume ? db.write(look) : db.read(look)) else { throw AppError(.mail.confirmationUnusable) }
        return found.address
    }

    func removeEmail(of user: User) async throws {
        try await db.write { try await MailStore.removeAddress($0, userID: user.id, at: clock.stamp) }
    }
}
