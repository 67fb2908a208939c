import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The dashboard: public figures (an officer also gets their own province chosen), each chart drawn on the server
/// as SVG with its data table beside it and a CSV of the same rows.
struct DashboardPages: PageRoutes {
    let s: CatalogService
    let renderer: Renderer


    /// A table as header and rows of text: shown on the page and written as CSV.
    struct Table {
        var header: [String]
        var rows: [[String]]
    }

    func register(_ router: Router<AppRequestContext>) {
        router.get("dashboard") { request, c in
            let (year, province) = try parameters(request, c)
            let d = try await s.dashboard(year: year, province: province)
            let lang = c.language, tables = tables(d, lang)
            func table(_ name: String) -> DashboardPage.Table {
                let tb = tables[name]!
                return .init(name: name, header: tb.header, rows: tb.rows.map { .init(cells: $0) }, empty: tb.rows.isEmpty)
            }
            let provinces = s.places.divisions.values.filter { $0.code.hasSuffix("0000") }.sorted { $0.code < $1.code }
            return renderer.page("dashboard", context: c, title: t("dash.title", lang), DashboardPage(
                year: year, province: province, provinceName: province.map { place($0, lang) } ?? t("dash.all_provinces", lang),
                query: "year=\(year)" + (province.map { "&province=\($0)" } ?? ""),
                provinces: provinces.map { .init(code: $0.code, name: s.placeName($0.code, lang), on: $0.code == province) },
                years: (2015...s.clock.today.year).reversed().map { .init(year: $0, on: $0 == year) },
                isStaff: c.user.map { $0.role == .officer || $0.role == .administrator } ?? false,
                editionsChart: CategoryChart.svg(d.editions, title: t("catalog.chart_title", lang), caption: t("catalog.chart_caption", lang)),
                ttlChart: BarChart.svg(d.timeToLicense.map { ("\($0.quarter) \(t("dash.r.\($0.route)", lang))", $0.median, String(format: "%.1f", $0.median)) },
                                         title: t("dash.ttl", lang)),
                categoryChart: BarChart.svg(d.byCategory.filter { $0.checks > 0 }.map { f in
                    ("\(f.key) \(name(d, f.key, lang))", (f.rate.rate ?? 0) * 100, String(format: "%.1f%%", (f.rate.rate ?? 0) * 100)) }, title: t("dash.fail_by_category", lang)),
                provinceChart: BarChart.svg(d.byProvince.filter { $0.licensed > 0 }.map { f in
                    (place(f.key, lang), (f.coverage ?? 0) * 100, String(format: "%.1f%%", (f.coverage ?? 0) * 100)) }, title: t("dash.coverage_by_province", lang)),
                creditChart: BarChart.svg(d.listings.map { ("\($0.month) \(t("credit.list.\($0.list)", lang))", Double($0.count), "\($0.count)") },
                                            title: t("dash.credit_listings", lang)),
                reformChart: BarChart.svg(d.reforms.map { r in
                    (r.edition, Double(r.ended + r.narrowed), "\(r.ended + r.narrowed)") }, title: t("dash.reform_licenses", lang)),
                ttl: table("ttl"), categories: table("categories"), provincesTable: table("provinces"), credit: table("credit"),
                reforms: table("reforms"), editions: table("editions")))
        }
        router.get("dashboard.csv") { request, c in
            let (year, province) = try parameters(request, c)
            let name = request.query("table") ?? ""
            guard let table = tables(try await s.dashboard(year: year, province: province), c.language)[name] else { throw AppError.notFound("table \(name)") }
            return csvResponse(CSV.write([table.header] + table.rows, bom: true), filename: "dashboard-\(name)-\(year).csv")
        }
    }

    /// The year (this one by default) and the province: chosen, or an officer's own, or all.
    func parameters(_ request: Request, _ c: AppRequestContext) throws -> (Int, String?) {
        let year = try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year
        if let p = request.query("province") {
            guard p.isEmpty || (p.count == 6 && p.hasSuffix("0000") && s.division(p) != nil) else {
                throw AppError(.dashboard.province)
            }
            return (year, p.isEmpty ? nil : p)
        }
        let own = c.user?.jurisdiction.map { String($0.prefix(2)) + "0000" }
        return (year, c.user?.role == .officer ? own : nil)
    }

    func place(_ code: String, _ lang: Language) -> String {
        code == "national" ? t("authority.national", lang) : s.placeName(code, lang)
    }

    func name(_ d: CatalogService.DashboardData, _ category: String, _ lang: Language) -> String {
        d.names[category]?.text(english: lang == .en) ?? category
    }

