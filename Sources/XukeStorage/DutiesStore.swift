import Foundation
public import SQLKit
public import XukeDomain

/// An enterprise's public self-declaration: the product standards it applies, or its quality commitment.
/// A new version never replaces an old one; the public sees the latest and the history.
public struct Declaration: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case standards, commitment
    }
    public var id: Int
    public var uscc: String
    public var kind: Kind
    public var version: Int
    /// Standards: a JSON array of `{product, standard, title}`; commitment: the text.
    public var body: String
    public var publishedAt: String
    public var publishedBy: String
}

/// A quality-safety accident report. Late when it arrived after `dueAt`, the occurrence plus the reporting window.
public struct AccidentReport: Sendable, Codable, Equatable {
    public var id: Int
    public var number: String
    public var uscc: String
    public var authority: String
    public var product: String
    public var occurredAt: String
    public var reportedAt: String
    public var dueAt: String
    public var description: String
    public var injuries: Int
    public var deaths: Int
    public var measures: String
    public var reportedBy: String

    public var late: Bool { (Timestamp.date(reportedAt) ?? .distantPast) > (Timestamp.date(dueAt) ?? .distantFuture) }

    public init(id: Int, number: String, uscc: String, authority: String, product: String, occurredAt: String, reportedAt: String, dueAt: String, description: String, injuries: Int, deaths: Int, measures: String, reportedBy: String) {
        self.id = id
        self.number = number
        self.uscc = uscc
        self.authority = authority
        self.product = product
        self.occurredAt = occurredAt
        self.reportedAt = reportedAt
        self.dueAt = dueAt
        self.description = description
        self.injuries = injuries
        self.deaths = deaths
        self.measures = measures
        self.reportedBy = reportedBy
    }
}

/// A recall of defective products, reported within 2 working days of the decision to recall, then followed to its end.
public struct Recall: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case open, closed }
    public var id: Int
    public var number: String
    public var uscc: String
    public var authority: String
    public var product: String
    public var batches: String
    public var defect: String
    public var quantity: Int
    public var decidedOn: CivilDate
    public var reportedOn: CivilDate
    public var dueOn: CivilDate
    public var state: State
    public var recovered: Int
    public var summary: String
    public var reportedBy: String
    public var closedAt: String?

    public var late: Bool { reportedOn > dueOn }

    public init(id: Int, number: String, uscc: String, authority: String, product: String, batches: String, defect: String, quantity: Int, decidedOn: CivilDate, reportedOn: CivilDate, dueOn: CivilDate, state: State, recovered: Int, summary: String, reportedBy: String, closedAt: String?) {
        self.id = id
        self.number = number
        self.uscc = uscc
        self.authority = authority
        self.product = product
        self.batches = batches
        self.defect = defect
        self.quantity = quantity
        self.decidedOn = decidedOn
        self.reportedOn = reportedOn
        self.dueOn = dueOn
        self.state = state
        self.recovered = recovered
        self.summary = summary
        self.reportedBy = reportedBy
        self.closedAt = closedAt
    }
}

public struct RecallUpdate: Sendable, Codable, Equatable {
    public var position: Int
    public var at: String
    public var recovered: Int
    public var note: String
    public var addedBy: String
}

/// The yearly self-inspection report.
public struct SelfReport: Sendable, Codable, Equatable {
    public var uscc: String
    public var year: Int
    public var authority: String
    public var dueOn: CivilDate
    public var submittedAt: String
    /// JSON object of the report's figures and statements.
    public var body: String
    public var submittedBy: String

    public var late: Bool { Timestamp.chinaDay(submittedAt) > dueOn.description }

    public init(uscc: String, year: Int, authority: String, dueOn: CivilDate, submittedAt: String, body: String, submittedBy: String) {
        self.uscc = uscc
        self.year = year
        self.authority = authority
        self.dueOn = dueOn
        self.submittedAt = submittedAt
        self.body = body
        self.submittedBy = submittedBy
    }
}

