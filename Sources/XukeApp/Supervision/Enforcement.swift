import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// Measures on problems (docs/DOMAIN.md §9): interview, written report, rectification with a re-check, suspension,
/// revocation and withdrawal. Each names its cause; each change to a license reaches its credential's status
/// list and the public log through `publishLicense`.
extension SupervisionService {
    struct EnforcementInput: Decodable, Sendable {
        var uscc: String
        var kind: EnforcementRecord.Kind
        /// `inspection/<number>`, `enforcement/<number>` or `lead/<number>`.
        var cause: String
        var note: String
        /// Rectification and written report: working days allowed.
        var dueDays: Int?
    }

    func enforce(_ input: EnforcementInput, by user: User) async throws -> EnforcementRecord {
        let (authority, jurisdiction) = try supervisor(user)
        let note = clipped(input.note, max: 2000)
        guard !note.isEmpty else { throw AppError(.enforcement.note) }
        return try await db.write { sql in
            _ = try await supervisedEnterprise(sql, input.uscc, in: jurisdiction)
            if [.suspension, .revocation, .withdrawal].contains(input.kind), !input.cause.hasPrefix("inspection/"), !input.cause.hasPrefix("enforcement/") {
                throw AppError(.enforcement.licenseCause)
            }
            try await checkCause(sql, input.cause, uscc: input.uscc)
            let today = clock.today
            var dueOn: CivilDate? = nil
            var state = EnforcementRecord.State.open
            var license: LicenseRecord? = nil
            switch input.kind {
            case .interview:
                state = .done
            case .writtenReport, .rectification:
                let days = input.dueDays ?? (input.kind == .writtenReport ? 10 : 0)
                guard (1...180).contains(days) else {
                    throw AppError(.enforcement.dueDays)
                }
                dueOn = try await ReferenceStore.calendar(sql).adding(workingDays: days, to: today).date
            case .suspension, .revocation, .withdrawal:
                guard var l = try await LicenseStore.license(sql, uscc: input.uscc), l.status(on: today) == .valid || (input.kind != .suspension && l.status(on: today) == .suspended) else {
                    throw AppError(.license.notInForceMeasure, localized: ["measure": LocalizedText(zh: "\(input.kind == .suspension ? "暂停" : "撤销或吊销")", en: "\(input.kind == .suspension ? "suspended" : "revoked or withdrawn")")])
                }
                // The measure may come from any supervisor of the enterprise's area; the license changes only at the hand of its holder.
                try licensing.requireLicenseAuthority(user, over: l)
                if input.kind != .suspension { try await licensing.closeHearing(sql, license: l, measure: input.kind.rawValue) }
                l.storedStatus = input.kind == .suspension ? .suspended : .revoked
                let saved = try await LicenseStore.updateLicense(sql, l, reason: input.kind.rawValue, applicationID: nil, at: clock.stamp)
                if input.kind != .suspension {
                    try await licensing.barApplications(sql, after: l, grantRevoked: input.kind == .revocation)
                    state = .done
                }
                try await licensing.publishLicense(sql, saved, type: input.kind == .suspension ? .licenseSuspended : .licenseRevoked, actor: user, notify: true)
                if input.kind != .suspension {
                    try await licensing.issueDocument(sql, input.kind == .revocation ? .revocationDecision : .withdrawalDecision, authority: saved.authority,
                                                      uscc: saved.uscc, application: nil, license: saved, reasons: note, actor: user)
                }
                license = saved
            }
            let number = String(format: "ZF%04d-%06d", today.year, try await SettingsStore.nextSerial(sql, "enforcement:\(today.year)"))
            let record = try await EnforcementStore.insertEnforcement(sql, number: number, uscc: input.uscc, authority: authority, kind: input.kind,
                                                                      cause: input.cause, state: state, dueOn: dueOn, note: note, licenseID: license?.id,
                                                                      by: user.username, at: clock.stamp)
            try await Events.append(sql, type: input.kind.event, subject: "enforcement/\(number)", actor: user.actor,
                                    jurisdiction: authority, at: clock.stamp, payload: record)
            return record
        }
    }

    /// A measure stands on a recorded cause of the same enterprise: an inspection, an earlier measure or a lead.
    func checkCause(_ sql: any SQLDatabase, _ cause: String, uscc: String) async throws {
        let parts = cause.split(separator: "/", maxSplits: 1).map(String.init)
        let found: String?
        switch parts.first {
        case "inspection" where parts.count == 2: found = try await InspectionStore.inspection(sql, number: parts[1])?.uscc
        case "enforcement" where parts.count == 2:
            found = try await EnforcementStore.enforcement(sql, number: parts[1])?.uscc
        case "lead" where parts.count == 2: found = try await DutiesStore.lead(sql, number: parts[1])?.uscc
        default: found = nil
        }
        guard found == uscc else {
            throw AppError(.enforcement.cause)
        }
    }

    struct CloseInput: Decodable, Sendable {
        var outcome: String
        /// Rectification: the re-check's result.
        var recheck: InspectionStore.Outcome?
    }

    /// Closes an open measure: a written report received, a rectification re-checked, a suspension lifted.
    func closeEnforcement(id: Int, _ input: CloseInput, by user: User) async throws -> EnforcementRecord {
        let (_, jurisdiction) = try supervisor(user)
        let outcome = clipped(input.outcome, max: 2000)
        guard !outcome.isEmpty else { throw AppError(.enforcement.outcome) }
        return try await db.write { sql in
            guard let a = try await EnforcementStore.enforcement(sql, id: id), jurisdiction.contains(divisionCode: a.authority) || jurisdiction.divisionCode == nil else {
                throw AppError.notFound("enforcement \(id)")
            }
            guard a.state == .open else { throw AppError(.enforcement.closed) }
            var text = outcome
            switch a.kind {
            case .rectification:
                guard let recheck = input.recheck else {
                    throw AppError(.enforcement.recheck)
                }
                text = "\(recheck.rawValue): \(outcome)"
            case .suspension:
                guard var l = try await a.licenseID.asyncMap({ try await LicenseStore.license(sql, id: $0) }) ?? nil, l.storedStatus == .suspended else {
                    throw AppError(.license.notSuspended)
                }
                try licensing.requireLicenseAuthority(user, over: l)
                l.storedStatus = .valid
                let saved = try await LicenseStore.updateLicense(sql, l, reason: "suspension_lifted", applicationID: nil, at: clock.stamp)
                try await licensing.publishLicense(sql, saved, type: .licenseReinstated, actor: user, notify: true)
            default: break
            }
            try await EnforcementStore.closeEnforcement(sql, id: id, outcome: text, at: clock.stamp)
            let closed = try await EnforcementStore.enforcement(sql, id: id).orThrow("enforcement \(id)")
            try await Events.append(sql, type: .enforcementClosed, subject: "enforcement/\(a.number)", actor: user.actor,
                                    jurisdiction: a.authority, at: clock.stamp, payload: closed)
            return closed
        }
    }
}

extension EnforcementRecord.Kind {
    /// The event ordering a measure of this kind records.
    var event: EventType {
        switch self {
        case .interview: .enforcementInterviewOrdered
        case .writtenReport: .enforcementWrittenReportOrdered
        case .rectification: .enforcementRectificationOrdered
        case .suspension: .enforcementSuspensionOrdered
        case .revocation: .enforcementRevocationOrdered
        case .withdrawal: .enforcementWithdrawalOrdered
        }
    }
}
