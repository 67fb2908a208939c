import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import SQLKit

/// What an officer, an enterprise or the deadline sweep does to a case after submission.
/// Each command is one transaction: the state machine decides, then the case, its event and the inbox are written.
extension LicensingService {
    enum CaseCommand: String, Decodable, Sendable, CaseIterable {
        case accept
        case requestCorrection = "request_correction"
        case supplement
        case assignVerifiers = "assign_verifiers"
        case rectified
        case approve
        case refuse
        case refuseAcceptance = "refuse_acceptance"
        case issue
        case withdraw
        case stopClock = "stop_clock"
        case resumeClock = "resume_clock"

        /// Commands of the enterprise; the rest are the authority's.
        var byEnterprise: Bool { [.supplement, .rectified, .withdraw].contains(self) }

        /// What the case's history records when the command is carried out.
        var event: EventType {
            switch self {
            case .accept: .applicationAccepted
            case .requestCorrection: .applicationCorrectionRequested
            case .supplement: .applicationSupplemented
            case .assignVerifiers: .applicationVerifiersAssigned
            case .rectified: .applicationRectified
            case .approve: .applicationApproved
            case .refuse: .applicationRefused
            case .refuseAcceptance: .applicationAcceptanceRefused
            case .issue: .applicationIssued
            case .withdraw: .applicationWithdrawn
            case .stopClock: .applicationClockStopped
            case .resumeClock: .applicationClockResumed
            }
        }
    }

    struct ActionInput: Decodable, Sendable {
        /// The version of the case the person acted on; if someone acted in between, the command is refused.
        var version: Int?
        /// Correction notice: everything missing, at once.
        var items: [String]?
        var materials: [MaterialInput]?
        var verifiers: [Int]?
        /// Written reasons for a refusal.
        var reasons: String?
        var reason: StopReason?
        var note: String?
        /// Correction for a form field the notice asked about (supplement).
        var form: ApplicationForm?

        init(version: Int? = nil, items: [String]? = nil, materials: [MaterialInput]? = nil, verifiers: [Int]? = nil,
             reasons: String? = nil, reason: StopReason? = nil, note: String? = nil, form: ApplicationForm? = nil) {
            self.version = version
            self.items = items
            self.materials = materials
            self.verifiers = verifiers
            self.reasons = reasons
            self.reason = reason
            self.note = note
            self.form = form
        }
    }

    /// Officers act for the authority that handles the case or one above it; national officers for national cases.
    func requireOfficer(_ user: User, for authority: String) throws {
        let allowed: Bool
        switch (user.role, user.jurisdiction) {
        case (.officer, nil): allowed = authority == Routing.national
        case (.officer, let j?): allowed = authority != Routing.national && Jurisdiction(divisionCode: j).contains(divisionCode: authority)
        default: allowed = false
        }
        guard allowed else {
            throw AppError(.cases.notYourAuthority)
        }
    }

    /// The one rule for every action that changes a license (`LicenseAuthority`): suspension, revocation,
    /// withdrawal, reinstatement, change, renewal, cancellation. The sweep's effects have no user and pass.
    func requireLicenseAuthority(_ user: User?, over license: LicenseRecord) throws {
        guard let user else { return }
        guard LicenseAuthority.mayChange(licenseHeldBy: license.authority, role: user.role, jurisdiction: user.jurisdiction) else {
            throw AppError(.license.notYourAuthority)
        }
    }

    func requireApplicant(_ user: User, of c: CaseRecord) throws {
        guard user.role == .enterprise, user.enterpriseUSCC == c.uscc else {
            throw AppError(.cases.applicantOnly)
        }
    }


    func act(caseID: Int, _ command: CaseCommand, _ input: ActionInput, by user: User) async throws -> CaseRecord {
        try await db.write { sql in try await perform(sql, caseID: caseID, command, input, by: user, signed: false) }
    }

