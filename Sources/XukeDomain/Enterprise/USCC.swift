/// Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters, the last a check character.
public struct USCC: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let bodyWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    public let value: String

    /// Validates strictly: length, alphabet and the final check character.
    public init(_ text: String) throws(DomainError) {
        let chars = Array(text)
        guard chars.count == 18 else {
            throw DomainError(.uscc.length, ["chars_count": "\(chars.count)"])
        }
        var values: [Int] = []
        // The last character is checked against the computed one below, so a wrong one is named with the right one.
        for (i, ch) in chars.prefix(17).enumerated() {
            guard let v = USCC.alphabet.firstIndex(of: ch) else {
                throw DomainError(.uscc.character, ["position": "\(i + 1)", "character": "\(ch)"])
            }
            values.append(v)
        }
        let expected = USCC.checkCharacter(values.prefix(17))
        guard chars[17] == expected else {
            throw DomainError(.uscc.check, ["expected": "\(expected)", "found": "\(chars[17])"])
        }
        self.value = text
    }

    /// The check character for the first 17 characters' alphabet values.
    static func checkCharacter(_ values: ArraySlice<Int>) -> Character {
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Completes 17 characters into a valid code (used to make demo and test data).
    public static func completing(_ first17: String) -> USCC? {
        let chars = Array(first17)
        guard chars.count == 17 else { return nil }
        let values = chars.compactMap { alphabet.firstIndex(of: $0) }
        guard values.count == 17 else { return nil }
        return try? USCC(first17 + String(checkCharacter(values[...])))
    }

    /// The registering authority's administrative division code (characters 3–8).
    public var divisionCode: String { String(Array(value)[2..<8]) }

    /// Whether the organisation body code (characters 9–17, GB 11714) carries a correct check of its own.
    /// Legacy registrations sometimes fail it, so it is reported, never enforced.
    public var bodyCodeCheckPasses: Bool {
        let body = Array(value)[8..<17]
        return Self.bodyCheckCharacter(String(body.prefix(8))) == body.last
    }

    /// The GB 11714 check character for the first eight characters of an organisation code, or nil if they are not digits or letters.
    public static func bodyCheckCharacter(_ eight: String) -> Character? {
        let digits = eight.map { ch -> Int? in
            if let d = ch.wholeNumberValue { return d }
            // GB 11714 letters count from A = 10.
            guard let a = ch.asciiValue, a >= 65, a <= 90 else { return nil }
            return Int(a) - 55
        }
        guard digits.count == 8, digits.allSatisfy({ $0 != nil }) else { return nil }
        let sum = zip(digits.map { $0! }, bodyWeights).reduce(0) { $0 + $1.0 * $1.1 }
        let c = 11 - sum % 11
        return c == 10 ? "X" : c == 11 ? "0" : Character(String(c))
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try USCC(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
