import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The registries' pages: testing labs (public list and record, the registrar's forms, a lab's own report desk)
/// and the credit lists (public list and bans, listing, repair and its decision).
struct RegistryPages: PageRoutes {
    let s: InstitutionsService
    let uploads: UploadService
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        router.get("labs") { _, c in
            let labs = try await s.labs()
            let today = s.clock.today
            return renderer.page("labs", context: c, title: t("labs.title", c.language), LabsPage(
                rows: labs.map { l in
                    .init(code: l.code, name: l.name, cma: l.cmaNumber, grade: t("labs.grade.\(l.grade)", c.language),
                          division: s.placeName(l.divisionCode, c.language), units: Set(l.scopes.filter { $0.covers(today) }.map(\.unitNo)).count,
                          status: t("labs.status.\(l.status(on: today)?.rawValue ?? "none")", c.language), registered: l.status(on: today) == .registered)
                },
                canRegister: c.user.map { (try? $0.requireRegistrar()) != nil } ?? false))
        }
        router.get("labs/{code}") { _, c in
            try await labPage(c, code: try c.parameters.require("code"), error: nil)
        }
        router.get("credit") { _, c in
            return try await creditPage(c)
        }
        router.get("ccc") { request, c in
            return try await cccPage(c, number: request.query("number"), holder: request.query("holder"))
        }

        let group = router.group(context: SignedInContext.self)
        group.get("labs/new") { _, c in
            try c.user.requireRegistrar()
            return renderer.page("lab_form", context: c.parent, title: t("labs.new", c.language), FormPage(v: ["registered_on": s.clock.today.description, "grade": "2"]))
        }
        group.post("labs/new") { request, c in
            let f = try await Form(request, limit: 256 * 1024)
            do {
                let scopes = try f["scopes"].split(whereSeparator: \.isNewline).enumerated().map { n, line -> InstitutionsService.ScopeInput in
                    let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard cells.count >= 3, let from = CivilDate(cells[2]) else {
                        throw AppError(.lab.scopeLine, ["line": "\(n + 1)"])
                    }
                    return .init(unitNo: cells[0], standard: cells[1], from: from, until: cells.count > 3 ? CivilDate(cells[3]) : nil)
                }
                guard let grade = Int(f["grade"]), let since = CivilDate(f["registered_on"]) else {
                    throw AppError(.lab.formGrade)
                }
                let lab = try await s.registerLab(.init(name: f["name"], uscc: f["uscc"], cmaNumber: f["cma_number"], grade: grade, divisionCode: f["division_code"],
                                                        registeredOn: since, scopes: scopes), by: c.user)
                return redirect("/labs/\(lab.code)")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return renderer.page("lab_form", context: c.parent, title: t("labs.new", c.language), status: e.status,
                                     FormPage(v: f.fields, error: e.message.text(for: c.language), problems: e.problems.map { $0.message.text(for: c.language) }))
            }
        }
        group.post("labs/{code}/{action}") { request, c in
            let code = try c.parameters.require("code")
            let f = try await Form(request, limit: 64 * 1024)
            do {
                switch try c.parameters.require("action") {
                case "status":
                    guard let status = Lab.Status(rawValue: f["status"]), let since = CivilDate(f["since"]) else {
                        throw AppError(.lab.formStatus)
                    }
                    _ = try await s.changeLabStatus(code: code, .init(status: status, since: since, note: f["note"]), by: c.user)
                case "scope":
                    guard let from = CivilDate(f["from"]) else {
                        throw AppError(.lab.formFirstDay)
                    }
                    _ = try await s.addLabScopes(code: code, [.init(unitNo: f["unit_no"], standard: f["standard"], from: from, until: CivilDate(f["until"]))], by: c.user)
                case "member":
                    guard let id = Int(f["user_id"]) else { throw AppError(.lab.formUser) }
                    try await s.addLabMember(code: code, userID: id, by: c.user)
                default:
                    throw AppError.notFound("action")
                }
                return redirect("/labs/\(code)")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500, e.status != .notFound else { throw error }
                return try await labPage(c.parent, code: code, error: e.message.text(for: c.language), status: e.status)
            }
        }