    /// Carries out a command inside the caller's transaction. A decision of an authority with a sign-off chain is taken
    /// only by the chain's last signature (`signed`).
    func perform(_ sql: any SQLDatabase, caseID: Int, _ command: CaseCommand, _ input: ActionInput, by user: User, signed: Bool) async throws -> CaseRecord {
        let today = clock.today
        guard var c = try await CaseStore.visible(sql, id: caseID, scope: caseScope(user)) else {
            throw AppError.notFound("application \(caseID)")
        }
        if let seen = input.version, seen != c.version { throw CaseStore.concurrentChange }
        if command.byEnterprise { try requireApplicant(user, of: c) } else { try requireOfficer(user, for: c.authority) }
        if [.approve, .refuse].contains(command), !signed, try await !OrganisationStore.settings(sql, authority: c.authority).signOff.isEmpty {
            throw AppError(.signoff.required)
        }
        let rules = try await rules(sql, authority: c.authority)
        let calendar = try await ReferenceStore.calendar(sql)
        func move(_ action: CaseAction) throws { c.state = try CaseMachine.next(c.facts, action) }

        switch command {
        case .accept:
            try move(.accept)
            c.acceptedOn = today
        case .requestCorrection:
            let items = (input.items ?? []).map { clipped($0, max: 500) }.filter { !$0.isEmpty }
            guard !items.isEmpty, items.count <= 50 else {
                throw AppError(.correction.items)
            }
            try move(.requestCorrection)
            c.corrections += 1
            try await CaseStore.setCorrectionNotice(sql, applicationID: c.id, items: items, on: today)
        case .supplement:
            try move(.supplement)
            let materials = input.materials ?? []
            if let form = input.form {
                try refuseIf(form.problems(kind: c.kind, changes: Set(c.changes)))
                c.form = form
            }
            guard !materials.isEmpty || input.form != nil else {
                throw AppError(.correction.empty)
            }
            try refuseIf(try await uploadProblems(sql, materials, uscc: c.uscc))
            try await CaseStore.addMaterials(sql, applicationID: c.id, materials.map(\.record))
            try await CaseStore.answerCorrectionNotice(sql, applicationID: c.id, on: today)
        case .assignVerifiers:
            let ids = Array(Set(input.verifiers ?? [])).sorted()
            try move(.assignVerifiers(count: ids.count))
            try await checkVerifiers(sql, ids)
            let stops = try await CaseStore.clockStops(sql, applicationID: c.id).map(\.stop)
            let due = StatutoryClock(start: c.acceptedOn ?? today, limit: rules.verificationDays, stops: stops).deadline(today: today, calendar: calendar)
            _ = try await VerificationStore.insertVerification(sql, VerificationRecord(
                id: 0, applicationID: c.id, licenseID: c.licenseID, kind: .preIssue, state: .assigned, authority: c.authority,
                assignedOn: today, dueOn: due.date, rectifyBy: nil, outcome: nil, concludedOn: nil, summary: "", members: ids, findings: []))
        case .rectified:
            try move(.rectified)
            try await CaseStore.resumeClock(sql, applicationID: c.id, on: today)
            if var v = try await VerificationStore.verifications(sql, applicationID: c.id).last(where: { $0.state == .rectification }) {
                v.state = .assigned
                try await VerificationStore.updateVerification(sql, v)
            }
        case .approve:
            try move(.approve)
            c.decidedOn = today
        case .refuse, .refuseAcceptance:
            let reasons = clipped(input.reasons, max: 5000)
            guard !reasons.isEmpty else {
                throw AppError(.refusal.reasons)
            }
            try move(command == .refuse ? .refuse : .refuseAcceptance)
            c.decidedOn = today
            c.refusalReasons = reasons
            try await CaseStore.resumeClock(sql, applicationID: c.id, on: today)
        case .issue:
            try move(.issue)
            try await issueLicense(sql, &c, rules: rules, calendar: calendar, actor: user)
        case .withdraw:
            try move(.withdraw)
            try await CaseStore.resumeClock(sql, applicationID: c.id, on: today)
        case .stopClock:
            guard let reason = input.reason, reason != .rectification else {
                throw AppError(.clock.reason)
            }
            let stops = try await CaseStore.clockStops(sql, applicationID: c.id)
            guard c.state.awaitsDecision, !stops.contains(where: { $0.until == nil }) else {
                throw AppError(.clock.cannotStop)
            }
            try await CaseStore.stopClock(sql, applicationID: c.id, reason: reason, from: today, note: clipped(input.note, max: 1000))
        case .resumeClock:
            let open = try await CaseStore.clockStops(sql, applicationID: c.id).first { $0.until == nil }
            guard let open, open.reason != .rectification else {
                throw AppError(.clock.notStopped)
            }
            try await CaseStore.resumeClock(sql, applicationID: c.id, on: today)
        }
        try await save(sql, &c, rules: rules, calendar: calendar)
        try await publish(sql, c, type: command.event, actor: user)
        if let kind = documentFor(command) {
            let items = kind == .correctionNotice ? try await CaseStore.correctionNotice(sql, applicationID: c.id)?.items ?? [] : []
            try await issueDocument(sql, kind, authority: c.authority, uscc: c.uscc, application: c, license: nil,
                                    reasons: kind.givesRemedies ? c.refusalReasons : nil, items: items, actor: user)
        }
        return c
    }

