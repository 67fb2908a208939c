import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// What a licensed enterprise owes the public and its authority (docs/DOMAIN.md §9): the standards it applies and its
/// quality commitment, published; accidents reported within a window (24 hours by default); recalls reported within
/// 2 working days and followed to their end; a yearly self-inspection report, due by 30 June of the next year.
/// Each is filed under the enterprise's county, so officers of that county and every level above see it.
extension DutiesService {
    /// Working days an enterprise has to report a recall (consumer product recall rules, 2020).
    static let recallReportDays = 2

    /// The enterprise a user acts for.
    func dutyHolder(_ sql: any SQLDatabase, _ user: User) async throws -> Enterprise {
        guard user.role == .enterprise, let uscc = user.enterpriseUSCC,
              let e = try await EnterpriseStore.get(sql, uscc: uscc, visibility: .everything) else {
            throw AppError(.duty.enterpriseOnly)
        }
        return e
    }

    /// Sends a duty's event to the enterprise's users and the officers over its county.
    func announceDuty(_ sql: any SQLDatabase, type: EventType, subject: String, number: String, uscc: String, division: String,
                      officers: Bool, actor: User?, payload: some EventPayload) async throws {
        let at = clock.stamp
        let eventID = try await Events.append(sql, type: type, subject: subject, actor: actor?.actor ?? "system",
                                              jurisdiction: division, at: at, payload: payload)
        try await Notifications.deliver(sql, eventID: eventID, uscc: uscc, officersOver: officers ? division : nil,
                                        notice: notifier.notice(number, type.rawValue), except: actor?.id, at: at)
    }

    // MARK: Declarations

    struct StandardLine: Codable, Sendable, Equatable {
        var product: String
        var standard: String
        var title: String
    }

    struct DeclarationInput: Decodable, Sendable {
        var kind: Declaration.Kind
        var standards: [StandardLine]?
        var text: String?
    }

    func publishDeclaration(_ input: DeclarationInput, by user: User) async throws -> Declaration {
        let body: String
        switch input.kind {
        case .standards:
            let given = input.standards ?? []
            guard (1...200).contains(given.count) else {
                throw AppError(.declaration.standardsEmpty)
            }
            var lines: [StandardLine] = []
            for (n, l) in given.enumerated() {
                let product = clipped(l.product, max: 200), title = clipped(l.title, max: 200)
                guard !product.isEmpty, !title.isEmpty, let code = StandardNumber.normalized(clipped(l.standard, max: 60)) else {
                    throw AppError(.declaration.standard, ["line": "\(n + 1)"])
                }
                lines.append(StandardLine(product: product, standard: code, title: title))
            }
            body = try StoredJSON.json(lines)
        case .commitment:
            body = clipped(input.text, max: 8000)
            guard body.count >= 20 else {
                throw AppError(.declaration.commitmentShort)
            }
        }
        return try await db.write { sql in
            let e = try await dutyHolder(sql, user)
            guard let d = try await DutiesStore.publishDeclaration(sql, uscc: e.uscc.value, kind: input.kind, body: body, by: user.actor, at: clock.stamp) else {
                throw Self.concurrent
            }
            try await Events.append(sql, type: .declarationPublished, subject: "declaration/\(e.uscc.value)/\(d.kind.rawValue)/\(d.version)",
                                    actor: user.actor, jurisdiction: e.divisionCode, at: clock.stamp, payload: d)
            return d
        }
    }

    static let concurrent = AppError(.duty.concurrent)

    /// A version as the public sees it: not who pressed the button.
    /// One published version, in the shape it was filed: a standards list, or a commitment's text.
    struct PublicDeclaration: Encodable, Sendable {
        var kind: Declaration.Kind
        var version: Int
        var standards: [StandardLine]?
        var text: String?
        var publishedAt: String
    }

    /// The latest standards and commitment of an enterprise, each with its version count, for its public page.
    struct PublicDeclarations: Encodable, Sendable {
        var standards: [StandardLine]
        var standardsVersion: Int?
        var standardsPublishedAt: String?
        var commitment: String?
        var commitmentVersion: Int?
        var commitmentPublishedAt: String?
        var history: [PublicDeclaration]
    }

    func publicDeclarations(_ sql: any SQLDatabase, uscc: String) async throws -> PublicDeclarations {
        let all = try await DutiesStore.declarations(sql, uscc: uscc)
        let standards = all.first { $0.kind == .standards }
        let commitment = all.first { $0.kind == .commitment }
        return PublicDeclarations(
            standards: try standards.map { try StoredJSON.decode([StandardLine].self, $0.body, "declarations.body") } ?? [],
            standardsVersion: standards?.version, standardsPublishedAt: standards?.publishedAt,
            commitment: commitment?.body, commitmentVersion: commitment?.version, commitmentPublishedAt: commitment?.publishedAt,
            history: try all.map { d in
                PublicDeclaration(kind: d.kind, version: d.version,
                                  standards: d.kind == .standards ? try StoredJSON.decode([StandardLine].self, d.body, "declarations.body") : nil,
                                  text: d.kind == .commitment ? d.body : nil, publishedAt: d.publishedAt)
            })
    }

