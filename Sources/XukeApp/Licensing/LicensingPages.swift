import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

/// Pages of the licensing workflow: work list, application form, case, license certificate and history,
/// inbox, statistics and the public progress query.
struct LicensingPages: PageRoutes {
    let s: LicensingService
    let uploads: UploadService
    let trust: TrustService
    let renderer: Renderer

    func text(_ l: LocalizedText, _ lang: Language) -> String { l.text(for: lang) }

    func register(_ router: Router<AppRequestContext>) {
        router.get("progress") { request, c in
            let number = String((request.query("number") ?? "").prefix(30))
            var data = ProgressPage(number: number)
            if !number.isEmpty {
                do {
                    let p = try await s.progress(number: number)
                    data.found = .init(
                        number: p.number, kind: t("kind.\(p.kind.rawValue)", c.language), route: t("route.\(p.route.rawValue)", c.language),
                        state: text(p.stateName, c.language), authority: p.authorityName, submittedOn: p.submittedOn.description,
                        acceptedOn: p.acceptedOn?.description ?? "—", decidedOn: p.decidedOn?.description ?? "—",
                        issuedOn: p.issuedOn?.description ?? "—", stopped: p.clockStopped,
                        deemed: p.deemed.map { t("deemed.\($0)", c.language) }.joined(separator: "，"))
                } catch let e as AppError {
                    data.error = e.message.text(for: c.language)
                }
            }
            return renderer.page("progress", context: c, title: t("progress.title", c.language), data)
        }

        let group = router.group(context: SignedInContext.self)
        ImportPages(renderer: renderer, path: "licenses/import", kind: "license_import", columns: LicensingService.licenseColumns,
                    notes: ["license_import.note_units", "license_import.note_merge", "license_import.note_marked"]) { data, dryRun, c in
            let r = try await s.importLicenses(data, dryRun: dryRun, by: c.user)
            let outcome = r.merged.prefix(50).map {
                renderer.messages.text("license_import.merge", c.language, ["number": $0.number, "replaces": $0.replaces.joined(separator: ", "),
                                                                            "uscc": $0.uscc, "valid_until": $0.validUntil.description])
            } + (r.merged.count > 50 ? [renderer.messages.text("license_import.more_merges", c.language, ["n": "\(r.merged.count - 50)"])] : [])
            return (["rows": "\(r.rows)", "encoding": r.encoding.rawValue, "licenses": "\(r.licenses)", "expired": "\(r.expired)",
                     "merged": "\(r.merged.count)"], outcome)
        }.register(group)
        group.get("applications") { request, c in
            let urgency = LicensingService.Urgency(rawValue: request.query("due") ?? "all") ?? .all
            let page = try request.intQuery("page", range: 1...100_000) ?? 1
            let state = request.query("state").flatMap(CaseState.init(rawValue:))
            let narrowed = try LicensingService.narrowing(request, user: c.user)
            let work = try await s.workPage(user: c.user, urgency: urgency, state: state, narrowed: narrowed, limit: 51, offset: (page - 1) * 50)
            let (rows, counts, names) = (work.rows, work.counts, work.names)
            let lang = c.language
            let today = s.clock.today
            // The filters as typed, kept in the form, the next page's link and the export's.
            let kept = ["due", "state", "handler", "uscc", "q", "due_before"].compactMap { k in request.query(k).map { (k, String($0.prefix(100))) } }.filter { !$0.1.isEmpty }
            let query = kept.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            let filters = Dictionary(uniqueKeysWithValues: kept)
            return renderer.page("applications", context: c.parent, title: t("applications.title", lang), ApplicationsPage(
                rows: rows.prefix(50).map { a in
                    .init(id: a.id, number: a.number, enterprise: names[a.uscc] ?? a.uscc, kind: t("kind.\(a.kind.rawValue)", lang),
                          route: t("route.\(a.route.rawValue)", lang), state: text(CaseMachine.stateName(a.state), lang),
                          due: a.dueOn?.description ?? "—", overdue: a.dueOn.map { $0 < today } ?? false,
                          handler: a.handlerID.flatMap { work.handlers[$0] } ?? "—")
                },
                none: rows.isEmpty, all: urgency == .all, overdue: urgency == .overdue, nearly: urgency == .nearlyDue,
                open: counts.open, overdueCount: counts.overdue, nearlyCount: counts.nearlyDue,
                canApply: c.user.role == .enterprise,
                next: rows.count > 50 ? "/applications?\(query.isEmpty ? "" : query + "&")page=\(page + 1)" : "",
                isStaff: c.user.role == .officer || c.user.role == .administrator, f: filters,
                states: CaseState.allCases.filter { !$0.isFinal }.map { .init(value: $0.rawValue, name: text(CaseMachine.stateName($0), lang), selected: $0 == state) },
                handlers: [("", "applications.anyone"), ("me", "applications.mine"), ("none", "applications.unassigned")].map {
                    .init(value: $0.0, name: t($0.1, lang), selected: (filters["handler"] ?? "") == $0.0)
                },
                export: "/applications/export" + (query.isEmpty ? "" : "?" + query)))
        }
        // The work list as filtered, as CSV (at most 10,000 rows), cells neutralised for spreadsheets.
        group.get("applications/export") { request, c in
            try c.require(.officer, .administrator)
            let urgency = LicensingService.Urgency(rawValue: request.query("due") ?? "all") ?? .all
            let work = try await s.workPage(user: c.user, urgency: urgency, state: request.query("state").flatMap(CaseState.init(rawValue:)),
                                            narrowed: try LicensingService.narrowing(request, user: c.user), limit: 10_000, offset: 0)
            let lang = c.language
            let header = ["case.number", "case.enterprise", "enterprise.uscc", "case.kind", "case.state", "case.handler", "case.due"].map { t($0, lang) }
            let lines = work.rows.map { a in
                [a.number, work.names[a.uscc] ?? "", a.uscc, t("kind.\(a.kind.rawValue)", lang), text(CaseMachine.stateName(a.state), lang),
                 a.handlerID.flatMap { work.handlers[$0] } ?? "", a.dueOn?.description ?? ""]
            }
            return csvResponse(CSV.write([header] + lines, bom: true), filename: "applications-\(s.clock.today).csv")
        }
        group.get("applications/new") { _, c in
            try c.require(.enterprise)
            return applicationForm(c, values: ["commitment": t("apply.commitment_default", c.language)], error: nil)
        }
        group.post("applications") { request, c in
            try c.require(.enterprise)
            guard let form = try await Multipart.form(request, c.parent) else {
                throw AppError(.request.contentTypeMultipart)
            }
            do {
                let record = try await s.submit(try await submitInput(form, user: c.user), by: c.user)
                return redirect("/applications/\(record.id)")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                var values = Dictionary(form.parts.filter { $0.filename == nil }.map { ($0.name, $0.text) }, uniquingKeysWith: { $1 })
                for change in form.all("changes") { values["change_\(change)"] = "checked" }
                let problems = e.problems.map { $0.message.text(for: c.language) }
                return applicationForm(c, values: values, error: e.message.text(for: c.language), problems: problems, status: e.status)
            }
        }
        group.get("applications/{id}") { _, c in
            try await casePage(c, id: try c.parameters.require("id", as: Int.self), error: nil)
        }
        group.post("applications/{id}/{action}") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let name = try c.parameters.require("action")
            do {
                // Organising the case: its handler and its decision's signatures.
                if ["handler", "sign", "return"].contains(name) {
                    let f = try await Form(request, limit: 16 * 1024)
                    switch name {
                    case "handler": _ = try await s.assignHandler(caseID: id, handlerID: Int(f["handler_id"]), reason: f["reason"], by: c.user)
                    case "sign": _ = try await s.sign(caseID: id, decision: LicensingService.CaseCommand(rawValue: f["decision"]), reasons: f["reasons"],
                                                      note: f["note"], by: c.user)
                    default: _ = try await s.returnDecision(caseID: id, note: f["note"], by: c.user)
                    }
                    return redirect("/applications/\(id)")
                }
                let input: LicensingService.ActionInput
                if let form = try await Multipart.form(request, c.parent) {
                    // A supplement carries files.
                    var materials: [LicensingService.MaterialInput] = []
                    for part in form.parts where part.filename?.isEmpty == false && !part.data.isEmpty {
                        let receipt = try await uploads.store(ByteBuffer(bytes: part.data), by: c.user)
                        materials.append(.init(kind: .other, sha256: receipt.sha256, filename: part.filename ?? "document"))
                    }
                    input = LicensingService.ActionInput(version: Int(form["version"]), materials: materials)
                } else {
                    let f = try await Form(request, limit: 64 * 1024)
                    let verifiers = Self.checkedVerifiers(f)
                    input = LicensingService.ActionInput(
                        version: Int(f["version"]), items: f["items"].split(whereSeparator: \.isNewline).map(String.init),
                        verifiers: verifiers, reasons: f["reasons"], reason: StopReason(rawValue: f["reason"]), note: f["note"])
                }
                guard let command = LicensingService.CaseCommand(rawValue: name) else { throw AppError.notFound(name) }
                _ = try await s.act(caseID: id, command, input, by: c.user)
                return redirect("/applications/\(id)")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500, e.status != .notFound else { throw error }
                return try await casePage(c, id: id, error: e.message.text(for: c.language), status: e.status)
            }
        }
        group.post("verifications/{id}/findings") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 64 * 1024)
            let findings = Checklist.items.compactMap { item -> LicensingService.FindingInput? in
                FindingResult(rawValue: f["result_\(item.code)"]).map { .init(item: item.code, result: $0, note: f["note_\(item.code)"]) }
            }
            return try await verificationPost(c, verificationID: id, back: Int(f["case"])) {
                _ = try await s.recordFindings(verificationID: id, findings, by: c.user)
            }
        }
        group.post("verifications/{id}/conclusion") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 64 * 1024)
            return try await verificationPost(c, verificationID: id, back: Int(f["case"])) {
                guard let outcome = VerificationOutcome(rawValue: f["outcome"]) else {
                    throw AppError(.verification.outcome)
                }
                _ = try await s.conclude(verificationID: id, .init(outcome: outcome, summary: f["summary"], rectifyBy: CivilDate(f["rectify_by"])), by: c.user)
            }
        }
        group.post("verifications/{id}/assign") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 64 * 1024)
            let verifiers = Self.checkedVerifiers(f)
            return try await verificationPost(c, verificationID: id, back: Int(f["case"])) {
                _ = try await s.assignFollowUp(verificationID: id, verifiers: verifiers, by: c.user)
            }
        }

        group.get("licenses/{id}") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            let (l, credential) = try await s.visibleLicense(id: id, user: c.user) { try await trust.credentialBlock($0, $1) }
            var data = certificate(l, today: s.clock.today, places: s.places, credential: credential)
            data.signedIn = true
            return renderer.page("certificate", context: c.parent, title: l.number, data)
        }
        group.get("licenses/{id}/history") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            let h = try await s.licenseHistory(id: id, user: c.user)
            let (l, versions, events, actors) = (h.license, h.versions, h.events, h.actors)
            let lang = c.language
            return renderer.page("license_history", context: c.parent, title: l.number, LicenseHistoryPage(
                id: l.id, number: l.number,
                versions: versions.reversed().map { v in
                    .init(version: v.version, status: text(v.status.name, lang), reason: t("reason.\(v.reason)", lang), at: Timestamp.chinaMinute(v.at),
                          name: v.snapshot.name, validUntil: v.snapshot.validUntil.description,
                          units: v.snapshot.units.map(\.unitNo).joined(separator: "、"),
                          application: v.applicationID.map { "/applications/\($0)" } ?? "")
                },
                events: events.map { .init(type: t("event.\($0.type)", lang), at: Timestamp.chinaMinute($0.at), actor: actors[$0.actor] ?? t("actor.system", lang)) }))
        }
        group.get("inbox") { _, c in
            let items = try await s.inbox(of: c.user, limit: 200)
            return renderer.page("inbox", context: c.parent, title: t("inbox.title", c.language), InboxPage(
                items: items.map { .init(id: $0.id, subject: $0.subject, at: Timestamp.chinaMinute($0.createdAt), unread: $0.readAt == nil) },
                none: items.isEmpty))
        }
        group.post("inbox/{id}/read") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            try await s.markRead(id, by: c.user)
            return redirect("/inbox")
        }
        group.get("statistics") { request, c in
            let since = try request.dateQuery("since") ?? s.clock.today.adding(months: -12)
            let st = try await s.statistics(user: c.user, since: since)
            let lang = c.language
            func rows(_ list: [LicensingService.Figures], _ label: (String) -> String) -> [StatisticsPage.Row] {
                list.map { .init(key: label($0.key), cases: $0.cases, median: fmt($0.median), mean: fmt($0.mean), p90: fmt($0.p90)) }
            }
            return renderer.page("statistics", context: c.parent, title: t("statistics.title", lang), StatisticsPage(
                since: since.description, open: st.open, overdue: st.overdue, nearlyDue: st.nearlyDue,
                all: rows([st.all], { _ in t("statistics.all", lang) }),
                byAuthority: rows(st.byAuthority, s.authorityName), byCategory: rows(st.byCategory, { $0 }),
                byRoute: rows(st.byRoute, { t("route.\($0)", lang) }), none: st.all.cases == 0))
        }
    }

    func fmt(_ d: Double) -> String { String(format: "%.1f", d) }

    /// The verifiers ticked on an assignment form (checkboxes named `verifier_<id>`).
    static func checkedVerifiers(_ f: Form) -> [Int] {
        f.fields.keys.filter { $0.hasPrefix("verifier_") }.compactMap { Int($0.dropFirst(9)) }
    }

    // MARK: Case page

    func casePage(_ c: SignedInContext, id: Int, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await s.caseView(id: id, user: c.user)
        let a = view.application
        let lang = c.language
        let p = try await s.parties(of: view, for: c.user)
        let (enterprise, actors, verifiers, license) = (p.enterprise, p.actors, p.verifiers, p.license)
        let verifierChoices = verifiers.map { CasePage.Verifier(id: $0.id, name: "\($0.displayName)（\($0.username)）") }
        let isOfficer = (try? s.requireOfficer(c.user, for: a.authority)) != nil
        let isApplicant = c.user.role == .enterprise && c.user.enterpriseUSCC == a.uscc
        func can(_ action: CaseAction) -> Bool { (try? CaseMachine.next(a.facts, action)) != nil }
        let stopped = view.clockStops.contains { $0.until == nil }
        let documents = try await s.caseDocuments(caseID: a.id, user: c.user)
        var data = CasePage(
            id: a.id, caseID: a.id, number: a.number, version: a.version, error: error,
            enterprise: enterprise?.name ?? a.uscc, uscc: a.uscc,
            kind: t("kind.\(a.kind.rawValue)", lang), route: t("route.\(a.route.rawValue)", lang),
            state: text(view.stateName, lang), authority: s.authorityName(a.authority), edition: a.edition,
            changes: a.changes.map { t("change.\($0.rawValue)", lang) }.joined(separator: "、"),
            submittedOn: a.submittedOn.description, acceptedOn: a.acceptedOn?.description ?? "—",
            decidedOn: a.decidedOn?.description ?? "—", issuedOn: a.issuedOn?.description ?? "—",
            deemed: a.deemed.map { t("deemed.\($0)", lang) }.joined(separator: "，"),
            refusal: a.refusalReasons ?? "", elapsed: a.elapsedDays.map(String.init) ?? "",
            verification: t("need.\(a.verificationNeed.rawValue)", lang), simplified: a.simplified,
            units: a.units.map { .init(no: $0.unitNo, name: lang == .zh ? $0.nameZh : $0.nameEn, commitment: $0.commitmentEligible) },
            removeUnits: a.form.removeUnits.joined(separator: "、"),
            addresses: a.form.productionAddresses.map { .init(address: $0.address, division: $0.divisionCode) },
            equipment: a.form.keyEquipment, staff: a.form.qualityStaff,
            newName: a.form.newName ?? "", newDomicile: a.form.newDomicile ?? "", statement: a.form.statement ?? "",
            commitment: a.commitmentText, commitmentHash: a.commitmentSHA256,
            materials: view.materials.map { m in
                .init(position: m.position, kind: t("material.\(m.kind.rawValue)", lang), filename: m.filename, size: "\(max(1, m.size / 1024)) KiB",
                      report: m.kind == .testReport ? "\(m.lab ?? "") \(m.reportNo ?? "") \(m.reportDate?.description ?? "") · \((m.units ?? []).joined(separator: "、"))" : "",
                      href: "/api/v1/applications/\(a.id)/materials/\(m.position)")
            },
            correction: view.correction.map { .init(items: $0.items, issuedOn: $0.issuedOn.description, answeredOn: $0.answeredOn?.description ?? "—") },
            stops: view.clockStops.map { .init(reason: text($0.reason.name, lang), from: $0.from.description, until: $0.until?.description ?? t("case.still_stopped", lang), note: $0.note) },
            events: view.events.reversed().map { .init(type: t("event.\($0.type)", lang), at: Timestamp.chinaMinute($0.at), actor: actors[$0.actor] ?? t("actor.system", lang)) },
            license: license.map { .init(id: $0.id, number: $0.number) })
        if let clock = view.clock {
            data.clock = .init(step: t("clock.\(clock.step.rawValue)", lang), deadline: clock.deadline.description, daysLeft: clock.daysLeft,
                               overdue: clock.daysLeft < 0, overdueBy: -clock.daysLeft, stopped: clock.stopped, estimated: clock.estimated)
        }
        data.verifications = view.verifications.map { v in
            let member = c.user.role == .verifier && v.members.contains(c.user.id)
            let results = Dictionary(v.findings.map { ($0.item, $0) }, uniquingKeysWith: { $1 })
            return .init(
                id: v.id, kind: t("verification.\(v.kind.rawValue)", lang), state: t("verification_state.\(v.state.rawValue)", lang),
                due: v.dueOn.description, rectifyBy: v.rectifyBy?.description ?? "", summary: v.summary,
                outcome: v.outcome.map { t("outcome.\($0.rawValue)", lang) } ?? "",
                team: v.members.map { actors["user/\($0)"] ?? "#\($0)" }.joined(separator: "、"),
                items: Checklist.items.map { item in
                    let f = results[item.code]
                    let result = f?.finding
                    return .init(code: item.code, name: text(item.name, lang), result: result.map { text($0.name, lang) } ?? "—", note: f?.note ?? "",
                                 options: FindingResult.allCases.map { .init(value: $0.rawValue, name: text($0.name, lang), selected: result == $0) })
                },
                canRecord: member && v.state == .assigned,
                canAssign: isOfficer && v.kind == .followUp && v.state == .pending,
                verifiers: verifierChoices)
        }
        // The actions box shows only when it holds something to do.
        let officer = CasePage.OfficerActions(
            accept: can(.accept), correct: can(.requestCorrection), refuseAcceptance: can(.refuseAcceptance), assign: can(.assignVerifiers(count: 2)), approve: can(.approve),
            refuse: can(.refuse), issue: can(.issue), stop: a.state.awaitsDecision && !stopped, resume: stopped && a.state != .rectification,
            verifiers: verifierChoices, reasons: [StopReason.testing, .expertReview, .hearing].map { .init(value: $0.rawValue, name: text($0.name, lang)) })
        if isOfficer && officer.any { data.officer = officer }
        if isOfficer {
            let (org, officers, rank) = try await s.organisationForPage(caseID: a.id, authority: a.authority, user: c.user)
            let names = Dictionary(uniqueKeysWithValues: officers.map { ($0.id, "\($0.name)（\(text($0.rank.name, lang))）") })
            let round = org.signoffs.map(\.round).max() ?? 0
            let current = org.signoffs.filter { $0.round == round && !org.signoffs.contains { $0.round == round && $0.outcome == "returned" } }
            let nextIsHandler = org.next == .handler
            let canSign = org.next.map { next in next == .handler ? a.handlerID == c.user.id : rank == next } ?? false
            data.organisation = .init(
                handler: a.handlerID.flatMap { names[$0] } ?? t("applications.unassigned", lang),
                canTake: !a.state.isFinal && a.handlerID == nil, canAssign: !a.state.isFinal && rank != .handler, hasHandler: a.handlerID != nil,
                officers: officers.map { .init(id: $0.id, name: names[$0.id] ?? $0.username, selected: $0.id == a.handlerID) },
                chain: org.chain.map { text($0.name, lang) }.joined(separator: " → "), hasChain: !org.chain.isEmpty,
                signatures: org.signoffs.map {
                    .init(round: $0.round, rank: text($0.rank.name, lang), signer: names[$0.userId] ?? "user/\($0.userId)",
                          outcome: t("signoff.\($0.outcome)", lang) + " · " + t("signoff.decision.\($0.decision)", lang), note: $0.note, at: Timestamp.chinaMinute($0.at))
                },
                next: org.next.map { text($0.name, lang) } ?? "",
                canSign: canSign && !current.contains { $0.userId == c.user.id },
                propose: nextIsHandler, canReturn: canSign && !nextIsHandler && !current.contains { $0.userId == c.user.id })
        }
        data.documents = documents.map { .init(id: $0.id, title: $0.kind.title.text(for: lang), number: $0.number, date: $0.issuedOn.description) }
        data.hasDocuments = !documents.isEmpty
        let applicant = CasePage.ApplicantActions(supplement: can(.supplement), rectified: can(.rectified), withdraw: can(.withdraw))
        if isApplicant && applicant.any { data.applicant = applicant }
        return renderer.page("case", context: c.parent, title: a.number, status: status, data)
    }

    func verificationPost(_ c: SignedInContext, verificationID: Int, back caseID: Int?, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return redirect(caseID.map { "/applications/\($0)" } ?? "/applications")
        } catch {
            guard let e = AppError.from(error), e.status.code < 500, let caseID else { throw error }
            return try await casePage(c, id: caseID, error: e.message.text(for: c.language), status: e.status)
        }
    }

    // MARK: Certificate

    // MARK: Application form

    func applicationForm(_ c: SignedInContext, values: [String: String], error: String?, problems: [String] = [],
                         status: HTTPResponse.Status = .ok) -> Response {
        let lang = c.language
        let data = ApplyPage(
            v: values, error: error, problems: problems,
            kinds: ApplicationKind.allCases.map { .init(value: $0.rawValue, name: t("kind.\($0.rawValue)", lang), selected: values["kind"] == $0.rawValue) },
            routes: Route.allCases.map { .init(value: $0.rawValue, name: t("route.\($0.rawValue)", lang), selected: values["route"] == $0.rawValue) },
            changeItems: ChangeItem.allCases.map { .init(value: $0.rawValue, name: t("change.\($0.rawValue)", lang), checked: values["change_\($0.rawValue)"] != nil) })
        return renderer.page("apply", context: c.parent, title: t("apply.title", lang), status: status, data)
    }

    /// Reads the application form: lines of "a | b | c" for lists, files stored first by their SHA-256.
    func submitInput(_ f: Multipart, user: User) async throws -> LicensingService.SubmitInput {
        func list(_ name: String) -> [String] { listItems(f[name]) }
        func rows(_ name: String) -> [[String]] {
            f[name].split(whereSeparator: \.isNewline).map { $0.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
                .filter { !$0.joined().isEmpty }
        }
        var problems: [LocalizedText] = []
        let addresses = rows("addresses").map { r in ProductionAddress(address: r[0], divisionCode: r.count > 1 ? r[1] : "") }
        let equipment = rows("equipment").map { r in
            ApplicationForm.Equipment(name: r[0], model: r.count > 1 ? r[1] : "", quantity: r.count > 2 ? Int(r[2]) ?? 0 : 0)
        }
        let staff = rows("staff").map { r in ApplicationForm.Staff(name: r[0], role: r.count > 1 ? r[1] : "", qualification: r.count > 2 ? r[2] : "") }
        guard let kind = ApplicationKind(rawValue: f["kind"]) else {
            throw AppError(.application.kind)
        }
        let form = ApplicationForm(units: list("units"), removeUnits: list("remove_units"), productionAddresses: addresses,
                                   keyEquipment: equipment, qualityStaff: staff,
                                   newName: f["new_name"].isEmpty ? nil : f["new_name"], newDomicile: f["new_domicile"].isEmpty ? nil : f["new_domicile"],
                                   statement: f["statement"].isEmpty ? nil : f["statement"])
        var materials: [LicensingService.MaterialInput] = []
        for (field, kind) in [("business_license", MaterialKind.businessLicense), ("test_report", .testReport), ("other", .other)] {
            guard let part = f.file(field) else { continue }
            do {
                let receipt = try await uploads.store(ByteBuffer(bytes: part.data), by: user)
                var m = LicensingService.MaterialInput(kind: kind, sha256: receipt.sha256, filename: part.filename ?? field)
                if kind == .testReport {
                    m.lab = f["report_lab"]
                    m.reportNo = f["report_no"]
                    m.reportDate = CivilDate(f["report_date"])
                    m.units = list("report_units").isEmpty ? list("units") : list("report_units")
                }
                materials.append(m)
            } catch let e as AppError {
                problems.append(LocalizedText(zh: "\(part.filename ?? field)：\(e.message.zh)", en: "\(part.filename ?? field): \(e.message.en)"))
            }
        }
        try refuseIf(problems)
        return LicensingService.SubmitInput(kind: kind, route: Route(rawValue: f["route"]), changes: f.all("changes").compactMap(ChangeItem.init(rawValue:)),
                                       form: form, commitmentText: f["commitment"], simplified: f["simplified"] == "yes", materials: materials)
    }
}

extension PageRoutes {

    func certificate(_ l: LicenseRecord, today: CivilDate, places: Places, credential: CredentialBlock?) -> CertificatePage {
        let status = l.status(on: today)
        return CertificatePage(
            id: l.id, number: l.number, name: l.name, domicile: l.domicile, uscc: l.uscc,
            addresses: l.addresses.map { .init(address: $0.address) },
            units: l.units.map { .init(no: $0.unitNo, zh: $0.nameZh, en: $0.nameEn, since: $0.since.description, commitment: $0.route == .commitment) },
            issuedOn: l.issuedOn.description, firstIssuedOn: l.firstIssuedOn.description, decidedOn: l.decidedOn.description,
            validUntil: l.validUntil.description, version: l.version,
            authorityZh: places.authorityName(l.authority), statusZh: status.name.zh, statusEn: status.name.en,
            inForce: status == .valid, notInForce: status != .valid, credential: credential)
    }
}
