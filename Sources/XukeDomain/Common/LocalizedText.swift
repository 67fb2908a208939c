/// A user-visible sentence in both languages the platform speaks.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(for language: Language) -> String {
        language == .zh ? zh : en
    }
}

public enum Language: String, Sendable, CaseIterable, Codable {
    case zh
    case en
}
