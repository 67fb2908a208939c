import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The public risk ranking of catalog categories and units, with the formula, every input, a chart and a CSV.
struct RiskPages {
    let s: AppServices

    func t(_ key: String, _ lang: Language) -> String { s.messages.text(key, lang) }

    func register(_ router: Router<AppRequestContext>) {
        router.get("catalog/risk") { request, c in
            try s.publicLimiter.check(c.clientAddress)
            let report = try await s.riskReport(year: try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year)
            let lang = c.language
            func row(_ r: AppServices.RiskRow) -> [String: Any] {
                let i = r.risk.inputs, rate = r.risk.failureRate
                return ["rank": r.rank, "no": r.no, "name": lang == .zh ? r.nameZh : r.nameEn, "listed": r.inEdition, "makers": i.makers,
                        "checks": i.checks, "failures": i.failures, "rate": rate.rate.map(percent) ?? "—",
                        "interval": i.checks == 0 ? t("risk.unchecked", lang) : "\(percent(rate.lower)) – \(percent(rate.upper))", "accidents": i.accidents, "deaths": i.deaths, "died": i.deaths > 0,
                        "recalls": i.recalls, "complaints": i.complaints, "enforcement": i.enforcement, "score": String(format: "%.1f", r.risk.score)]
            }
            return s.renderer.page("risk", context: c, title: t("risk.title", lang), [
                "year": report.year, "edition": report.edition, "unattributed": report.unattributed, "hasUnattributed": report.unattributed > 0,
                "years": report.years.map { ["year": $0, "on": $0 == report.year] },
                "categories": report.categories.map(row), "units": report.units.map(row),
                "chart": RiskChart.svg(report.categories, lang: lang, title: t("risk.chart_title", lang),
                                       legend: RiskScore.partNames.map { t("risk.part.\($0)", lang) }),
            ])
        }
        router.get("catalog/risk.csv") { request, c in
            try s.publicLimiter.check(c.clientAddress)
            let report = try await s.riskReport(year: try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year)
            return csvResponse(AppServices.riskCSV(report), filename: "risk-\(report.year).csv")
        }
    }

    func percent(_ d: Double) -> String { String(format: "%.1f%%", d * 100) }
}

/// The categories' scores as horizontal stacked bars, one colour per part of the formula.
enum RiskChart {
    static let colours = ["#b22222", "#d9822b", "#c9a227", "#5b8def", "#6f42c1"]

    static func svg(_ rows: [AppServices.RiskRow], lang: Language, title: String, legend: [String]) -> String {
        let left = 190, barW = 420, rowH = 22, top = 34
        let h = top + rows.count * rowH + 20
        var out = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(left + barW + 60) \##(h)" role="img" aria-labelledby="risk-chart-title" class="chart">"##
        out += ##"<title id="risk-chart-title">\##(CategoryChart.escape(title))</title>"##
        // Each legend entry as wide as its label: CJK characters take about a full em, Latin ones about half.
        var lx = 10
        for (i, name) in legend.enumerated() {
            out += ##"<rect x="\##(lx)" y="6" width="12" height="12" fill="\##(colours[i])"/><text x="\##(lx + 16)" y="17" font-size="11">\##(CategoryChart.escape(name))</text>"##
            lx += 16 + name.reduce(0) { $0 + ($1.isASCII ? 6 : 11) } + 14
        }
        for (i, r) in rows.enumerated() {
            let y = top + i * rowH
            let name = "\(r.no) \(lang == .zh ? r.nameZh : r.nameEn)"
            out += ##"<text x="\##(left - 6)" y="\##(y + 14)" text-anchor="end" font-size="12">\##(CategoryChart.escape(name.count > 24 ? String(name.prefix(23)) + "…" : name))</text>"##
            var x = Double(left)
            for (p, part) in RiskScore.partNames.enumerated() {
                let w = Double(barW) * (r.risk.parts[part] ?? 0) / 100
                guard w > 0 else { continue }
                out += ##"<rect x="\##(String(format: "%.1f", x))" y="\##(y + 3)" width="\##(String(format: "%.1f", w))" height="\##(rowH - 6)" fill="\##(colours[p])"><title>\##(CategoryChart.escape(legend[p])): \##(String(format: "%.1f", r.risk.parts[part] ?? 0))</title></rect>"##
                x += w
            }
            out += ##"<text x="\##(String(format: "%.1f", x + 4))" y="\##(y + 14)" font-size="12">\##(String(format: "%.1f", r.risk.score))</text>"##
        }
        return out + "</svg>"
    }
}