        group.post("ccc/bodies") { request, c in
            let f = try await Form(request, limit: 16 * 1024)
            return try await formPost({
                let body = try await s.registerCertBody(.init(name: f["name"], uscc: f["uscc"], approvalNumber: f["approval_number"]), by: c.user)
                return try await cccPage(c.parent, notice: "\(t("ccc.body_registered", c.language)) \(body.code ?? "")")
            }, refused: { try await cccPage(c.parent, error: $0, values: f.fields) })
        }
        group.post("ccc/import") { request, c in
            try c.user.requireNationalRegistrar()
            return try await formPost({
                guard let form = try await Multipart.form(request, c.parent), let part = form.file("file") else {
                    throw AppError(.ccc.file)
                }
                let summary = try await s.importCertificates(String(decoding: part.data, as: UTF8.self), by: c.user)
                return try await cccPage(c.parent, notice: renderer.messages.text("ccc.imported", c.language, ["n": "\(summary.imported)", "total": "\(summary.total)"]))
            }, refused: { try await cccPage(c.parent, error: $0) })
        }

        group.post("credit/{form}") { request, c in
            let f = try await Form(request, limit: 64 * 1024)
            return try await formPost({
                switch try c.parameters.require("form") {
                case "list":
                    guard let list = CreditEntry.List(rawValue: f["list"]) else { throw AppError.notFound("list") }
                    let entry = try await s.listEnterprise(.init(uscc: f["uscc"], list: list, cause: f["cause"], note: f["note"], listedOn: CivilDate(f["listed_on"])), by: c.user)
                    return redirect("/credit/entries/\(entry.number)")
                case "repair":
                    _ = try await s.applyForRepair(number: f["number"], .init(statement: f["statement"]), by: c.user)
                    return redirect("/credit/entries/\(f["number"])")
                case "decide":
                    guard let id = Int(f["repair"]) else { throw AppError.notFound("repair") }
                    _ = try await s.decideRepair(id: id, .init(approve: f["approve"] == "1", decision: f["decision"]), by: c.user)
                    return redirect("/credit/entries/\(f["number"])")
                case "ban":
                    guard let kind = Ban.Kind(rawValue: f["subject_kind"]) else { throw AppError.notFound("kind") }
                    _ = try await s.ban(.init(subjectKind: kind, subject: f["subject"], name: f["name"], cause: f["cause"]), by: c.user)
                    return redirect("/credit")
                default:
                    throw AppError.notFound("form")
                }
            }, refused: { e in
                // Listing and banning are done on the list page; repair and its decision on the entry's page.
                guard ["repair", "decide"].contains(c.parameters.get("form") ?? "") else {
                    return try await creditPage(c.parent, error: e, form: c.parameters.get("form"), values: f.fields)
                }
                return try await entryPage(c, number: f["number"], error: e, values: f.fields)
            })
        }
        group.get("credit/entries/{number}") { _, c in
            try await entryPage(c, number: try c.parameters.require("number"))
        }

