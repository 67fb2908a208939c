import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SQLKit
import Synchronization
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage

/// A webhook receiver on a real port: it checks each delivery's signature and keeps what it was sent.
final class Receiver: Sendable {
    struct Delivery: Sendable {
        var id: String
        var eventIDs: [Int]
        var signed: Bool
    }

    let port: Int
    private let secret = Mutex("")
    private let status = Mutex(HTTPResponse.Status.ok)
    private let log = Mutex<[Delivery]>([])
    private let followed = Mutex(0)
    /// Requests that reached the address a redirect named (a delivery must never follow one).
    var redirectsFollowed: Int { followed.withLock { $0 } }
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    func expect(secret value: String) { secret.withLock { $0 = value } }
    func answer(_ s: HTTPResponse.Status) { status.withLock { $0 = s } }
    var deliveries: [Delivery] { log.withLock { $0 } }
    var eventIDs: [Int] { deliveries.flatMap(\.eventIDs) }

    /// A port nothing listens on (for now): bound and let go again.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    static func start(port: Int) async throws -> Receiver {
        let holder = Mutex<Receiver?>(nil)
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 16 * 1024 * 1024))
            guard let me = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            let answer = me.status.withLock { $0 }
            if (300..<400).contains(answer.code) { return Response(status: answer, headers: [.location: "http://127.0.0.1:\(port)/elsewhere"]) }
            guard answer == .ok else { return Response(status: answer) }
            let header = request.headers[HTTPField.Name("Xuke-Signature")!] ?? ""
            let t = Int(header.split(separator: ",").first?.dropFirst(2) ?? "") ?? 0
            let signed = header == SharingService.signature(body: body, secret: me.secret.withLock { $0 }, timestamp: t)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let ids = (json["events"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            me.log.withLock { $0.append(Delivery(id: request.headers[HTTPField.Name("Xuke-Delivery")!] ?? "", eventIDs: ids, signed: signed)) }
            return Response(status: .noContent)
        }
        router.post("elsewhere") { _, _ -> Response in
            holder.withLock { $0 }?.followed.withLock { $0 += 1 }
            return Response(status: .noContent)
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .error
        let (started, ready) = AsyncStream<Void>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { _ in ready.yield() }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        for await _ in started { break }
        let receiver = Receiver(port: port, group: group, task: task)
        holder.withLock { $0 = receiver }
        return receiver
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// Waits until the feed holds nothing back. On PostgreSQL the feed waits for every older write transaction on the
/// server, and other suites write to their own databases on the same server meanwhile.
func settle(_ s: AppServices) async throws {
    for _ in 0..<3000 {
        if try await s.db.read({ try await SharingStore.heldBack($0) }) == 0 { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("the feed still holds events back after a minute")
}

@Suite struct SharingTests {
    /// A known answer worked out with Python's hmac module, so the signature format is checked independently of the sender.
    @Test func webhookSignaturesAreHMACSHA256OfTimestampDotBody() {
        #expect(SharingService.signature(body: #"{"webhook":7,"events":[]}"#, secret: "whsec-test-0001", timestamp: 1_763_700_000)
                == "t=1763700000,v1=ec58f9d7b7a56460513a52e93a233f1554c51e0d226419f4c6b826b5381dcd31")
    }

    /// Writers commit out of id order (each sleeps between its append and its commit) while a reader pages the feed;
    /// the reader must end up with every event exactly once.
    @Test func theFeedNeverSkipsOrRepeatsUnderConcurrentWrites() async throws {
        try await Harness.run { _, s in
            let writers = 6, perWriter = 12
            final class Shared: Sendable {
                let written = Mutex<[Int64]>([])
                let done = Mutex(false)
            }
            let shared = Shared()
            let reader = Task { () -> [Int64] in
                var cursor = FeedCursor.start, seen: [Int64] = [], draining = false
                while true {
                    if !draining && shared.done.withLock({ $0 }) {
                        try await settle(s)
                        draining = true
                    }
                    let page = try await s.db.read { try await SharingStore.feed($0, after: cursor, scopes: [.credit], limit: 5) }
                    seen += page.map(\.id)
                    if let last = page.last { cursor = last.position }
                    if page.isEmpty && draining { return seen }
                    if page.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        for n in 0..<perWriter {
                            let id = try await s.db.write { sql in
                                let id = try await Events.append(sql, type: .creditRepairFiled, subject: "test/\(w)/\(n)", actor: "test", at: s.clock.stamp, payload: RepairEvent(repair: n))
                                try await Task.sleep(for: .milliseconds(Int.random(in: 0...15)))
                                return id
                            }
                            shared.written.withLock { $0.append(Int64(id)) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            shared.done.withLock { $0 = true }
            let seen = try await reader.value
            #expect(seen.count == writers * perWriter)
            #expect(Set(seen).count == seen.count, "no event twice")
            #expect(Set(seen) == Set(shared.written.withLock { $0 }), "no event skipped")
        }
    }

    @Test func agenciesReadTheFeedWithinTheirScopes() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 3, inspectors: 0)
            let f = d.f
            var r = try await f.post("users", #"{"username":"taxdesk","display_name":"税务","password":"correct horse battery","role":"agency"}"#, as: f.admin)
            #expect(r.errorCode == ErrorCode.user.agencyElsewhere)
            let agency = #"{"username":"taxdesk","display_name":"税务数据接口","password":"correct horse battery","agency":"国家税务总局广东省税务局","sector":"tax","scopes":"#
            #expect(try await f.post("agency-clients", agency + #""licenses gossip"}"#, as: f.admin).errorCode == ErrorCode.sharing.scope)
            #expect(try await f.post("agency-clients", (agency + #""licenses"}"#).replacingOccurrences(of: #""tax""#, with: #""taxes""#), as: f.admin).errorCode == ErrorCode.sharing.sector)
            #expect(try await f.post("agency-clients", agency + #""licenses credit"}"#, as: f.officer).status == .forbidden)
            r = try await f.post("agency-clients", agency + #""licenses credit"}"#, as: f.admin)
            #expect(r.status == .created, "\(r.text)")
            #expect(try r.json()["scopes"] as? String == "credit licenses")
            let tax = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"taxdesk","password":"correct horse battery"}"#).json()["token"] as? String ?? ""
            #expect(try await f.post("credit", #"{"uscc":"\#(d.usccs[0])","list":"abnormal","cause":"annual_report_missing","note":"未报年报"}"#, as: f.officer).status == .created)

            try await settle(s)
            r = try await f.get("feed?limit=10000", as: tax)
            #expect(r.status == .ok, "\(r.text)")
            let all = try #require(try r.json()["events"] as? [[String: Any]])
            let types = Set(all.compactMap { $0["type"] as? String })
            #expect(types.contains("license.issued") && types.contains("credit.listed"))
            #expect(types.allSatisfy { $0.hasPrefix("license.") || $0.hasPrefix("application.") || $0.hasPrefix("verification.") || $0.hasPrefix("credit.") },
                    "nothing outside the client's scopes: \(types)")
            #expect((all.first?["payload"] as? [String: Any]) != nil, "payloads arrive as JSON objects")

            // Paging two at a time gives the same events, in the same order, as one big page.
            var cursor = "0-0", paged: [Int] = []
            for _ in 0..<50 {
                let page = try await f.get("feed?limit=2&after=\(cursor)", as: tax).json()
                paged += (page["events"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                cursor = try #require(page["next"] as? String)
                if page["more"] as? Bool == false { break }
            }
            #expect(paged == all.compactMap { $0["id"] as? Int })
            let tail = try await f.get("feed?after=\(cursor)", as: tax).json()
            #expect((tail["events"] as? [Any])?.isEmpty == true && tail["next"] as? String == cursor, "the end of the feed stays where it is")

            // A narrower scope, a scope not granted, a bad cursor, and callers who are not agencies.
            let credit = try await f.get("feed?scopes=credit", as: tax).json()["events"] as? [[String: Any]] ?? []
            #expect(credit.count == 1 && credit[0]["type"] as? String == "credit.listed")
            #expect(try await f.get("feed?scopes=inspections", as: tax).errorCode == ErrorCode.sharing.scopeDenied)
            #expect(try await f.get("feed?after=12", as: tax).errorCode == ErrorCode.feed.cursor)
            #expect(try await f.get("feed?limit=10001", as: tax).status == .badRequest)
            #expect(try await f.get("feed", as: f.enterprise).status == .forbidden)
            #expect(try await f.get("feed", as: f.officer).status == .forbidden)
            let everything = try await f.get("feed?limit=10000", as: f.admin).json()["events"] as? [[String: Any]] ?? []
            #expect(everything.count > all.count && !everything.contains { ($0["type"] as? String)?.hasPrefix("user.") == true },
                    "an administrator reads every scope, and sign-ins and accounts are never in the feed")

            // Scopes can be changed by an administrator and take effect at once.
            let id = try #require(try await f.get("agency-clients", as: f.admin).list().first?["user_id"] as? Int)
            r = try await client.send(.put, "/api/v1/agency-clients/\(id)/scopes", json: #"{"scopes":"credit"}"#, token: f.admin)
            #expect(r.status == .ok, "\(r.text)")
            #expect(try await f.get("feed?scopes=licenses", as: tax).errorCode == ErrorCode.sharing.scopeDenied)
        }
    }

    /// The receiver is down (nothing listens), comes up, fails again with errors until the batch is parked, and
    /// is redelivered from the dead-letter list: in the end it has every event in its scopes, each once.
    /// Webhooks never reach inside: private, link-local, unique-local and (unless allowed for tests) loopback
    /// addresses are refused at registration and again at delivery; a redirect is not followed; the stored failure
    /// says no more than the receiver's status.
    @Test func webhooksStayOutsideAndFollowNoRedirect() async throws {
        for url in ["https://127.0.0.1/h", "https://[::1]/h", "https://localhost/h", "https://[::ffff:127.0.0.1]/h"] {
            await #expect(throws: AppError.self, "\(url)") { _ = try await WebhookTarget.resolve(url: url, allowLoopback: false) }
        }
        for url in ["https://10.1.2.3/h", "https://169.254.169.254/latest/meta-data", "https://192.168.1.1/h", "https://[fd00::1]/h",
                    "https://[fe80::1]/h", "https://100.64.0.1/h", "https://0.0.0.0/h", "https://[::ffff:10.0.0.1]/h"] {
            await #expect(throws: AppError.self, "\(url)") { _ = try await WebhookTarget.resolve(url: url, allowLoopback: true) }
        }
        #expect(try await WebhookTarget.resolve(url: "http://127.0.0.1:9/h", allowLoopback: true).address.description == "127.0.0.1")

        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 1, inspectors: 0)
            let f = d.f
            #expect(try await f.post("agency-clients", #"{"username":"taxdesk","display_name":"税务接口","password":"correct horse battery","agency":"税务局","sector":"tax","scopes":"licenses"}"#, as: f.admin).status == .created)
            let tax = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"taxdesk","password":"correct horse battery"}"#).json()["token"] as? String ?? ""
            #expect(try await f.post("webhooks", #"{"url":"https://10.0.0.7/hook"}"#, as: tax).errorCode == ErrorCode.webhook.address)
            #expect(try await f.post("webhooks", #"{"url":"https://169.254.169.254/hook"}"#, as: tax).errorCode == ErrorCode.webhook.address)
            #expect(try await f.post("webhooks", #"{"url":"https://user:pw@example.com/hook"}"#, as: tax).errorCode == ErrorCode.webhook.url)

            let port = try await Receiver.freePort()
            let receiver = try await Receiver.start(port: port)
            receiver.answer(.found)
            let r = try await f.post("webhooks", #"{"url":"http://127.0.0.1:\#(port)/hook"}"#, as: tax)
            #expect(r.status == .created, "\(r.text)")
            let hook = try #require((try r.json()["webhook"] as? [String: Any])?["id"] as? Int)
            try await settle(s)
            #expect(try await s.sharing.deliverWebhooks().failed == 1)
            #expect(receiver.redirectsFollowed == 0)
            #expect(try await f.get("webhooks/\(hook)", as: tax).json()["last_error"] as? String == "HTTP 302")
            await receiver.stop()
        }
    }

    @Test func webhooksDeliverAcrossAReceiverOutage() async throws {
        try await Harness.run { client, s in
            let d = try await Desk.open(client, s, enterprises: 2, inspectors: 0)
            let f = d.f
            var r = try await f.post("agency-clients", #"{"username":"bankdesk","display_name":"银行接口","password":"correct horse battery","agency":"人民银行广州分行","sector":"finance","scopes":"licenses credit"}"#, as: f.admin)
            #expect(r.status == .created, "\(r.text)")
            let bank = try await client.send(.post, "/api/v1/auth/token", json: #"{"username":"bankdesk","password":"correct horse battery"}"#).json()["token"] as? String ?? ""
            let port = try await Receiver.freePort()
            #expect(try await f.post("webhooks", #"{"url":"http://example.com/hook"}"#, as: bank).errorCode == ErrorCode.webhook.url)
            #expect(try await f.post("webhooks", #"{"url":"http://127.0.0.1:\#(port)/hook"}"#, as: f.officer).status == .forbidden)
            #expect(try await f.post("webhooks", #"{"url":"http://127.0.0.1:\#(port)/hook","scopes":"penalties"}"#, as: bank).errorCode == ErrorCode.sharing.scopeDenied)
            r = try await f.post("webhooks", #"{"url":"http://127.0.0.1:\#(port)/hook"}"#, as: bank)
            #expect(r.status == .created, "\(r.text)")
            let secret = try #require(try r.json()["secret"] as? String)
            let hook = try #require((try r.json()["webhook"] as? [String: Any])?["id"] as? Int)
            func state() async throws -> [String: Any] { try await f.get("webhooks/\(hook)", as: bank).json() }
            func later(_ seconds: Double) { s.clock.set(s.clock.now().addingTimeInterval(seconds)) }
            func expected() async throws -> [Int] {
                try await s.db.read { try await SharingStore.feed($0, after: .start, scopes: [.licenses, .credit], limit: 10_000) }.map { Int($0.id) }
            }

            // Down: nothing listens. Each failure waits twice as long as the last before the next try.
            try await settle(s)
            var report = try await s.sharing.deliverWebhooks()
            #expect(report == .init(delivered: 0, failed: 1, parked: 0))
            let failing = try await state()
            #expect(failing["failures"] as? Int == 1 && failing["last_error"] as? String != nil)
            #expect(try await s.sharing.deliverWebhooks() == .init(), "not due again before the back-off has passed")
            later(31)
            #expect(try await s.sharing.deliverWebhooks().failed == 1)
            later(31)
            #expect(try await s.sharing.deliverWebhooks() == .init(), "the second wait is 60 s")

            // Up again: everything so far arrives, in feed order, signed.
            let receiver = try await Receiver.start(port: port)
            receiver.expect(secret: secret)
            later(30)
            report = try await s.sharing.deliverWebhooks()
            #expect(report.delivered == (try await expected()).count && report.failed == 0)
            #expect(receiver.eventIDs == (try await expected()))
            let last = try #require(try await s.db.read { try await SharingStore.feed($0, after: .start, scopes: [.licenses, .credit], limit: 10_000) }.last)
            #expect(receiver.deliveries.last?.id == "\(hook):\(last.position)", "the delivery id names the webhook and the batch's last position")
            #expect(receiver.deliveries.allSatisfy { $0.signed })
            #expect(try await state()["failures"] as? Int == 0)

            // New events follow; events outside the scopes do not.
            #expect(try await f.post("credit", #"{"uscc":"\#(d.usccs[0])","list":"abnormal","cause":"annual_report_missing","note":"未报年报"}"#, as: f.officer).status == .created)
            _ = try await s.db.write { try await Events.append($0, type: .inspectionEvidenceAdded, subject: "inspection/x", actor: "test", at: s.clock.stamp, payload: EvidenceAdded(sha256: "x", filename: "x")) }
            try await settle(s)
            #expect(try await s.sharing.deliverWebhooks().delivered == 1)
            #expect(receiver.eventIDs == (try await expected()))
            // Caught up: a round reads, finds nothing past the position, and writes nothing.
            let generation = s.db.writeGeneration
            #expect(try await s.sharing.deliverWebhooks() == .init())
            #expect(s.db.writeGeneration == generation, "an idle round takes no write lock")

            // The receiver answers with errors until the batch is parked; the webhook stops, nothing is lost.
            receiver.answer(.internalServerError)
            #expect(try await f.post("credit", #"{"uscc":"\#(d.usccs[1])","list":"abnormal","cause":"annual_report_missing","note":"未报年报"}"#, as: f.officer).status == .created)
            let quick = RetrySchedule(firstDelaySeconds: 10, maxDelaySeconds: 60, maxAttempts: 3)
            try await settle(s)
            #expect(try await s.sharing.deliverWebhooks(schedule: quick).failed == 1)
            later(11)
            #expect(try await s.sharing.deliverWebhooks(schedule: quick).failed == 1)
            later(21)
            #expect(try await s.sharing.deliverWebhooks(schedule: quick).parked == 1)
            let stopped = try await state()
            #expect(stopped["active"] as? Bool == false && stopped["disabled_reason"] as? String == "dead_letter")
            let letters = try await f.get("webhooks/\(hook)/dead-letters", as: bank).list()
            #expect(letters.count == 1 && letters[0]["events"] as? Int == 1 && letters[0]["attempts"] as? Int == 3)
            let letter = try #require(letters.first?["id"] as? Int)

            // Stopped: new events wait. Redelivery of the parked batch, then re-enabling, brings the receiver level.
            #expect(try await f.post("credit", #"{"uscc":"\#(f.uscc)","list":"abnormal","cause":"annual_report_missing","note":"未报年报"}"#, as: f.officer).status == .created)
            later(3600)
            #expect(try await s.sharing.deliverWebhooks() == .init())
            #expect(try await f.post("dead-letters/\(letter)/redeliver", as: bank).errorCode == ErrorCode.webhook.redeliveryFailed)
            receiver.answer(.ok)
            r = try await f.post("dead-letters/\(letter)/redeliver", as: bank)
            let redelivered = try r.json()["redelivered_at"] as? String
            #expect(r.status == .ok && redelivered != nil, "\(r.text)")
            let parked = try #require(letters.first?["to_position"] as? String)
            #expect(receiver.deliveries.last?.id == "\(hook):\(parked)", "a redelivery carries the id the batch was first sent with")
            #expect(try await f.post("dead-letters/\(letter)/redeliver", as: f.enterprise).status == .forbidden, "only agencies and administrators")
            #expect(try await f.post("webhooks/\(hook)/enable", as: bank).status == .ok)
            try await settle(s)
            #expect(try await s.sharing.deliverWebhooks().delivered == 1)
            #expect(receiver.eventIDs == (try await expected()), "every event in scope, each once, in feed order")
            #expect(receiver.deliveries.allSatisfy { $0.signed })
            await receiver.stop()
        }
    }

    /// In either blob store: the data directory, or the database of a cluster.
    @Test(arguments: BlobKind.allCases) func dailyDumpsCarryChecksums(blobs: BlobKind) async throws {
        try await Harness.run(configure: { $0.blobKind = blobs }) { client, s in
            let d = try await Desk.open(client, s, enterprises: 2, inspectors: 0)
            #expect(try await d.f.post("credit", #"{"uscc":"\#(d.usccs[0])","list":"abnormal","cause":"annual_report_missing","note":"未报年报, \"逾期\""}"#, as: d.f.officer).status == .created)
            let written = try await s.sharing.writeDumps()
            #expect(written.count == PublicDataset.all.count * 2)
            #expect(try await s.sharing.writeDumps().isEmpty, "once a day")
            let listed = try await client.get("/api/v1/public/dumps").list()
            #expect(listed.count == written.count)
            let day = s.clock.today.description
            let sums = try await client.get("/dumps/\(day)/SHA256SUMS")
            #expect(sums.status == .ok)
            for dump in written {
                let file = try await client.get("/dumps/\(day)/\(dump.dataset).\(dump.format)")
                #expect(file.status == .ok)
                let digest = SHA256.hash(data: Data(file.body.readableBytesView)).map { String(format: "%02x", $0) }.joined()
                #expect(digest == dump.sha256 && sums.text.contains("\(digest)  \(dump.dataset).\(dump.format)\n"))
                if dump.format == "jsonl" {
                    let lines = file.text.split(separator: "\n")
                    #expect(lines.count == dump.rows)
                    #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] })
                } else {
                    #expect(file.text.hasPrefix("\u{FEFF}") && file.text.split(separator: "\r\n").count == dump.rows + 1)
                }
            }
            let licenses = try #require(written.first { $0.dataset == "licenses" && $0.format == "jsonl" })
            let labs = try await client.get("/dumps/\(day)/labs.jsonl").text
            #expect(labs.contains(#""grade":1"#), "integers stay integers on both databases: \(labs)")
            #expect(licenses.rows == 2)
            let credit = try await client.get("/dumps/\(day)/credit_entries.jsonl").text
            #expect(credit.contains(d.usccs[0]) && !credit.contains("未报年报"), "what the public register shows, not officers' notes")
            #expect(try await client.get("/dumps/\(day)/users.csv").status == .notFound)
            #expect(try await client.get("/dumps/\(day)/..%2Fxuke.sqlite").status == .notFound)
            #expect(try await client.get("/dumps/2026-13-01/licenses.csv").status == .notFound)
        }
    }
}

@Suite struct ReviewBodyTests {
    /// Registration, members, performance counted from their verifications, the yearly report with reminders, the
    /// yearly inspection that suspends, the effect on assignments, and the life ban.
    @Test func reviewBodiesAreRegisteredInspectedMeasuredAndBarred() async throws {
        try await Harness.run { client, s in
            Flow.at(s, "2026-11-16")
            let f = try await Flow.start(client, s)
            let body = #"{"name":"广东省产品质量审查中心","uscc":"\#(Fixtures.guangdong(301))","division_code":"440300"}"#
            #expect(try await f.post("review-bodies", body, as: f.enterprise).status == .forbidden)
            let unknown = try await f.post("review-bodies", body.replacingOccurrences(of: #""division_code":"440300""#, with: #""division_code":"449999""#), as: f.officer)
            #expect(unknown.errorCode == ErrorCode.division.unknown, "\(unknown.text)")
            #expect(try await f.post("review-bodies", body.replacingOccurrences(of: #""division_code":"440300""#, with: #""division_code":"110105""#), as: f.officer).errorCode == ErrorCode.registry.otherProvince)
            var r = try await f.post("review-bodies", body, as: f.officer)
            #expect(r.status == .created, "\(r.text)")
            let code = try #require(try r.json()["code"] as? String)
            #expect(try await f.post("review-bodies", body, as: f.officer).errorCode == ErrorCode.reviewBody.taken)
            let other = try #require(try await f.post("review-bodies", #"{"name":"深圳审查所","uscc":"\#(Fixtures.guangdong(302))","division_code":"440305","registered_on":"2024-05-01"}"#, as: f.officer).json()["code"] as? String)

            for v in f.verifiers.prefix(2) {
                #expect(try await f.post("review-bodies/\(code)/members", #"{"user_id":\#(v.id)}"#, as: f.officer).status == .noContent)
            }
            #expect(try await f.post("review-bodies/\(other)/members", #"{"user_id":\#(f.verifiers[0].id)}"#, as: f.officer).errorCode == ErrorCode.reviewBody.memberElsewhere)
            let me = try #require(try await f.get("me", as: f.enterprise).json()["id"] as? Int)
            #expect(try await f.post("review-bodies/\(code)/members", #"{"user_id":\#(me)}"#, as: f.officer).errorCode == ErrorCode.reviewBody.memberRoleNotVerifier)

            // One verification by the body's members, passed; the enterprise then fails an inspection: overturned.
            let id = try #require(try await f.submit(kind: "new")["id"] as? Int)
            try await f.act(id, "accept")
            try await f.act(id, "assign_verifiers", #"{"verifiers":[\#(f.verifiers[0].id),\#(f.verifiers[1].id)]}"#)
            let verification = try #require((try await f.get("applications/\(id)", as: f.officer).json()["verifications"] as? [[String: Any]])?.first?["id"] as? Int)
            try await f.findings(verification)
            #expect(try await f.post("verifications/\(verification)/conclusion", #"{"outcome":"pass","summary":"符合要求"}"#, as: f.verifiers[0].token).status == .ok)
            var detail = try await client.get("/api/v1/public/review-bodies/\(code)?year=2026").json()
            var performance = try #require(detail["performance"] as? [String: Any])
            #expect(performance["cases_reviewed"] as? Int == 1 && performance["median_working_days"] as? Int == 0 && performance["overturned"] as? Int == 0)
            try await s.db.write { sql in
                try await sql.raw("""
                    INSERT INTO inspections (number, origin, uscc, authority, category, state, hidden, items, outcome, summary, concluded_on, created_at, updated_at)
                    VALUES ('JC-TEST-1', 'flying', \(bind: f.uscc), '440000', '10', 'concluded', 0, '[]', 'fail', '抽样不合格', '2026-12-01', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')
                    """).run()
            }
            performance = try #require(try await client.get("/api/v1/public/review-bodies/\(code)?year=2026").json()["performance"] as? [String: Any])
            #expect(performance["overturned"] as? Int == 1 && performance["overturned_numbers"] as? [Int] == [verification])
            #expect(try await client.get("/api/v1/public/review-bodies/\(other)?year=2026").json()["performance"].flatMap { ($0 as? [String: Any])?["cases_reviewed"] as? Int } == 0)

            // The yearly report: by a member, for a finished year, once. The sweep reminds the body that owes it, once.
            let report = #"{"year":2025,"report":"2025年度共完成审查任务，未发现违规行为，人员均持证上岗。"}"#
            #expect(try await f.post("review-reports", report, as: f.enterprise).errorCode == ErrorCode.auth.forbidden, "the route admits verifiers only")
            #expect(try await f.post("review-reports", report.replacingOccurrences(of: "2025,", with: "2026,"), as: f.verifiers[0].token).errorCode == ErrorCode.reviewBody.yearUnfinished)
            r = try await f.post("review-reports", report, as: f.verifiers[0].token)
            #expect(r.status == .created && r.text.contains("\"report_filed_on\":\"2026-11-16\""), "\(r.text)")
            #expect(try await f.post("review-reports", report, as: f.verifiers[1].token).errorCode == ErrorCode.reviewBody.reportExists)
            let swept = try await s.sweep()
            #expect(swept.reviewReminded == [other], "only the body that owes its report, and only once it is overdue: \(swept)")
            #expect(try await s.sweep().reviewReminded.isEmpty)
            detail = try await client.get("/api/v1/public/review-bodies/\(code)").json()
            #expect((detail["years"] as? [[String: Any]])?.first?["report_late"] as? Bool == true, "due on 31 March 2026")

            // A failed yearly inspection suspends the body; its verifiers are not sent out; lifting it needs a reason.
            let inspection = #"{"year":2026,"result":"fail","findings":""}"#
            #expect(try await f.post("review-bodies/\(code)/inspections", inspection, as: f.officer).errorCode == ErrorCode.reviewBody.findings)
            r = try await f.post("review-bodies/\(code)/inspections", inspection.replacingOccurrences(of: #""findings":"""#, with: #""findings":"审查记录缺失""#), as: f.officer)
            #expect(r.status == .created, "\(r.text)")
            #expect(try await client.get("/api/v1/public/review-bodies/\(code)").json()["body"].flatMap { ($0 as? [String: Any])?["status"] as? String } == "suspended")
            let next = try #require(try await f.submit(kind: "new", units: ["1002"], expect: .conflict)["error"] as? [String: Any])
            #expect(next["code"] as? String == ErrorCode.application.openCase.rawValue, "one open case per enterprise; the assignment check is tested below")
            let outsiders = [try await client.token(s, username: "freelance1", role: "verifier"), try await client.token(s, username: "freelance2", role: "verifier")]
            var ids: [Int] = []
            for t in outsiders { ids.append(try #require(try await f.get("me", as: t).json()["id"] as? Int)) }
            let (withSuspendedMember, outsidersOnly) = ([f.verifiers[0].id, ids[0]], ids)
            try await s.db.read { sql in
                do {
                    try await s.licensing.checkVerifiers(sql, withSuspendedMember)
                    Issue.record("a suspended body's verifier was accepted")
                } catch let e as AppError {
                    #expect(e.code == ErrorCode.reviewBody.notInGoodStanding)
                }
                try await s.licensing.checkVerifiers(sql, outsidersOnly)
            }
            #expect(try await f.post("review-bodies/\(code)/status", #"{"status":"registered","reason":""}"#, as: f.officer).errorCode == ErrorCode.reviewBody.reason)
            #expect(try await f.post("review-bodies/\(code)/status", #"{"status":"registered","reason":"已整改"}"#, as: f.officer).status == .ok)
            #expect(try await f.post("review-bodies/\(code)/status", #"{"status":"barred","reason":"x"}"#, as: f.officer).errorCode == ErrorCode.reviewBody.barByBan)

            // A life ban bars the body for good.
            r = try await f.post("bans", #"{"subject_kind":"review_body","subject":"\#(code)","name":"广东省产品质量审查中心","cause":"出具虚假审查结论"}"#, as: f.admin)
            #expect(r.status == .created, "\(r.text)")
            let history = try #require(try await client.get("/api/v1/public/review-bodies/\(code)").json()["history"] as? [[String: Any]])
            #expect(history.map { $0["status"] as? String } == ["registered", "suspended", "registered", "barred"])
            #expect(try await f.post("review-bodies/\(code)/status", #"{"status":"suspended","reason":"x"}"#, as: f.officer).errorCode == ErrorCode.reviewBody.barred)

            // The public pages, in both languages.
            let list = try await client.get("/review-bodies").text
            #expect(list.contains("审查机构名录") && list.contains(code) && list.contains("终身禁入"))
            let page = try await client.get("/review-bodies/\(code)?year=2026&lang=en").text
            #expect(page.contains("Passes overturned within a year") && page.contains("Barred for life") && page.contains("审查记录缺失"))
            _ = try await s.sharing.writeDumps()
            let data = try await client.get("/data?lang=en").text
            #expect(data.contains("/dumps/2026-11-16/licenses.csv") && data.contains("Production licenses") && data.contains("SHA256SUMS"))
            #expect(try await client.get("/data").text.contains("开放数据"))
        }
    }
}
