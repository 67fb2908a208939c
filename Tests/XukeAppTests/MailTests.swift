import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOSSL
import NIOPosix
import Testing
@testable import XukeApp
import XukeDomain
import XukeStorage
import XukeTestSupport

/// The SMTP server `scripts/test` starts (scripts/smtp-sink, aiosmtpd): its two ports, its CA, its sign-in and the
/// folder where it writes what arrived. Nil under a bare `swift test`, which then skips what needs it.
struct Sink {
    var plainPort: Int
    var tlsPort: Int
    var ca: String
    var user: String
    var password: String
    var dir: String

    static let current: Sink? = {
        let env = ProcessInfo.processInfo.environment
        guard let plain = env["XUKE_TEST_SMTP_PLAIN_PORT"].flatMap(Int.init), let tls = env["XUKE_TEST_SMTP_TLS_PORT"].flatMap(Int.init),
              let ca = env["XUKE_TEST_SMTP_CA"], let user = env["XUKE_TEST_SMTP_USER"], let password = env["XUKE_TEST_SMTP_PASSWORD"],
              let dir = env["XUKE_TEST_SMTP_DIR"] else { return nil }
        return Sink(plainPort: plain, tlsPort: tls, ca: ca, user: user, password: password, dir: dir)
    }()

    /// `scripts/test` always starts the sink along with the interop tools; without it those runs must fail, not skip.
    static func required() throws -> Sink? {
        if Interop.enabled { return try #require(current, "scripts/test starts scripts/smtp-sink; its XUKE_TEST_SMTP_* settings are missing") }
        return current
    }

    var startTLSURL: String { "smtp+starttls://\(user):\(password)@localhost:\(tlsPort)" }
    var plainURL: String { "smtp://127.0.0.1:\(plainPort)" }

    /// The messages that arrived for `address`, as the server wrote them (envelope lines first).
    func messages(to address: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") && $0.hasSuffix("-\(address).eml") }.sorted()
            .map { try String(contentsOfFile: "\(dir)/\($0)", encoding: .utf8) }
    }
}

/// What a message's reader sees: the decoded subject and body (the sender wrote them as encoded words and base64).
struct ReadMail {
    var headers: [String: String] = [:]
    var subject: String
    var body: String

    init(_ raw: String) throws {
        let parts = raw.components(separatedBy: "\r\n\r\n")
        var unfolded: [String] = []
        for line in parts[0].components(separatedBy: "\r\n") {
            if line.hasPrefix(" "), !unfolded.isEmpty { unfolded[unfolded.count - 1] += line } else { unfolded.append(line) }
        }
        for line in unfolded {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        subject = try ReadMail.decodeWords(try #require(headers["subject"]))
        let base64 = parts.dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "\r\n", with: "")
        body = String(decoding: try #require(Data(base64Encoded: base64)), as: UTF8.self)
    }

    static func decodeWords(_ header: String) throws -> String {
        var out = ""
        for word in header.split(separator: " ") {
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { out += word; continue }
            out += String(decoding: try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))), as: UTF8.self)
        }
        return out
    }
}

