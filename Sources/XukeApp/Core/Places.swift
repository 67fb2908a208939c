import XukeDomain

/// Names of divisions and of the authorities seated in them. Divisions change only with a new GB/T 2260 release,
/// so they are read once at start-up and shared by every service.
public struct Places: Sendable {
    let divisions: [String: Division]

    func division(_ code: String) -> Division? { divisions[code] }

    /// A division's name. In English a province is named in English; a place below it keeps its Chinese name,
    /// followed by its province's English name. An unknown code is shown as it is.
    func placeName(_ code: String, _ lang: Language = .zh) -> String {
        guard let d = divisions[code] else { return code }
        guard lang == .en, let province = Division.provinceNamesEn[String(code.prefix(2))] else { return d.nameZh }
        return d.level == .province ? province : "\(d.nameZh), \(province)"
    }

    /// The market regulation authority seated at a division, or the national administration.
    func authorityName(_ code: String) -> String {
        code == Routing.national ? "国家市场监督管理总局" : (division(code).map { $0.nameZh + "市场监督管理局" } ?? code)
    }
}

/// A service or route group that names places asks its `places`.
protocol PlaceNaming {
    var places: Places { get }
}

extension PlaceNaming {
    func division(_ code: String) -> Division? { places.division(code) }
    func placeName(_ code: String, _ lang: Language = .zh) -> String { places.placeName(code, lang) }
    func authorityName(_ code: String) -> String { places.authorityName(code) }
}
