import XukeDomain
import XukeStorage

/// Who hears of an event is decided where it happens (`Recipients`, `Notifications`); the notifier words what they
/// are told, in both languages, from the message catalog: the subject ("SQ2026-000001 已受理 / Application
/// accepted") and the mail's body, Chinese first, with a link to the inbox.
struct Notifier: Sendable {
    let messages: Messages
    /// Where the public reaches the platform; links in mail start with it.
    let publicURL: String

    func notice(_ number: String, _ type: String) -> Notifications.Notice {
        let zh = messages.text("event.\(type)", .zh), en = messages.text("event.\(type)", .en)
        let link = "\(publicURL)/inbox"
        return .init(subject: "\(number) \(zh) / \(en)", body: bilingual("mail.notice.body") { lang in
            ["number": number, "what": lang == .zh ? zh : en, "link": link]
        })
    }

    /// The two languages' versions of a message, Chinese first, each followed by the standing footer.
    func bilingual(_ key: String, _ args: (Language) -> [String: String]) -> String {
        [Language.zh, .en].map { lang in
            messages.text(key, lang, args(lang)) + "\n\n" + messages.text("mail.footer", lang)
        }.joined(separator: "\n\n----------------------------------------\n\n")
    }

    func subject(_ key: String) -> String { "\(messages.text(key, .zh)) / \(messages.text(key, .en))" }
}
