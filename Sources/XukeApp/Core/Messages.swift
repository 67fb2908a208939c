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
