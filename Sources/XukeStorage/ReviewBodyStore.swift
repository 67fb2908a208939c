public import SQLKit
public import XukeDomain
import Foundation

/// A review institution (docs/DOMAIN.md §2): the body whose verifiers do the technical review of license applications,
/// inspected and reporting every year, suspended or barred after violations.
public struct ReviewBody: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case registered
        case suspended
        /// Barred for life: final.
        case barred
    }

    public var id: Int
    public var code: String?
    public var name: String
    public var uscc: String
    public var divisionCode: String
    public var status: Status
    public var statusSince: CivilDate
    public var statusReason: String
    public var createdBy: String
    public var createdAt: String
}

public struct ReviewBodyChange: Sendable, Codable, Equatable {
    public var status: ReviewBody.Status
    public var since: CivilDate
    public var reason: String
    public var createdBy: String
    public var createdAt: String
}

/// One year of a body: its own report, and the authority's yearly inspection.
public struct ReviewBodyYear: Sendable, Codable, Equatable {
    public enum Result: String, Sendable, Codable, CaseIterable {
        case pass
        /// Pass once the findings are put right.
        case rectify
        /// Fails the inspection: the body is suspended.
        case fail
    }

    public var bodyId: Int
    public var year: Int
    public var report: String?
    public var reportFiledOn: CivilDate?
    public var reportBy: String?
    public var inspectionResult: Result?
    public var inspectionFindings: String?
    public var inspectedOn: CivilDate?
    public var inspectedBy: String?

    public init(bodyId: Int, year: Int) {
        self.bodyId = bodyId
        self.year = year
    }

    /// The report for a year is due on 31 March of the next.
    public static func reportDue(_ year: Int) -> CivilDate { CivilDate(year: year + 1, month: 3, day: 31)! }

    public var reportLate: Bool { reportFiledOn.map { $0 > Self.reportDue(year) } ?? false }
}

/// Site verifications done by a body's verifiers, as its performance figures are counted from them.
public struct ReviewedCase: Sendable, Codable, Equatable {
    public var verificationId: Int
    public var assignedOn: CivilDate
    public var concludedOn: CivilDate
    public var outcome: String
    /// The enterprise failed an inspection within a year after the body passed it.
    public var overturned: Bool
}

public enum ReviewBodyStore {
    public static func insert(_ sql: any SQLDatabase, name: String, uscc: String, divisionCode: String, on day: CivilDate,
                              by: String, at: String) async throws -> ReviewBody? {
        guard let row = try await sql.raw("""
            INSERT INTO review_bodies (name, uscc, division_code, status, status_since, status_reason, created_by, created_at)
            VALUES (\(bind: name), \(bind: uscc), \(bind: divisionCode), 'registered', \(bind: day.description), '', \(bind: by), \(bind: at))
            ON CONFLICT (uscc) DO NOTHING RETURNING id
            """).first() else { return nil }
        let id = try row.decode(column: "id", as: Int.self)
        let code = String(format: "RB-%06d", id)
        try await sql.raw("UPDATE review_bodies SET code = \(bind: code) WHERE id = \(bind: id)").run()
        try await addHistory(sql, bodyID: id, status: .registered, since: day, reason: "", by: by, at: at)
        return try await body(sql, id: id)
    }

    public static func body(_ sql: any SQLDatabase, id: Int) async throws -> ReviewBody? {
        try await sql.row("SELECT * FROM review_bodies WHERE id = \(bind: id)", as: ReviewBody.self)
    }

    public static func body(_ sql: any SQLDatabase, code: String) async throws -> ReviewBody? {
        try await sql.row("SELECT * FROM review_bodies WHERE code = \(bind: code)", as: ReviewBody.self)
    }

    public static func all(_ sql: any SQLDatabase) async throws -> [ReviewBody] {
        try await sql.rows("SELECT * FROM review_bodies ORDER BY id", as: ReviewBody.self)
    }

    /// Moves a body to a new status, guarded by the one it had, so two officers acting at once cannot both succeed.
    public static func setStatus(_ sql: any SQLDatabase, bodyID: Int, from: ReviewBody.Status, to: ReviewBody.Status, since: CivilDate,
                                 reason: String, by: String, at: String) async throws -> Bool {
        guard try await sql.raw("""
            UPDATE review_bodies SET status = \(bind: to.rawValue), status_since = \(bind: since.description), status_reason = \(bind: reason)
            WHERE id = \(bind: bodyID) AND status = \(bind: from.rawValue) RETURNING id
            """).first() != nil else { return false }
        try await addHistory(sql, bodyID: bodyID, status: to, since: since, reason: reason, by: by, at: at)
        return true
    }