    // MARK: Accidents

    struct AccidentInput: Decodable, Sendable {
        var product: String
        /// `2026-11-20T14:30` (China time) or a full ISO 8601 time.
        var occurredAt: String
        var description: String
        var injuries: Int?
        var deaths: Int?
        var measures: String
    }

    /// Reads a moment as a person types it: without a zone it is China time.
    static func moment(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let d = Timestamp.date(t) { return d }
        let local = t.count == 16 ? t + ":00" : t
        return try? Date(local + "+08:00", strategy: .iso8601)
    }

    func reportAccident(_ input: AccidentInput, by user: User) async throws -> AccidentReport {
        let now = clock.now()
        guard let occurred = Self.moment(input.occurredAt), occurred <= now.addingTimeInterval(300), occurred > now.addingTimeInterval(-366 * 86_400) else {
            throw AppError(.accident.occurredAt)
        }
        let product = clipped(input.product, max: 200), description = clipped(input.description, max: 8000), measures = clipped(input.measures, max: 4000)
        guard !product.isEmpty, description.count >= 10, !measures.isEmpty else {
            throw AppError(.accident.details)
        }
        let injuries = input.injuries ?? 0, deaths = input.deaths ?? 0
        guard (0...100_000).contains(injuries), (0...100_000).contains(deaths) else {
            throw AppError(.accident.casualties)
        }
        return try await db.write { sql in
            let e = try await dutyHolder(sql, user)
            let year = clock.today.year
            let number = String(format: "SG%04d-%06d", year, try await SettingsStore.nextSerial(sql, "accident:\(year)"))
            let report = try await DutiesStore.insertAccident(sql, AccidentReport(
                id: 0, number: number, uscc: e.uscc.value, authority: e.divisionCode, product: product, occurredAt: Timestamp.string(occurred),
                reportedAt: Timestamp.string(now), dueAt: Timestamp.string(occurred.addingTimeInterval(Double(config.accidentReportHours) * 3600)),
                description: description, injuries: injuries, deaths: deaths, measures: measures, reportedBy: user.actor))
            try await announceDuty(sql, type: report.late ? .accidentReportedLate : .accidentReported, subject: "accident/\(number)",
                                   number: number, uscc: e.uscc.value, division: e.divisionCode, officers: true, actor: user, payload: report)
            // An accident is a problem lead: the authority decides whether to inspect.
            _ = try await supervision.raiseLead(sql, source: .accident, enterprise: e, product: product, description: description, cause: "accident/\(number)")
            return report
        }
    }

    // MARK: Recalls

    struct RecallInput: Decodable, Sendable {
        var product: String
        var batches: String
        var defect: String
        var quantity: Int
        /// The day the enterprise decided to recall; the 2-working-day clock runs from it.
        var decidedOn: String
    }

    func reportRecall(_ input: RecallInput, by user: User) async throws -> Recall {
        let today = clock.today
        guard let decided = CivilDate(input.decidedOn), decided <= today, decided > today.adding(months: -12) else {
            throw AppError(.recall.decidedOn)
        }
        let product = clipped(input.product, max: 200), batches = clipped(input.batches, max: 2000), defect = clipped(input.defect, max: 8000)
        guard !product.isEmpty, !batches.isEmpty, defect.count >= 10, (1...1_000_000_000).contains(input.quantity) else {
            throw AppError(.recall.details)
        }
        return try await db.write { sql in
            let e = try await dutyHolder(sql, user)
            let due = try await ReferenceStore.calendar(sql).adding(workingDays: Self.recallReportDays, to: decided).date
            let number = String(format: "ZH%04d-%06d", today.year, try await SettingsStore.nextSerial(sql, "recall:\(today.year)"))
            let recall = try await DutiesStore.insertRecall(sql, Recall(
                id: 0, number: number, uscc: e.uscc.value, authority: e.divisionCode, product: product, batches: batches, defect: defect,
                quantity: input.quantity, decidedOn: decided, reportedOn: today, dueOn: due, state: .open,
                recovered: 0, summary: "", reportedBy: user.actor, closedAt: nil))
            try await announceDuty(sql, type: recall.late ? .recallReportedLate : .recallReported, subject: "recall/\(number)",
                                   number: number, uscc: e.uscc.value, division: e.divisionCode, officers: true, actor: user, payload: recall)
            return recall
        }
    }

    struct RecallProgressInput: Decodable, Sendable {
        /// Units recovered so far, in total.
        var recovered: Int
        var note: String
        var close: Bool?
    }