        // A lab's own desk: its reports, and the form to file one with its file.
        group.get("lab/reports") { _, c in try await reportDesk(c, error: nil) }
        group.post("lab/reports") { request, c in
            do {
                guard let form = try await Multipart.form(request, c.parent), let part = form.file("file") else {
                    throw AppError(.report.file)
                }
                guard let day = CivilDate(form["issued_on"]) else {
                    throw AppError(.report.invalidIssueDate)
                }
                let receipt = try await uploads.store(ByteBuffer(bytes: part.data), by: c.user)
                let units = listItems(form["units"])
                _ = try await s.fileTestReport(.init(reportNo: form["report_no"], uscc: form["uscc"].uppercased(), units: units, issuedOn: day,
                                                     conclusion: form["conclusion"], sha256: receipt.sha256), by: c.user)
                return redirect("/lab/reports")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return try await reportDesk(c, error: e.message.text(for: c.language), status: e.status)
            }
        }
    }

    func creditPage(_ c: AppRequestContext, error: AppError? = nil, form: String? = nil, values: [String: String] = [:]) async throws -> Response {
        let lang = c.language
        let (entries, bans, names) = try await s.creditLists()
        var data = CreditPage(
            entries: entries.map { e in
                .init(number: e.number, uscc: e.uscc, name: names[e.uscc] ?? "", list: t("credit.list.\(e.list.rawValue)", lang),
                      cause: t("credit.cause.\(e.cause)", lang) == "credit.cause.\(e.cause)" ? e.cause : t("credit.cause.\(e.cause)", lang),
                      authority: s.authorityName(e.authority), listed: e.listedOn.description, ends: e.endsOn?.description ?? "")
            },
            bans: bans.map { .init(number: $0.number, kind: t("credit.ban.\($0.subjectKind.rawValue)", lang), subject: $0.subject, name: $0.name,
                                   cause: $0.cause, since: $0.since.description) },
            isOfficer: c.user?.role == .officer,
            canBan: c.user.map { $0.isNationalRegistrar } ?? false,
            banKinds: Ban.Kind.allCases.map { .init(value: $0.rawValue, name: t("credit.ban.\($0.rawValue)", lang)) },
            v: values)
        if let error {
            if form == "ban" { data.banError = error.message.text(for: lang) } else { data.listError = error.message.text(for: lang) }
        }
        return renderer.page("credit", context: c, title: t("credit.title", lang), status: error?.status ?? .ok, data)
    }

    func entryPage(_ c: SignedInContext, number: String, error: AppError? = nil, values: [String: String] = [:]) async throws -> Response {
        let detail = try await s.creditDetail(number: number, user: c.user)
        let e = detail.entry, lang = c.language
        let data = CreditEntryPage(
            number: e.number, uscc: e.uscc, list: t("credit.list.\(e.list.rawValue)", lang), cause: e.cause, note: e.note,
            authority: s.authorityName(e.authority), listed: e.listedOn.description, ends: e.endsOn?.description ?? "", earliest: e.earliestRemoval.description,
            removed: e.removedOn?.description ?? "", removal: e.removal, inForce: detail.inForce,
            repairs: detail.repairs.map { r in
                .init(id: r.id, statement: r.statement, state: t("credit.repair.\(r.state.rawValue)", lang), pending: r.state == .pending,
                      filed: Timestamp.chinaDay(r.filedAt), decision: r.decision)
            },
            canRepair: c.user.role == .enterprise && detail.inForce, canDecide: c.user.role == .officer, v: values,
            error: error?.message.text(for: lang))
        return renderer.page("credit_entry", context: c.parent, title: e.number, status: error?.status ?? .ok, data)
    }

    func cccPage(_ c: AppRequestContext, number: String? = nil, holder: String? = nil, notice: String? = nil, error: AppError? = nil,
                 values: [String: String] = [:]) async throws -> Response {
        let number = number.flatMap { $0.isEmpty ? nil : $0 }, holder = holder.flatMap { $0.isEmpty ? nil : $0.uppercased() }
        let today = s.clock.today, lang = c.language
        let (found, bodies, moved) = try await s.cccRegister(number: number, holder: holder)
        let names = Dictionary(bodies.compactMap { b in b.code.map { ($0, b.name) } }, uniquingKeysWith: { a, _ in a })
        let data = CCCPage(
            number: number, holder: holder, asked: number != nil || holder != nil,
            rows: found.map { cert in
                .init(number: cert.number, holder: cert.holderUscc, product: cert.product, standard: cert.standard, body: names[cert.body] ?? cert.body,
                      status: t("ccc.status.\(cert.status(on: today).rawValue)", lang), valid: cert.status(on: today) == .valid,
                      issued: cert.issuedOn.description, expires: cert.expiresOn.description)
            },
            moved: moved.map { .init(zh: $0.productZh, en: $0.productEn, from: $0.mandatoryFrom?.description ?? "—") },
            bodies: bodies.map { .init(code: $0.code ?? "", name: $0.name, uscc: $0.uscc, approval: $0.approvalNumber) },
            canEdit: c.user.map { $0.isNationalRegistrar } ?? false, v: values, notice: notice,
            error: error?.message.text(for: lang), problems: error?.problems.prefix(100).map { $0.message.text(for: lang) } ?? [])
        return renderer.page("ccc", context: c, title: t("ccc.title", lang), status: error?.status ?? .ok, data)
    }

    func labPage(_ c: AppRequestContext, code: String, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let l = try await s.lab(code)
        let lang = c.language
        let data = LabPage(
            code: l.code, name: l.name, uscc: l.uscc, cma: l.cmaNumber, grade: t("labs.grade.\(l.grade)", lang),
            division: s.placeName(l.divisionCode, lang),
            status: t("labs.status.\(l.status(on: s.clock.today)?.rawValue ?? "none")", lang),
            periods: l.periods.map { .init(status: t("labs.status.\($0.status.rawValue)", lang), since: $0.since.description, until: $0.until?.description ?? "", note: $0.note) },
            scopes: l.scopes.map { .init(unit: $0.unitNo, standard: $0.standard, from: $0.from.description, until: $0.until?.description ?? "") },
            canEdit: c.user.map { (try? $0.requireRegistrar()) != nil } ?? false, today: s.clock.today.description,
            statuses: Lab.Status.allCases.map { .init(value: $0.rawValue, name: t("labs.status.\($0.rawValue)", lang)) },
            error: error)
        return renderer.page("lab", context: c, title: l.code, status: status, data)
    }

    func reportDesk(_ c: SignedInContext, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        try c.require(.lab)
        let (lab, reports) = try await s.ownLab(of: c.user)
        let data = LabReportsPage(
            lab: lab.map { .init(code: $0.code, name: $0.name) },
            reports: reports.map { r in
                .init(number: r.reportNo, uscc: r.uscc, units: r.units.joined(separator: "、"),
                      issued: r.issuedOn.description, conclusion: t("lab.\(r.conclusion)", c.language))
            },
            today: s.clock.today.description, error: error)
        return renderer.page("lab_reports", context: c.parent, title: t("labreports.title", c.language), status: status, data)
    }
}