    static func addHistory(_ sql: any SQLDatabase, bodyID: Int, status: ReviewBody.Status, since: CivilDate, reason: String, by: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO review_body_history (body_id, status, since, reason, created_by, created_at)
            VALUES (\(bind: bodyID), \(bind: status.rawValue), \(bind: since.description), \(bind: reason), \(bind: by), \(bind: at))
            """).run()
    }

    public static func history(_ sql: any SQLDatabase, bodyID: Int) async throws -> [ReviewBodyChange] {
        try await sql.rows("SELECT status, since, reason, created_by, created_at FROM review_body_history WHERE body_id = \(bind: bodyID) ORDER BY id",
                           as: ReviewBodyChange.self)
    }

    public static func addMember(_ sql: any SQLDatabase, userID: Int, bodyID: Int) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO review_body_members (user_id, body_id) VALUES (\(bind: userID), \(bind: bodyID))
            ON CONFLICT (user_id) DO NOTHING RETURNING user_id
            """).first() != nil
    }

    public static func members(_ sql: any SQLDatabase, bodyID: Int) async throws -> [Int] {
        try await sql.raw("SELECT user_id FROM review_body_members WHERE body_id = \(bind: bodyID) ORDER BY user_id").all()
            .map { try $0.decode(column: "user_id", as: Int.self) }
    }

    public static func bodyOf(_ sql: any SQLDatabase, member userID: Int) async throws -> ReviewBody? {
        try await sql.row("SELECT b.* FROM review_bodies b JOIN review_body_members m ON m.body_id = b.id WHERE m.user_id = \(bind: userID)",
                          as: ReviewBody.self)
    }

    /// A verifier among `userIDs` whose body is not in good standing, with that body.
    public static func memberNotInGoodStanding(_ sql: any SQLDatabase, _ userIDs: [Int]) async throws -> (user: Int, body: ReviewBody)? {
        guard !userIDs.isEmpty else { return nil }
        guard let r = try await sql.raw("""
            SELECT m.user_id AS member_id, b.* FROM review_body_members m JOIN review_bodies b ON b.id = m.body_id
            WHERE b.status <> 'registered' AND m.user_id IN (\(integerList(userIDs))) ORDER BY m.user_id LIMIT 1
            """).first() else { return nil }
        return (try r.decode(column: "member_id", as: Int.self), try r.decode(model: ReviewBody.self, with: RowCoding.decoder))
    }

    public static func year(_ sql: any SQLDatabase, bodyID: Int, year: Int) async throws -> ReviewBodyYear? {
        try await sql.row("SELECT * FROM review_body_years WHERE body_id = \(bind: bodyID) AND year = \(bind: year)", as: ReviewBodyYear.self)
    }

    public static func years(_ sql: any SQLDatabase, bodyID: Int) async throws -> [ReviewBodyYear] {
        try await sql.rows("SELECT * FROM review_body_years WHERE body_id = \(bind: bodyID) ORDER BY year DESC", as: ReviewBodyYear.self)
    }

    /// Files a year's report once; false when one was filed already.
    public static func fileReport(_ sql: any SQLDatabase, bodyID: Int, year: Int, report: String, on day: CivilDate, by: String) async throws -> Bool {
        try await sql.raw("INSERT INTO review_body_years (body_id, year) VALUES (\(bind: bodyID), \(bind: year)) ON CONFLICT DO NOTHING").run()
        return try await sql.raw("""
            UPDATE review_body_years SET report = \(bind: report), report_filed_on = \(bind: day.description), report_by = \(bind: by)
            WHERE body_id = \(bind: bodyID) AND year = \(bind: year) AND report IS NULL RETURNING year
            """).first() != nil
    }

    /// Records a year's inspection once; false when one was recorded already.
    public static func recordInspection(_ sql: any SQLDatabase, bodyID: Int, year: Int, result: ReviewBodyYear.Result, findings: String,
                                        on day: CivilDate, by: String) async throws -> Bool {
        try await sql.raw("INSERT INTO review_body_years (body_id, year) VALUES (\(bind: bodyID), \(bind: year)) ON CONFLICT DO NOTHING").run()
        return try await sql.raw("""
            UPDATE review_body_years SET inspection_result = \(bind: result.rawValue), inspection_findings = \(bind: findings),
                   inspected_on = \(bind: day.description), inspected_by = \(bind: by)
            WHERE body_id = \(bind: bodyID) AND year = \(bind: year) AND inspection_result IS NULL RETURNING year
            """).first() != nil
    }

    /// Bodies in good standing that owe the report for `year` and have not had the reminder of `stage`.
    public static func owingReport(_ sql: any SQLDatabase, year: Int, stage: String) async throws -> [ReviewBody] {
        try await sql.rows("""
            SELECT b.* FROM review_bodies b
            WHERE b.status = 'registered' AND b.status_since <= \(bind: "\(year)-12-31")
              AND NOT EXISTS (SELECT 1 FROM review_body_years y WHERE y.body_id = b.id AND y.year = \(bind: year) AND y.report IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM duty_reminders d WHERE d.uscc = b.uscc AND d.duty = 'review_report'
                              AND d.period = \(bind: String(year)) AND d.stage = \(bind: stage))
            ORDER BY b.id
            """, as: ReviewBody.self)
    }

    /// The site verifications concluded in `year` with at least one of the body's members on the team.
    public static func reviewedCases(_ sql: any SQLDatabase, bodyID: Int, year: Int) async throws -> [ReviewedCase] {
        try await sql.rows("""
            SELECT v.id AS verification_id, v.assigned_on, v.concluded_on, v.outcome,
                   CASE WHEN v.outcome = 'pass' AND EXISTS (
                       SELECT 1 FROM inspections i
                       WHERE i.uscc = COALESCE(a.uscc, l.uscc) AND i.outcome = 'fail'
                         AND i.concluded_on > v.concluded_on AND i.concluded_on <= \(bind: "\(year + 1)") || substr(v.concluded_on, 5)
                   ) THEN true ELSE false END AS overturned
            FROM verifications v
            LEFT JOIN applications a ON a.id = v.application_id
            LEFT JOIN licenses l ON l.id = v.license_id
            WHERE v.concluded_on >= \(bind: "\(year)-01-01") AND v.concluded_on <= \(bind: "\(year)-12-31") AND v.outcome IS NOT NULL
              AND EXISTS (SELECT 1 FROM verification_members m JOIN review_body_members r ON r.user_id = m.user_id
                          WHERE m.verification_id = v.id AND r.body_id = \(bind: bodyID))
            ORDER BY v.id
            """, as: ReviewedCase.self)
    }
}
