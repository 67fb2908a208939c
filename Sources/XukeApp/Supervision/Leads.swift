import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage

/// Problem leads (docs/DOMAIN.md §9): complaints and reports from the public, failed checks and accidents. Officers
/// work them by opening flying inspections and answer the reporter, who follows the lead with a tracking code.
extension SupervisionService {
    struct ReportInput: Decodable, Sendable {
        /// complaint or whistleblower.
        var source: Lead.Source
        var uscc: String?
        /// The enterprise as the reporter knows it.
        var subject: String
        /// Where it is, when the code is not known: a province, city or county code.
        var division: String?
        var product: String
        var description: String
        /// Empty for an anonymous report.
        var contact: String?
    }

    struct ReportReceipt: Encodable, Sendable {
        var number: String
        /// Shown once; only its hash is kept.
        var trackingCode: String
        var authority: String
    }

    /// 16 characters a person can read aloud: no 0/O, 1/I/L.
    static let trackingAlphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    static func trackingCode() -> String {
        var g = SystemRandomNumberGenerator()
        let chars = (0..<16).map { _ in trackingAlphabet[Int.random(in: 0..<trackingAlphabet.count, using: &g)] }
        return stride(from: 0, to: 16, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
    }

    static func trackingHash(_ code: String) -> String {
        Secrets.hash(code.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    func fileReport(_ input: ReportInput) async throws -> ReportReceipt {
        guard input.source == .complaint || input.source == .whistleblower else {
            throw AppError(.lead.source)
        }
        let subject = clipped(input.subject, max: 200), product = clipped(input.product, max: 200)
        let description = clipped(input.description, max: 8000), contact = clipped(input.contact, max: 200)
        guard !subject.isEmpty, description.count >= 20 else {
            throw AppError(.lead.details)
        }
        let uscc = clipped(input.uscc, max: 100).uppercased()
        if !uscc.isEmpty { _ = try USCC(uscc) }
        // A way back to the reporter, or nothing at all: a phone number or an e-mail address.
        if !contact.isEmpty && contact.wholeMatch(of: /\+?[0-9][0-9 -]{6,19}|[^@\s]+@[^@\s]+\.[^@\s]+/) == nil {
            throw AppError(.lead.contact)
        }
        let code = Self.trackingCode()
        return try await db.write { sql in
            let known = uscc.isEmpty ? nil : try await EnterpriseStore.get(sql, uscc: uscc, visibility: .everything)
            // Without a known enterprise the report goes to the division the reporter names, or the one inside the code.
            let named = clipped(input.division, max: 6)
            let fromCode = uscc.isEmpty ? "" : String(Array(uscc)[2..<8])
            guard let authority = known?.divisionCode ?? [named, fromCode].first(where: { division($0) != nil }) else {
                throw AppError(.lead.division)
            }
            let lead = try await newLead(sql, source: input.source, authority: authority, uscc: known?.uscc.value ?? (uscc.isEmpty ? nil : uscc),
                                         subject: subject, product: product, description: description, contact: contact, cause: nil,
                                         trackingHash: Self.trackingHash(code))
            try await Events.append(sql, type: .leadReceived, subject: "lead/\(lead.number)", actor: "public", jurisdiction: authority,
                                    at: clock.stamp, payload: LeadEvent(lead))
            return ReportReceipt(number: lead.number, trackingCode: code, authority: authorityName(authority))
        }
    }

    func newLead(_ sql: any SQLDatabase, source: Lead.Source, authority: String, uscc: String?, subject: String, product: String,
                 description: String, contact: String, cause: String?, trackingHash: String?) async throws -> Lead {
        let year = clock.today.year
        return try await DutiesStore.insertLead(sql, Lead(
            id: 0, number: String(format: "XS%04d-%06d", year, try await SettingsStore.nextSerial(sql, "lead:\(year)")), source: source,
            authority: authority, uscc: uscc, subject: subject, product: product, description: description, contact: contact, cause: cause,
            state: .new, inspectionId: nil, reply: "", createdAt: clock.stamp, closedAt: nil, closedBy: nil), trackingHash: trackingHash)
    }

    /// A lead the platform raises by itself from a failed check or an accident.
    func raiseLead(_ sql: any SQLDatabase, source: Lead.Source, enterprise e: Enterprise, product: String, description: String, cause: String) async throws -> Lead {
        let lead = try await newLead(sql, source: source, authority: e.divisionCode, uscc: e.uscc.value, subject: e.name, product: product,
                                     description: description, contact: "", cause: cause, trackingHash: nil)
        try await Events.append(sql, type: .leadRaised, subject: "lead/\(lead.number)", actor: "system", jurisdiction: e.divisionCode,
                                at: clock.stamp, payload: LeadEvent(lead))
        return lead
    }

    /// What the reporter sees with the tracking code.
    struct LeadStatus: Encodable, Sendable {
        var number: String
        var state: Lead.State
        var receivedAt: String
        var closedAt: String?
        var reply: String
    }

    func trackLead(code: String) async throws -> LeadStatus {
        guard let l = try await db.read({ try await DutiesStore.lead($0, trackingHash: Self.trackingHash(code)) }) else {
            throw AppError(.lead.unknownCode)
        }
        return LeadStatus(number: l.number, state: l.state, receivedAt: l.createdAt, closedAt: l.closedAt, reply: l.reply)
    }

    func officerLead(_ sql: any SQLDatabase, number: String, user: User) async throws -> Lead {
        let (_, jurisdiction) = try supervisor(user)
        guard let l = try await DutiesStore.lead(sql, number: number), jurisdiction.contains(divisionCode: l.authority) else {
            throw AppError.notFound("lead \(number)")
        }
        return l
    }

    struct LeadCloseInput: Decodable, Sendable {
        /// The answer the reporter reads.
        var reply: String
    }

    func closeLead(number: String, _ input: LeadCloseInput, by user: User) async throws -> Lead {
        let reply = clipped(input.reply, max: 4000)
        guard !reply.isEmpty else { throw AppError(.lead.reply) }
        return try await db.write { sql in
            var l = try await officerLead(sql, number: number, user: user)
            guard l.state != .closed else { throw AppError(.lead.closed) }
            if let id = l.inspectionId, let i = try await InspectionStore.inspection(sql, id: id), i.state != .concluded {
                throw AppError(.lead.inspectionOpen, ["number": "\(i.number)"])
            }
            let was = l.state
            l.state = .closed
            l.reply = reply
            l.closedAt = clock.stamp
            l.closedBy = user.actor
            guard try await DutiesStore.saveLead(sql, l, expecting: was) else { throw AppError(.duty.concurrent) }
            try await Events.append(sql, type: .leadClosed, subject: "lead/\(l.number)", actor: user.actor, jurisdiction: l.authority,
                                    at: clock.stamp, payload: LeadEvent(l))
            return l
        }
    }

    /// Binds a lead to the flying inspection opened from it.
    func takeLead(_ sql: any SQLDatabase, number: String, uscc: String, inspection: InspectionRecord, user: User) async throws {
        var l = try await officerLead(sql, number: number, user: user)
        guard l.state == .new else {
            throw AppError(.lead.taken)
        }
        guard l.uscc == nil || l.uscc == uscc else {
            throw AppError(.lead.otherEnterprise)
        }
        // From now on it is the enterprise's county's lead too, wherever the reporter filed it.
        if let e = try await EnterpriseStore.get(sql, uscc: uscc, visibility: .everything) { l.authority = e.divisionCode }
        l.uscc = uscc
        l.state = .inspecting
        l.inspectionId = inspection.id
        guard try await DutiesStore.saveLead(sql, l, expecting: .new) else { throw AppError(.duty.concurrent) }
        try await Events.append(sql, type: .leadInspecting, subject: "lead/\(l.number)", actor: user.actor, jurisdiction: l.authority,
                                at: clock.stamp, payload: LeadEvent(l, inspection: inspection.number))
    }
}