/// A problem lead for the authority: from the public, a failed check, or an accident.
public struct Lead: Sendable, Codable, Equatable {
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// 投诉: a buyer or user complains about a product.
        case complaint
        /// 举报: a report of unlawful production, possibly anonymous.
        case whistleblower
        /// A spot check or follow-up check that failed.
        case failedCheck = "failed_check"
        case accident
    }
    public enum State: String, Sendable, Codable, CaseIterable {
        case new, inspecting, closed
    }
    public var id: Int
    public var number: String
    public var source: Source
    public var authority: String
    public var uscc: String?
    /// The enterprise as the reporter names it.
    public var subject: String
    public var product: String
    public var description: String
    /// How to reach the reporter; empty when anonymous. Never shown outside the authority.
    public var contact: String
    /// `inspection/<number>` or `accident/<number>` for leads the platform raised itself.
    public var cause: String?
    public var state: State
    public var inspectionId: Int?
    /// The answer the reporter reads with the tracking code.
    public var reply: String
    public var createdAt: String
    public var closedAt: String?
    public var closedBy: String?

    public init(id: Int, number: String, source: Source, authority: String, uscc: String?, subject: String, product: String, description: String, contact: String, cause: String?, state: State, inspectionId: Int?, reply: String, createdAt: String, closedAt: String?, closedBy: String?) {
        self.id = id
        self.number = number
        self.source = source
        self.authority = authority
        self.uscc = uscc
        self.subject = subject
        self.product = product
        self.description = description
        self.contact = contact
        self.cause = cause
        self.state = state
        self.inspectionId = inspectionId
        self.reply = reply
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.closedBy = closedBy
    }
}

public enum DutiesStore {
    // MARK: Declarations

    /// Nil when another version was published at the same moment and took the number.
    public static func publishDeclaration(_ sql: any SQLDatabase, uscc: String, kind: Declaration.Kind, body: String, by: String, at: String) async throws -> Declaration? {
        try await sql.row("""
            INSERT INTO declarations (uscc, kind, version, body, published_at, published_by)
            VALUES (\(bind: uscc), \(bind: kind.rawValue),
                    (SELECT COALESCE(MAX(version), 0) + 1 FROM declarations WHERE uscc = \(bind: uscc) AND kind = \(bind: kind.rawValue)),
                    \(bind: body), \(bind: at), \(bind: by))
            ON CONFLICT DO NOTHING
            RETURNING *
            """, as: Declaration.self)
    }

    /// Every version, newest first.
    public static func declarations(_ sql: any SQLDatabase, uscc: String) async throws -> [Declaration] {
        try await sql.rows("SELECT * FROM declarations WHERE uscc = \(bind: uscc) ORDER BY kind, version DESC", as: Declaration.self)
    }

    // MARK: Accidents

    public static func insertAccident(_ sql: any SQLDatabase, _ a: AccidentReport) async throws -> AccidentReport {
        try await sql.row("""
            INSERT INTO accident_reports (number, uscc, authority, product, occurred_at, reported_at, due_at, description, injuries, deaths, measures, reported_by)
            VALUES (\(bind: a.number), \(bind: a.uscc), \(bind: a.authority), \(bind: a.product), \(bind: a.occurredAt), \(bind: a.reportedAt),
                    \(bind: a.dueAt), \(bind: a.description), \(bind: a.injuries), \(bind: a.deaths), \(bind: a.measures), \(bind: a.reportedBy))
            RETURNING *
            """, as: AccidentReport.self).orThrow("accident_reports")
    }

    public static func accidents(_ sql: any SQLDatabase, authorityPrefix: String? = nil, uscc: String? = nil, limit: Int = 200,
                                 before: Int? = nil) async throws -> [AccidentReport] {
        try await sql.rows("SELECT * FROM accident_reports WHERE " + scope(authorityPrefix, uscc, before) + " ORDER BY id DESC LIMIT \(bind: limit)", as: AccidentReport.self)
    }

