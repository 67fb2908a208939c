import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import XukeDomain

/// Where mail is handed over, from `XUKE_SMTP_URL`: `smtp://host[:25]` in the clear (a relay on this machine or a
/// trusted network), `smtp+starttls://host[:587]` with STARTTLS required, or `smtps://host[:465]` with TLS from the
/// first byte; `user:password@` before the host signs in with AUTH PLAIN (or LOGIN). A password never travels in
/// the clear: credentials on `smtp://` are accepted only for a loopback host.
struct SMTPEndpoint: Sendable, Equatable {
    enum Security: Sendable, Equatable { case plain, startTLS, tls }
    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?

    init?(url: String) {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), var host = c.host, !host.isEmpty,
              c.path.isEmpty || c.path == "/", c.query == nil, c.fragment == nil else { return nil }
        switch scheme {
        case "smtp": (security, port) = (.plain, c.port ?? 25)
        case "smtp+starttls": (security, port) = (.startTLS, c.port ?? 587)
        case "smtps": (security, port) = (.tls, c.port ?? 465)
        default: return nil
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        username = c.user
        password = c.password
        guard (1...65535).contains(port), (username == nil) == (password == nil) else { return nil }
        if username != nil, security == .plain, !(host == "localhost" || (IPAddress(host)?.isLoopback ?? false)) {
            return nil
        }
    }

