import Foundation
import SQLKit
import XukeDomain
import XukeStorage

/// The holder's remedies. Before its licence is revoked or withdrawn it is told of its right to a hearing (a notice,
/// an official document) and may ask for one within 5 working days; the hearing is scheduled, held and recorded, and
/// only then — or once the 5 days pass unasked — may the measure be taken. Reconsideration and litigation outcomes are
/// recorded against the decision's document; a reversed revocation or withdrawal is undone through the licence's own
/// actions: reinstated, its credential valid again, logged, and the bars it set void.
extension LicensingService {
    static let hearingRequestDays = 5
    static let measures = ["revocation", "withdrawal"]

    /// Hearings an officer over the licence's authority, or its holder, may see.
    func hearings(licenseID: Int, user: User) async throws -> [Hearing] {
        let l = try await visibleLicense(id: licenseID, user: user)
        return try await db.read { try await RemedyStore.hearings($0, licenseID: l.id) }
    }

    /// The licence a hearing belongs to, if the reader may see it.
    func hearingLicense(id: Int, user: User) async throws -> Int {
        guard let h = try await db.read({ try await RemedyStore.hearing($0, id: id) }) else { throw AppError(.hearing.notFound) }
        return try await visibleLicense(id: h.licenseID, user: user).id
    }

    func noticeHearing(licenseID: Int, measure: String, reasons raw: String, by user: User) async throws -> Hearing {
        let reasons = clipped(raw, max: 5000)
        guard Self.measures.contains(measure) else { throw AppError(.hearing.measure) }
        guard !reasons.isEmpty else { throw AppError(.refusal.reasons) }
        let today = clock.today
        return try await db.write { sql in
            guard let l = try await LicenseStore.license(sql, id: licenseID) else { throw AppError.notFound("license \(licenseID)") }
            try requireLicenseAuthority(user, over: l)
            guard l.status(on: today).isInForce else { throw AppError(.license.notInForceEnded) }
            if try await RemedyStore.hearings(sql, licenseID: l.id).contains(where: { $0.isOpen(on: today) }) { throw AppError(.hearing.open) }
            let requestBy = try await ReferenceStore.calendar(sql).adding(workingDays: Self.hearingRequestDays, to: today).date
            let notice = try await issueDocument(sql, .hearingNotice, authority: l.authority, uscc: l.uscc, application: nil, license: l,
                                                 reasons: reasons, measure: measure, requestBy: requestBy, actor: user)
            let h = try await RemedyStore.insertHearing(sql, Hearing(
                licenseID: l.id, uscc: l.uscc, authority: l.authority, measure: measure, reasons: reasons, noticeID: notice.id,
                notifiedOn: today, requestBy: requestBy, at: clock.stamp))
            try await announce(sql, h, .hearingNotified, by: user)
            return h
        }
    }

    /// The holder asks for the hearing. A case of the enterprise waiting on the authority stops its clock until the
    /// hearing is held (the time does not count, docs/DOMAIN.md §12).
    func requestHearing(id: Int, by user: User) async throws -> Hearing {
        try await changeHearing(id, .hearingRequested, by: user, { h in
            guard user.role == .enterprise, user.enterpriseUSCC == h.uscc else { throw AppError(.hearing.notYours) }
            guard h.state(on: clock.today) == .notified else { throw AppError(.hearing.state, ["state": h.state(on: clock.today).rawValue]) }
            h.state = .requested
            h.requestedOn = clock.today
        }, then: { sql, h in
            guard var c = try await CaseStore.openCase(sql, uscc: h.uscc), c.state.awaitsDecision,
                  try await !CaseStore.clockStops(sql, applicationID: c.id).contains(where: { $0.until == nil }) else { return }
            try await CaseStore.stopClock(sql, applicationID: c.id, reason: .hearing, from: clock.today, note: Self.hearingNote(h))
            try await save(sql, &c, rules: try await rules(sql, authority: c.authority), calendar: try await ReferenceStore.calendar(sql))
        })
    }

    static func hearingNote(_ h: Hearing) -> String { "hearing/\(h.id)" }