    /// Rows of authorities under a prefix or of one enterprise; `before` an id, for the next page of a newest-first list.
    static func scope(_ authorityPrefix: String?, _ uscc: String?, _ before: Int? = nil) -> SQLQueryString {
        var q: SQLQueryString = "1 = 1"
        if let before { q = q + " AND id < \(bind: before)" }
        if let authorityPrefix { q = q + " AND " + divisionPrefix("authority", authorityPrefix) }
        if let uscc { q = q + " AND uscc = \(bind: uscc)" }
        return q
    }

    // MARK: Recalls

    public static func insertRecall(_ sql: any SQLDatabase, _ r: Recall) async throws -> Recall {
        try await sql.row("""
            INSERT INTO recalls (number, uscc, authority, product, batches, defect, quantity, decided_on, reported_on, due_on, state, recovered, summary, reported_by)
            VALUES (\(bind: r.number), \(bind: r.uscc), \(bind: r.authority), \(bind: r.product), \(bind: r.batches), \(bind: r.defect), \(bind: r.quantity),
                    \(bind: r.decidedOn.description), \(bind: r.reportedOn.description), \(bind: r.dueOn.description), 'open', 0, '', \(bind: r.reportedBy))
            RETURNING *
            """, as: Recall.self).orThrow("recalls")
    }

    public static func recall(_ sql: any SQLDatabase, number: String) async throws -> Recall? {
        try await sql.row("SELECT * FROM recalls WHERE number = \(bind: number)", as: Recall.self)
    }

    public static func recalls(_ sql: any SQLDatabase, authorityPrefix: String? = nil, uscc: String? = nil, limit: Int = 200,
                               before: Int? = nil) async throws -> [Recall] {
        try await sql.rows("SELECT * FROM recalls WHERE " + scope(authorityPrefix, uscc, before) + " ORDER BY id DESC LIMIT \(bind: limit)", as: Recall.self)
    }

    public static func recallUpdates(_ sql: any SQLDatabase, recallID: Int) async throws -> [RecallUpdate] {
        try await sql.rows("SELECT * FROM recall_updates WHERE recall_id = \(bind: recallID) ORDER BY position", as: RecallUpdate.self)
    }

    /// Moves an open recall's running total up (never down) and appends the update; closing records the summary.
    /// The guarded update locks the row, so concurrent updates take their turns. False when the recall was
    /// closed, or its total passed `recovered`, in the meantime.
    public static func addRecallUpdate(_ sql: any SQLDatabase, recallID: Int, recovered: Int, note: String, close: Bool, by: String, at: String) async throws -> Bool {
        let moved = try await sql.raw("""
            UPDATE recalls SET recovered = \(bind: recovered), state = \(bind: close ? "closed" : "open"),
                summary = \(bind: close ? note : ""), closed_at = \(bind: close ? at : nil)
            WHERE id = \(bind: recallID) AND state = 'open' AND recovered <= \(bind: recovered) AND quantity >= \(bind: recovered)
            RETURNING id
            """).first()
        guard moved != nil else { return false }
        try await sql.raw("""
            INSERT INTO recall_updates (recall_id, position, at, recovered, note, added_by)
            VALUES (\(bind: recallID), (SELECT COALESCE(MAX(position), 0) + 1 FROM recall_updates WHERE recall_id = \(bind: recallID)),
                    \(bind: at), \(bind: recovered), \(bind: note), \(bind: by))
            """).run()
        return true
    }

    // MARK: Yearly self-inspection reports

