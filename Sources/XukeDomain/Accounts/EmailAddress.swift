/// A mailbox address as the platform accepts it: the plain `local@domain` form of RFC 5321 with an ASCII domain
/// (an internationalised one in its xn-- form), no quoted local parts, no comments and no display name. Anything
/// else is refused rather than guessed at, so an address can go into a mail header and an SMTP command as it is.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String
    public var description: String { value }

    static let localCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~.-")
    static let labelCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-")

    /// Surrounding spaces are dropped and the domain lower-cased; nil when the text is not such an address.
    public init?(_ text: String) {
        let trimmed = text.trimmed
        guard trimmed.utf8.count <= 254, let at = trimmed.lastIndex(of: "@") else { return nil }
        let local = trimmed[..<at], domain = trimmed[trimmed.index(after: at)...].lowercased()
        guard (1...64).contains(local.utf8.count), local.allSatisfy(Self.localCharacters.contains),
              local.first != ".", local.last != ".", !local.contains("..") else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ label in
            (1...63).contains(label.utf8.count) && label.allSatisfy(Self.labelCharacters.contains) && label.first != "-" && label.last != "-"
        }), let top = labels.last, top.contains(where: \.isLetter) else { return nil }
        value = "\(local)@\(domain)"
    }

    public var domain: String { String(value[value.index(after: value.lastIndex(of: "@")!)...]) }
}
