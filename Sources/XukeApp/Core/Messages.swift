public import XukeDomain
import Foundation

/// The message catalog: every string a person sees, in Simplified Chinese and English.
public struct Messages: Sendable {
    public let catalogs: [Language: [String: String]]

    public static func load() throws -> Messages {
        var catalogs: [Language: [String: String]] = [:]
        for lang in Language.allCases {
            guard let url = Bundle.module.url(forResource: lang.rawValue, withExtension: "json", subdirectory: "messages") else {
                throw CocoaError(.fileNoSuchFile)
            }
            catalogs[lang] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return Messages(catalogs: catalogs)
    }

    /// The catalog shipped with the app, for errors, which are made far from any request's renderer.
    public static let shared: Messages = (try? load()) ?? Messages(catalogs: [:])

    /// An error's sentence in both languages, its placeholders filled.
    public func error(_ code: ErrorCode, _ args: [String: LocalizedText]) -> LocalizedText {
        func say(_ lang: Language) -> String {
            var s = text("error." + code.messageKey, lang)
            for (k, v) in args { s = s.replacingOccurrences(of: "{\(k)}", with: v.text(for: lang)) }
            return s
        }
        return LocalizedText(zh: say(.zh), en: say(.en))
    }

    public func text(_ key: String, _ lang: Language) -> String {
        catalogs[lang]?[key] ?? catalogs[.zh]?[key] ?? key
    }

    /// Replaces `{name}` placeholders.
    public func text(_ key: String, _ lang: Language, _ args: [String: String]) -> String {
        var s = text(key, lang)
        for (k, v) in args { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }
}