    func scheduleHearing(id: Int, on day: CivilDate, place raw: String, by user: User) async throws -> Hearing {
        let place = clipped(raw, max: 200)
        guard !place.isEmpty else { throw AppError(.hearing.place) }
        return try await changeHearing(id, .hearingScheduled, by: user) { h in
            try requireHearingOfficer(user, h)
            guard [.requested, .scheduled].contains(h.state) else { throw AppError(.hearing.state, ["state": h.state.rawValue]) }
            guard day >= clock.today else { throw AppError(.hearing.date) }
            (h.state, h.scheduledFor, h.place) = (.scheduled, day, place)
        }
    }

    func recordHearing(id: Int, record raw: String, by user: User) async throws -> Hearing {
        let record = clipped(raw, max: 20_000)
        guard !record.isEmpty else { throw AppError(.hearing.record) }
        return try await changeHearing(id, .hearingHeld, by: user, { h in
            try requireHearingOfficer(user, h)
            guard h.state == .scheduled, let day = h.scheduledFor, clock.today >= day else { throw AppError(.hearing.state, ["state": h.state.rawValue]) }
            (h.state, h.heldOn, h.record) = (.held, clock.today, record)
        }, then: { sql, h in
            // The clock the request stopped runs again.
            guard var c = try await CaseStore.openCase(sql, uscc: h.uscc),
                  try await CaseStore.clockStops(sql, applicationID: c.id).contains(where: { $0.until == nil && $0.note == Self.hearingNote(h) }) else { return }
            try await CaseStore.resumeClock(sql, applicationID: c.id, on: clock.today)
            try await save(sql, &c, rules: try await rules(sql, authority: c.authority), calendar: try await ReferenceStore.calendar(sql))
        })
    }

    private func requireHearingOfficer(_ user: User, _ h: Hearing) throws {
        guard user.role == .officer, LicenseAuthority.mayChange(licenseHeldBy: h.authority, role: user.role, jurisdiction: user.jurisdiction) else {
            throw AppError(.license.notYourAuthority)
        }
    }

    private func changeHearing(_ id: Int, _ event: EventType, by user: User, _ change: (inout Hearing) throws -> Void,
                               then: ((any SQLDatabase, Hearing) async throws -> Void)? = nil) async throws -> Hearing {
        try await db.write { sql in
            guard var h = try await RemedyStore.hearing(sql, id: id) else { throw AppError(.hearing.notFound) }
            try change(&h)
            let saved = try await RemedyStore.updateHearing(sql, h)
            try await then?(sql, saved)
            try await announce(sql, saved, event, by: user)
            return saved
        }
    }

    private func announce(_ sql: any SQLDatabase, _ h: Hearing, _ type: EventType, by user: User) async throws {
        let at = clock.stamp
        let eventID = try await Events.append(sql, type: type, subject: "hearing/\(h.id)", actor: user.actor, jurisdiction: h.authority, at: at, payload: h)
        try await Notifications.deliver(sql, eventID: eventID, caseID: nil, uscc: h.uscc, authority: h.authority,
                                        notice: notifier.notice(authorityName(h.authority), type.rawValue), except: user.id, at: at)
    }

    /// The hearing a revocation or withdrawal of this licence stands on: held, or not asked for in time, within the
    /// last 90 days. It is then closed; without one the measure is refused. (A failed follow-up check of a
    /// commitment-route licence revokes it by itself, docs/DOMAIN.md §6: no hearing precedes that.)
    func closeHearing(_ sql: any SQLDatabase, license: LicenseRecord, measure: String) async throws {
        let today = clock.today
        guard var h = try await RemedyStore.hearings(sql, licenseID: license.id).last(where: { $0.measure == measure && $0.isOpen(on: today) }),
              [.held, .waived].contains(h.state(on: today)) else {
            throw AppError(.hearing.required, ["license": license.number])
        }
        (h.state, h.decidedOn) = (.decided, today)
        _ = try await RemedyStore.updateHearing(sql, h)
    }

    // MARK: Reconsideration and litigation

