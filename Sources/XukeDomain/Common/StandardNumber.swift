/// Numbers of Chinese standards: national (GB 4706.1-2005, GB/T 1234.2-2018), industry (QB/T 1333-2018), group
/// (T/CAS 115-2005) and enterprise (Q/ABC 0001S-2020), including older two-digit years (GB 5749-85).
///
/// Checked by hand rather than with a Regex: imports check a million of these, and a Regex is parsed again on
/// every use.
public enum StandardNumber {
    /// The number as stored: upper case, the dash as printed (—, –, －) turned into "-"; nil when it is not one.
    public static func normalized(_ text: String) -> String? {
        let code = String(text.map { "—–－".contains($0) ? "-" : $0 }).uppercased()
        return isValid(Array(code.utf8)) ? code : nil
    }

    static func isUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isAlnum(_ c: UInt8) -> Bool { isUpper(c) || isDigit(c) }

    static func isValid(_ b: [UInt8]) -> Bool {
        // The year after the last hyphen: two digits, or four starting 19 or 20.
        guard let dash = b.lastIndex(of: UInt8(ascii: "-")) else { return false }
        let year = b[(dash + 1)...]
        guard year.allSatisfy(isDigit), year.count == 2 || (year.count == 4 && (year.starts(with: [49, 57]) || year.starts(with: [50, 48]))) else { return false }
        let head = b[..<dash]
        guard head.count >= 3 else { return false }
        var i = head.startIndex
        if (head[i] == UInt8(ascii: "Q") || head[i] == UInt8(ascii: "T")) && head[i + 1] == UInt8(ascii: "/") {
            // Enterprise or group standard: an issuer code of 1–12 letters or digits, then the number.
            let rest = head[(i + 2)...]
            if let space = rest.firstIndex(of: UInt8(ascii: " ")) {
                let issuer = rest[..<space]
                guard (1...12).contains(issuer.count), issuer.allSatisfy(isAlnum) else { return false }
                return isNumber(rest[(space + 1)...])
            }
            return rest.count >= 2 && isAlnum(rest[rest.startIndex]) && isNumber(rest[(rest.startIndex + 1)...])
        }
        // National or industry standard: two letters, optionally /T or /Z, an optional space, the number.
        guard head.count >= 3, isUpper(head[i]), isUpper(head[i + 1]) else { return false }
        i += 2
        if i + 1 < head.endIndex, head[i] == UInt8(ascii: "/") {
            guard head[i + 1] == UInt8(ascii: "T") || head[i + 1] == UInt8(ascii: "Z") else { return false }
            i += 2
        }
        if i < head.endIndex, head[i] == UInt8(ascii: " ") { i += 1 }
        return isNumber(head[i...])
    }

    /// `[0-9A-Z]+(\.[0-9]+)*[A-Z]?`: a first part of letters and digits, then dotted parts of digits, the last of
    /// which may end in one letter.
    static func isNumber(_ s: ArraySlice<UInt8>) -> Bool {
        let parts = s.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, first.allSatisfy(isAlnum) else { return false }
        for (n, part) in parts.dropFirst().enumerated() {
            let last = n == parts.count - 2
            let digits = last && part.count > 1 && isUpper(part[part.endIndex - 1]) ? part.dropLast() : part
            guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return false }
        }
        return true
    }
}
