import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage

/// Review institutions (docs/DOMAIN.md §2): registered by provincial or national authorities, their verifiers named as
/// members, a yearly report from the body and a yearly inspection by the authority, performance figures counted
/// from the verifications their members did, and suspension or a life ban after violations.
extension InstitutionsService {
    struct ReviewBodyInput: Decodable, Sendable {
        var name: String
        var uscc: String
        var divisionCode: String
        /// When the body was registered, if before today (registrations kept on paper until now).
        var registeredOn: CivilDate?
    }

    func registerReviewBody(_ input: ReviewBodyInput, by user: User) async throws -> ReviewBody {
        try user.requireRegistrar()
        let name = clipped(input.name, max: 200)
        guard !name.isEmpty else {
            throw AppError(.reviewBody.name)
        }
        let uscc = try USCC(input.uscc).value
        guard division(input.divisionCode) != nil else {
            throw AppError(.division.unknown, ["division_code": "\(input.divisionCode.prefix(12))"])
        }
        try checkRegistrar(user, for: input.divisionCode)
        let since = input.registeredOn ?? clock.today
        guard since <= clock.today else {
            throw AppError(.reviewBody.future)
        }
        return try await db.write { sql in
            guard let body = try await ReviewBodyStore.insert(sql, name: name, uscc: uscc, divisionCode: input.divisionCode, on: since,
                                                              by: user.actor, at: clock.stamp) else {
                // The code is unique and a barred body keeps its row, so a banned body cannot register again.
                throw AppError(.reviewBody.taken, ["uscc": "\(uscc)"])
            }
            try await Events.append(sql, type: .reviewBodyRegistered, subject: "review_body/\(body.code ?? "")", actor: user.actor,
                                    jurisdiction: body.divisionCode, at: clock.stamp, payload: body)
            return body
        }
    }

    func reviewBody(_ code: String) async throws -> ReviewBody {
        guard let body = try await db.read({ try await ReviewBodyStore.body($0, code: code) }) else { throw AppError.notFound("review body \(code)") }
        return body
    }

    struct ReviewStatusInput: Decodable, Sendable {
        var status: ReviewBody.Status
        var reason: String
    }

    /// Suspends a body or lifts a suspension. Barring is a life ban (`ban`), which cannot be lifted.
    func changeReviewBodyStatus(_ code: String, _ input: ReviewStatusInput, by user: User) async throws -> ReviewBody {
        let body = try await reviewBody(code)
        try checkRegistrar(user, for: body.divisionCode)
        let reason = clipped(input.reason, max: 2000)
        guard input.status != .barred else {
            throw AppError(.reviewBody.barByBan)
        }
        guard !reason.isEmpty else {
            throw AppError(.reviewBody.reason)
        }
        guard body.status != .barred else {
            throw AppError(.reviewBody.barred)
        }
        guard body.status != input.status else {
            throw AppError(.reviewBody.sameStatus)
        }
        return try await db.write { sql in
            guard try await ReviewBodyStore.setStatus(sql, bodyID: body.id, from: body.status, to: input.status, since: clock.today,
                                                      reason: reason, by: user.actor, at: clock.stamp) else {
                throw AppError(.reviewBody.concurrentChange)
            }
            try await Events.append(sql, type: input.status == .registered ? .reviewBodyReinstated : .reviewBodySuspended, subject: "review_body/\(code)", actor: user.actor,
                                    jurisdiction: body.divisionCode, at: clock.stamp, payload: ReasonGiven(reason: reason))
            return try await ReviewBodyStore.body(sql, id: body.id).orThrow("review body \(code)")
        }
    }

    /// Names a verifier as one of the body's; a verifier belongs to one body.
    func addReviewMember(_ code: String, userID: Int, by user: User) async throws {
        let body = try await reviewBody(code)
        try checkRegistrar(user, for: body.divisionCode)
        try await db.write { sql in
            guard let member = try await UserStore.get(sql, id: userID), member.role == .verifier else {
                throw AppError(.reviewBody.memberRoleNotVerifier)
            }
            guard try await ReviewBodyStore.addMember(sql, userID: userID, bodyID: body.id) else {
                throw AppError(.reviewBody.memberElsewhere)
            }
            try await Events.append(sql, type: .reviewBodyMemberAdded, subject: "review_body/\(code)", actor: user.actor,
                                    jurisdiction: body.divisionCode, at: clock.stamp, payload: MemberAdded(user: userID))
        }
    }

    struct ReviewReportInput: Decodable, Sendable {
        var year: Int
        var report: String
    }

    /// The body's own report for a finished year, filed by one of its members.
    func fileReviewReport(_ input: ReviewReportInput, by user: User) async throws -> ReviewBodyYear {
        guard user.role == .verifier, let body = try await db.read({ try await ReviewBodyStore.bodyOf($0, member: user.id) }) else {
            throw AppError(.reviewBody.membersOnly)
        }
        guard (2015..<clock.today.year).contains(input.year) else {
            throw AppError(.reviewBody.yearUnfinished)
        }
        let report = clipped(input.report, max: 20_000)
        guard report.count >= 20 else {
            throw AppError(.reviewBody.reportShort)
        }
        return try await db.write { sql in
            guard try await ReviewBodyStore.fileReport(sql, bodyID: body.id, year: input.year, report: report, on: clock.today, by: user.actor) else {
                throw AppError(.reviewBody.reportExists, ["year": "\(input.year)"])
            }
            let year = try await ReviewBodyStore.year(sql, bodyID: body.id, year: input.year).orThrow("review year")
            try await Events.append(sql, type: year.reportLate ? .reviewBodyReportFiledLate : .reviewBodyReportFiled,
                                    subject: "review_body/\(body.code ?? "")", actor: user.actor, jurisdiction: body.divisionCode, at: clock.stamp,
                                    payload: ReviewReportFiled(year: input.year))
            return year
        }
    }