    /// Recomputes the deadline the case waits on, then writes it if nobody else has.
    func save(_ sql: any SQLDatabase, _ c: inout CaseRecord, rules: LicensingRules, calendar: WorkCalendar) async throws {
        let received = try await CaseStore.correctionNotice(sql, applicationID: c.id)?.answeredOn ?? c.submittedOn
        let stops = try await CaseStore.clockStops(sql, applicationID: c.id).map(\.stop)
        c.dueOn = CaseClock.dueOn(state: c.state, receivedOn: received, acceptedOn: c.acceptedOn, decidedOn: c.decidedOn,
                                  stops: stops, rules: rules, today: clock.today, calendar: calendar)
        c.updatedAt = clock.stamp
        try await CaseStore.updateCase(sql, c)
        c.version += 1
    }

    /// Documents named in a request that the enterprise may not attach: a file none of its users uploaded (knowing a
    /// digest is not owning the file), unless a lab filed it as a report for this enterprise.
    func uploadProblems(_ sql: any SQLDatabase, _ materials: [MaterialInput], uscc: String) async throws -> [LocalizedText] {
        let uploaded = try await UploadStore.attachable(sql, materials.map(\.sha256), uscc: uscc)
        return materials.filter { !uploaded.contains($0.sha256) }.map {
            LocalizedText(zh: "文件\($0.filename)未上传", en: "File \($0.filename) has not been uploaded")
        }
    }

    func checkVerifiers(_ sql: any SQLDatabase, _ ids: [Int]) async throws {
        let users = try await UserStore.get(sql, ids: ids)
        for id in ids {
            guard let u = users[id], u.role == .verifier, !u.disabled else {
                throw AppError(.verification.notVerifier, ["id": "\(id)"])
            }
        }
        try await checkReviewStanding(sql, ids)
    }

    // MARK: The license

    /// The province abbreviation a provincially (or lower) issued number starts with; none for national licenses.
    func provinceAbbreviation(authority: String) -> String? {
        guard authority != Routing.national else { return nil }
        return division(String(authority.prefix(2)) + "0000")?.provinceAbbr
    }

