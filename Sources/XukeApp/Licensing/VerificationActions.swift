import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import SQLKit

/// Site verifications: before the license on the ordinary route, after it on the commitment route.
extension LicensingService {
    struct FindingInput: Decodable, Sendable {
        var item: String
        var result: FindingResult
        var note: String?
    }

    struct ConclusionInput: Decodable, Sendable {
        var outcome: VerificationOutcome
        var summary: String
        /// The enterprise's deadline for a rectification.
        var rectifyBy: CivilDate?
    }

    /// A verification the user may see: its authority's officers, its own team, and the enterprise it concerns.
    func visibleVerification(_ sql: any SQLDatabase, id: Int, user: User) async throws -> VerificationRecord {
        guard let v = try await VerificationStore.getVerification(sql, id: id) else { throw AppError.notFound("verification \(id)") }
        let allowed: Bool
        switch user.role {
        case .administrator: allowed = true
        case .officer: allowed = (try? requireOfficer(user, for: v.authority)) != nil
        case .verifier: allowed = v.members.contains(user.id)
        case .enterprise:
            let c = try await v.applicationID.asyncMap { try await CaseStore.getCase(sql, id: $0) } ?? nil
            allowed = c?.uscc == user.enterpriseUSCC
        case .lab, .agency: allowed = false
        }
        guard allowed else { throw AppError.notFound("verification \(id)") }
        return v
    }

    func requireMember(_ user: User, of v: VerificationRecord) throws {
        guard user.role == .verifier, v.members.contains(user.id) else {
            throw AppError(.verification.membersOnly)
        }
    }

    /// Records findings, item by item; a later finding for the same item replaces the earlier one.
    func recordFindings(verificationID: Int, _ findings: [FindingInput], by user: User) async throws -> VerificationRecord {
        let problems = findings.compactMap { f -> LocalizedText? in
            Checklist.item(f.item) == nil ? LocalizedText(zh: "没有核查项目“\(f.item)”", en: "No checklist item “\(f.item)”") : nil
        }
        if findings.isEmpty || findings.count > Checklist.items.count * 2 {
            throw AppError(.verification.findingsCount)
        }
        try refuseIf(problems)
        return try await db.write { sql in
            let v = try await visibleVerification(sql, id: verificationID, user: user)
            try requireMember(user, of: v)
            guard v.state == .assigned else {
                throw AppError(.verification.notOpenFindings)
            }
            for f in findings {
                try await VerificationStore.recordFinding(sql, verificationID: v.id, .init(
                    item: f.item, result: f.result.rawValue, note: clipped(f.note, max: 2000), recordedBy: user.id, at: clock.stamp))
            }
            return try await VerificationStore.getVerification(sql, id: v.id).orNotFound("verification")
        }
    }

    /// The team's conclusion. Before the license it moves the case; after it, a failure revokes the license.
    func conclude(verificationID: Int, _ input: ConclusionInput, by user: User) async throws -> VerificationRecord {
        let today = clock.today
        let summary = clipped(input.summary, max: 5000)
        guard !summary.isEmpty else {
            throw AppError(.verification.summary)
        }
        return try await db.write { sql in
            var v = try await visibleVerification(sql, id: verificationID, user: user)
            try requireMember(user, of: v)
            guard v.state == .assigned else {
                throw AppError(.verification.notOpenConclude)
            }
            let results = Dictionary(v.findings.compactMap { f in f.finding.map { (f.item, $0) } }, uniquingKeysWith: { $1 })
            try Checklist.check(outcome: input.outcome, findings: results)
            v.summary = summary
            v.outcome = input.outcome

            switch v.kind {
            case .preIssue:
                guard let caseID = v.applicationID, var c = try await CaseStore.getCase(sql, id: caseID) else { throw AppError.notFound("application") }
                let rules = try await SettingsStore.rules(sql)
                let calendar = try await ReferenceStore.calendar(sql)
                c.state = try CaseMachine.next(c.facts, .concludeVerification(input.outcome))
                c.lastOutcome = input.outcome
                if input.outcome == .rectify {
                    guard let by = input.rectifyBy, by > today, by <= today.adding(months: 6) else {
                        throw AppError(.verification.rectifyBy)
                    }
                    v.state = .rectification
                    v.rectifyBy = by
                    // Rectification time does not count toward the decision limit (docs/DOMAIN.md §5).
                    try await CaseStore.stopClock(sql, applicationID: c.id, reason: .rectification, from: today, note: summary)
                } else {
                    v.state = .concluded
                    v.concludedOn = today
                }
                try await VerificationStore.updateVerification(sql, v)
                try await save(sql, &c, rules: rules, calendar: calendar)
                try await publish(sql, c, type: input.outcome.applicationEvent, actor: user)
            case .followUp:
                guard input.outcome != .rectify else {
                    throw AppError(.verification.followUpOutcome)
                }
                v.state = .concluded
                v.concludedOn = today
                try await VerificationStore.updateVerification(sql, v)
                guard let licenseID = v.licenseID, let l = try await LicenseStore.license(sql, id: licenseID) else { throw AppError.notFound("license") }
                try await publishLicense(sql, l, type: input.outcome == .pass ? .licenseFollowUpPassed : .licenseFollowUpFailed, actor: user)
                if input.outcome == .fail {
                    // The authority that ordered the check must still hold the license (or be above its holder).
                    guard LicenseAuthority.mayChange(licenseHeldBy: l.authority, role: .officer, jurisdiction: v.authority == Routing.national ? nil : v.authority) else {
                        throw AppError(.verification.authorityChanged)
                    }
                    // The conditions promised were not there: the commitment was untrue, and the license goes (docs/DOMAIN.md §6).
                    try await revoke(sql, l, reason: "follow_up_failed", note: summary, actor: user)
                }
            }
            return try await VerificationStore.getVerification(sql, id: v.id).orNotFound("verification")
        }
    }

