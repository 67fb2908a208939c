import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

/// The public JSON API under /api/v1, described in Resources/openapi.json.
struct API {
    let s: AppServices
    init(_ s: AppServices) { self.s = s }

    func register(_ api: RouterGroup<AppRequestContext>) {
        // Catalog: public reference data.
        api.get("public/risk") { request, c in
            return JSONReply(try await s.riskReport(year: try request.intQuery("year", range: 2015...2100) ?? s.clock.today.year))
        }
        api.get("catalog/editions") { _, _ in
            JSONReply(try await s.db.read { try await CatalogStore.editions($0) })
        }
        api.get("catalog/editions/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let e = try await s.db.read({ try await CatalogStore.edition($0, code: code) }) else { throw AppError.notFound(code) }
            return JSONReply(e)
        }
        api.get("catalog/editions/{code}/csv") { _, context in
            let code = try context.parameters.require("code")
            guard let e = try await s.db.read({ try await CatalogStore.edition($0, code: code) }) else { throw AppError.notFound(code) }
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
        api.get("catalog/reform-actions") { _, _ in
            JSONReply(try await s.db.read { try await CatalogStore.reformActions($0) })
        }
        api.get("catalog/ccc-transfers") { _, _ in
            JSONReply(try await s.db.read { try await CatalogStore.cccTransfers($0) })
        }

        // Working-day calendar.
        api.get("calendar/add") { request, _ in
            let start = try request.dateQuery("start") ?? s.clock.today
            let days = try request.intQuery("days", range: -3650...3650) ?? 0
            let cal = try await s.db.read { try await ReferenceStore.calendar($0) }
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
            let cal = try await s.db.read { try await ReferenceStore.calendar($0) }
            let r = cal.workingDays(from: from, to: to)
            return JSONReply(CountedDays(from: from, to: to, workingDays: r.workingDays, estimated: r.estimated))
        }
        api.get("calendar/days") { request, _ in
            let year = try request.intQuery("year", range: 1949...2200) ?? s.clock.today.year
            let cal = try await s.db.read { try await ReferenceStore.calendar($0) }
            let days = cal.overrides.filter { $0.key.year == year }.sorted { $0.key < $1.key }.map { CalendarYear.Day(date: $0.key, kind: $0.value.rawValue) }
            return JSONReply(CalendarYear(year: year, covered: cal.coveredYears.contains(year), days: days))
        }

        // Administrative divisions.
        api.get("divisions") { request, _ in
            let parent = request.query("parent")
            let list = s.divisions.values.filter { d in parent.map { d.parentCode == $0 } ?? (d.level == .province) }
            return JSONReply(list.sorted { $0.code < $1.code })
        }
        api.get("divisions/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let d = s.division(code) else { throw AppError.notFound(code) }
            return JSONReply(d)
        }

        // Tokens by password, for scripts.
        api.post("auth/token") { request, c in
            let input = try await request.json(PasswordGrant.self, limit: 4096)
            let name = try s.tokenName(input.name ?? "api")
            let (_, (token, record)) = try await s.authenticate(username: input.username.lowercased(), password: input.password, address: c.clientAddress) {
                try await s.createToken(for: $1, name: name, in: $0)
            }
            return JSONReply(NewToken(token: token, id: record.id, name: record.name), status: .created)
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("me") { _, context in JSONReply(context.user) }
        signedIn.get("me/tokens") { _, context in
            JSONReply(try await s.db.read { try await UserStore.tokens($0, userID: context.user.id) })
        }
        signedIn.post("me/tokens") { request, context in
            let input = try await request.json(TokenRequest.self, limit: 4096)
            let (token, record) = try await s.createToken(for: context.user, name: input.name)
            return JSONReply(NewToken(token: token, id: record.id, name: record.name), status: .created)
        }
        signedIn.delete("me/tokens/{id}") { _, context in
            let id = try context.parameters.require("id", as: Int.self)
            try await s.db.write { try await UserStore.revokeToken($0, userID: context.user.id, tokenID: id, at: s.clock.stamp) }
            return Response(status: .noContent)
        }

        // Enterprises: visible to administrators, to officers inside their jurisdiction, and to the enterprise itself.
        signedIn.get("enterprises") { request, context in
            let limit = try request.intQuery("limit", range: 1...200) ?? 50
            let after = try request.query("after").map { a in
                try (a.count <= 18 && a.allSatisfy { USCC.alphabet.contains($0) } ? a : nil).orThrow(AppError(.request.cursor))
            }
            let q = String((request.query("q") ?? "").prefix(100))
            let rows = try await s.db.read {
                try await EnterpriseStore.search($0, query: q, visibility: context.user.visibility, limit: limit + 1, after: after)
            }
            return JSONReply(Page(rows, limit: limit) { $0.uscc })
        }
        signedIn.post("enterprises") { request, context in
            let input = try await request.json(AppServices.EnterpriseInput.self, limit: 64 * 1024)
            return JSONReply(try await s.registerEnterprise(input, by: context.user), status: .created)
        }
        signedIn.get("enterprises/{uscc}") { _, context in
            let uscc = try context.parameters.require("uscc")
            guard let e = try await s.db.read({ try await EnterpriseStore.get($0, uscc: uscc, visibility: context.user.visibility) }) else {
                throw AppError.notFound(uscc)
            }
            return JSONReply(e)
        }
        signedIn.put("enterprises/{uscc}") { request, context in
            let uscc = try context.parameters.require("uscc")
            let input = try await request.json(AppServices.EnterpriseInput.self, limit: 64 * 1024)
            return JSONReply(try await s.updateEnterprise(uscc: uscc, input, by: context.user))
        }

        LicensingAPI(s: s).register(api)

        // Administration.
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
        admin.get("users") { _, _ in JSONReply(try await s.db.read { try await UserStore.list($0) }) }
        admin.post("users/{id}/disable") { _, c in
            try await s.setDisabled(userID: try c.parameters.require("id", as: Int.self), disabled: true, by: c.user)
            return Response(status: .noContent)
        }
        admin.post("users/{id}/enable") { _, c in
            try await s.setDisabled(userID: try c.parameters.require("id", as: Int.self), disabled: false, by: c.user)
            return Response(status: .noContent)
        }
        admin.post("users/{id}/password-reset") { _, c in
            JSONReply(try await s.issuePasswordReset(userID: try c.parameters.require("id", as: Int.self), by: c.user), status: .created)
        }
        admin.post("users") { request, context in
            let input = try await request.json(AppServices.NewUser.self, limit: 4096)
            return JSONReply(try await s.createUser(input, actor: "user/\(context.user.id)"), status: .created)
        }
        admin.get("events") { request, _ in
            let after = try request.query("after").map { try Int($0).flatMap { $0 >= 0 ? $0 : nil }.orThrow(AppError(.request.cursor)) } ?? 0
            let limit = try request.intQuery("limit", range: 1...1000) ?? 100
            let rows = try await s.db.read { try await Events.list($0, subject: request.query("subject"), after: after, limit: limit + 1) }
            return JSONReply(Page(rows, limit: limit) { "\($0.id)" })
        }
    }
}

extension AppServices {
    func diff(from: String, to: String) async throws -> EditionDiffView {
        let (editions, actions) = try await db.read { try await CatalogStore.unitEditionsAndActions($0) }
        guard let a = editions.first(where: { $0.code == from }) else { throw AppError.notFound(from) }
        guard let b = editions.first(where: { $0.code == to }) else { throw AppError.notFound(to) }
        let (lo, hi) = a.inForce <= b.inForce ? (a.inForce, b.inForce) : (b.inForce, a.inForce)
        return EditionDiffView(diff: EditionDiff(from: a, to: b),
                               reformActions: actions.filter { $0.effective > lo && $0.effective <= hi })
    }

    func licensability(unit: String, on date: CivilDate) async throws -> Licensability {
        guard unit.count == 4, unit.allSatisfy(\.isNumber) else {
            throw AppError(.catalog.unitFormat)
        }
        let (editions, actions) = try await db.read { try await CatalogStore.unitEditionsAndActions($0) }
        return Licensability.evaluate(unitNo: unit, on: date, editions: editions, actions: actions)
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
struct PasswordGrant: Decodable, Sendable { var username: String; var password: String; var name: String? }
struct TokenRequest: Decodable, Sendable { var name: String }
struct NewToken: Encodable, Sendable { var token: String; var id: Int; var name: String }
struct ImportedEdition: Encodable, Sendable { var code: String; var categories: Int; var units: Int }