    func updateRecall(number: String, _ input: RecallProgressInput, by user: User) async throws -> Recall {
        let note = clipped(input.note, max: 4000)
        guard !note.isEmpty else {
            throw AppError(.recall.note)
        }
        return try await db.write { sql in
            let e = try await dutyHolder(sql, user)
            guard let r = try await DutiesStore.recall(sql, number: number), r.uscc == e.uscc.value else { throw AppError.notFound("recall \(number)") }
            guard r.state == .open else { throw AppError(.recall.closed) }
            guard (r.recovered...r.quantity).contains(input.recovered) else {
                throw AppError(.recall.recovered, ["recovered": "\(r.recovered)", "quantity": "\(r.quantity)"])
            }
            guard try await DutiesStore.addRecallUpdate(sql, recallID: r.id, recovered: input.recovered, note: note, close: input.close == true,
                                                        by: user.actor, at: clock.stamp) else { throw Self.concurrent }
            let updated = try await DutiesStore.recall(sql, number: number).orThrow("recall \(number)")
            try await announceDuty(sql, type: updated.state == .closed ? .recallClosed : .recallProgressReported, subject: "recall/\(number)",
                                   number: number, uscc: e.uscc.value, division: e.divisionCode, officers: true, actor: user, payload: updated)
            return updated
        }
    }

    // MARK: Yearly self-inspection report

    struct SelfReportInput: Codable, Sendable {
        var year: Int
        /// Units produced and sold in the year, and the value of sales in 10,000 yuan.
        var produced: Int
        var sold: Int
        var salesValue: Double
        /// Own inspections of products in the year, and how many failed.
        var selfChecks: Int
        var selfCheckFailures: Int
        /// Changes to production conditions, key equipment, processes or sites, or "none".
        var changes: String
        /// Quality problems found and what was done.
        var problems: String
    }

    /// The report for a year is due by 30 June of the next year, with the annual enterprise report.
    static func selfReportDue(_ year: Int) -> CivilDate { CivilDate(year: year + 1, month: 6, day: 30)! }

    func submitSelfReport(_ input: SelfReportInput, by user: User) async throws -> SelfReport {
        let today = clock.today
        guard (2015..<today.year).contains(input.year) else {
            throw AppError(.selfReport.year)
        }
        let units = 0...1_000_000_000_000
        guard units.contains(input.produced), units.contains(input.sold), input.salesValue >= 0, input.salesValue < 1e12,
              (0...10_000_000).contains(input.selfChecks), (0...max(input.selfChecks, 0)).contains(input.selfCheckFailures) else {
            throw AppError(.selfReport.figures)
        }
        let changes = clipped(input.changes, max: 4000), problems = clipped(input.problems, max: 4000)
        guard !changes.isEmpty, !problems.isEmpty else {
            throw AppError(.selfReport.statements)
        }
        var clean = input
        clean.changes = changes
        clean.problems = problems
        let body = try StoredJSON.json(clean)
        return try await db.write { sql in
            let e = try await dutyHolder(sql, user)
            guard try await DutiesStore.heldLicense(sql, uscc: e.uscc.value, atEndOf: input.year) else {
                throw AppError(.selfReport.notLicensed, ["year": "\(input.year)"])
            }
            let report = SelfReport(uscc: e.uscc.value, year: input.year, authority: e.divisionCode, dueOn: Self.selfReportDue(input.year),
                                    submittedAt: clock.stamp, body: body, submittedBy: user.actor)
            guard try await DutiesStore.insertSelfReport(sql, report) else {
                throw AppError(.selfReport.exists, ["year": "\(input.year)"])
            }
            try await Events.append(sql, type: report.late ? .selfReportFiledLate : .selfReportFiled, subject: "self_report/\(e.uscc.value)/\(input.year)",
                                    actor: user.actor, jurisdiction: e.divisionCode, at: clock.stamp, payload: report)
            return report
        }
    }

    /// Reminds each enterprise that owes last year's report: once in June, once when it is overdue.
    /// Part of the sweep; sending a reminder is recorded, so a second run sends nothing.
    func remindSelfReports(_ sql: any SQLDatabase) async throws -> [String] {
        let today = clock.today
        let year = today.year - 1
        let due = Self.selfReportDue(year)
        guard let stage = Reminders.stage(today: today, due: due, from: CivilDate(year: due.year, month: 6, day: 1)!) else { return [] }
        var reminded: [String] = []
        for owing in try await DutiesStore.unreminded(sql, year: year, stage: stage) {
            guard try await DutiesStore.recordReminder(sql, uscc: owing.uscc, duty: "self_report", period: String(year), stage: stage, at: clock.stamp) else { continue }
            try await announceDuty(sql, type: stage == "overdue" ? .selfReportOverdue : .selfReportDueSoon, subject: "self_report/\(owing.uscc)/\(year)", number: "\(year)",
                                   uscc: owing.uscc, division: owing.divisionCode, officers: false, actor: nil,
                                   payload: SelfReportReminder(year: year, dueOn: due))
            reminded.append(owing.uscc)
        }
        return reminded
    }
}
