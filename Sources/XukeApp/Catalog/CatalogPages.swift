import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

struct CatalogPages: PageRoutes {
    let s: CatalogService
    let renderer: Renderer


    func unitRows(_ e: CatalogEdition, _ c: AppRequestContext) -> [CategoryRow] {
        e.categories.map { cat in
            CategoryRow(categoryNo: cat.categoryNo, categoryName: c.language == .zh ? cat.nameZh : cat.nameEn,
                        authority: t("authority.\(cat.authority.rawValue)", c),
                        units: cat.units.map { u in
                            .init(unitNo: u.unitNo, name: c.language == .zh ? u.nameZh : u.nameEn, authority: t("authority.\(u.authority.rawValue)", c),
                                  commitment: t("commitment.\(u.commitmentRoute.rawValue)", c), confidence: u.confidence)
                        })
        }
    }

    func editionRows(_ editions: [EditionSummary], _ c: AppRequestContext) -> [CatalogPage.Edition] {
        editions.map { e in
            .init(code: e.code, instrument: e.instrument.isEmpty ? "—" : e.instrument, inForce: e.inForce.description,
                  categories: e.categoryCount, national: e.nationalCount.map(String.init) ?? "—",
                  provincial: e.provincialCount.map(String.init) ?? "—", note: e.note, hasUnits: e.hasUnits)
        }
    }

    func register(_ router: Router<AppRequestContext>) {
        router.get("catalog") { request, c in
            let editions = try await s.editions()
            let unitEditions = try await s.unitEditions()
            let today = s.clock.today
            let current = unitEditions.last { $0.inForce <= today } ?? unitEditions.last
            return renderer.page("catalog", context: c, title: t("catalog.title", c), CatalogPage(
                editions: editionRows(editions, c),
                chart: CategoryChart.svg(editions, title: t("catalog.chart_title", c), caption: t("catalog.chart_caption", c)),
                current: current.map { .init(code: $0.code, instrument: $0.instrument, inForce: $0.inForce.description, categories: unitRows($0, c)) },
                unitEditions: unitEditions.map { .init(code: $0.code) },
                today: today.description))
        }
        router.get("catalog/editions/{code}") { _, c in
            let code = try c.parameters.require("code")
            let e = try await s.edition(code)
            return renderer.page("edition", context: c, title: "\(t("catalog.edition", c)) \(code)", EditionPage(
                code: e.code, instrument: e.instrument, inForce: e.inForce.description,
                categoryCount: e.categories.count, unitCount: e.unitCount, categories: unitRows(e, c)))
        }
        router.get("catalog/diff") { request, c in
            let editions = try await s.unitEditions()
            let from = request.query("from") ?? editions.first?.code ?? ""
            let to = request.query("to") ?? editions.last?.code ?? ""
            let view = try await s.diff(from: from, to: to)
            return renderer.page("diff", context: c, title: t("diff.title", c), DiffPage(
                from: from, to: to,
                options: editions.map { .init(code: $0.code, isFrom: $0.code == from, isTo: $0.code == to) },
                changes: view.diff.changes.map { ch in
                    .init(kind: t("diff.kind.\(ch.kind.rawValue)", c), kindCode: ch.kind.rawValue,
                          unitNo: ch.unitNo, name: c.language == .zh ? ch.nameZh : ch.nameEn,
                          before: display(ch.before, ch.kind, c), after: display(ch.after, ch.kind, c))
                },
                actions: view.reformActions.map { a in
                    .init(kind: t("reform.\(a.kind.rawValue)", c), effective: a.effective.description, instrument: a.instrument,
                          subject: a.subjectNo.isEmpty ? a.subjectZh : "\(a.subjectNo) \(a.subjectZh)",
                          target: a.kind == .delegate ? t("authority.\(a.target)", c) : a.target, note: a.note)
                },
                noChanges: view.diff.changes.isEmpty))
        }
        router.get("catalog/check") { request, c in
            var data = CheckPage(unit: request.query("unit") ?? "", date: request.query("date") ?? s.clock.today.description)
            if let unit = request.query("unit") {
                let date = try request.dateQuery("date") ?? s.clock.today
                let answer = try await s.licensability(unit: unit, on: date)
                data.answer = .init(
                    licensable: answer.licensable,
                    edition: answer.edition ?? "—",
                    authority: answer.authority.map { t("authority.\($0.rawValue)", c) } ?? "—",
                    commitment: answer.commitmentRoute.map { t("commitment.\($0.rawValue)", c) } ?? "—",
                    name: (c.language == .zh ? answer.unitNameZh : answer.unitNameEn) ?? "",
                    actions: answer.appliedActions.map { .init(kind: t("reform.\($0.kind.rawValue)", c), effective: $0.effective.description, instrument: $0.instrument) },
                    noEdition: answer.edition == nil)
            }
            return renderer.page("check", context: c, title: t("check.title", c), data)
        }
        router.get("calendar") { request, c in
            let cal = try await s.calendar()
            let start = try request.dateQuery("start") ?? s.clock.today
            let days = try request.intQuery("days", range: -3650...3650) ?? 30
            let added = cal.adding(workingDays: days, to: start)
            var data = CalendarPage(start: start.description, days: days, result: added.date.description, estimated: added.estimated,
                                    years: cal.coveredYears.sorted().map(String.init).joined(separator: ", "))
            if let from = try request.dateQuery("from"), let to = try request.dateQuery("to"), to.dayNumber - from.dayNumber <= 36_600 {
                let n = cal.workingDays(from: from, to: to)
                data.count = .init(from: from.description, to: to.description, days: n.workingDays, estimated: n.estimated)
            }
            return renderer.page("calendar", context: c, title: t("calendar.title", c), data)
        }

        let admin = router.group(context: AdminContext.self)
        admin.post("catalog/import") { request, c in
            let form = try await Form(request, limit: s.config.maxBodyBytes)
            let editions = try await s.importCatalog(csv: form.fields["csv"] ?? "", actor: c.user.actor)
            return redirect("/catalog/editions/\(editions.first?.code ?? "")")
        }
        admin.post("calendar/import") { request, c in
            let form = try await Form(request, limit: s.config.maxBodyBytes)
            _ = try await s.importCalendar(csv: form.fields["csv"] ?? "", actor: c.user.actor)
            return redirect("/calendar")
        }
    }