    /// Applies an issued case to the enterprise's license (docs/DOMAIN.md §7–§8) and records the follow-up check a commitment route owes.
    func issueLicense(_ sql: any SQLDatabase, _ c: inout CaseRecord, rules: LicensingRules, calendar: WorkCalendar, actor: User?) async throws {
        let today = clock.today, stamp = clock.stamp
        c.issuedOn = today
        c.elapsedDays = calendar.workingDays(from: c.submittedOn, to: today).workingDays
        let decided = c.decidedOn ?? today
        let existing = try await LicenseStore.license(sql, uscc: c.uscc)
        let held = Set(existing?.units.map(\.unitNo) ?? [])
        let added = c.units.filter { !held.contains($0.unitNo) || c.kind == .new }
            .map { LicenseUnit(unitNo: $0.unitNo, categoryNo: $0.categoryNo, nameZh: $0.nameZh, nameEn: $0.nameEn, route: c.route, since: today) }
        let license: LicenseRecord
        let event: EventType
        if c.kind == .new {
            if var old = existing, old.storedStatus.isInForce {
                // A license that lapsed but was not yet swept makes way; a live one means a second license.
                guard old.status(on: today) == .expired else {
                    throw AppError(.license.existsIssue, ["number": "\(old.number)"])
                }
                old.storedStatus = .expired
                let lapsed = try await LicenseStore.updateLicense(sql, old, reason: "expired", applicationID: nil, at: stamp)
                try await publishLicense(sql, lapsed, type: .licenseExpired, actor: nil)
            }
            guard let e = try await EnterpriseStore.get(sql, uscc: c.uscc, visibility: .everything) else { throw AppError.notFound(c.uscc) }
            let code = try await SettingsStore.productCode(sql, unitNo: c.units.first?.unitNo ?? "")
            let codes = LicenseNumber.codes(code) ?? LicenseNumber.codes(LicenseNumber.provisionalCode(unitNo: c.units.first?.unitNo ?? "0000"))!
            var number = LicenseNumber(province: provinceAbbreviation(authority: c.authority), industry: codes.industry, product: codes.product, serial: 0)
            number.serial = try await SettingsStore.nextSerial(sql, "license:\(number.prefix)")
            license = try await LicenseStore.insertLicense(sql, LicenseRecord(
                id: 0, uscc: c.uscc, number: number.description, storedStatus: .valid, version: 1, authority: c.authority,
                firstIssuedOn: today, decidedOn: decided, issuedOn: today, validUntil: rules.validUntil(decidedOn: decided),
                name: e.name, domicile: e.domicile, addresses: c.form.productionAddresses, units: added, updatedAt: stamp),
                reason: "issued", applicationID: c.id, at: stamp)
            event = .licenseIssued
        } else {
            guard var l = existing, l.storedStatus.isInForce else {
                throw AppError(.license.noneHeld)
            }
            try requireLicenseAuthority(actor, over: l)
            switch c.kind {
            case .renewal:
                // The new term runs on from the old one, so renewing early costs the enterprise nothing.
                l.decidedOn = decided
                l.validUntil = rules.validUntil(decidedOn: max(l.validUntil.adding(days: 1), decided))
                l.storedStatus = .valid
                event = .licenseRenewed
            case .change:
                let changes = Set(c.changes)
                if changes.contains(.name) || changes.contains(.domicile) {
                    if var e = try await EnterpriseStore.get(sql, uscc: c.uscc, visibility: .everything) {
                        if changes.contains(.name), let n = c.form.newName { e.name = n; l.name = n }
                        if changes.contains(.domicile), let d = c.form.newDomicile { e.domicile = d; l.domicile = d }
                        try await EnterpriseStore.update(sql, e, actor: actor?.actor ?? "system", at: stamp)
                    }
                }
                if changes.contains(.productionAddress) { l.addresses = c.form.productionAddresses }
                if changes.contains(.removeUnits) { l.units.removeAll { c.form.removeUnits.contains($0.unitNo) } }
                if changes.contains(.addUnits) { l.units += added }
                l.authority = c.authority
                l.decidedOn = decided
                event = .licenseChanged
            case .reissue:
                event = .licenseReissued
            case .cancellation:
                l.storedStatus = .cancelled
                event = .licenseCancelled
            case .new:
                preconditionFailure("handled above")
            }
            l.issuedOn = today
            license = try await LicenseStore.updateLicense(sql, l, reason: c.kind.rawValue, applicationID: c.id, at: stamp)
        }
        c.licenseID = license.id
        try await publishLicense(sql, license, type: event, actor: actor, application: c.number)
        if license.storedStatus == .valid {
            try await issueDocument(sql, .certificate, authority: license.authority, uscc: license.uscc, application: c, license: license, actor: actor)
        }

        if c.route == .commitment {
            let due = calendar.adding(workingDays: rules.followUpDays, to: today)
            _ = try await VerificationStore.insertVerification(sql, VerificationRecord(
                id: 0, applicationID: c.id, licenseID: license.id, kind: .followUp, state: .pending, authority: c.authority,
                assignedOn: nil, dueOn: due.date, rectifyBy: nil, outcome: nil, concludedOn: nil, summary: "", members: [], findings: []))
        }
    }
}

extension LicensingService.MaterialInput {
    var record: MaterialRecord {
        MaterialRecord(position: 0, kind: kind, sha256: sha256, filename: String(filename.prefix(200)), lab: lab,
                       reportNo: reportNo, reportDate: reportDate, units: units)
    }

    var document: Submission.Document {
        Submission.Document(kind: kind, filename: filename, lab: lab, reportNo: reportNo, reportDate: reportDate, units: units)
    }
}
