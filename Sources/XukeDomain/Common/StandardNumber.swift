/// Numbers of Chinese standards: national (GB 4706.1-2005, GB/T 1234.2-2018), industry (QB/T 1333-2018), group
/// (T/CAS 115-2005) and enterprise (Q/ABC 0001S-2020), including older two-digit years (GB 5749-85).
public enum StandardNumber {
    /// The number as stored: upper case, the dash as printed (—, –, －) turned into "-"; nil when it is not one.
    public static func normalized(_ text: String) -> String? {
        let code = String(text.map { "—–－".contains($0) ? "-" : $0 }).uppercased()
        let pattern = /(GB(\/[TZ])?|[A-Z]{2}(\/[TZ])?|[QT]\/[0-9A-Z]{1,12}) ?[0-9A-Z]+(\.[0-9]+)*[A-Z]?-((19|20)[0-9]{2}|[0-9]{2})/
        return code.wholeMatch(of: pattern) != nil ? code : nil
    }
}
