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

/// A rule broken by input. `code` is stable and meant for machines; `message` for people.
public struct DomainError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The input is well-formed but breaks a rule (HTTP 422).
        case invalid
        /// The thing asked for does not exist (HTTP 404).
        case notFound
        /// The request clashes with the current state (HTTP 409).
        case conflict
        /// The caller may not do this (HTTP 403).
        case forbidden
    }

    public var kind: Kind
    public var code: String
    public var message: LocalizedText

    public init(_ kind: Kind = .invalid, code: String, zh: String, en: String) {
        self.kind = kind
        self.code = code
        self.message = LocalizedText(zh: zh, en: en)
    }
}