@Suite struct MailFormatTests {
    @Test func addressesAreCheckedStrictly() {
        for good in ["gd@example.cn", " Wang.Wu+licence@Mail.Example.CN ", "a@b.xn--fiqs8s"] { #expect(EmailAddress(good) != nil, "\(good)") }
        #expect(EmailAddress(" Wang.Wu+licence@Mail.Example.CN ")?.value == "Wang.Wu+licence@mail.example.cn")
        for bad in ["", "gd", "gd@", "@example.cn", "gd@example", "gd@@example.cn", "g d@example.cn", "gd@exa mple.cn", "\"gd\"@example.cn",
                    "gd@example.cn\r\nBcc: x@y.cn", "gd@-example.cn", ".gd@example.cn", "g..d@example.cn", "王@example.cn", "gd@例子.cn",
                    "gd@example.123", String(repeating: "a", count: 65) + "@example.cn", "gd@" + String(repeating: "a", count: 250) + ".cn"] {
            #expect(EmailAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func aMessageReadsBackWhole() throws {
        let subject = "SQ2026-000001 已受理，这是一个相当长的中文主题用来检查折行是否按整字切分 / Application accepted"
        let body = "第一行\n.以点开头的一行\n\nSecond paragraph, English."
        let raw = MailFormat.render(id: 7, from: EmailAddress("noreply@xuke.example.cn")!, to: "gd@example.cn", subject: subject, body: body,
                                    date: Date(timeIntervalSince1970: 1_796_000_000))
        #expect(raw.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 78 })
        #expect(raw.unicodeScalars.allSatisfy { $0.isASCII })
        let read = try ReadMail(raw)
        #expect(read.subject == subject)
        #expect(read.body == body.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(read.headers["to"] == "<gd@example.cn>")
        #expect(read.headers["date"] == "Mon, 30 Nov 2026 00:53:20 +0000")
        // A line of the message that starts with a dot goes over the wire with two, and the end marker stays unique.
        #expect(SMTPClient.dotStuffed("a\r\n.b\r\n..c") == "a\r\n..b\r\n...c\r\n")
        #expect(SMTPClient.dotStuffed(".a\r\n\r\n") == "..a\r\n\r\n")
    }

    @Test func smtpURLsSayHowToConnect() {
        let relay = SMTPEndpoint(url: "smtp://relay.example.cn")
        #expect(relay?.host == "relay.example.cn" && relay?.port == 25 && relay?.security == .plain && relay?.username == nil)
        #expect(SMTPEndpoint(url: "smtps://u:p%40ss@mail.example.cn")?.password == "p@ss")
        #expect(SMTPEndpoint(url: "smtp+starttls://u:p@mail.example.cn")?.port == 587)
        #expect(SMTPEndpoint(url: "smtp://u:p@127.0.0.1:2525")?.username == "u")
        // A password is never sent in the clear across a network.
        #expect(SMTPEndpoint(url: "smtp://u:p@relay.example.cn") == nil)
        for bad in ["http://mail.example.cn", "smtp://", "smtp://mail.example.cn:0", "smtp://mail.example.cn/x", "smtp://u@mail.example.cn:25", "smtps://h?x=1"] {
            #expect(SMTPEndpoint(url: bad) == nil, "\(bad)")
        }
        #expect(SMTPEndpoint.redacted("smtps://u:secret@h") == "smtps://u:***@h")
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["XUKE_SMTP_URL": "smtp://u:secret@relay.example.cn"]) }
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["XUKE_MAIL_FROM": "not an address"]) }
    }
}

@Suite struct MailDeliveryTests {
    func client(_ url: String, sink: Sink, password: String? = nil) throws -> SMTPClient {
        var config = AppConfig()
        config.smtpURL = url
        config.smtpCAFile = sink.ca
        config.mailFrom = "noreply@xuke.example.cn"
        var client = try #require(config.smtpClient)
        client = SMTPClient(endpoint: client.endpoint, from: client.from, heloName: client.heloName, tls: client.tls, timeout: .seconds(5))
        return client
    }