    func tables(_ d: CatalogService.DashboardData, _ lang: Language) -> [String: Table] {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        return [
            "editions": Table(header: [t("catalog.edition", lang), t("catalog.in_force", lang), t("catalog.categories", lang)],
                              rows: d.editions.map { [$0.code, $0.inForce.description, "\($0.categoryCount)"] }),
            "ttl": Table(header: [t("dash.quarter", lang), t("dash.route", lang), t("dash.cases", lang), t("dash.median", lang), t("dash.mean", lang)],
                         rows: d.timeToLicense.map { [$0.quarter, t("route.\($0.route)", lang), "\($0.cases)", String(format: "%.1f", $0.median), String(format: "%.1f", $0.mean)] }),
            "categories": Table(header: [t("risk.category", lang), t("risk.makers", lang), t("risk.checks", lang), t("dash.coverage", lang), t("risk.failures", lang),
                                         t("risk.rate", lang), t("risk.interval", lang)],
                                rows: d.byCategory.map { f in
                                    ["\(f.key) \(name(d, f.key, lang))", f.licensed > 0 ? "\(f.licensed)" : "—", "\(f.checks)", pct(f.coverage), "\(f.failures)",
                                     pct(f.rate.rate), f.checks > 0 ? "\(pct(f.rate.lower)) – \(pct(f.rate.upper))" : "—"]
                                }),
            "provinces": Table(header: [t("dash.province", lang), t("risk.makers", lang), t("risk.checks", lang), t("dash.coverage", lang), t("risk.failures", lang), t("risk.rate", lang)],
                               rows: d.byProvince.map { f in [place(f.key, lang), "\(f.licensed)", "\(f.checks)", pct(f.coverage), "\(f.failures)", pct(f.rate.rate)] }),
            "credit": Table(header: [t("dash.month", lang), t("credit.list_label", lang), t("dash.listed", lang)],
                            rows: d.listings.map { [$0.month, t("credit.list.\($0.list)", lang), "\($0.count)"] }
                                + CreditEntry.List.allCases.map { [t("dash.in_force_today", lang), t("credit.list.\($0.rawValue)", lang), "\(d.creditSizes[$0.rawValue] ?? 0)"] }),
            "reforms": Table(header: [t("catalog.edition", lang), t("catalog.in_force", lang), t("dash.reform_actions", lang), t("dash.ended", lang), t("dash.narrowed", lang),
                                      t("dash.delicensed", lang)],
                             rows: d.reforms.map { r in
                                 [r.edition, r.inForce, r.actions.sorted { $0.key < $1.key }.map { "\(t("draft.kind.\($0.key)", lang)) \($0.value)" }.joined(separator: "、"),
                                  "\(r.ended)", "\(r.narrowed)", "\(r.delicensed)"]
                             }),
        ]
    }
}

/// Horizontal bars, one a row, each made of coloured parts (one for a plain figure), with the value's text at the
/// bar's end and an optional legend above. Bars are scaled to the longest, or to `full` when given.
enum BarChart {
    struct Bar {
        var label: String
        var parts: [(value: Double, colour: String, title: String)]
        var text: String
    }

    static let red = "#b22222"

    static func svg(_ bars: [(label: String, value: Double, text: String)], title: String) -> String {
        svg(bars.map { Bar(label: $0.label, parts: [($0.value, red, "")], text: $0.text) }, title: title)
    }

    static func svg(_ bars: [Bar], title: String, legend: [(name: String, colour: String)] = [], full: Double? = nil) -> String {
        let left = 200, width = 380, rowH = 20, top = legend.isEmpty ? 8 : 30
        let h = top + max(bars.count, 1) * rowH + 8
        let scale = full ?? bars.map { $0.parts.reduce(0) { $0 + $1.value } }.max() ?? 0
        var out = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(left + width + 70) \##(h)" role="img" class="chart"><title>\##(esc(title))</title>"##
        // Each legend entry as wide as its label: CJK characters take about a full em, Latin ones about half.
        var lx = 10
        for entry in legend {
            out += ##"<rect x="\##(lx)" y="6" width="12" height="12" fill="\##(entry.colour)"/><text x="\##(lx + 16)" y="17" font-size="11">\##(esc(entry.name))</text>"##
            lx += 16 + entry.name.reduce(0) { $0 + ($1.isASCII ? 6 : 11) } + 14
        }
        if bars.isEmpty { out += ##"<text x="\##(left)" y="\##(top + 14)" font-size="12" fill="#555">—</text>"## }
        for (i, b) in bars.enumerated() {
            let y = top + i * rowH
            let label = b.label.count > 26 ? String(b.label.prefix(25)) + "…" : b.label
            out += ##"<text x="\##(left - 6)" y="\##(y + 14)" text-anchor="end" font-size="12">\##(esc(label))</text>"##
            var x = Double(left)
            for part in b.parts where part.value > 0 && scale > 0 {
                let w = Double(width) * part.value / scale
                let tip = part.title.isEmpty ? "" : "<title>\(esc(part.title))</title>"
                out += ##"<rect x="\##(fmt(x))" y="\##(y + 3)" width="\##(fmt(w))" height="\##(rowH - 6)" fill="\##(part.colour)">\##(tip)</rect>"##
                x += w
            }
            out += ##"<text x="\##(fmt(x + 4))" y="\##(y + 14)" font-size="12">\##(esc(b.text))</text>"##
        }
        return out + "</svg>"
    }

    static func esc(_ s: String) -> String { CategoryChart.escape(s) }
    static func fmt(_ d: Double) -> String { String(format: "%.1f", d) }
}

struct DashboardPage: PageModel {
    struct Table: Encodable, Sendable {
        struct Row: Encodable, Sendable { var cells: [String] }
        var name: String, header: [String], rows: [Row], empty: Bool
    }
    var year: Int
    var province: String?
    var provinceName: String
    var query: String
    var provinces: [Choice]
    var years: [YearChoice]
    var isStaff: Bool
    var editionsChart: String, ttlChart: String, categoryChart: String, provinceChart: String, creditChart: String, reformChart: String
    var ttl: Table, categories: Table, provincesTable: Table, credit: Table, reforms: Table, editions: Table
}
