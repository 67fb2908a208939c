import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

/// The catalog's reference data over JSON (editions, reforms, licensability, the working-day calendar,
/// divisions, the risk report), and its imports for administrators.
struct CatalogAPI {
    let s: CatalogService

    func register(_ api: RouterGroup<AppRequestContext>) {
        // Catalog: public reference data.
        api.get("public/risk") { request, c in
            return JSONReply(try await s.riskReport(year: try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year))
        }
        api.get("catalog/editions") { request, _ in
            JSONReply(try Page(whole: try await s.editions(), try request.paging(standard: 200, max: 1000)))
        }
        api.get("catalog/editions/{code}") { _, context in
            let code = try context.parameters.require("code")
            return JSONReply(try await s.edition(code))
        }
        api.get("catalog/editions/{code}/csv") { _, context in
            let code = try context.parameters.require("code")
            let e = try await s.edition(code)
            return csvResponse(CatalogCSV.export(e), filename: "catalog-\(code).csv")
        }
        api.get("catalog/diff") { request, _ in
            JSONReply(try await s.diff(from: try request.requiredQuery("from"), to: try request.requiredQuery("to")))
        }
        api.get("catalog/licensability") { request, _ in
            let unit = try request.requiredQuery("unit")
            let date = try request.dateQuery("date") ?? s.clock.today
            return JSONReply(try await s.licensability(unit: unit, on: date))
        }
        api.get("catalog/reform-actions") { request, _ in
            JSONReply(try Page(whole: try await s.reformActions(), try request.paging(standard: 200, max: 1000)))
        }
        api.get("catalog/ccc-transfers") { request, _ in
            JSONReply(try Page(whole: try await s.cccTransfers(), try request.paging(standard: 200, max: 1000)))
        }

        // Working-day calendar.
        api.get("calendar/add") { request, _ in
            let start = try request.dateQuery("start") ?? s.clock.today
            let days = try request.intQuery("days", range: -3650...3650) ?? 0
            let cal = try await s.calendar()
            let r = cal.adding(workingDays: days, to: start)
            return JSONReply(AddedDays(start: start, workingDays: days, date: r.date, estimated: r.estimated))
        }
        api.get("calendar/count") { request, _ in
            guard let from = try request.dateQuery("from"), let to = try request.dateQuery("to") else {
                throw AppError(.request.missingParameterRange)
            }
            guard to.dayNumber - from.dayNumber <= 36_600 else {
                throw AppError(.calendar.range)
            }
            let cal = try await s.calendar()
            let r = cal.workingDays(from: from, to: to)
            return JSONReply(CountedDays(from: from, to: to, workingDays: r.workingDays, estimated: r.estimated))
        }
        api.get("calendar/days") { request, _ in
            let year = try request.intQuery("year", range: 1949...2200) ?? s.clock.today.year
            let cal = try await s.calendar()
            let days = cal.overrides.filter { $0.key.year == year }.sorted { $0.key < $1.key }.map { CalendarYear.Day(date: $0.key, kind: $0.value.rawValue) }
            return JSONReply(CalendarYear(year: year, covered: cal.coveredYears.contains(year), days: days))
        }

        // Administrative divisions.
        api.get("divisions") { request, _ in
            let parent = request.query("parent")
            let list = s.places.divisions.values.filter { d in parent.map { d.parentCode == $0 } ?? (d.level == .province) }
            return JSONReply(try Page(whole: list.sorted { $0.code < $1.code }, try request.paging(standard: 200, max: 1000)))
        }
        api.get("divisions/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let d = s.division(code) else { throw AppError.notFound(code) }
            return JSONReply(d)
        }

        let admin = api.group(context: AdminContext.self)
        admin.post("catalog/editions") { request, context in
            let csv = try await request.text(limit: s.config.maxBodyBytes)
            let editions = try await s.importCatalog(csv: csv, actor: "user/\(context.user.id)")
            return JSONReply(editions.map { ImportedEdition(code: $0.code, categories: $0.categories.count, units: $0.unitCount) }, status: .created)
        }
        admin.post("calendar/import") { request, context in
            let csv = try await request.text(limit: s.config.maxBodyBytes)
            let n = try await s.importCalendar(csv: csv, actor: "user/\(context.user.id)")
            return JSONReply(["days": n], status: .created)
        }
    }
}

struct EditionDiffView: Encodable, Sendable {
    var diff: EditionDiff
    /// Reform actions recorded between the two editions' in-force dates.
    var reformActions: [ReformAction]
}

struct AddedDays: Encodable, Sendable { var start: CivilDate; var workingDays: Int; var date: CivilDate; var estimated: Bool }
struct CountedDays: Encodable, Sendable { var from: CivilDate; var to: CivilDate; var workingDays: Int; var estimated: Bool }
struct CalendarYear: Encodable, Sendable {
    struct Day: Encodable, Sendable { var date: CivilDate; var kind: String }
    var year: Int
    var covered: Bool
    var days: [Day]
}
struct ImportedEdition: Encodable, Sendable { var code: String; var categories: Int; var units: Int }