    func display(_ value: String, _ kind: EditionDiff.Change.Kind, _ c: AppRequestContext) -> String {
        if value.isEmpty { return "—" }
        switch kind {
        case .added, .removed, .authorityChanged: return t("authority.\(value)", c)
        case .commitmentChanged: return t("commitment.\(value)", c)
        case .renamed: return value
        }
    }
}

/// A category of an edition with its units.
struct CategoryRow: Encodable, Sendable {
    struct Unit: Encodable, Sendable { var unitNo: String, name: String, authority: String, commitment: String, confidence: String }
    var categoryNo: String, categoryName: String, authority: String, units: [Unit]
}

struct CatalogPage: PageModel {
    struct Edition: Encodable, Sendable {
        var code: String, instrument: String, inForce: String, categories: Int, national: String, provincial: String, note: String, hasUnits: Bool
    }
    struct Current: Encodable, Sendable { var code: String, instrument: String, inForce: String, categories: [CategoryRow] }
    struct Code: Encodable, Sendable { var code: String }
    var editions: [Edition], chart: String
    var current: Current?
    var unitEditions: [Code], today: String
}

struct EditionPage: PageModel {
    var code: String, instrument: String, inForce: String, categoryCount: Int, unitCount: Int, categories: [CategoryRow]
}

/// What changed between two editions, and the reform actions between their dates.
struct DiffPage: PageModel {
    struct Option: Encodable, Sendable { var code: String, isFrom: Bool, isTo: Bool }
    struct Change: Encodable, Sendable { var kind: String, kindCode: String, unitNo: String, name: String, before: String, after: String }
    struct Action: Encodable, Sendable { var kind: String, effective: String, instrument: String, subject: String, target: String, note: String }
    var from: String, to: String, options: [Option], changes: [Change], actions: [Action], noChanges: Bool
}

/// Whether a unit needs a licence on a day, and under which edition and reforms.
struct CheckPage: PageModel {
    struct Applied: Encodable, Sendable { var kind: String, effective: String, instrument: String }
    struct Answer: Encodable, Sendable {
        var licensable: Bool, edition: String, authority: String, commitment: String, name: String, actions: [Applied], noEdition: Bool
    }
    var unit: String, date: String
    var answer: Answer?
}

struct CalendarPage: PageModel {
    struct Count: Encodable, Sendable { var from: String, to: String, days: Int, estimated: Bool }
    var start: String, days: Int, result: String, estimated: Bool, years: String
    var count: Count?
}

/// The number of licensed categories per edition as an inline SVG bar chart (no script, prints well).
enum CategoryChart {
    static func svg(_ editions: [EditionSummary], title: String, caption: String) -> String {
        let w = 640, h = 260, left = 40, bottom = 40, top = 30
        let maxCount = max(editions.map(\.categoryCount).max() ?? 1, 1)
        let slot = editions.isEmpty ? 0 : (w - left - 10) / editions.count
        var out = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(w) \##(h)" role="img" aria-labelledby="chart-title" class="chart">"##
        out += ##"<title id="chart-title">\##(escape(title))</title>"##
        out += ##"<line x1="\##(left)" y1="\##(h - bottom)" x2="\##(w - 10)" y2="\##(h - bottom)" stroke="#888"/>"##
        for (i, e) in editions.enumerated() {
            let barH = (h - bottom - top) * e.categoryCount / maxCount
            let x = left + i * slot + slot / 5
            let bw = slot * 3 / 5
            let y = h - bottom - barH
            out += ##"<rect x="\##(x)" y="\##(y)" width="\##(bw)" height="\##(barH)" fill="#b22222"><title>\##(escape(e.code)): \##(e.categoryCount)</title></rect>"##
            out += ##"<text x="\##(x + bw / 2)" y="\##(y - 6)" text-anchor="middle" font-size="14">\##(e.categoryCount)</text>"##
            out += ##"<text x="\##(x + bw / 2)" y="\##(h - bottom + 18)" text-anchor="middle" font-size="12">\##(escape(e.inForce.description.prefix(7)))</text>"##
        }
        out += ##"<text x="\##(left)" y="\##(h - 6)" font-size="11" fill="#555">\##(escape(caption))</text>"##
        return out + "</svg>"
    }

    static func escape(_ s: some StringProtocol) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
