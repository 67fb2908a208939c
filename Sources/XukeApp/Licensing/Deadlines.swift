import Foundation
import SQLKit
import XukeDomain
import XukeStorage

extension LicensingService {
    /// What the law lets happen by itself when a licensing deadline passes: deemed acceptance, deemed renewal and
    /// expiry, in one transaction. Returns the numbers of the applications accepted and renewed and of the licences
    /// expired; running it twice does nothing more.
    func applyDeadlines() async throws -> (accepted: [String], renewed: [String], expired: [String]) {
        let today = clock.today
        var deemedAccepted: [String] = [], deemedRenewed: [String] = [], expired: [String] = []
        try await db.write { sql in
            let calendar = try await ReferenceStore.calendar(sql)

            // Silence for the acceptance limit accepts the application, counted from receipt (行政许可法 Art. 32).
            for var c in try await CaseStore.openCases(sql, states: [.submitted]) {
                let received = try await CaseStore.correctionNotice(sql, applicationID: c.id)?.answeredOn ?? c.submittedOn
                let rules = try await rules(sql, authority: c.authority)
                let clock = CaseClock.clock(state: c.state, receivedOn: received, acceptedOn: nil, decidedOn: nil, stops: [], rules: rules)
                guard let due = clock?.deadline(today: today, calendar: calendar).date, today > due else { continue }
                c.state = try CaseMachine.next(c.facts, .accept)
                c.acceptedOn = received
                c.deemed.append("acceptance")
                try await save(sql, &c, rules: rules, calendar: calendar)
                try await publish(sql, c, type: .applicationDeemedAccepted, actor: nil)
                deemedAccepted.append(c.number)
            }

            // A renewal the authority has not decided by the expiry date is granted (docs/DOMAIN.md §7).
            for var c in try await CaseStore.openCases(sql, states: [.submitted, .accepted, .verification, .verified], kind: .renewal) {
                guard let l = try await LicenseStore.license(sql, uscc: c.uscc), today > l.validUntil,
                      l.storedStatus.isInForce, (try? CaseMachine.next(c.facts, .deemRenewal)) != nil else { continue }
                let rules = try await rules(sql, authority: c.authority)
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
                deemedRenewed.append(c.number)
            }

            // Licenses past their validity expire by themselves.
            for var l in try await LicenseStore.lapsedLicenses(sql, before: today) {
                l.storedStatus = .expired
                let saved = try await LicenseStore.updateLicense(sql, l, reason: "expired", applicationID: nil, at: clock.stamp)
                try await publishLicense(sql, saved, type: .licenseExpired, actor: nil, notify: true)
                expired.append(l.number)
            }
        }
        return (deemedAccepted, deemedRenewed, expired)
    }
}