    /// An officer puts a team on a follow-up verification the commitment route created.
    func assignFollowUp(verificationID: Int, verifiers: [Int], by user: User) async throws -> VerificationRecord {
        let ids = Array(Set(verifiers)).sorted()
        return try await db.write { sql in
            var v = try await visibleVerification(sql, id: verificationID, user: user)
            try requireOfficer(user, for: v.authority)
            guard v.kind == .followUp, v.state == .pending || v.state == .assigned else {
                throw AppError(.verification.notPending)
            }
            try CaseMachine.checkTeam(ids.count)
            try await checkVerifiers(sql, ids)
            v.members = ids
            v.state = .assigned
            v.assignedOn = clock.today
            try await VerificationStore.updateVerification(sql, v)
            try await Events.append(sql, type: .verificationAssigned, subject: "verification/\(v.id)", actor: user.actor,
                                    jurisdiction: v.authority, at: clock.stamp, payload: VerifiersAssigned(members: ids))
            return v
        }
    }

    /// An officer revokes a license granted on a commitment found to be false.
    func revokeForFalseCommitment(licenseID: Int, note: String, by user: User) async throws -> LicenseRecord {
        let text = clipped(note, max: 5000)
        guard !text.isEmpty else {
            throw AppError(.revocation.reasons)
        }
        return try await db.write { sql in
            guard let l = try await LicenseStore.license(sql, id: licenseID) else { throw AppError.notFound("license \(licenseID)") }
            try requireLicenseAuthority(user, over: l)
            guard l.units.contains(where: { $0.route == .commitment }) else {
                throw AppError(.revocation.noCommitment)
            }
            guard l.status(on: clock.today).isInForce else { throw AppError(.license.notInForceEnded) }
            try await closeHearing(sql, license: l, measure: "revocation")
            return try await revoke(sql, l, reason: "false_commitment", note: text, actor: user)
        }
    }

    /// 撤销: the grant is withdrawn, no new application is taken for three years, and the commitment route stays
    /// closed to the enterprise until its credit is repaired.
    @discardableResult
    /// The callers check who may: an officer of the license's authority revoking for a false commitment, or the
    /// failed follow-up check that authority ordered, whose consequence the law fixes (docs/DOMAIN.md §6).
    func revoke(_ sql: any SQLDatabase, _ license: LicenseRecord, reason: String, note: String, actor: User) async throws -> LicenseRecord {
        guard license.status(on: clock.today).isInForce else {
            throw AppError(.license.notInForceEnded)
        }
        var l = license
        l.storedStatus = .revoked
        let saved = try await LicenseStore.updateLicense(sql, l, reason: reason, applicationID: nil, at: clock.stamp)
        try await LicensingReports.addCreditFlag(sql, uscc: l.uscc, kind: "false_commitment", since: clock.today, until: nil, note: note)
        try await barApplications(sql, after: l, grantRevoked: true)
        try await publishLicense(sql, saved, type: .licenseRevoked, actor: actor, notify: true)
        try await issueDocument(sql, .revocationDecision, authority: saved.authority, uscc: saved.uscc, application: nil, license: saved,
                                reasons: note.isEmpty ? reason : note, actor: actor)
        return saved
    }
}

extension Optional {
    func asyncMap<T>(_ body: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await body(self)
    }

    func orNotFound(_ what: String) throws -> Wrapped {
        guard let self else { throw AppError.notFound(what) }
        return self
    }
}
