import XukeDomain

/// What every group of page routes shares: the renderer, and through it words from the message catalog.
protocol PageRoutes {
    var renderer: Renderer { get }
}

/// A request context that knows the language of its answer.
protocol Speaking {
    var language: Language { get }
}

extension Language: Speaking {
    var language: Language { self }
}
extension AppRequestContext: Speaking {}
extension SignedInContext: Speaking {}
extension AdminContext: Speaking {}

extension PageRoutes {
    /// The one localisation helper of pages: a message in a language.

    /// A message in the language of the request.
    func t(_ key: String, _ c: some Speaking) -> String { renderer.messages.text(key, c.language) }
}

/// An option of a select or a choice list: its value, its label, and whether it is the one chosen.
struct Choice: Encodable, Sendable {
    var code: String
    var name: String
    var on: Bool
}

/// One line of a record's history: what happened, when (Beijing time), and who did it.
struct HistoryEntry: Encodable, Sendable {
    var type: String
    var at: String
    var actor: String
}

/// An option of a form's select, and whether the form as typed chose it.
struct Option: Encodable, Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// A form and nothing else: what was typed (`v`) and what was wrong with it.
struct FormPage: PageModel {
    var v: [String: String]
    var error: String?
    var problems: [String] = []
}

/// A value and its name in the reader's language, as a select lists them.
struct ValueName: Encodable, Sendable {
    var value: String
    var name: String
}
