import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import SQLKit

/// What people read about cases and licenses, shared by the API and the pages.
extension LicensingService {
    struct ClockView: Codable, Sendable, Equatable {
        var step: CaseClock.Step
        var deadline: CivilDate
        /// Working days left (negative: overdue by that many).
        var daysLeft: Int
        var stopped: Bool
        /// True when the calendar does not cover the dates and weekends alone were used.
        var estimated: Bool
    }

    struct CaseView: Encodable, Sendable {
        var application: CaseRecord
        var stateName: LocalizedText
        var materials: [MaterialRecord]
        var correction: CorrectionView?
        var clockStops: [ClockStopRecord]
        var verifications: [VerificationRecord]
        var clock: ClockView?
        var events: [Event]
    }

    struct CorrectionView: Encodable, Sendable {
        var items: [String]
        var issuedOn: CivilDate
        var answeredOn: CivilDate?
    }

    func clockView(_ c: CaseRecord, received: CivilDate, stops: [ClockStop], rules: LicensingRules, calendar: WorkCalendar) -> ClockView? {
        guard let step = CaseClock.step(c.state),
              let clock = CaseClock.clock(state: c.state, receivedOn: received, acceptedOn: c.acceptedOn, decidedOn: c.decidedOn,
                                          stops: stops, rules: rules) else { return nil }
        let left = clock.daysLeft(today: self.clock.today, calendar: calendar)
        return ClockView(step: step, deadline: left.deadline.date, daysLeft: left.days, stopped: clock.isStopped(today: self.clock.today),
                         estimated: left.deadline.estimated)
    }

    func caseView(id: Int, user: User) async throws -> CaseView {
        try await db.read { sql in
            guard let c = try await CaseStore.visible(sql, id: id, scope: caseScope(user)) else { throw AppError.notFound("application \(id)") }
            let rules = try await SettingsStore.rules(sql)
            let calendar = try await ReferenceStore.calendar(sql)
            let notice = try await CaseStore.correctionNotice(sql, applicationID: c.id)
            let stops = try await CaseStore.clockStops(sql, applicationID: c.id)
            return CaseView(application: c, stateName: CaseMachine.stateName(c.state),
                            materials: try await CaseStore.materials(sql, applicationID: c.id),
                            correction: notice.map { CorrectionView(items: $0.items, issuedOn: $0.issuedOn, answeredOn: $0.answeredOn) },
                            clockStops: stops, verifications: try await VerificationStore.verifications(sql, applicationID: c.id),
                            clock: clockView(c, received: notice?.answeredOn ?? c.submittedOn, stops: stops.map(\.stop), rules: rules, calendar: calendar),
                            events: try await Events.list(sql, subject: "application/\(c.id)", limit: 500))
        }
    }

    /// Work lists: everything open in scope, or only what is overdue or nearly due.
    enum Urgency: String, Sendable { case all, overdue, nearlyDue = "nearly_due" }

    func workList(user: User, urgency: Urgency, state: CaseState?, limit: Int, after: (dueOn: CivilDate?, id: Int)?,
                  narrowed: CaseStore.CaseFilter = .init()) async throws -> [CaseRecord] {
        try await db.read { sql in
            try await workList(sql, user: user, urgency: urgency, state: state, limit: limit, after: after,
                               soon: urgency == .nearlyDue ? try await nearlyDueBy(sql) : clock.today, narrowed: narrowed)
        }
    }

    /// A work-list cursor as `next` gives it: the case's due day (or `-`) and its id.
    static func workListCursor(_ text: String) -> (dueOn: CivilDate?, id: Int)? {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 10, let id = Int(parts[1]), id >= 0 else { return nil }
        if parts[0] == "-" { return (nil, id) }
        guard let due = CivilDate(String(parts[0])) else { return nil }
        return (due, id)
    }

    /// `soon` is `nearlyDueBy`, worked out once by a caller that also needs it for the counts.
    func workList(_ sql: any SQLDatabase, user: User, urgency: Urgency, state: CaseState?, limit: Int, offset: Int = 0,
                  after: (dueOn: CivilDate?, id: Int)? = nil, soon: CivilDate, narrowed: CaseStore.CaseFilter = .init()) async throws -> [CaseRecord] {
        var f = narrowed
        f.state = state
        f.limit = limit
        f.offset = offset
        f.after = after
        switch urgency {
        case .all: break
        case .overdue: f.dueBy = [f.dueBy, clock.today.adding(days: -1)].compactMap { $0 }.min()
        case .nearlyDue: f.dueBy = [f.dueBy, soon].compactMap { $0 }.min()
        }
        return try await CaseStore.cases(sql, scope: caseScope(user), filter: f)
    }

    /// The last due date that still counts as nearly due today.
    func nearlyDueBy(_ sql: any SQLDatabase) async throws -> CivilDate {
        let rules = try await SettingsStore.rules(sql)
        return try await ReferenceStore.calendar(sql).adding(workingDays: rules.nearlyDueDays, to: clock.today).date
    }

