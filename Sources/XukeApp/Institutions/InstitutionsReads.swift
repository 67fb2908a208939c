import SQLKit
import Foundation
import XukeDomain
import XukeStorage

/// What the registers' routes read.
extension InstitutionsService {
    func labs() async throws -> [Lab] {
        try await db.read { try await LabStore.all($0) }
    }

    func lab(_ code: String) async throws -> Lab {
        guard let lab = try await db.read({ try await LabStore.lab($0, code: code) }) else { throw AppError.notFound("lab \(code)") }
        return lab
    }

    /// The lab a lab user files for, with its reports; none when the user belongs to no lab yet.
    func ownLab(of user: User) async throws -> (lab: Lab?, reports: [TestReport]) {
        try await db.read { sql -> (Lab?, [TestReport]) in
            guard let id = try await LabStore.labID(sql, member: user.id) else { return (nil, []) }
            return (try await LabStore.lab(sql, id: id), try await LabStore.reports(sql, labID: id))
        }
    }

    /// Credit entries in force today: an enterprise's own, or every listed one.
    /// Newest first, one more than the page holds.
    func publicCredit(uscc: String?, paging: Paging) async throws -> [CreditEntry] {
        let today = clock.today, before = try paging.afterID()
        return try await db.read { sql in
            if let uscc {
                let own = try await CreditStore.entries(sql, uscc: uscc).filter { e in e.inForce(on: today) && before.map { e.id < $0 } ?? true }
                return Array(own.prefix(paging.fetch))
            }
            return try await CreditStore.listed(sql, on: today, list: nil, limit: paging.fetch, before: before)
        }
    }

    func bans() async throws -> [Ban] {
        try await db.read { try await CreditStore.bans($0) }
    }

    /// The credit lists as published today, with the bans and the names of the enterprises listed.
    func creditLists() async throws -> (entries: [CreditEntry], bans: [Ban], names: [String: String]) {
        let today = clock.today
        return try await db.read { sql in
            let entries = try await CreditStore.listed(sql, on: today, list: nil)
            return (entries, try await CreditStore.bans(sql), try await EnterpriseStore.names(sql, Array(Set(entries.map(\.uscc)))))
        }
    }

    func reviewBodies() async throws -> [ReviewBody] {
        try await db.read { try await ReviewBodyStore.all($0) }
    }

    /// A review body's members and the verifiers a registrar may add (only for one who may edit it), and the body
    /// a verifier belongs to.
    func reviewBodyPeople(_ body: ReviewBody, canEdit: Bool, viewer: User?) async throws -> (members: [User], verifiers: [User], ownBody: ReviewBody?) {
        try await db.read { sql in
            let ids = canEdit ? try await ReviewBodyStore.members(sql, bodyID: body.id) : []
            let members = try await UserStore.get(sql, ids: ids)
            let verifiers = canEdit ? try await UserStore.list(sql, role: .verifier) : []
            let own = viewer?.role == .verifier ? try await ReviewBodyStore.bodyOf(sql, member: viewer!.id) : nil
            return (ids.compactMap { members[$0] }, verifiers, own)
        }
    }

    func certBodies() async throws -> [CertBody] {
        try await db.read { try await CCCStore.bodies($0) }
    }

    /// CCC certificates by number or holder, with their status as of today.
    /// In number order; a page's cursor is the last certificate's number.
    func cccCertificates(number: String?, holder: String?, paging: Paging) async throws -> [CCCCertificate] {
        let today = clock.today
        // A certificate number is 16 digits (docs/DOMAIN.md §11); any other cursor was never handed out.
        if let after = paging.after, after.utf8.count != 16 || !after.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { throw AppError(.request.cursor) }
        return try await db.read { try await CCCStore.find($0, number: number, holder: holder, limit: paging.fetch, after: paging.after) }.map { c in
            var shown = c
            shown.status = c.status(on: today)
            return shown
        }
    }

    /// The CCC page: certificates found (when asked), the certification bodies, and products moved from licensing to CCC.
    func cccRegister(number: String?, holder: String?) async throws -> (found: [CCCCertificate], bodies: [CertBody], moved: [CatalogStore.CCCTransfer]) {
        try await db.read { sql in
            (number == nil && holder == nil ? [] : try await CCCStore.find(sql, number: number, holder: holder),
             try await CCCStore.bodies(sql), try await CatalogStore.cccTransfers(sql))
        }
    }
}

extension InstitutionsService {
    /// A list entry as the public sees it: who is listed, why, by whom and until when; not who typed it.
    struct PublicCreditEntry: Encodable, Sendable {
        var number: String
        var uscc: String
        var list: CreditEntry.List
        var cause: String
        var authority: String
        var listedOn: String
        var endsOn: String?

        init(_ e: CreditEntry) {
            number = e.number
            uscc = e.uscc
            list = e.list
            cause = e.cause
            authority = e.authority
            listedOn = e.listedOn.description
            endsOn = e.endsOn?.description
        }
    }

    struct CreditDetail: Encodable, Sendable {
        var entry: CreditEntry
        var inForce: Bool
        var repairs: [CreditRepair]
    }

    /// An entry with its repair applications, for its enterprise and the officers over it.
    func creditDetail(number: String, user: User) async throws -> CreditDetail {
        try await db.read { sql in
            guard let e = try await CreditStore.entry(sql, number: number) else { throw AppError.notFound("credit \(number)") }
            let allowed = switch user.role {
            case .enterprise: user.enterpriseUSCC == e.uscc
            case .officer: user.oversees(e.authority)
            case .administrator: true
            default: false
            }
            guard allowed else { throw AppError.notFound("credit \(number)") }
            return CreditDetail(entry: e, inForce: e.inForce(on: clock.today), repairs: try await CreditStore.repairs(sql, entryID: e.id))
        }
    }
}

extension InstitutionsService {
    /// A year as the public sees it: whether the report came and when, and the inspection's result and findings.
    struct PublicReviewYear: Encodable, Sendable {
        var year: Int
        var reportFiledOn: String?
        var reportLate: Bool
        var inspectionResult: ReviewBodyYear.Result?
        var inspectionFindings: String?
        var inspectedOn: String?

        init(_ y: ReviewBodyYear) {
            year = y.year
            reportFiledOn = y.reportFiledOn?.description
            reportLate = y.reportLate
            inspectionResult = y.inspectionResult
            inspectionFindings = y.inspectionFindings
            inspectedOn = y.inspectedOn?.description
        }
    }

    struct ReviewBodyDetail: Encodable, Sendable {
        var body: ReviewBody
        var history: [ReviewBodyChange]
        var years: [PublicReviewYear]
        var performance: ReviewPerformance
    }
}
