/// A stable error code: what a program matches on. The sentence a person reads is not here but in the message
/// catalog, under `error.` and the message key, in both languages, with `{name}` placeholders filled from the
/// error's arguments. One code may have several sentences (variants) saying more precisely what went wrong; the
/// code, which is what clients rely on, stays the same. Every code is declared once, as a static member of its
/// area (`ErrorCode.lab.notFound`), and listed in docs/ERRORS.md.
public struct ErrorCode: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    /// The HTTP status the error is answered with.
    public let status: Int
    /// `rawValue`, or `rawValue:variant` when the code has more than one sentence.
    public let messageKey: String

    public init(_ rawValue: String, _ status: Int, variant: String? = nil) {
        self.rawValue = rawValue
        self.status = status
        self.messageKey = variant.map { "\(rawValue):\($0)" } ?? rawValue
    }

    /// A code as read back from an answer: equal to the catalog's member of the same name.
    public init(rawValue: String) {
        self.init(rawValue, 0)
    }

    /// A family of codes sharing one sentence (`http.400`, `http.415`, …).
    public init(_ rawValue: String, _ status: Int, messageKey: String) {
        self.rawValue = rawValue
        self.status = status
        self.messageKey = messageKey
    }

    public var description: String { rawValue }

    /// Variants of one code are the same code.
    public static func == (a: ErrorCode, b: ErrorCode) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

extension ErrorCode {
    /// The catalog by area, each variant once, in the order the areas declare them.
    public static var byArea: [(area: String, codes: [ErrorCode])] {
        func codes(_ areas: [any Sendable]) -> [ErrorCode] {
            var out: [ErrorCode] = []
            func walk(_ value: Any) {
                for child in Mirror(reflecting: value).children {
                    if let code = child.value as? ErrorCode { out.append(code) } else { walk(child.value) }
                }
            }
            areas.forEach(walk)
            return out
        }
        return [("Platform", codes(platformAreas)), ("Accounts", codes(accountsAreas)), ("Catalog", codes(catalogAreas)),
                ("Licensing", codes(licensingAreas)), ("Supervision", codes(supervisionAreas)),
                ("Institutions and credit", codes(institutionsAreas)), ("Sharing", codes(sharingAreas)), ("Trust", codes(trustAreas))]
    }

    public static var all: [ErrorCode] { byArea.flatMap(\.codes) }
}

/// A rule broken by input: the code, and the values its sentence names.
public struct DomainError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var args: [String: LocalizedText]

    /// Arguments that read the same in both languages (numbers, codes, names as entered).
    public init(_ code: ErrorCode, _ args: [String: String] = [:]) {
        self.code = code
        self.args = args.mapValues { LocalizedText(zh: $0, en: $0) }
    }

    /// Arguments that are themselves words, given in both languages.
    public init(_ code: ErrorCode, localized args: [String: LocalizedText]) {
        self.code = code
        self.args = args
    }
}