    /// False when a report for that enterprise and year is already on file.
    public static func insertSelfReport(_ sql: any SQLDatabase, _ r: SelfReport) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO self_reports (uscc, year, authority, due_on, submitted_at, body, submitted_by)
            VALUES (\(bind: r.uscc), \(bind: r.year), \(bind: r.authority), \(bind: r.dueOn.description), \(bind: r.submittedAt), \(bind: r.body), \(bind: r.submittedBy))
            ON CONFLICT DO NOTHING
            RETURNING uscc
            """).first() != nil
    }

    /// True when the enterprise held a license in force on 31 December of the year.
    public static func heldLicense(_ sql: any SQLDatabase, uscc: String, atEndOf year: Int) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM enterprises e WHERE e.uscc = \(bind: uscc) AND " + heldAtYearEnd(year)).first() != nil
    }

    public static func selfReports(_ sql: any SQLDatabase, uscc: String) async throws -> [SelfReport] {
        try await sql.rows("SELECT * FROM self_reports WHERE uscc = \(bind: uscc) ORDER BY year DESC", as: SelfReport.self)
    }

    /// A licensed enterprise that owes a report for a year: it held a license in force at the end of that year.
    public struct Owing: Sendable, Codable, Equatable {
        public var uscc: String
        public var name: String
        public var divisionCode: String
        /// When its report arrived, if it did.
        public var submittedAt: String?
    }

    /// Enterprises in divisions under a prefix whose license was in force on 31 December of `year`, with their report if any.
    /// The order puts the ones still missing first.
    /// Who owes a year's report: the ones still missing first, then by USCC. `after` is the last row of the page
    /// before: whether it had filed, and its USCC.
    public static func owing(_ sql: any SQLDatabase, year: Int, divisionPrefix prefix: String, limit: Int = 1000,
                             after: (filed: Bool, uscc: String)? = nil) async throws -> [Owing] {
        let filed: SQLQueryString = "(CASE WHEN r.submitted_at IS NULL THEN 0 ELSE 1 END)"
        var q: SQLQueryString = """
            SELECT e.uscc, e.name, e.division_code, r.submitted_at FROM enterprises e
            LEFT JOIN self_reports r ON r.uscc = e.uscc AND r.year = \(bind: year)
            """ + " WHERE " + divisionPrefix("e.division_code", prefix) + " AND " + heldAtYearEnd(year)
        if let after {
            let f = after.filed ? 1 : 0
            q = q + " AND (" + filed + " > \(bind: f) OR (" + filed + " = \(bind: f) AND e.uscc > \(bind: after.uscc)))"
        }
        return try await sql.rows(q + " ORDER BY " + filed + ", e.uscc LIMIT \(bind: limit)", as: Owing.self)
    }

    public struct OwingCounts: Sendable, Decodable {
        public var total: Int
        public var missing: Int?
    }

    /// How many enterprises under the prefix owe a report for `year`, and how many have not sent it: the whole
    /// count, however long the list a page shows.
    public static func owingCounts(_ sql: any SQLDatabase, year: Int, divisionPrefix prefix: String) async throws -> (total: Int, missing: Int) {
        let c = try await sql.row("""
            SELECT COUNT(*) AS total, SUM(CASE WHEN r.submitted_at IS NULL THEN 1 ELSE 0 END) AS missing FROM enterprises e
            LEFT JOIN self_reports r ON r.uscc = e.uscc AND r.year = \(bind: year)
            """ + " WHERE " + divisionPrefix("e.division_code", prefix) + " AND " + heldAtYearEnd(year), as: OwingCounts.self)
        return (c?.total ?? 0, c?.missing ?? 0)
    }

    /// Enterprises owing a report for `year` that have neither sent it nor been reminded at `stage`.
    public static func unreminded(_ sql: any SQLDatabase, year: Int, stage: String) async throws -> [Owing] {
        try await sql.rows("SELECT e.uscc, e.name, e.division_code, NULL AS submitted_at FROM enterprises e WHERE " + heldAtYearEnd(year) + """
             AND NOT EXISTS (SELECT 1 FROM self_reports r WHERE r.uscc = e.uscc AND r.year = \(bind: year))
             AND NOT EXISTS (SELECT 1 FROM duty_reminders d WHERE d.uscc = e.uscc AND d.duty = 'self_report'
                             AND d.period = \(bind: String(year)) AND d.stage = \(bind: stage))
            ORDER BY e.uscc
            """, as: Owing.self)
    }

    /// The enterprise held a license in force on 31 December of the year (it may have expired since).
    static func heldAtYearEnd(_ year: Int) -> SQLQueryString {
        let end = "\(year)-12-31"
        return """
            EXISTS (SELECT 1 FROM licenses l WHERE l.uscc = e.uscc AND l.first_issued_on <= \(bind: end) AND l.valid_until >= \(bind: end)
                    AND l.status IN ('valid', 'suspended', 'expired'))
            """
    }

    /// False when an overlapping sweep already recorded (and sends) this reminder.
    public static func recordReminder(_ sql: any SQLDatabase, uscc: String, duty: String, period: String, stage: String, at: String) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO duty_reminders (uscc, duty, period, stage, sent_at) VALUES (\(bind: uscc), \(bind: duty), \(bind: period), \(bind: stage), \(bind: at))
            ON CONFLICT DO NOTHING
            RETURNING uscc
            """).first() != nil
    }

    // MARK: Leads

    public static func insertLead(_ sql: any SQLDatabase, _ l: Lead, trackingHash: String?) async throws -> Lead {
        try await sql.row("""
            INSERT INTO leads (number, tracking_hash, source, authority, uscc, subject, product, description, contact, cause, state, reply, created_at)
            VALUES (\(bind: l.number), \(bind: trackingHash), \(bind: l.source.rawValue), \(bind: l.authority), \(bind: l.uscc), \(bind: l.subject),
                    \(bind: l.product), \(bind: l.description), \(bind: l.contact), \(bind: l.cause), 'new', '', \(bind: l.createdAt))
            RETURNING *
            """, as: Lead.self).orThrow("leads")
    }

    public static func lead(_ sql: any SQLDatabase, number: String) async throws -> Lead? {
        try await sql.row("SELECT * FROM leads WHERE number = \(bind: number)", as: Lead.self)
    }

    public static func lead(_ sql: any SQLDatabase, trackingHash: String) async throws -> Lead? {
        try await sql.row("SELECT * FROM leads WHERE tracking_hash = \(bind: trackingHash)", as: Lead.self)
    }

    public static func leads(_ sql: any SQLDatabase, authorityPrefix: String, state: Lead.State?, limit: Int = 200, before: Int? = nil) async throws -> [Lead] {
        var q: SQLQueryString = "SELECT * FROM leads WHERE " + divisionPrefix("authority", authorityPrefix)
        if let state { q = q + " AND state = \(bind: state.rawValue)" }
        if let before { q = q + " AND id < \(bind: before)" }
        return try await sql.rows(q + " ORDER BY id DESC LIMIT \(bind: limit)", as: Lead.self)
    }

    /// Saves a lead that was in state `expecting`; false when a concurrent request moved it first.
    public static func saveLead(_ sql: any SQLDatabase, _ l: Lead, expecting: Lead.State) async throws -> Bool {
        try await sql.raw("""
            UPDATE leads SET uscc = \(bind: l.uscc), authority = \(bind: l.authority), state = \(bind: l.state.rawValue), inspection_id = \(bind: l.inspectionId),
                reply = \(bind: l.reply), closed_at = \(bind: l.closedAt), closed_by = \(bind: l.closedBy)
            WHERE id = \(bind: l.id) AND state = \(bind: expecting.rawValue)
            RETURNING id
            """).first() != nil
    }

    public static func leadWorking(_ sql: any SQLDatabase, inspectionID: Int) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM leads WHERE inspection_id = \(bind: inspectionID)").first() != nil
    }
}