struct LabsPage: PageModel {
    struct Row: Encodable, Sendable { var code: String, name: String, cma: String, grade: String, division: String, units: Int, status: String, registered: Bool }
    var rows: [Row], canRegister: Bool
}

struct LabPage: PageModel {
    struct Period: Encodable, Sendable { var status: String, since: String, until: String, note: String }
    struct Scope: Encodable, Sendable { var unit: String, standard: String, from: String, until: String }
    var code: String, name: String, uscc: String, cma: String, grade: String, division: String, status: String
    var periods: [Period], scopes: [Scope]
    var canEdit: Bool, today: String, statuses: [ValueName]
    var error: String?
}

/// A lab user's desk: the lab they file for and its reports.
struct LabReportsPage: PageModel {
    struct Lab: Encodable, Sendable { var code: String, name: String }
    struct Report: Encodable, Sendable { var number: String, uscc: String, units: String, issued: String, conclusion: String }
    var lab: Lab?
    var reports: [Report], today: String
    var error: String?
}

/// The public credit lists and bans, with the officers' forms (the error goes beside the form that was sent).
struct CreditPage: PageModel {
    struct Entry: Encodable, Sendable { var number: String, uscc: String, name: String, list: String, cause: String, authority: String, listed: String, ends: String }
    struct BanRow: Encodable, Sendable { var number: String, kind: String, subject: String, name: String, cause: String, since: String }
    var entries: [Entry], bans: [BanRow], isOfficer: Bool, canBan: Bool, banKinds: [ValueName]
    var v: [String: String]
    var banError: String?
    var listError: String?
}

struct CreditEntryPage: PageModel {
    struct Repair: Encodable, Sendable { var id: Int, statement: String, state: String, pending: Bool, filed: String, decision: String }
    var number: String, uscc: String, list: String, cause: String, note: String, authority: String, listed: String, ends: String, earliest: String
    var removed: String, removal: String, inForce: Bool
    var repairs: [Repair], canRepair: Bool, canDecide: Bool
    var v: [String: String]
    var error: String?
}

struct CCCPage: PageModel {
    struct Row: Encodable, Sendable {
        var number: String, holder: String, product: String, standard: String, body: String, status: String, valid: Bool, issued: String, expires: String
    }
    struct Moved: Encodable, Sendable { var zh: String, en: String, from: String }
    struct Body: Encodable, Sendable { var code: String, name: String, uscc: String, approval: String }
    var number: String?
    var holder: String?
    var asked: Bool, rows: [Row], moved: [Moved], bodies: [Body], canEdit: Bool
    var v: [String: String]
    var notice: String?
    var error: String?
    var problems: [String]
}
