import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// Draft catalog editions: drafted by the national authority from the edition in force, measured against the
/// licenses in force before anything is decided, opened for comment by named departments and associations, and
/// published as an edition, in the public log, once every comment has an answer.
extension CatalogService {
    struct DraftInput: Decodable, Sendable {
        var title: String
        var editionCode: String
        var inForce: CivilDate
        /// Defaults to the edition in force today.
        var baseEdition: String?
    }

    func createDraft(_ input: DraftInput, by user: User) async throws -> CatalogDraft {
        try user.requireNationalRegistrar()
        let title = clipped(input.title, max: 200), code = input.editionCode.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { throw AppError(.draft.title) }
        guard (2...20).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw AppError(.draft.editionCode)
        }
        guard input.inForce > clock.today else { throw AppError(.draft.inForceAfterToday) }
        return try await db.write { sql in
            let editions = try await CatalogStore.unitEditions(sql)
            guard !editions.contains(where: { $0.code == code }) else {
                throw AppError(.draft.editionExists, ["code": "\(code)"])
            }
            let base = input.baseEdition.flatMap { b in editions.first { $0.code == b } } ?? editions.last { $0.inForce <= clock.today }
            guard let base, input.baseEdition == nil || base.code == input.baseEdition else {
                throw AppError(.draft.base)
            }
            let number = String(format: "CD%04d-%03d", clock.today.year, try await SettingsStore.nextSerial(sql, "draft:\(clock.today.year)"))
            guard let draft = try await CatalogDraftStore.insert(sql, code: number, title: title, base: base.code, editionCode: code, inForce: input.inForce,
                                                                by: user.actor, at: clock.stamp) else { throw StorageError.corruptRow("catalog_drafts") }
            try await Events.append(sql, type: .catalogDraftCreated, subject: "catalog_draft/\(number)", actor: user.actor, at: clock.stamp,
                                    payload: DraftCreated(title: title, base: base.code, edition: code, inForce: input.inForce.description))
            return draft
        }
    }

    func catalogDraft(_ sql: any SQLDatabase, _ code: String, user: User?) async throws -> CatalogDraft {
        guard let d = try await CatalogDraftStore.draft(sql, code: code),
              d.state == .consultation || d.state == .published || d.state == .inForce || (user.map { $0.isNationalRegistrar } ?? false) else {
            throw AppError.notFound("draft \(code)")
        }
        return d
    }

    /// Replaces the draft's changes; each is checked against the base edition, and all of them together.
    func setDraftActions(_ code: String, _ actions: [DraftAction], by user: User) async throws -> CatalogDraft {
        try user.requireNationalRegistrar()
        guard actions.count <= 200 else { throw AppError(.draft.tooMany) }
        let actions = actions.map { a in
            DraftAction(kind: a.kind, subjectNo: a.subjectNo.trimmingCharacters(in: .whitespaces), target: a.target.trimmingCharacters(in: .whitespaces),
                        nameZh: clipped(a.nameZh, max: 100), nameEn: clipped(a.nameEn, max: 200), note: clipped(a.note, max: 1000))
        }
        return try await db.write { sql in
            var d = try await catalogDraft(sql, code, user: user)
            guard d.state == .drafting else { throw AppError(.draft.notDraftingFixed) }
            let base = try await CatalogStore.edition(sql, code: d.baseEdition).orThrow("edition \(d.baseEdition)")
            _ = try DraftImpact.compute(base: base, code: d.editionCode, inForce: d.inForce, actions: actions, licenses: [], quota: { _ in 0 })
            d.actions = try StoredJSON.json(actions)
            d.updatedAt = clock.stamp
            guard try await CatalogDraftStore.save(sql, d, expecting: .drafting) else { throw Self.draftMoved }
            try await Events.append(sql, type: .catalogDraftChanged, subject: "catalog_draft/\(code)", actor: user.actor, at: clock.stamp,
                                    payload: DraftChanged(actions: (try? JSONValue.parse(Array(d.actions.utf8))) ?? .array([])))
            return d
        }
    }

    static let draftMoved = AppError(.draft.concurrentChange)

    func openConsultation(_ code: String, consultees: [CatalogDraft.Consultee], until: CivilDate, by user: User) async throws -> CatalogDraft {
        try user.requireNationalRegistrar()
        let consultees = consultees.map { CatalogDraft.Consultee(name: clipped($0.name, max: 200), kind: $0.kind) }.filter { !$0.name.isEmpty }
        guard !consultees.isEmpty, Set(consultees.map(\.name)).count == consultees.count else {
            throw AppError(.draft.consultees)
        }
        guard until > clock.today else { throw AppError(.draft.commentsUntilAfterToday) }
        return try await db.write { sql in
            var d = try await catalogDraft(sql, code, user: user)
            guard d.state == .drafting else { throw AppError(.draft.notDraftingAlreadyOut) }
            guard !d.actionList.isEmpty else { throw AppError(.draft.empty) }
            guard d.inForce > until else { throw AppError(.draft.commentsUntilBeforeInForce) }
            d.state = .consultation
            d.consultees = try StoredJSON.json(consultees)
            d.commentsUntil = until
            d.updatedAt = clock.stamp
            guard try await CatalogDraftStore.save(sql, d, expecting: .drafting) else { throw Self.draftMoved }
            try await Events.append(sql, type: .catalogDraftConsultationOpened, subject: "catalog_draft/\(code)", actor: user.actor, at: clock.stamp,
                                    payload: ConsultationOpened(consultees: (try? JSONValue.parse(Array(d.consultees.utf8))) ?? .array([]), until: until.description))
            return d
        }
    }

    func recordDraftComment(_ code: String, organisation: String, body: String, receivedOn: CivilDate?, by user: User) async throws -> DraftComment {
        try user.requireNationalRegistrar()
        let body = clipped(body, max: 20_000), day = receivedOn ?? clock.today
        guard !body.isEmpty else { throw AppError(.draft.comment) }
        return try await db.write { sql in
            let d = try await catalogDraft(sql, code, user: user)
            guard d.state == .consultation, try await CatalogDraftStore.lock(sql, draftID: d.id, state: .consultation, at: clock.stamp) else {
                throw AppError(.draft.notConsultingNotOut)
            }
            guard d.consulteeList.contains(where: { $0.name == organisation }) else {
                throw AppError(.draft.notConsulted, ["organisation": "\(organisation.prefix(60))"])
            }
            guard day <= clock.today, let until = d.commentsUntil, day <= until else {
                throw AppError(.draft.commentLate)
            }
            let c = try await CatalogDraftStore.addComment(sql, draftID: d.id, organisation: organisation, body: body, receivedOn: day, by: user.actor)
            try await Events.append(sql, type: .catalogDraftCommentReceived, subject: "catalog_draft/\(code)", actor: user.actor, at: clock.stamp,
                                    payload: CommentEvent(comment: "\(c.id)", organisation: organisation))
            return c
        }
    }

    func answerDraftComment(_ code: String, commentID: Int, answer: String, by user: User) async throws {
        try user.requireNationalRegistrar()
        let answer = clipped(answer, max: 20_000)
        guard !answer.isEmpty else { throw AppError(.draft.answer) }
        try await db.write { sql in
            let d = try await catalogDraft(sql, code, user: user)
            guard d.state == .consultation else { throw AppError(.draft.notConsultingNotOut) }
            guard try await CatalogDraftStore.answer(sql, commentID: commentID, draftID: d.id, answer: answer, by: user.actor, at: clock.stamp) else {
                throw AppError(.draft.answered)
            }
            try await Events.append(sql, type: .catalogDraftCommentAnswered, subject: "catalog_draft/\(code)", actor: user.actor, at: clock.stamp,
                                    payload: CommentEvent(comment: "\(commentID)"))
        }
    }

    /// Abandons a draft that is being written or out for comment; it stays on record with its history.
    func withdrawDraft(_ code: String, reason: String, by user: User) async throws -> CatalogDraft {
        try user.requireNationalRegistrar()
        let reason = clipped(reason, max: 2000)
        guard !reason.isEmpty else { throw AppError(.draft.reason) }
        return try await db.write { sql in
            var d = try await catalogDraft(sql, code, user: user)
            let was = d.state
            guard was == .drafting || was == .consultation else {
                throw AppError(.draft.final)
            }
            d.state = .withdrawn
            d.updatedAt = clock.stamp
            guard try await CatalogDraftStore.save(sql, d, expecting: was) else { throw Self.draftMoved }
            try await Events.append(sql, type: .catalogDraftWithdrawn, subject: "catalog_draft/\(code)", actor: user.actor, at: clock.stamp,
                                    payload: ReasonGiven(reason: reason))
            return d
        }
    }

    /// Publishes the draft as an edition: stored, its changes kept as reform actions, and an entry in the public log.
    func publishDraft(_ code: String, instrument: String, by user: User) async throws -> CatalogEdition {
        try user.requireNationalRegistrar()
        let instrument = clipped(instrument, max: 200)
        guard !instrument.isEmpty else { throw AppError(.draft.instrument) }
        return try await db.write { sql in
            var d = try await catalogDraft(sql, code, user: user)
            guard d.state == .consultation, try await CatalogDraftStore.lock(sql, draftID: d.id, state: .consultation, at: clock.stamp) else {
                throw AppError(.draft.notConsultingPublish)
            }
            guard let until = d.commentsUntil, clock.today > until else {
                throw AppError(.draft.commentsOpen)
            }
            let open = try await CatalogDraftStore.comments(sql, draftID: d.id).filter { $0.answer == nil }
            guard open.isEmpty else {
                throw AppError(.draft.unanswered, ["open_count": "\(open.count)"])
            }
            let base = try await CatalogStore.edition(sql, code: d.baseEdition).orThrow("edition \(d.baseEdition)")
            let inForce = d.inForce
            guard inForce > clock.today else { throw AppError(.draft.inForcePassed) }
            var edition = try DraftImpact.compute(base: base, code: d.editionCode, inForce: inForce, actions: d.actionList, licenses: [], quota: { _ in 0 }).edition
            edition.instrument = instrument
            guard try await CatalogStore.edition(sql, code: edition.code) == nil else {
                throw AppError(.draft.editionExists, ["code": "\(edition.code)"])
            }
            try await CatalogStore.replace(sql, edition: edition, actor: user.actor, at: clock.stamp)
            let names = [base].catalogNames()
            for a in d.actionList {
                try await CatalogStore.addReformAction(sql, ReformAction(edition: edition.code, kind: ReformAction.Kind(rawValue: a.kind.rawValue)!, effective: inForce,
                                                                         instrument: instrument, subjectNo: a.subjectNo, subjectZh: a.kind == .add ? a.nameZh : names[a.subjectNo]?.zh ?? "",
                                                                         target: a.target, note: a.note), actor: user.actor, at: clock.stamp)
            }
            let entry: JSONValue = ["type": .string(EventType.catalogEditionPublished.rawValue), "at": .string(clock.stamp), "edition": .string(edition.code),
                                    "instrument": .string(instrument), "in_force": .string(inForce.description), "categories": .int(Int64(edition.categories.count)),
                                    "units": .int(Int64(edition.unitCount)), "draft": .string(code),
                                    "csv_sha256": .string(sha256Hex(Data(CatalogCSV.export(edition).utf8)))]
            let index = try await TransparencyStore.append(sql, kind: EventType.catalogEditionPublished.rawValue, subject: "catalog/\(edition.code)", entry: entry.canonical, at: clock.stamp)
            d.state = .published
            d.publishedAt = clock.stamp
            d.updatedAt = clock.stamp
            guard try await CatalogDraftStore.save(sql, d, expecting: .consultation) else { throw Self.draftMoved }
            try await Events.append(sql, type: .catalogDraftPublished, subject: "catalog_draft/\(code)", actor: user.actor, at: clock.stamp,
                                    payload: DraftPublished(edition: edition.code, logIndex: index))
            return edition
        }
    }

    /// On a published edition's in-force day (run by the sweep): a license whose every unit left licensing ends; one
    /// that keeps other units loses those that left, in a new version, where units of merged categories also take
    /// their new category; makers of cancelled products join the stratum of de-licensed makers, checked more often
    /// from that day. Each draft runs once, in its own transaction.
    func applyCatalogReforms() async throws -> [String] {
        var applied: [String] = []
        for draft in try await db.read({ try await CatalogDraftStore.due($0, on: clock.today) }) {
            let done = try await db.write { sql -> Bool in
                // Read again inside the transaction: another server may have applied it meanwhile.
                guard var d = try await CatalogDraftStore.draft(sql, code: draft.code), d.state == .published else { return false }
                let actions = d.actionList
                let base = try await CatalogStore.edition(sql, code: d.baseEdition).orThrow("edition \(d.baseEdition)")
                let names = [base].catalogNames()
                var leaving: [String: (kind: DraftAction.Kind, category: String)] = [:]
                for a in actions where a.kind == .cancel || a.kind == .moveToCCC {
                    for u in try a.units(in: base) {
                        leaving[u.unitNo] = (a.kind, names[u.unitNo]?.categoryNo ?? "")
                    }
                }
                // Units of a merged category keep their license and move to the category they were merged into.
                var moved: [String: String] = [:]
                for a in actions where a.kind == .merge {
                    for u in try a.units(in: base) { moved[u.unitNo] = a.target }
                }
                var (ended, narrowed, merged, delicensed) = (0, 0, 0, Set<String>())
                for license in try await LicenseStore.licensesInForce(sql, holdingAny: Array(Set(leaving.keys).union(moved.keys))) {
                    var l = license
                    let gone = l.units.filter { leaving[$0.unitNo] != nil }
                    let kept = Set(l.units.filter { leaving[$0.unitNo] == nil }.map(\.categoryNo))
                    // A maker still licensed for something in the category is not a de-licensed maker of it.
                    for category in Set(gone.compactMap { u in leaving[u.unitNo].flatMap { $0.kind == .cancel ? $0.category : nil } }).subtracting(kept).sorted() {
                        try await TargetStore.addDelicensed(sql, uscc: l.uscc, category: category, since: d.inForce,
                                                                 note: "\(d.editionCode) \(d.code)", by: "system", at: clock.stamp)
                        delicensed.insert(l.uscc)
                    }
                    let type: EventType
                    if !gone.isEmpty && gone.count == l.units.count {
                        l.storedStatus = .cancelled
                        type = .licenseCancelled
                        ended += 1
                    } else {
                        if gone.isEmpty { merged += 1 } else { narrowed += 1 }
                        l.units.removeAll { leaving[$0.unitNo] != nil }
                        for i in l.units.indices { if let category = moved[l.units[i].unitNo] { l.units[i].categoryNo = category } }
                        l.issuedOn = clock.today
                        type = .licenseChanged
                    }
                    let saved = try await LicenseStore.updateLicense(sql, l, reason: "catalog_reform", applicationID: nil, at: clock.stamp)
                    try await licensing.publishLicense(sql, saved, type: type, actor: nil, notify: true)
                }
                d.state = .inForce
                d.updatedAt = clock.stamp
                guard try await CatalogDraftStore.save(sql, d, expecting: .published) else { throw Self.draftMoved }
                try await Events.append(sql, type: .catalogDraftInForce, subject: "catalog_draft/\(d.code)", actor: "system", at: clock.stamp,
                                        payload: DraftInForce(edition: d.editionCode, ended: ended, narrowed: narrowed, merged: merged, delicensed: delicensed.count))
                return true
            }
            if done { applied.append(draft.code) }
        }
        return applied
    }

    struct DraftDetail: Encodable, Sendable {
        var draft: CatalogDraft
        var actions: [DraftAction]
        var consultees: [CatalogDraft.Consultee]
        var comments: [DraftComment]
        var impact: DraftImpact
        var history: [Event]
        /// The edition the draft starts from, for the page's names and totals; not part of the API answer.
        var base: CatalogEdition

        enum CodingKeys: String, CodingKey { case draft, actions, consultees, comments, impact, history }
    }

    func draftDetail(_ code: String, user: User?) async throws -> DraftDetail {
        try await db.read { sql in
            var d = try await catalogDraft(sql, code, user: user)
            let base = try await CatalogStore.edition(sql, code: d.baseEdition).orThrow("edition \(d.baseEdition)")
            let impact = try DraftImpact.compute(base: base, code: d.editionCode, inForce: d.inForce, actions: d.actionList,
                                                 licenses: try await CatalogDraftStore.liveLicenses(sql),
                                                 quota: { SpotCheckPlan.defaultQuota(targets: $0, kind: .delicensed, risk: nil) })
            var comments = try await CatalogDraftStore.comments(sql, draftID: d.id)
            var history = try await Events.list(sql, subject: "catalog_draft/\(code)", limit: 500)
            // The public sees what happened and when; who did it and the drafts before consultation stay inside.
            if user.map({ !$0.isNationalRegistrar }) ?? true {
                d.createdBy = ""
                history = history.map { e in
                    var e = e
                    (e.actor, e.payload) = ("", "{}")
                    return e
                }
                comments = comments.map { c in
                    var c = c
                    (c.recordedBy, c.answeredBy) = ("", c.answeredBy.map { _ in "" })
                    return c
                }
            }
            return DraftDetail(draft: d, actions: d.actionList, consultees: d.consulteeList, comments: comments, impact: impact, history: history, base: base)
        }
    }
}
