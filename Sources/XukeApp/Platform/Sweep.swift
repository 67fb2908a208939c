import Foundation
import XukeDomain
import XukeStorage
import SQLKit

/// What the law lets happen by itself when a deadline passes: deemed acceptance, deemed renewal, expiry; and the
/// reminders of duties falling due.
/// Run by the server every hour, by `xuke sweep` and by the admin API; running it twice does nothing more.
extension AppServices {
    public struct SweepReport: Codable, Sendable, Equatable {
        public var deemedAccepted: [String] = []
        public var deemedRenewed: [String] = []
        public var expired: [String] = []
        /// Enterprises reminded of a yearly self-inspection report.
        public var reminded: [String] = []
        /// Enterprises moved from the abnormal-operation list to the serious-violation list.
        public var movedToSerious: [String] = []
        /// Review bodies reminded of their yearly report.
        public var reviewReminded: [String] = []
        /// Catalog drafts whose edition came into force: licenses and makers moved on.
        public var reformsApplied: [String] = []
        /// Spot-check plans whose secret was not revealed in time.
        public var plansForfeited: [String] = []
    }

    public func sweep() async throws -> SweepReport {
        let today = clock.today
        var report = SweepReport()
        try await db.write { sql in
            let rules = try await SettingsStore.rules(sql)
            let calendar = try await ReferenceStore.calendar(sql)

            // Silence for the acceptance limit accepts the application, counted from receipt (行政许可法 Art. 32).
            for var c in try await CaseStore.openCases(sql, states: [.submitted]) {
                let received = try await CaseStore.correctionNotice(sql, applicationID: c.id)?.answeredOn ?? c.submittedOn
                let clock = CaseClock.clock(state: c.state, receivedOn: received, acceptedOn: nil, decidedOn: nil, stops: [], rules: rules)
                guard let due = clock?.deadline(today: today, calendar: calendar).date, today > due else { continue }
                c.state = try CaseMachine.next(c.facts, .accept)
                c.acceptedOn = received
                c.deemed.append("acceptance")
                try await save(sql, &c, rules: rules, calendar: calendar)
                try await publish(sql, c, type: .applicationDeemedAccepted, actor: nil)
                report.deemedAccepted.append(c.number)
            }

            // A renewal the authority has not decided by the expiry date is granted (docs/DOMAIN.md §7).
            for var c in try await CaseStore.openCases(sql, states: [.submitted, .accepted, .verification, .verified], kind: .renewal) {
                guard let l = try await LicenseStore.license(sql, uscc: c.uscc), today > l.validUntil,
                      l.storedStatus.isInForce, (try? CaseMachine.next(c.facts, .deemRenewal)) != nil else { continue }
                try await CaseStore.resumeClock(sql, applicationID: c.id, on: today)
                c.state = try CaseMachine.next(c.facts, .deemRenewal)
                c.acceptedOn = c.acceptedOn ?? c.submittedOn
                c.decidedOn = l.validUntil
                c.deemed.append("renewal")
                try await save(sql, &c, rules: rules, calendar: calendar)
                try await publish(sql, c, type: .applicationDeemedRenewed, actor: nil)
                c.state = try CaseMachine.next(c.facts, .issue)
                try await issueLicense(sql, &c, rules: rules, calendar: calendar, actor: nil)
                try await save(sql, &c, rules: rules, calendar: calendar)
                try await publish(sql, c, type: .applicationIssued, actor: nil)
                report.deemedRenewed.append(c.number)
            }

            // Licenses past their validity expire by themselves.
            for var l in try await LicenseStore.lapsedLicenses(sql, before: today) {
                l.storedStatus = .expired
                let saved = try await LicenseStore.updateLicense(sql, l, reason: "expired", applicationID: nil, at: clock.stamp)
                try await publishLicense(sql, saved, type: .licenseExpired, actor: nil, notify: true)
                report.expired.append(l.number)
            }
        }
        // Each duty in its own transaction: a failure in one leaves the licensing deadlines above, and the others, done.
        report.reminded = try await db.write { try await remindSelfReports($0) }
        report.movedToSerious = try await db.write { try await moveLongAbnormal($0) }
        report.reviewReminded = try await db.write { try await remindReviewReports($0) }
        report.reformsApplied = try await applyCatalogReforms()
        report.plansForfeited = try await forfeitUnrevealedPlans()
        try await db.write { try await UserStore.purgeThrottle($0, before: clock.seconds - 86_400) }
        return report
    }
}