    /// A user sets an address, the confirmation arrives over STARTTLS with sign-in, its link confirms it, and the
    /// next notice about the user's case arrives at that address in both languages.
    @Test func anAddressIsConfirmedAndNoticesArrive() async throws {
        guard let sink = try Sink.required() else { return }
        try await Harness.run(configure: { c in
            c.smtpURL = sink.startTLSURL
            c.smtpCAFile = sink.ca
            c.mailFrom = "noreply@xuke.example.cn"
        }) { client, s in
            let (enterprise, officer, sha) = try await LicensingSubmissionTests().setUp(s)
            let address = "gd-\(UUID().uuidString.prefix(8).lowercased())@example.cn"
            let browser = try await client.browser(officer.username)

            // A refused address keeps what was typed, with the reason in the page's language.
            let refused = try await client.submit("/account/email?lang=en", [("address", "gd at example")], browser)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"value="gd at example""#))
            #expect(refused.text.contains("is not a usable e-mail address"))

            let asked = try await client.submit("/account/email", [("address", address)], browser)
            #expect(asked.status == .ok)
            #expect(asked.text.contains(address))
            #expect(try await s.mail.deliver() == .init(sent: 1))
            let confirmation = try ReadMail(try #require(try sink.messages(to: address).first))
            #expect(confirmation.subject == "确认您的邮箱地址 / Confirm your e-mail address")
            #expect(confirmation.body.contains("请在 24 小时内打开以下链接") && confirmation.body.contains("Open this link within 24 hours"))
            let link = try #require(confirmation.body.range(of: #"/account/email/confirm/[A-Za-z0-9_-]+"#, options: .regularExpression)
                .map { String(confirmation.body[$0]) })

            // Opening the link asks first (a scanner that follows links confirms nothing); the button confirms.
            let opened = try await client.get(link)
            #expect(opened.status == .ok && opened.text.contains(address))
            #expect(try await s.accounts.emailStatus(of: officer).confirmed == nil)
            let done = try await client.submit(link, [], browser)
            #expect(done.status == .ok && done.text.contains(address))
            #expect(try await s.accounts.emailStatus(of: officer).confirmed == address)
            #expect(try await client.submit(link, [], browser).status == .notFound)  // used up

            _ = try await s.licensing.submit(LicensingSubmissionTests().newApplication(sha, route: .commitment), by: enterprise)
            #expect(try await s.mail.deliver() == .init(sent: 1))
            let notices = try sink.messages(to: address)
            #expect(notices.count == 2)
            let notice = try ReadMail(notices[1])
            #expect(notice.subject.hasSuffix("申请已提交 / Application submitted"))
            #expect(notice.body.contains("/inbox") && notice.body.contains("Sign in to Xuke"))
            #expect(notice.headers["from"]?.hasSuffix("<noreply@xuke.example.cn>") == true)

            // Removing the address stops mail, also what was already queued for it.
            try await s.db.write { try await MailStore.enqueue($0, userID: officer.id, to: address, subject: "x", body: "y", at: s.clock.stamp) }
            #expect(try await client.submit("/account/email/remove", [], browser).status == .seeOther)
            #expect(try await s.accounts.emailStatus(of: officer).confirmed == nil)
            #expect(try await s.mail.deliver() == .init())
            #expect(try await s.mail.overview().dead.first?.lastError == "address removed")
        }
    }

    /// Refusals for good go dead at once, refusals for now are retried later, and an administrator sees the dead
    /// ones with their reason and can put them back.
    @Test func failuresAreRetriedOrDeadAndAdministratorsSeeThem() async throws {
        guard let sink = try Sink.required() else { return }
        try await Harness.run(configure: { c in c.smtpURL = sink.plainURL }) { client, s in
            let admin = try await client.token(s, username: "root", role: "admin")
            let stamp = s.clock.stamp
            let fine = "fine-\(UUID().uuidString.prefix(8).lowercased())@example.cn"
            try await s.db.write { sql in
                for to in ["nobody@reject.test", "later@tempfail.test", fine] {
                    try await MailStore.enqueue(sql, userID: nil, to: to, subject: "测试 / Test", body: "正文 / Body", at: stamp)
                }
            }
            #expect(try await s.mail.deliver() == .init(sent: 1, retried: 1, dead: 1))
            #expect(try sink.messages(to: fine).count == 1)
            // Nothing is due again until the backoff has passed.
            #expect(try await s.mail.deliver() == .init())
            s.clock.set(s.clock.now().addingTimeInterval(61))
            #expect(try await s.mail.deliver() == .init(retried: 1))

            let overview = try await client.get("/api/v1/admin/mail", headers: [.authorization: "Bearer \(admin)"])
            #expect(overview.status == .ok)
            let o = try overview.json()
            #expect((o["counts"] as? [String: Any])?["dead"] as? Int == 1)
            #expect((o["counts"] as? [String: Any])?["retrying"] as? Int == 1)
            let dead = try #require((o["dead"] as? [[String: Any]])?.first)
            #expect(dead["to_address"] as? String == "nobody@reject.test")
            #expect((dead["last_error"] as? String)?.contains("550") == true)

            let id = try #require(dead["id"] as? Int)
            #expect(try await client.send(.post, "/api/v1/admin/mail/\(id)/retry", json: "", token: admin).status == .noContent)
            #expect(try await client.send(.post, "/api/v1/admin/mail/\(id)/retry", json: "", token: admin).status == .conflict)
            #expect(try await client.send(.post, "/api/v1/admin/mail/999999/retry", json: "", token: admin).status == .notFound)
            #expect(try await s.mail.deliver() == .init(dead: 1))  // refused for good again

            let page = try await client.browser("root")
            let listed = try await client.get("/admin/mail?lang=en", headers: [.cookie: page.cookie])
            #expect(listed.status == .ok && listed.text.contains("nobody@reject.test") && listed.text.contains("550"))
            #expect(listed.readsClean)
        }
    }

