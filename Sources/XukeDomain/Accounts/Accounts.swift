public enum Role: String, Sendable, Codable, CaseIterable {
    case administrator = "admin"
    case officer
    case verifier
    case lab
    case enterprise
    /// Another agency's system reading the change feed and receiving webhooks within its scopes.
    case agency
}

/// Where an officer may act: the whole country, or one administrative division and everything under it.
/// GB/T 2260 codes nest by prefix: province `PP0000`, prefecture `PPCC00`, county `PPCCDD`.
public struct Jurisdiction: Sendable, Hashable, Codable, CustomStringConvertible {
    /// nil means national.
    public let divisionCode: String?

    public static let national = Jurisdiction(divisionCode: nil)

    public init(divisionCode: String?) {
        self.divisionCode = divisionCode
    }

    /// The code prefix every division inside this jurisdiction starts with.
    public var prefix: String {
        guard let code = divisionCode else { return "" }
        if code.hasSuffix("0000") { return String(code.prefix(2)) }
        if code.hasSuffix("00") { return String(code.prefix(4)) }
        return code
    }

    public func contains(divisionCode other: String) -> Bool {
        other.hasPrefix(prefix)
    }

    /// Whether this jurisdiction answers for matters of `authority` (a division code, or national): national ones only
    /// the national level; others this division and every one below it.
    public func covers(authority: String) -> Bool {
        authority == Routing.national ? divisionCode == nil : contains(divisionCode: authority)
    }

    public var description: String { divisionCode ?? "national" }
}

/// One row of GB/T 2260 as shipped in `admin-divisions.csv`.
public struct Division: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable {
        case province
        case prefecture
        case county
    }

    public var code: String
    public var nameZh: String
    public var level: Level
    public var parentCode: String?
    public var kindZh: String
    public var provinceAbbr: String?

    public init(code: String, nameZh: String, level: Level, parentCode: String?, kindZh: String, provinceAbbr: String?) {
        self.code = code
        self.nameZh = nameZh
        self.level = level
        self.parentCode = parentCode
        self.kindZh = kindZh
        self.provinceAbbr = provinceAbbr
    }

    public var provinceCode: String { String(code.prefix(2)) + "0000" }

    /// Province-level names in English (the shipped table has Chinese names only), by the first two digits of the code.
    public static let provinceNamesEn: [String: String] = [
        "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia", "21": "Liaoning", "22": "Jilin",
        "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi",
        "37": "Shandong", "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi", "46": "Hainan",
        "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan", "54": "Xizang", "61": "Shaanxi", "62": "Gansu",
        "63": "Qinghai", "64": "Ningxia", "65": "Xinjiang", "71": "Taiwan", "81": "Hong Kong", "82": "Macao",
    ]
}
