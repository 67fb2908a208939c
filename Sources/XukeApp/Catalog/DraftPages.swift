import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// Draft editions: the list, the national authority's desk (changes, consultation, comments and answers,
/// publication) and the impact report anyone can follow once the draft is out for comment.
struct DraftPages: PageRoutes {
    let s: CatalogService
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        router.get("catalog/drafts") { _, c in try await listPage(c) }
        router.get("catalog/drafts/{code}") { _, c in
            return try await draftPage(c, code: try c.parameters.require("code"))
        }
        router.get("catalog/drafts/{code}/impact.csv") { _, c in
            let code = try c.parameters.require("code")
            let detail = try await s.draftDetail(code, user: c.user)
            var rows = [["uscc", "license_number", "province", "change", "kind", "outcome", "detail"]]
            for a in detail.impact.affected {
                rows.append([a.uscc, a.number, a.province, "\(a.position)", detail.actions[a.position - 1].kind.rawValue, a.outcome.rawValue, a.detail])
            }
            return csvResponse(CSV.write(rows, bom: true), filename: "\(code)-impact.csv")
        }

        let group = router.group(context: SignedInContext.self)
        group.post("catalog/drafts") { request, c in
            let f = try await Form(request, limit: 16 * 1024)
            return try await formPost({
                guard let day = CivilDate(f["in_force"]) else { throw AppError(.draft.inForceMissing) }
                let d = try await s.createDraft(.init(title: f["title"], editionCode: f["edition_code"], inForce: day), by: c.user)
                return redirect("/catalog/drafts/\(d.code)")
            }, refused: { try await listPage(c.parent, error: $0, values: f.fields) })
        }
        group.post("catalog/drafts/{code}/{step}") { request, c in
            let code = try c.parameters.require("code")
            let f = try await Form(request, limit: 256 * 1024)
            return try await formPost({
                switch try c.parameters.require("step") {
                case "actions": _ = try await s.setDraftActions(code, try Self.actions(f["actions"]), by: c.user)
                case "consult":
                    guard let until = CivilDate(f["until"]) else { throw AppError(.draft.commentsUntilMissing) }
                    _ = try await s.openConsultation(code, consultees: try Self.consultees(f["consultees"]), until: until, by: c.user)
                case "comment":
                    _ = try await s.recordDraftComment(code, organisation: f["organisation"], body: f["body"], receivedOn: CivilDate(f["received_on"]), by: c.user)
                case "answer":
                    guard let id = Int(f["comment"]) else { throw AppError.notFound("comment") }
                    try await s.answerDraftComment(code, commentID: id, answer: f["answer"], by: c.user)
                case "publish": _ = try await s.publishDraft(code, instrument: f["instrument"], by: c.user)
                case "withdraw": _ = try await s.withdrawDraft(code, reason: f["reason"], by: c.user)
                default: throw AppError.notFound("step")
                }
                return redirect("/catalog/drafts/\(code)")
            }, refused: { try await draftPage(c.parent, code: code, error: $0, values: f.fields) })
        }
    }

    /// One change per line: kind | subject | target | Chinese name | English name | note.
    static func actions(_ text: String) throws -> [DraftAction] {
        try text.split(whereSeparator: \.isNewline).enumerated().compactMap { n, line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !(cells.count == 1 && cells[0].isEmpty) else { return nil }
            guard cells.count >= 2, let kind = DraftAction.Kind(rawValue: cells[0]) else {
                throw AppError(.draft.line, ["line": "\(n + 1)"])
            }
            func cell(_ i: Int) -> String { cells.count > i ? cells[i] : "" }
            return DraftAction(kind: kind, subjectNo: cell(1), target: cell(2), nameZh: cell(3), nameEn: cell(4), note: cell(5))
        }
    }

    static func actionsText(_ actions: [DraftAction]) -> String {
        actions.map { a in
            var cells = [a.kind.rawValue, a.subjectNo, a.target, a.nameZh, a.nameEn, a.note]
            while cells.count > 2 && cells.last?.isEmpty == true { cells.removeLast() }
            return cells.joined(separator: " | ")
        }.joined(separator: "\n")
    }

    /// One organisation per line: department | name, or association | name.
    static func consultees(_ text: String) throws -> [CatalogDraft.Consultee] {
        try text.split(whereSeparator: \.isNewline).enumerated().compactMap { n, line in
            let cells = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !cells.isEmpty, !(cells.count == 1 && cells[0].isEmpty) else { return nil }
            guard cells.count == 2, let kind = CatalogDraft.Consultee.Kind(rawValue: cells[0]), !cells[1].isEmpty else {
                throw AppError(.draft.consulteeLine, ["line": "\(n + 1)"])
            }
            return CatalogDraft.Consultee(name: cells[1], kind: kind)
        }
    }

    func listPage(_ c: AppRequestContext, error: AppError? = nil, values: [String: String] = [:]) async throws -> Response {
        let canDraft = c.user.map { $0.isNationalRegistrar } ?? false
        let drafts = try await s.drafts().filter { canDraft || [.consultation, .published, .inForce].contains($0.state) }
        let data = DraftsPage(
            rows: drafts.map { d in
                .init(code: d.code, title: d.title, edition: d.editionCode, base: d.baseEdition, inForce: d.inForce.description,
                      state: t("draft.state.\(d.state.rawValue)", c.language), changes: d.actionList.count)
            },
            canDraft: canDraft, v: values, error: error?.message.text(for: c.language))
        return renderer.page("drafts", context: c, title: t("draft.title", c.language), status: error?.status ?? .ok, data)
    }

    func draftPage(_ c: AppRequestContext, code: String, error: AppError? = nil, values: [String: String] = [:]) async throws -> Response {
        let detail = try await s.draftDetail(code, user: c.user)
        let d = detail.draft, lang = c.language, impact = detail.impact
        let canEdit = c.user.map { $0.isNationalRegistrar } ?? false
        let base = detail.base, names = [base].catalogNames()
        let data = DraftPage(
            code: d.code, name: d.title, edition: d.editionCode, base: d.baseEdition, inForce: d.inForce.description,
            state: t("draft.state.\(d.state.rawValue)", lang), until: d.commentsUntil?.description ?? "",
            drafting: d.state == .drafting && canEdit, consulting: d.state == .consultation && canEdit,
            canWithdraw: (d.state == .drafting || d.state == .consultation) && canEdit, published: d.state == .published || d.state == .inForce,
            actions: impact.actions.map { a in
                .init(position: a.position, kind: t("draft.kind.\(a.action.kind.rawValue)", lang), subject: a.action.subjectNo,
                      target: a.action.target, unitName: a.action.kind == .add ? (lang == .zh ? a.action.nameZh : a.action.nameEn) : names[a.action.subjectNo]?.text(english: lang == .en) ?? "", note: a.action.note,
                      units: a.units.joined(separator: " "), licenses: a.licenses, enterprises: a.enterprises,
                      provinces: a.byProvince.sorted { $0.key < $1.key }.map { "\(s.placeName($0.key, lang)) \($0.value)" }.joined(separator: "、"),
                      outcomes: a.outcomes.sorted { $0.key < $1.key }.map { "\(t("draft.outcome.\($0.key)", lang)) \($0.value)" }.joined(separator: "、"),
                      delicensed: a.delicensedMakers, quota: a.delicensedQuota, isCancel: a.action.kind == .cancel)
            },
            totals: .init(licenses: Set(impact.affected.map(\.number)).count, enterprises: Set(impact.affected.map(\.uscc)).count,
                          baseCategories: base.categories.count, baseUnits: base.unitCount,
                          categories: impact.edition.categories.count, units: impact.edition.unitCount),
            actionsText: values["actions"] ?? Self.actionsText(detail.actions),
            consultees: detail.consultees.map { .init(name: $0.name, kind: t("draft.consultee.\($0.kind.rawValue)", lang)) },
            consulteesText: values["consultees"] ?? "",
            comments: detail.comments.map { cm in
                .init(id: cm.id, organisation: cm.organisation, body: cm.body, received: cm.receivedOn.description, answer: cm.answer ?? "", open: cm.answer == nil)
            },
            history: detail.history.reversed().map { e in .init(at: Timestamp.chinaMinute(e.at), what: t("event.\(e.type)", lang)) },
            today: s.clock.today.description, v: values, error: error?.message.text(for: lang))
        return renderer.page("draft", context: c, title: "\(d.code) \(d.title)", status: error?.status ?? .ok, data)
    }
}