    /// The URL as it may be shown and logged: the password replaced.
    static func redacted(_ url: String) -> String {
        if var c = URLComponents(string: url) {
            guard c.password != nil else { return url }
            c.password = "***"
            if let text = c.string { return text }
        }
        // Unparseable (a password with a bare # or /, say): hide everything between the scheme and the last @.
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", options: .backwards), scheme.upperBound < at.lowerBound else { return url }
        return String(url[..<scheme.upperBound]) + "***" + String(url[at.lowerBound...])
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: one connection per batch, EHLO, STARTTLS when asked for, AUTH, then
/// per message MAIL FROM, RCPT TO and DATA. Every reply must arrive within `timeout`, or the connection is closed.
/// A 4xx reply or a broken connection is temporary (the message is tried again later); a 5xx reply to a message is
/// permanent. Replies are read with a bound on line length and count, so a hostile server cannot grow our memory.
struct SMTPClient: Sendable {
    let endpoint: SMTPEndpoint
    let from: EmailAddress
    /// Our name in EHLO: the host of the public URL.
    let heloName: String
    let tls: TLSConfiguration
    let timeout: TimeAmount

    struct Message: Sendable {
        var to: String
        /// The whole message, headers and body, lines ending in CRLF.
        var data: String
    }

    enum Outcome: Sendable, Equatable {
        case sent
        /// Refused for now: counts as an attempt.
        case temporary(String)
        /// Refused for good.
        case permanent(String)
        /// The server could not be used at all (unreachable, TLS, sign-in, or the connection broke before this
        /// message's turn): no attempt of this message's is counted.
        case unreachable(String)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The TLS context, made once (the trust roots are read from disk) and kept for every batch.
    private let context: Result<NIOSSLContext, any Error>?

    init(endpoint: SMTPEndpoint, from: EmailAddress, heloName: String, tls: TLSConfiguration, timeout: TimeAmount) {
        (self.endpoint, self.from, self.heloName, self.tls, self.timeout) = (endpoint, from, heloName, tls, timeout)
        context = endpoint.security == .plain ? nil : Result { try NIOSSLContext(configuration: tls) }
    }

    struct Reply {
        var code: Int
        var lines: [String]
        var summary: String { "\(code) \(lines.first ?? "")" }
    }

    /// Sends each message and answers each one's outcome, in order. Never throws: what could not be tried is temporary.
    func send(_ messages: [Message]) async -> [Outcome] {
        var outcomes: [Outcome] = []
        var inTransaction = false
        do {
            let context = try self.context?.get()
            let serverName = IPAddress(endpoint.host) == nil ? endpoint.host : nil
            let initialTLS = endpoint.security == .tls ? context : nil
            let counter = ByteCounter()
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let initialTLS {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: initialTLS, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHandler(counter)
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            try await channel.executeThenClose { inbound, outbound in
                var session = Session(inbound: inbound.makeAsyncIterator(), outbound: outbound, channel: channel.channel, timeout: timeout,
                                      counter: counter)
                try await open(&session, context: context, serverName: serverName)
                for message in messages {
                    inTransaction = true
                    outcomes.append(try await transfer(message, &session))
                    inTransaction = false
                }
                _ = try? await session.command("QUIT")
            }
        } catch {
            let reason = Self.clean((error as? Failure)?.description ?? "connection: \(error)")
            // The message being sent when the connection broke counts an attempt (it may be what broke it); the
            // ones after it never had their turn.
            if outcomes.count < messages.count, inTransaction {
                outcomes.append(.temporary(reason))
            }
            outcomes += Array(repeating: .unreachable(reason), count: messages.count - outcomes.count)
        }
        return outcomes
    }

    private func open(_ s: inout Session, context: NIOSSLContext?, serverName: String?) async throws {
        try Self.expect(try await s.reply(), 220, "greeting")
        var features = try Self.expect(try await s.command("EHLO \(heloName)"), 250, "EHLO").lines.dropFirst().map { $0.uppercased() }
        if endpoint.security == .startTLS, let context {
            guard features.contains(where: { $0 == "STARTTLS" }) else { throw Failure(description: "the server offers no STARTTLS") }
            try Self.expect(try await s.command("STARTTLS"), 220, "STARTTLS")
            // Anything sent in the clear after the 220 would be read as if it had come over TLS (a known injection):
            // refuse it, whether already read or still waiting in the channel. On the event loop, so no byte can
            // arrive between the count and TLS taking over.
            let (counter, taken, channel) = (s.counter, s.received, s.channel)
            guard s.pending.isEmpty else { throw Failure(description: "the server sent data before the TLS handshake") }
            try await channel.eventLoop.submit {
                guard counter.seen == taken else { throw Failure(description: "the server sent data before the TLS handshake") }
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName), position: .first)
            }.get()
            features = try Self.expect(try await s.command("EHLO \(heloName)"), 250, "EHLO").lines.dropFirst().map { $0.uppercased() }
        }
        guard let user = endpoint.username, let password = endpoint.password else { return }
        let mechanisms = features.first { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }?.dropFirst(5).split(separator: " ") ?? []
        let reply: Reply
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            reply = try await s.command("AUTH PLAIN " + Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString())
        } else {
            try Self.expect(try await s.command("AUTH LOGIN"), 334, "AUTH LOGIN")
            try Self.expect(try await s.command(Data(user.utf8).base64EncodedString()), 334, "AUTH LOGIN")
            reply = try await s.command(Data(password.utf8).base64EncodedString())
        }
        // Only the code: a server's words about a failed sign-in could repeat what was sent.
        guard reply.code == 235 else { throw Failure(description: "AUTH: \(reply.code)") }
    }

    private func transfer(_ m: Message, _ s: inout Session) async throws -> Outcome {
        func refused(_ r: Reply, _ step: String) async throws -> Outcome {
            // Back to a clean state for the next message; if even that fails, the connection is unusable.
            try Self.expect(try await s.command("RSET"), 250, "RSET")
            return Self.refusal(r, step)
        }
        let mail = try await s.command("MAIL FROM:<\(from.value)>")
        guard mail.code == 250 else { return try await refused(mail, "MAIL FROM") }
        let rcpt = try await s.command("RCPT TO:<\(m.to)>")
        guard rcpt.code == 250 || rcpt.code == 251 else { return try await refused(rcpt, "RCPT TO") }
        let data = try await s.command("DATA")
        guard data.code == 354 else { return try await refused(data, "DATA") }
        let done = try await s.command(Self.dotStuffed(m.data) + ".")
        guard done.code == 250 else { return Self.refusal(done, "DATA") }
        return .sent
    }

    /// A refusal of one message: for good on 5xx, for now on 4xx.
    static func refusal(_ r: Reply, _ step: String) -> Outcome {
        let why = clean("\(step): \(r.summary)")
        return r.code >= 500 ? .permanent(why) : .temporary(why)
    }

    @discardableResult
    static func expect(_ r: Reply, _ code: Int, _ step: String) throws -> Reply {
        guard r.code == code else { throw Failure(description: "\(step): \(r.summary)") }
        return r
    }

    /// The message with every line that starts with a dot given a second one, ending in CRLF. Bytes, not
    /// characters: to Swift "\r\n" is one character.
    static func dotStuffed(_ data: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(data.utf8.count + 16)
        var lineStart = true
        for byte in data.utf8 {
            if lineStart && byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            lineStart = byte == UInt8(ascii: "\n")
        }
        if out.suffix(2) != [13, 10] { out += [13, 10] }
        return String(decoding: out, as: UTF8.self)
    }

    /// A reason fit for a column and a page: printable, one line, bounded.
    static func clean(_ text: String) -> String {
        String(String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }).prefix(300))
    }

    /// One connection's conversation: commands out, replies in, each reply awaited under the deadline.
    struct Session {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let channel: any Channel
        let timeout: TimeAmount
        var pending: [UInt8] = []
        let counter: ByteCounter
        /// Bytes taken from the channel so far (what `counter` saw, unless more waits unread).
        var received = 0

        static let maxLine = 2048
        static let maxLines = 64

        /// Writes a command and reads its reply. No error text ever quotes a command (AUTH carries the password).
        mutating func command(_ line: String) async throws -> Reply { try await exchange(line) }

        /// A reply nothing was sent for (the greeting).
        mutating func reply() async throws -> Reply { try await exchange(nil) }

        /// Under the deadline: the connection is closed if the reply is not complete in time.
        private mutating func exchange(_ line: String?) async throws -> Reply {
            let channel = self.channel
            let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            defer { deadline.cancel() }
            if let line { try await outbound.write(ByteBuffer(string: line + "\r\n")) }
            return try await readReply()
        }

        private mutating func readReply() async throws -> Reply {
            var lines: [String] = []
            while true {
                let line = try await nextLine()
                let bytes = Array(line.utf8)
                guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code),
                      bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
                    throw Failure(description: "not an SMTP reply: \(SMTPClient.clean(String(line.prefix(80))))")
                }
                lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
                if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return Reply(code: code, lines: lines) }
                guard lines.count < Self.maxLines else { throw Failure(description: "reply of more than \(Self.maxLines) lines") }
            }
        }

        private mutating func nextLine() async throws -> String {
            while true {
                if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[..<end].last == UInt8(ascii: "\r") ? pending[..<(end - 1)] : pending[..<end]
                    let text = String(decoding: line, as: UTF8.self)
                    pending.removeFirst(end + 1)
                    return text
                }
                guard pending.count <= Self.maxLine else { throw Failure(description: "reply line longer than \(Self.maxLine) bytes") }
                guard var buffer = try await inbound.next() else { throw Failure(description: "the server closed the connection or did not answer in time") }
                received += buffer.readableBytes
                pending += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
        }
    }
}

/// Counts the bytes that reach the reader. At STARTTLS the count must equal what the reader has taken: more means
/// someone between us and the server sent something in the clear after the 220.
final class ByteCounter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    // Read and written only on the channel's event loop.
    var seen = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        seen += unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
    }
}

extension AppConfig {
    /// The SMTP client the settings describe, or nil when no server is set (checked when the settings were read).
    var smtpClient: SMTPClient? {
        guard let endpoint = SMTPEndpoint(url: smtpURL), let from = EmailAddress(mailFrom) else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if !smtpCAFile.isEmpty { tls.trustRoots = .file(smtpCAFile) }
        // EHLO names a host; an address goes in brackets (RFC 5321 §4.1.3).
        let host = URLComponents(string: effectivePublicURL)?.host ?? "localhost"
        let helo = IPAddress(host).map { $0.isV4 ? "[\(host)]" : "[IPv6:\(host)]" } ?? host
        return SMTPClient(endpoint: endpoint, from: from, heloName: helo, tls: tls, timeout: .seconds(30))
    }
}