    /// A server that cannot be reached, refuses the sign-in or is not the one the certificate names: every message is
    /// kept for a later try, with the reason, and no attempt is counted against it.
    @Test func anUnusableServerLosesNothing() async throws {
        guard let sink = try Sink.required() else { return }
        let a = "a-\(UUID().uuidString.prefix(8).lowercased())@example.cn"
        let messages = [SMTPClient.Message(to: a, data: "Subject: x\r\n\r\nx\r\n"), SMTPClient.Message(to: "b@example.cn", data: "Subject: y\r\n\r\n.y\r\n")]
        let closed = try await client("smtp://127.0.0.1:1", sink: sink).send(messages)
        #expect(closed.count == 2 && closed.allSatisfy { if case .unreachable = $0 { true } else { false } })
        let wrongPassword = try await client("smtp+starttls://\(sink.user):wrong@localhost:\(sink.tlsPort)", sink: sink).send(messages)
        #expect(wrongPassword.first == .unreachable("AUTH: 535"), "\(wrongPassword)")
        // The plain listener offers no STARTTLS: a client told to require it refuses to go on in the clear.
        let noTLS = try await client("smtp+starttls://localhost:\(sink.plainPort)", sink: sink).send(messages)
        #expect(noTLS.first == .unreachable("the server offers no STARTTLS"))
        // Without the test CA the server's certificate is not trusted.
        var untrusted = try client(sink.startTLSURL, sink: sink)
        untrusted = SMTPClient(endpoint: untrusted.endpoint, from: untrusted.from, heloName: "x", tls: .makeClientConfiguration(), timeout: .seconds(5))
        let refused = await untrusted.send(messages)
        #expect(refused.count == 2 && refused.allSatisfy { if case .unreachable = $0 { true } else { false } })
        #expect(try sink.messages(to: a).isEmpty)
        // Over STARTTLS with the right sign-in both arrive.
        #expect(try await client(sink.startTLSURL, sink: sink).send(messages) == [.sent, .sent])
        #expect(try sink.messages(to: a).first?.hasSuffix("Subject: x\r\n\r\nx\r\n") == true)
    }
}

extension MailDeliveryTests {
    /// The SMTP server down for longer than all the retries would take: nothing is used up, nothing dies.
    @Test func anOutageUsesUpNoAttempts() async throws {
        try await Harness.run(configure: { c in c.smtpURL = "smtp://127.0.0.1:1" }) { _, s in
            try await s.db.write { try await MailStore.enqueue($0, userID: nil, to: "gd@example.cn", subject: "x", body: "y", at: s.clock.stamp) }
            for _ in 0..<(MailService.schedule.maxAttempts + 2) {
                #expect(try await s.mail.deliver() == .init(postponed: 1))
                s.clock.set(s.clock.now().addingTimeInterval(Double(MailService.unreachableWait)))
            }
            let (counts, dead) = try await s.mail.overview()
            #expect(counts.pending == 1 && counts.retrying == 0 && dead.isEmpty)
        }
    }
}

/// A server that answers STARTTLS with 220 and then, still in the clear, a forged reply: what someone between
/// the platform and its SMTP server could send so that it would be read as if it had come over TLS.
final class InjectingServer: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    // Used on the server channel's event loop only.
    var buffer = ""

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "220 fake ESMTP\r\n")), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer += String(buffer: unwrapInboundIn(data))
        while let end = buffer.range(of: "\r\n") {
            let line = String(buffer[..<end.lowerBound]).uppercased()
            buffer.removeSubrange(..<end.upperBound)
            if line.hasPrefix("EHLO") {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "250-fake\r\n250 STARTTLS\r\n")), promise: nil)
            } else if line == "STARTTLS" {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "220 go ahead\r\n")), promise: nil)
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "250-forged\r\n250 AUTH PLAIN\r\n")), promise: nil)
            }
        }
    }
}

extension MailDeliveryTests {
    @Test func plaintextAfterStartTLSIsRefused() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.pipeline.addHandler(InjectingServer()) }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        var config = AppConfig()
        config.smtpURL = "smtp+starttls://localhost:\(port)"
        config.mailFrom = "noreply@xuke.example.cn"
        let client = try #require(config.smtpClient)
        let outcome = await client.send([SMTPClient.Message(to: "a@example.cn", data: "Subject: x\r\n\r\nx\r\n")])
        #expect(outcome == [.unreachable("the server sent data before the TLS handshake")], "\(outcome)")
    }
}
