import AsyncHTTPClient
import NIOPosix
import Crypto
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// Data sharing with other agencies (docs/DOMAIN.md §2): API clients with scopes, a change feed over the events table,
/// webhooks that push the same feed, and daily dumps of the public registers.
extension SharingService {
    // MARK: Agency clients

    struct AgencyClientInput: Decodable, Sendable {
        var username: String
        var displayName: String
        var password: String
        var agency: String
        var sector: String
        var scopes: String
    }

    func createAgencyClient(_ input: AgencyClientInput, by admin: User) async throws -> AgencyClient {
        let agency = clipped(input.agency, max: 200)
        guard !agency.isEmpty else {
            throw AppError(.sharing.agency)
        }
        guard let sector = AgencySector(rawValue: input.sector) else {
            throw AppError(.sharing.sector, ["sector": "\(input.sector.prefix(40))"])
        }
        let scopes = try ShareScope.parseList(input.scopes)
        let stamp = clock.stamp
        let user = try await accounts.createUser(AccountService.NewUser(username: input.username, displayName: input.displayName, password: input.password, role: Role.agency.rawValue),
                                        actor: admin.actor) { sql, user in
            try await SharingStore.insertClient(sql, userID: user.id, agency: agency, sector: sector, scopes: scopes, by: admin.actor, at: stamp)
            try await Events.append(sql, type: .agencyRegistered, subject: "agency/\(user.id)", actor: admin.actor, at: stamp,
                                    payload: AgencyRegistered(agency: agency, sector: sector.rawValue, scopes: ShareScope.text(scopes)))
        }
        return try await db.read { try await SharingStore.client($0, userID: user.id) }.orThrow("agency client \(user.id)")
    }

    func setAgencyScopes(userID: Int, scopes text: String, by admin: User) async throws -> AgencyClient {
        let scopes = try ShareScope.parseList(text)
        return try await db.write { sql in
            guard try await SharingStore.setScopes(sql, userID: userID, scopes) else { throw AppError.notFound("agency \(userID)") }
            try await Events.append(sql, type: .agencyScopesChanged, subject: "agency/\(userID)", actor: admin.actor, at: clock.stamp,
                                    payload: ScopesChanged(scopes: ShareScope.text(scopes)))
            return try await SharingStore.client(sql, userID: userID).orThrow("agency client \(userID)")
        }
    }

    /// The scopes a caller may read: an agency its own, an administrator all. `asked` narrows them and may not widen.
    func readableScopes(_ user: User, asked: String?) async throws -> Set<ShareScope> {
        let allowed: Set<ShareScope>
        switch user.role {
        case .administrator: allowed = Set(ShareScope.allCases)
        case .agency:
            guard let client = try await db.read({ try await SharingStore.client($0, userID: user.id) }) else { throw AppError.roleForbidden }
            allowed = client.scopeSet
        default: throw AppError.roleForbidden
        }
        guard let asked, !asked.isEmpty else { return allowed }
        let wanted = try ShareScope.parseList(asked)
        guard wanted.isSubset(of: allowed) else {
            let extra = ShareScope.text(wanted.subtracting(allowed))
            throw AppError(.sharing.scopeDenied, ["extra": "\(extra)"])
        }
        return wanted
    }

    // MARK: Change feed

    static let maxFeedPage = 10_000

    /// One page of the feed as JSON: `{"events":[…],"next":"<cursor>","more":bool}`. Reading again from `next`
    /// returns exactly the events after this page, whatever was written meanwhile.
    func feedPage(after: FeedCursor, scopes: Set<ShareScope>, limit: Int) async throws -> String {
        let events = try await db.read { try await SharingStore.feed($0, after: after, scopes: scopes, limit: limit) }
        return Self.feedJSON(events, after: after, more: events.count == limit)
    }

    static func feedJSON(_ events: [FeedEvent], after: FeedCursor, more: Bool) -> String {
        "{\"events\":[\(joined(events))],\"next\":\"\(events.last?.position ?? after)\",\"more\":\(more)}"
    }

    /// The events' JSON objects, comma-separated, for a feed page or a webhook body.
    static func joined(_ events: [FeedEvent]) -> String {
        var out = ""
        out.reserveCapacity(events.count * 400)
        for (i, e) in events.enumerated() {
            if i > 0 { out += "," }
            out += e.json
        }
        return out
    }

    // MARK: Webhooks

    struct WebhookInput: Decodable, Sendable {
        var url: String
        /// Defaults to every scope the client has.
        var scopes: String?
        /// Where to start: a feed cursor, or none for the beginning of the feed.
        var after: String?
    }

    struct NewWebhook: Encodable, Sendable {
        var webhook: Webhook
        /// Shown once: receivers check each delivery's `Xuke-Signature` with it.
        var secret: String
    }