    struct RemedyInput: Decodable, Sendable {
        var kind: String
        var body: String
        var filedOn: CivilDate
        var outcome: String?
        var decidedOn: CivilDate?
        var note: String?
    }

    /// Records a reconsideration or a lawsuit against a decision (filed within 60 days or 6 months of it), and its
    /// outcome when there is one. A reversal of a revocation or withdrawal is undone at once.
    func recordRemedy(documentID: Int, _ input: RemedyInput, by user: User) async throws -> Remedy {
        let today = clock.today
        guard ["reconsideration", "litigation"].contains(input.kind) else { throw AppError(.remedy.kind) }
        let outcome = input.outcome ?? "pending"
        guard ["pending", "upheld", "reversed"].contains(outcome) else { throw AppError(.remedy.outcome) }
        guard (outcome == "pending") == (input.decidedOn == nil), input.decidedOn.map({ $0 <= today && $0 >= input.filedOn }) ?? true else {
            throw AppError(.remedy.decidedOn)
        }
        let body = clipped(input.body, max: 200)
        guard !body.isEmpty else { throw AppError(.remedy.body) }
        return try await db.write { sql in
            guard let d = try await DocumentStore.get(sql, id: documentID), user.oversees(d.authority) else { throw AppError(.document.notFound) }
            guard d.kind.givesRemedies else { throw AppError(.remedy.notAppealable) }
            let last = input.kind == "reconsideration" ? d.issuedOn.adding(days: DocumentKind.reconsiderationDays) : d.issuedOn.adding(months: DocumentKind.litigationMonths)
            guard input.filedOn >= d.issuedOn, input.filedOn <= min(last, today) else {
                throw AppError(.remedy.late, ["last": last.description])
            }
            let undone = outcome == "reversed" ? try await undo(sql, d, by: user) : ""
            let r = try await RemedyStore.insertRemedy(sql, documentID: d.id, kind: input.kind, body: body, filedOn: input.filedOn, outcome: outcome,
                                                       decidedOn: input.decidedOn, note: clipped(input.note, max: 2000), undone: undone, by: user.id, at: clock.stamp)
            try await Events.append(sql, type: .remedyRecorded, subject: "document/\(d.id)", actor: user.actor, jurisdiction: d.authority,
                                    at: clock.stamp, payload: r)
            return r
        }
    }

    func remedies(documentID: Int, user: User) async throws -> [Remedy] {
        let d = try await visibleDocument(id: documentID, user: user)
        return try await db.read { try await RemedyStore.remedies($0, documentID: d.id) }
    }

    /// Undoes a reversed decision through the licence's own actions. A refusal that is reversed leaves the case as it
    /// ended: the authority decides again on a new application, which the reversal's record supports.
    private func undo(_ sql: any SQLDatabase, _ d: OfficialDocument, by user: User) async throws -> String {
        guard [.revocationDecision, .withdrawalDecision].contains(d.kind), let id = d.licenseId,
              var l = try await LicenseStore.license(sql, id: id) else { return "" }
        // Only while the licence is as this decision left it: a later decision is challenged on its own.
        let ended = try content(d).licenseVersion
        guard l.storedStatus == .revoked, ended == l.version,
              let before = try await LicenseStore.licenseVersions(sql, licenseID: l.id).last(where: { $0.version < l.version }) else {
            throw AppError(.remedy.changedSince, ["number": l.number])
        }
        try requireLicenseAuthority(user, over: l)
        // Back to what it was before (valid or suspended), or expired if its term ran out meanwhile.
        l.storedStatus = before.status.on(clock.today, validUntil: l.validUntil)
        let saved = try await LicenseStore.updateLicense(sql, l, reason: "reinstated_on_review", applicationID: nil, at: clock.stamp)
        try await publishLicense(sql, saved, type: .licenseReinstated, actor: user, notify: true)
        try await RemedyStore.voidFlags(sql, uscc: l.uscc, number: l.number, since: d.issuedOn)
        return "license \(l.number) \(saved.storedStatus.rawValue) again; the bars of \(d.issuedOn) void"
    }
}
