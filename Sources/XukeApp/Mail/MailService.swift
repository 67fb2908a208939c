import Foundation
import XukeDomain
import XukeStorage

/// The mail worker: hands the outbox to SMTP in batches, tries a failed message again later (doubling the wait from
/// a minute up to an hour) and after its last attempt, or at once when the server refuses it for good, leaves it
/// dead for an administrator to see and put back. While the server cannot be used at all (down, TLS or sign-in
/// refused) mail waits a minute at a time without using up attempts: an outage of any length loses nothing. A message can go out twice if a server dies between the SMTP
/// server's acceptance and the outbox's update; it is never lost.
struct MailService: Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    /// Nil when no SMTP server is set: mail then waits in the outbox.
    let smtp: SMTPClient?

    static let schedule = RetrySchedule(firstDelaySeconds: 60, maxDelaySeconds: 3600, maxAttempts: 10)
    static let batch = 50

    struct Report: Sendable, Equatable {
        var sent = 0
        var retried = 0
        var dead = 0
        /// Not tried: the server could not be used.
        var postponed = 0
    }

    /// Seconds before mail is tried again after the server could not be used at all.
    static let unreachableWait = 60

    /// Sends what is due, a batch per connection, until nothing is due or `maxBatches` ran.
    func deliver(maxBatches: Int = 10) async throws -> Report {
        var report = Report()
        guard let smtp else { return report }
        for _ in 0..<maxBatches {
            let due = try await db.read { try await MailStore.due($0, now: clock.stamp, limit: Self.batch) }
            guard !due.isEmpty else { break }
            let date = clock.now()
            // An address is checked again on its way out: only a well-formed one goes into RCPT and the header.
            let valid = due.filter { EmailAddress($0.toAddress)?.value == $0.toAddress }
            var outcomes = [Int: SMTPClient.Outcome]()
            for mail in due where !valid.contains(mail) { outcomes[mail.id] = .permanent("not a usable address") }
            let sent = await smtp.send(valid.map {
                SMTPClient.Message(to: $0.toAddress, data: MailFormat.render(id: $0.id, from: smtp.from, to: $0.toAddress, subject: $0.subject,
                                                                             body: $0.body, date: date))
            })
            for (mail, outcome) in zip(valid, sent) { outcomes[mail.id] = outcome }
            let now = clock.now()
            let stamp = Timestamp.string(now)
            let round = try await db.write { sql in
                var r = Report()
                for mail in due {
                    let attempts = mail.attempts + 1
                    switch outcomes[mail.id] ?? .unreachable("not tried") {
                    case .unreachable(let why):
                        let retry = Timestamp.string(now.addingTimeInterval(Double(Self.unreachableWait)))
                        try await MailStore.postponed(sql, id: mail.id, error: why, retryAt: retry)
                        r.postponed += 1
                    case .sent:
                        try await MailStore.sent(sql, id: mail.id, attempts: attempts, at: stamp)
                        r.sent += 1
                    case .temporary(let why) where !Self.schedule.exhausted(failures: attempts):
                        let retry = Timestamp.string(now.addingTimeInterval(Double(Self.schedule.delay(afterFailures: attempts))))
                        try await MailStore.failed(sql, id: mail.id, attempts: attempts, error: why, retryAt: retry, at: stamp)
                        r.retried += 1
                    case .temporary(let why), .permanent(let why):
                        try await MailStore.failed(sql, id: mail.id, attempts: attempts, error: why, retryAt: nil, at: stamp)
                        r.dead += 1
                    }
                }
                return r
            }
            report.sent += round.sent
            report.retried += round.retried
            report.dead += round.dead
            report.postponed += round.postponed
            PlatformMetrics.mail(round)
            if due.count < Self.batch || round.sent == 0 || round.postponed > 0 { break }
        }
        try await observeQueue()
        return report
    }

    /// Sets the queue gauges from the outbox (the lease holder keeps them current).
    func observeQueue() async throws {
        let counts = try await db.read { try await MailStore.counts($0, sentSince: Timestamp.string(clock.now().addingTimeInterval(-86400))) }
        PlatformMetrics.mailQueue(counts)
    }

    func overview(limit: Int = 100) async throws -> (counts: MailStore.Counts, dead: [MailStore.DeadLetter]) {
        try await db.read { sql in
            (try await MailStore.counts(sql, sentSince: Timestamp.string(clock.now().addingTimeInterval(-86400))), try await MailStore.dead(sql, limit: limit))
        }
    }

    func retry(id: Int, by admin: User) async throws {
        try await db.write { try await MailStore.retry($0, id: id, actor: admin.actor, at: clock.stamp) }
    }
}

/// A message as it goes over SMTP (RFC 5322 and MIME): UTF-8 subject in encoded words, the text body in base64, so
/// every line is short ASCII whatever the language.
enum MailFormat {
    static func render(id: Int, from: EmailAddress, to: String, subject: String, body: String, date: Date) -> String {
        let headers = [
            "From: \(encodedWords("许可 Xuke")) <\(from.value)>",
            "To: <\(to)>",
            "Subject: \(encodedWords(oneLine(subject)))",
            "Date: \(rfc5322(date))",
            "Message-ID: <mail.\(id).\(Int(date.timeIntervalSince1970))@\(from.domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        let normalised = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalised.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n"
    }

    /// RFC 2047 B-encoded words (39 bytes, 64 characters each, so "Subject: " and a word fit a 76-character line),
    /// folded onto continuation lines; whole characters per word.
    static func encodedWords(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) && text.utf8.count <= 60 && !text.contains("=?") { return text }
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        for c in text {
            let bytes = Array(String(c).utf8)
            if chunk.count + bytes.count > 39 {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    static func rfc5322(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: date)
    }
}