    struct ReviewInspectionInput: Decodable, Sendable {
        var year: Int
        var result: ReviewBodyYear.Result
        var findings: String
    }

    /// The authority's yearly inspection of a body. A failed one suspends the body.
    func inspectReviewBody(_ code: String, _ input: ReviewInspectionInput, by user: User) async throws -> ReviewBodyYear {
        let body = try await reviewBody(code)
        try checkRegistrar(user, for: body.divisionCode)
        guard (2015...clock.today.year).contains(input.year) else {
            throw AppError(.reviewBody.yearInvalid)
        }
        let findings = clipped(input.findings, max: 20_000)
        guard !findings.isEmpty || input.result == .pass else {
            throw AppError(.reviewBody.findings)
        }
        return try await db.write { sql in
            guard try await ReviewBodyStore.recordInspection(sql, bodyID: body.id, year: input.year, result: input.result, findings: findings,
                                                             on: clock.today, by: user.actor) else {
                throw AppError(.reviewBody.inspected, ["year": "\(input.year)"])
            }
            try await Events.append(sql, type: .reviewBodyInspected, subject: "review_body/\(code)", actor: user.actor, jurisdiction: body.divisionCode,
                                    at: clock.stamp, payload: ReviewInspected(year: "\(input.year)", result: input.result.rawValue))
            let reason = "\(input.year)年度检查不合格"
            // Guarded by the status it had, so a body suspended or barred meanwhile is not suspended again.
            if input.result == .fail, try await ReviewBodyStore.setStatus(sql, bodyID: body.id, from: .registered, to: .suspended, since: clock.today,
                                                                           reason: reason, by: user.actor, at: clock.stamp) {
                try await Events.append(sql, type: .reviewBodySuspended, subject: "review_body/\(code)", actor: user.actor,
                                        jurisdiction: body.divisionCode, at: clock.stamp, payload: ReasonGiven(reason: reason))
            }
            return try await ReviewBodyStore.year(sql, bodyID: body.id, year: input.year).orThrow("review year")
        }
    }

    /// A body with its status history, its years and its performance in one year, for its public page and the API.
    func reviewBodyDetail(_ code: String, year: Int) async throws -> ReviewBodyDetail {
        let body = try await reviewBody(code)
        let (history, years) = try await db.read { sql in
            (try await ReviewBodyStore.history(sql, bodyID: body.id), try await ReviewBodyStore.years(sql, bodyID: body.id))
        }
        return ReviewBodyDetail(body: body, history: history, years: years.map(PublicReviewYear.init), performance: try await reviewPerformance(body, year: year))
    }

    struct ReviewPerformance: Encodable, Sendable {
        var year: Int
        var casesReviewed: Int
        /// Working days from assignment to conclusion, on the shipped calendar.
        var medianWorkingDays: Int?
        var maxWorkingDays: Int?
        /// Passed by the body, then failed an inspection within a year.
        var overturned: Int
        var overturnedNumbers: [Int]
    }

    func reviewPerformance(_ body: ReviewBody, year: Int) async throws -> ReviewPerformance {
        let (cases, calendar) = try await db.read { sql in
            (try await ReviewBodyStore.reviewedCases(sql, bodyID: body.id, year: year), try await ReferenceStore.calendar(sql))
        }
        let days = cases.compactMap { c -> Int? in
            let (from, to) = (c.assignedOn, c.concludedOn)
            return calendar.workingDays(from: from, to: to).workingDays
        }.sorted()
        let overturned = cases.filter(\.overturned).map(\.verificationId)
        return ReviewPerformance(year: year, casesReviewed: cases.count, medianWorkingDays: days.isEmpty ? nil : days[(days.count - 1) / 2],
                                 maxWorkingDays: days.last, overturned: overturned.count, overturnedNumbers: overturned)
    }

    /// Reminds bodies that owe last year's report: once in March, once after 31 March. Part of the sweep.
    func remindReviewReports(_ sql: any SQLDatabase) async throws -> [String] {
        let today = clock.today
        let year = today.year - 1
        let due = ReviewBodyYear.reportDue(year)
        guard let stage = Reminders.stage(today: today, due: due, from: CivilDate(year: due.year, month: 3, day: 1)!) else { return [] }
        var reminded: [String] = []
        for body in try await ReviewBodyStore.owingReport(sql, year: year, stage: stage) {
            guard try await DutiesStore.recordReminder(sql, uscc: body.uscc, duty: "review_report", period: String(year), stage: stage, at: clock.stamp) else { continue }
            let code = body.code ?? ""
            let event = try await Events.append(sql, type: stage == "overdue" ? .reviewBodyReportOverdue : .reviewBodyReportDueSoon, subject: "review_body/\(code)", actor: "system",
                                                jurisdiction: body.divisionCode, at: clock.stamp,
                                                payload: ReviewReportReminder(year: "\(year)", dueOn: due))
            try await Notifications.deliver(sql, eventID: event, users: try await ReviewBodyStore.members(sql, bodyID: body.id),
                                            officersOfProvince: String(body.divisionCode.prefix(2)) + "0000",
                                            notice: notifier.notice("\(code) \(year)", "review_body.report_\(stage)"), except: nil, at: clock.stamp)
            reminded.append(code)
        }
        return reminded
    }
}