struct DraftsPage: PageModel {
    struct Row: Encodable, Sendable { var code: String, title: String, edition: String, base: String, inForce: String, state: String, changes: Int }
    var rows: [Row], canDraft: Bool
    var v: [String: String]
    var error: String?
}

/// A draft edition with the impact of each action, its consultation and its history.
struct DraftPage: PageModel {
    struct Action: Encodable, Sendable {
        var position: Int, kind: String, subject: String, target: String, unitName: String, note: String, units: String
        var licenses: Int, enterprises: Int, provinces: String, outcomes: String, delicensed: Int, quota: Int, isCancel: Bool
    }
    struct Totals: Encodable, Sendable { var licenses: Int, enterprises: Int, baseCategories: Int, baseUnits: Int, categories: Int, units: Int }
    struct Consultee: Encodable, Sendable { var name: String, kind: String }
    struct Comment: Encodable, Sendable { var id: Int, organisation: String, body: String, received: String, answer: String, open: Bool }
    struct Step: Encodable, Sendable { var at: String, what: String }
    var code: String, name: String, edition: String, base: String, inForce: String, state: String, until: String
    var drafting: Bool, consulting: Bool, canWithdraw: Bool, published: Bool
    var actions: [Action], totals: Totals
    var actionsText: String, consultees: [Consultee], consulteesText: String
    var comments: [Comment], history: [Step]
    var today: String
    var v: [String: String]
    var error: String?
}
