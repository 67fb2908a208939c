import XukeDomain

/// Who hears of an event is decided where it happens (`Recipients`, `Notifications`); the notifier gives each
/// notice its subject, readable in either language and in mail: "SQ2026-000001 已受理 / Application accepted".
struct Notifier: Sendable {
    let messages: Messages

    func subject(_ number: String, _ type: String) -> String {
        "\(number) \(messages.text("event.\(type)", .zh)) / \(messages.text("event.\(type)", .en))"
    }
}