    func createWebhook(_ input: WebhookInput, by user: User) async throws -> NewWebhook {
        guard user.role == .agency else { throw AppError.roleForbidden }
        let url = try await webhookURL(input.url)
        let scopes = try await readableScopes(user, asked: input.scopes)
        let start = try input.after.map(FeedCursor.init) ?? .start
        let secret = Secrets.token()
        let hook = try await db.write { sql in
            let hook = try await SharingStore.insertWebhook(sql, clientID: user.id, url: url, secret: secret, scopes: scopes, position: start, at: clock.stamp)
            try await Events.append(sql, type: .webhookCreated, subject: "webhook/\(hook.id)", actor: user.actor, at: clock.stamp,
                                    payload: WebhookCreated(url: url, scopes: hook.scopes))
            return hook
        }
        return NewWebhook(webhook: hook, secret: secret)
    }

    /// HTTPS to a public host. Plain HTTP and loopback only where `XUKE_WEBHOOK_ALLOW_LOOPBACK` allows a receiver
    /// on this machine (tests); private, link-local and unique-local addresses never. The host is resolved again
    /// before every delivery (`WebhookTarget`), so a name that later points inside is refused then too.
    func webhookURL(_ text: String) async throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 500, let c = URLComponents(string: trimmed), let scheme = c.scheme?.lowercased(), let host = c.host, !host.isEmpty,
              c.user == nil, c.password == nil,
              scheme == "https" || (scheme == "http" && config.allowLoopbackWebhooks && IPAddress(host)?.isLoopback == true) else {
            throw AppError(.webhook.url)
        }
        _ = try await WebhookTarget.resolve(url: trimmed, allowLoopback: config.allowLoopbackWebhooks)
        return trimmed
    }

    /// A webhook its caller may manage: the agency that made it, or an administrator.
    func ownedWebhook(_ id: Int, by user: User) async throws -> Webhook {
        guard let hook = try await db.read({ try await SharingStore.webhook($0, id: id) }),
              user.role == .administrator || (user.role == .agency && hook.clientId == user.id) else {
            throw AppError.notFound("webhook \(id)")
        }
        return hook
    }

    func setWebhookActive(_ id: Int, active: Bool, by user: User) async throws -> Webhook {
        let hook = try await ownedWebhook(id, by: user)
        return try await db.write { sql in
            try await SharingStore.setActive(sql, webhookID: hook.id, active: active, reason: active ? nil : "owner", at: clock.stamp)
            try await Events.append(sql, type: active ? .webhookEnabled : .webhookDisabled, subject: "webhook/\(hook.id)", actor: user.actor,
                                    at: clock.stamp, payload: WebhookSwitched(position: hook.position))
            return try await SharingStore.webhook(sql, id: hook.id).orThrow("webhook \(hook.id)")
        }
    }

    /// Sends a parked batch again, as it was first sent. The webhook's own position does not move.
    func redeliver(deadLetter id: Int, by user: User) async throws -> DeadLetter {
        guard let letter = try await db.read({ try await SharingStore.deadLetter($0, id: id) }) else { throw AppError.notFound("dead letter \(id)") }
        let hook = try await ownedWebhook(letter.webhookId, by: user)
        let (secret, body) = try await db.read { sql in
            (try await SharingStore.secret(sql, webhookID: hook.id), try await SharingStore.deadLetterBody(sql, id: id))
        }
        if let error = await post(url: hook.url, body: body ?? "", secret: secret ?? "", delivery: "\(hook.id):\(letter.toPosition)") {
            throw AppError(.webhook.redeliveryFailed, ["error": "\(error)"])
        }
        return try await db.write { sql in
            try await SharingStore.redelivered(sql, deadLetterID: id, at: clock.stamp)
            return try await SharingStore.deadLetter(sql, id: id).orThrow("dead letter \(id)")
        }
    }

    struct DeliveryReport: Sendable, Equatable {
        var delivered = 0
        var failed = 0
        var parked = 0
    }

    static let webhookBatch = 100

    /// Delivers what is due: a webhook with events past its position is claimed and sends its next batches in feed
    /// order, stopping at the first failure, which is retried after a growing delay; a batch that fails every attempt
    /// is parked and the webhook stopped. Webhooks are claimed one at a time, just before they are delivered.
    @discardableResult
    func deliverWebhooks(schedule: RetrySchedule = .standard, maxBatches: Int = 20) async throws -> DeliveryReport {
        var report = DeliveryReport()
        let lease = Double(maxBatches) * Double(config.webhookTimeout.components.seconds) + 60
        for hook in try await db.read({ try await SharingStore.dueWebhooks($0, now: clock.stamp) }) {
            let scopes = hook.readable
            let position = try FeedCursor(hook.position)
            guard try await !db.read({ try await SharingStore.feed($0, after: position, scopes: scopes, limit: 1) }).isEmpty else { continue }
            let now = clock.now()
            guard let claimed = try await db.write({
                try await SharingStore.claim($0, webhookID: hook.id, now: Timestamp.string(now), until: Timestamp.string(now.addingTimeInterval(lease)))
            }) else { continue }
            do {
                try await deliver(hook, scopes: scopes, from: claimed.position, failures: claimed.failures, schedule: schedule, maxBatches: maxBatches,
                                  report: &report)
            } catch {
                try? await db.write { try await SharingStore.release($0, webhookID: hook.id) }
                throw error
            }
        }
        return report
    }

    private func deliver(_ hook: SharingStore.DueWebhook, scopes: Set<ShareScope>, from start: String, failures: Int, schedule: RetrySchedule,
                         maxBatches: Int, report: inout DeliveryReport) async throws {
        var position = start
        for _ in 0..<maxBatches {
            let events = try await db.read { try await SharingStore.feed($0, after: try FeedCursor(position), scopes: scopes, limit: Self.webhookBatch) }
            guard let last = events.last else { break }
            let to = last.position.description
            let delivery = "\(hook.id):\(to)"
            let body = "{\"webhook\":\(hook.id),\"delivery\":\"\(delivery)\",\"events\":[\(Self.joined(events))]}"
            let stamp = clock.stamp
            if let error = await post(url: hook.url, body: body, secret: hook.secret, delivery: delivery) {
                let attempts = failures + 1
                if schedule.exhausted(failures: attempts) {
                    _ = try await db.write { sql in
                        try await SharingStore.park(sql, webhookID: hook.id, from: position, to: to, events: events.count, body: body,
                                                    attempts: attempts, error: error, at: stamp)
                    }
                    report.parked += 1
                } else {
                    let retry = Timestamp.string(clock.now().addingTimeInterval(Double(schedule.delay(afterFailures: attempts))))
                    try await db.write { sql in
                        try await SharingStore.failed(sql, webhookID: hook.id, from: position, failures: attempts, error: error, retryAt: retry)
                    }
                    report.failed += 1
                }
                return
            }
            guard try await db.write({ try await SharingStore.delivered($0, webhookID: hook.id, from: position, to: to, at: stamp) }) else { break }
            report.delivered += events.count
            position = to
            if events.count < Self.webhookBatch { break }
        }
        try await db.write { try await SharingStore.release($0, webhookID: hook.id) }
    }

    /// POSTs a signed body; nil when the receiver answered 2xx, otherwise a reason that says no more than the
    /// receiver's status (never what a refused or unreachable address is, or said).
    func post(url: String, body: String, secret: String, delivery: String) async -> String? {
        let target: WebhookTarget
        do {
            target = try await WebhookTarget.resolve(url: url, allowLoopback: config.allowLoopbackWebhooks)
        } catch {
            return "address refused"
        }
        let timestamp = Int(clock.now().timeIntervalSince1970)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "xuke-webhook/1")
        request.headers.add(name: "Xuke-Delivery", value: delivery)
        request.headers.add(name: "Xuke-Signature", value: Self.signature(body: body, secret: secret, timestamp: timestamp))
        request.body = .bytes(ByteBuffer(string: body))
        // The connection goes to the address just checked (no second lookup an attacker's DNS could answer
        // differently), and a redirect is an answer, not an instruction.
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .init(config.webhookTimeout)))
        configuration.dnsOverride = [target.host: target.address.description]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        do {
            let response = try await client.execute(request, timeout: .init(config.webhookTimeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(response.status.code) ? nil : "HTTP \(response.status.code)"
        } catch {
            return "no answer"
        }
    }

    /// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the timestamp inside the MAC stops replays of old deliveries.
    static func signature(body: String, secret: String, timestamp: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + Array(mac).hex
    }
}

/// Where a webhook delivery may go: the URL's host resolved now, every address of it public (or loopback when
/// allowed for tests), and the first of them the one connected to.
struct WebhookTarget: Sendable {
    var host: String
    var address: IPAddress

    /// getaddrinfo blocks, sometimes for seconds: on threads of its own, not the shared pool SQLite's queries run on.
    static let resolver: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    static func resolve(url: String, allowLoopback: Bool) async throws -> WebhookTarget {
        let refused = AppError(.webhook.address)
        // Keyed as AsyncHTTPClient reads the host, so the override it looks up is the one set here.
        guard let host = URL(string: url)?.host, !host.isEmpty else { throw refused }
        let addresses = try await resolver.runIfActive { IPAddress.resolve(host) }
        guard let first = addresses.first,
              addresses.allSatisfy({ !$0.isInternal || (allowLoopback && $0.isLoopback) }) else { throw refused }
        return WebhookTarget(host: host, address: first)
    }
}
