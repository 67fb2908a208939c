import XukeDomain
import XukeStorage

/// Data shared both ways (docs/DOMAIN.md §12): agency clients and their scopes, the event feed, webhooks and the
/// daily public dumps.
struct SharingService: Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    /// An agency client is an account of its own.
    let accounts: AccountService
    /// Where the daily dumps are kept.
    let blobs: any BlobStore
}

/// What the sharing routes read.
extension SharingService {
    /// The daily dumps of the last days, newest first.
    func dumps(days: Int) async throws -> [BulkDump] {
        try await db.read { try await SharingStore.dumps($0, days: days) }
    }

    /// An agency's own webhooks; an administrator sees every one.
    func webhooks(for user: User) async throws -> [Webhook] {
        guard user.role == .agency || user.role == .administrator else { throw AppError.roleForbidden }
        return try await db.read { try await SharingStore.webhooks($0, clientID: user.role == .agency ? user.id : nil) }
    }

    func deadLetters(ofWebhook id: Int, by user: User) async throws -> [DeadLetter] {
        let hook = try await ownedWebhook(id, by: user)
        return try await db.read { try await SharingStore.deadLetters($0, webhookID: hook.id) }
    }

    func clients() async throws -> [AgencyClient] {
        try await db.read { try await SharingStore.clients($0) }
    }

    struct Desk: Sendable {
        var clients: [AgencyClient]
        var own: AgencyClient?
        var webhooks: [Webhook]
        var deadLetters: [Int: [DeadLetter]]
    }

    /// The sharing desk: every client for an administrator, an agency's own record; the webhooks each may see
    /// and their parked batches.
    func desk(for user: User) async throws -> Desk {
        guard user.role == .administrator || user.role == .agency else { throw AppError.roleForbidden }
        return try await db.read { sql in
            let clients = user.role == .administrator ? try await SharingStore.clients(sql) : []
            let own = user.role == .agency ? try await SharingStore.client(sql, userID: user.id) : nil
            let hooks = try await SharingStore.webhooks(sql, clientID: user.role == .agency ? user.id : nil)
            var letters: [Int: [DeadLetter]] = [:]
            for hook in hooks { letters[hook.id] = try await SharingStore.deadLetters(sql, webhookID: hook.id) }
            return Desk(clients: clients, own: own, webhooks: hooks, deadLetters: letters)
        }
    }
}
