import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The public risk ranking of catalog categories and units, with the formula, every input, a chart and a CSV.
struct RiskPages: PageRoutes {
    let s: CatalogService
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        router.get("catalog/risk") { request, c in
            let report = try await s.riskReport(year: try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year)
            let lang = c.language
            func row(_ r: CatalogService.RiskRow) -> RiskPage.Row {
                let i = r.risk.inputs, rate = r.risk.failureRate
                return .init(rank: r.rank, no: r.no, name: lang == .zh ? r.nameZh : r.nameEn, listed: r.inEdition, makers: i.makers,
                             checks: i.checks, failures: i.failures, rate: rate.rate.map(percent) ?? "—",
                             interval: i.checks == 0 ? t("risk.unchecked", lang) : "\(percent(rate.lower)) – \(percent(rate.upper))",
                             accidents: i.accidents, deaths: i.deaths, died: i.deaths > 0, recalls: i.recalls, complaints: i.complaints,
                             enforcement: i.enforcement, score: String(format: "%.1f", r.risk.score))
            }
            return renderer.page("risk", context: c, title: t("risk.title", lang), RiskPage(
                year: report.year, edition: report.edition, unattributed: report.unattributed, hasUnattributed: report.unattributed > 0,
                years: report.years.map { .init(year: $0, on: $0 == report.year) },
                categories: report.categories.map(row), units: report.units.map(row),
                chart: RiskChart.svg(report.categories, lang: lang, title: t("risk.chart_title", lang),
                                     legend: RiskScore.partNames.map { t("risk.part.\($0)", lang) })))
        }
        router.get("catalog/risk.csv") { request, c in
            let report = try await s.riskReport(year: try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year)
            return csvResponse(CatalogService.riskCSV(report), filename: "risk-\(report.year).csv")
        }
    }

    func percent(_ d: Double) -> String { String(format: "%.1f%%", d * 100) }
}

struct RiskPage: PageModel {
    struct Row: Encodable, Sendable {
        var rank: Int, no: String, name: String, listed: Bool, makers: Int, checks: Int, failures: Int, rate: String, interval: String
        var accidents: Int, deaths: Int, died: Bool, recalls: Int, complaints: Int, enforcement: Int, score: String
    }
    var year: Int, edition: String, unattributed: Int, hasUnattributed: Bool
    var years: [YearChoice]
    var categories: [Row], units: [Row]
    var chart: String
}

/// A year to choose, and whether it is the one shown.
struct YearChoice: Encodable, Sendable { var year: Int; var on: Bool }

/// The categories' scores as stacked bars, one colour per part of the formula, on a scale of 100.
enum RiskChart {
    static let colours = ["#b22222", "#d9822b", "#c9a227", "#5b8def", "#6f42c1"]

    static func svg(_ rows: [CatalogService.RiskRow], lang: Language, title: String, legend: [String]) -> String {
        let bars = rows.map { r in
            BarChart.Bar(label: "\(r.no) \(lang == .zh ? r.nameZh : r.nameEn)",
                         parts: RiskScore.partNames.enumerated().map { p, part in
                             (r.risk.parts[part] ?? 0, colours[p], "\(legend[p]): \(String(format: "%.1f", r.risk.parts[part] ?? 0))")
                         },
                         text: String(format: "%.1f", r.risk.score))
        }
        return BarChart.svg(bars, title: title, legend: Array(zip(legend, colours)).map { ($0, $1) }, full: 100)
    }
}