    /// Open, overdue and nearly-due cases the user may see.
    func caseCounts(_ sql: any SQLDatabase, user: User, soon: CivilDate? = nil) async throws -> (open: Int, overdue: Int, nearlyDue: Int) {
        let soon = if let soon { soon } else { try await nearlyDueBy(sql) }
        return try await LicensingReports.caseCounts(sql, scope: caseScope(user), today: clock.today, soon: soon)
    }

    // MARK: Licenses

    /// Licenses a user may read: the holder's own, those of the officer's authority, all for administrators.
    func visibleLicense(_ sql: any SQLDatabase, id: Int, user: User) async throws -> LicenseRecord {
        guard let l = try await LicenseStore.license(sql, id: id) else { throw AppError.notFound("license \(id)") }
        guard user.visibility.admits(division: l.authority, uscc: l.uscc) else { throw AppError.notFound("license \(id)") }
        return l
    }

    /// A case document, for parties to the case only: the applicant, the authority's officers, the assigned verifiers.
    func material(caseID: Int, position: Int, user: User) async throws -> (MaterialRecord, Data) {
        guard user.role != .administrator else { throw AppError.notFound("document") }
        let m = try await db.read { sql -> MaterialRecord in
            guard try await CaseStore.visible(sql, id: caseID, scope: caseScope(user)) != nil else { throw AppError.notFound("application \(caseID)") }
            guard let m = try await CaseStore.materials(sql, applicationID: caseID).first(where: { $0.position == position }) else {
                throw AppError.notFound("document \(position)")
            }
            return m
        }
        return (m, try await uploads.read(m.sha256))
    }

    // MARK: Public progress

    /// What anyone may know about an application from its number: no names, no documents.
    struct Progress: Codable, Sendable {
        var number: String
        var kind: ApplicationKind
        var route: Route
        var state: CaseState
        var stateName: LocalizedText
        var authority: String
        var authorityName: String
        var submittedOn: CivilDate
        var acceptedOn: CivilDate?
        var decidedOn: CivilDate?
        var issuedOn: CivilDate?
        var deemed: [String]
        var clockStopped: Bool
    }

    func progress(number: String) async throws -> Progress {
        let n = number.trimmingCharacters(in: .whitespaces).uppercased()
        let found = n.count > 20 ? nil : try await db.read { sql -> (CaseRecord, [ClockStopRecord])? in
            guard let c = try await CaseStore.getCase(sql, number: n) else { return nil }
            return (c, try await CaseStore.clockStops(sql, applicationID: c.id))
        }
        guard let (c, stops) = found else {
            throw AppError(.progress.notFound, ["number": "\(number.prefix(20))"])
        }
        return Progress(number: c.number, kind: c.kind, route: c.route, state: c.state, stateName: CaseMachine.stateName(c.state),
                        authority: c.authority, authorityName: authorityName(c.authority), submittedOn: c.submittedOn, acceptedOn: c.acceptedOn,
                        decidedOn: c.decidedOn, issuedOn: c.issuedOn, deemed: c.deemed, clockStopped: stops.contains { $0.until == nil })
    }

    // MARK: Statistics

    struct Figures: Codable, Sendable, Equatable {
        var key: String
        var cases: Int
        var median: Double
        var mean: Double
        var p90: Double

        init(key: String, days: [Int]) {
            let sorted = days.sorted()
            self.key = key
            cases = sorted.count
            mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count)
            median = Self.quantile(sorted, 0.5)
            p90 = Self.quantile(sorted, 0.9)
        }

        /// Linear interpolation between closest ranks.
        static func quantile(_ sorted: [Int], _ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let pos = q * Double(sorted.count - 1)
            let lo = Int(pos.rounded(.down)), hi = Int(pos.rounded(.up))
            return Double(sorted[lo]) + (pos - Double(lo)) * Double(sorted[hi] - sorted[lo])
        }
    }

    struct Statistics: Codable, Sendable {
        var since: CivilDate
        var all: Figures
        var byAuthority: [Figures]
        var byCategory: [Figures]
        var byRoute: [Figures]
        var open: Int
        var overdue: Int
        var nearlyDue: Int
    }

    func statistics(user: User, since: CivilDate) async throws -> Statistics {
        guard user.role == .officer || user.role == .administrator else {
            throw AppError.roleForbidden
        }
        return try await db.read { sql in
            let rows = try await LicensingReports.issuedCases(sql, scope: caseScope(user), since: since)
            let counts = try await caseCounts(sql, user: user)
            func group(_ key: (LicensingReports.IssuedCase) -> String) -> [Figures] {
                Dictionary(grouping: rows, by: key).map { Figures(key: $0.key, days: $0.value.map(\.elapsedDays)) }.sorted { $0.key < $1.key }
            }
            return Statistics(since: since, all: Figures(key: "all", days: rows.map(\.elapsedDays)),
                              byAuthority: group(\.authority), byCategory: group(\.categoryNo), byRoute: group(\.route.rawValue),
                              open: counts.open, overdue: counts.overdue, nearlyDue: counts.nearlyDue)
        }
    }
}
