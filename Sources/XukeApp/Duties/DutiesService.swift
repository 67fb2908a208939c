import SQLKit
import XukeDomain
import XukeStorage

/// What a licensed enterprise owes after its licence (docs/DOMAIN.md §10): yearly self-inspection reports,
/// standards declarations, recalls and accidents.
struct DutiesService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    let notifier: Notifier
    /// A late or troubling report becomes a supervision lead.
    let supervision: SupervisionService
}

/// What the duty routes read.
extension DutiesService {
    func publicDeclarations(uscc: String) async throws -> PublicDeclarations {
        try await db.read { try await publicDeclarations($0, uscc: uscc) }
    }

    func publicRecalls(uscc: String?, paging: Paging) async throws -> [Recall] {
        let before = try paging.afterID()
        return try await db.read { try await DutiesStore.recalls($0, uscc: uscc, limit: paging.fetch, before: before) }
    }

    /// Recalls with the names of the enterprises that made them.
    func recalls(uscc: String?) async throws -> (recalls: [Recall], names: [String: String]) {
        try await db.read { sql in
            let list = try await DutiesStore.recalls(sql, uscc: uscc)
            return (list, try await EnterpriseStore.names(sql, Array(Set(list.map(\.uscc)))))
        }
    }

    /// Accident reports a user may list: an officer's jurisdiction, or an enterprise's own.
    func accidents(for user: User, paging: Paging) async throws -> [AccidentReport] {
        let (prefix, uscc) = try dutyScope(user)
        let before = try paging.afterID()
        return try await db.read { try await DutiesStore.accidents($0, authorityPrefix: prefix, uscc: uscc, limit: paging.fetch, before: before) }
    }

    func recalls(for user: User, paging: Paging) async throws -> [Recall] {
        let (prefix, uscc) = try dutyScope(user)
        let before = try paging.afterID()
        return try await db.read { try await DutiesStore.recalls($0, authorityPrefix: prefix, uscc: uscc, limit: paging.fetch, before: before) }
    }

    func selfReports(of user: User) async throws -> [SelfReport] {
        guard user.role == .enterprise else { throw AppError.roleForbidden }
        return try await db.read { try await DutiesStore.selfReports($0, uscc: user.enterpriseUSCC ?? "-") }
    }

    /// Who owes a year's self-inspection report in an officer's jurisdiction; the ones still missing come first.
    /// A page's cursor is its last row: `0_<uscc>` while it had not filed, `1_<uscc>` once it had.
    func owing(year: Int, for user: User, paging: Paging = Paging(limit: 1000)) async throws -> [DutiesStore.Owing] {
        let (_, j) = try supervision.supervisor(user)
        let after = try paging.after.map { try Self.owingPosition($0).orThrow(AppError(.request.cursor)) }
        return try await db.read { try await DutiesStore.owing($0, year: year, divisionPrefix: j.prefix, limit: paging.fetch, after: after) }
    }

    func owingCounts(year: Int, for user: User) async throws -> (total: Int, missing: Int) {
        let (_, j) = try supervision.supervisor(user)
        return try await db.read { try await DutiesStore.owingCounts($0, year: year, divisionPrefix: j.prefix) }
    }

    static func owingCursor(_ o: DutiesStore.Owing) -> String { "\(o.submittedAt == nil ? 0 : 1)_\(o.uscc)" }

    static func owingPosition(_ cursor: String) -> (filed: Bool, uscc: String)? {
        let parts = cursor.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0] == "0" || parts[0] == "1", (try? USCC(String(parts[1]))) != nil else { return nil }
        return (parts[0] == "1", String(parts[1]))
    }

    struct EnterpriseDuties: Sendable {
        var declarations: PublicDeclarations
        var accidents: [AccidentReport]
        var recalls: [Recall]
        var selfReports: [SelfReport]
        var inspections: [InspectionRecord]
    }

    /// An enterprise's own filings and the inspections it has had, for its duties page.
    func duties(of uscc: String) async throws -> EnterpriseDuties {
        try await db.read { sql in
            EnterpriseDuties(declarations: try await publicDeclarations(sql, uscc: uscc), accidents: try await DutiesStore.accidents(sql, uscc: uscc),
                             recalls: try await DutiesStore.recalls(sql, uscc: uscc), selfReports: try await DutiesStore.selfReports(sql, uscc: uscc),
                             inspections: try await InspectionStore.inspections(sql, uscc: uscc))
        }
    }
}

extension DutiesService {
    /// Whose duty filings a user may list: an officer's jurisdiction, or an enterprise's own.
    func dutyScope(_ user: User) throws -> (prefix: String?, uscc: String?) {
        switch user.role {
        case .enterprise: return (nil, user.enterpriseUSCC ?? "-")
        case .officer: return (try supervision.supervisor(user).jurisdiction.prefix, nil)
        default: throw AppError.roleForbidden
        }
    }

    /// A recall as the public sees it: everything but who filed it.
    struct PublicRecall: Encodable, Sendable {
        var number: String
        var uscc: String
        var product: String
        var batches: String
        var defect: String
        var quantity: Int
        var recovered: Int
        var decidedOn: String
        var reportedOn: String
        var late: Bool
        var state: Recall.State
        var summary: String

        init(_ r: Recall) {
            number = r.number
            uscc = r.uscc
            product = r.product
            batches = r.batches
            defect = r.defect
            quantity = r.quantity
            recovered = r.recovered
            decidedOn = r.decidedOn.description
            reportedOn = r.reportedOn.description
            late = r.late
            state = r.state
            summary = r.summary
        }
    }

    struct RecallDetail: Encodable, Sendable {
        var recall: WithLate<Recall>
        var updates: [RecallUpdate]
    }

    func recallDetail(number: String, user: User) async throws -> RecallDetail {
        try await db.read { sql in
            let (prefix, uscc) = try dutyScope(user)
            guard let r = try await DutiesStore.recall(sql, number: number), uscc.map({ $0 == r.uscc }) ?? true,
                  prefix.map({ r.authority.hasPrefix($0) }) ?? true else { throw AppError.notFound("recall \(number)") }
            return RecallDetail(recall: WithLate(r), updates: try await DutiesStore.recallUpdates(sql, recallID: r.id))
        }
    }
}
