import Foundation
import SQLKit
import XukeTrust
import XukeDomain
import XukeStorage

/// What the supervision routes read: lists kept to the caller's jurisdiction, and the desks that gather them.
extension SupervisionService {
    func publicPlans(paging: Paging? = nil) async throws -> [PlanRecord] {
        let before = try paging?.afterID()
        return try await db.read { try await PlanStore.plans($0, authorityPrefix: nil, publicOnly: true, limit: paging?.fetch ?? 500, before: before) }
    }

    /// Newest first; a page's cursor is the last result's publication moment and id (`Self.resultCursor`).
    func publishedResults(uscc: String?, paging: Paging? = nil) async throws -> [InspectionStore.Result] {
        let before = try paging?.after.map { try Self.resultPosition($0).orThrow(AppError(.request.cursor)) }
        return try await db.read { try await InspectionStore.publishedResults($0, uscc: uscc, limit: paging?.fetch ?? 200, before: before) }
    }

    static func resultCursor(_ r: InspectionStore.Result) -> String { "\(r.inspection.publishedAt ?? "")_\(r.inspection.id)" }

    static func resultPosition(_ cursor: String) -> (at: String, id: Int)? {
        guard let cut = cursor.lastIndex(of: "_"), let id = Int(cursor[cursor.index(after: cut)...]), Timestamp.date(String(cursor[..<cut])) != nil else { return nil }
        return (String(cursor[..<cut]), id)
    }

    func inspectors(for user: User) async throws -> [InspectorRecord] {
        let (_, j) = try supervisor(user)
        return try await db.read { try await InspectorStore.inspectors($0, countyPrefix: j.prefix) }
    }

    func delicensed(for user: User) async throws -> [TargetStore.Delicensed] {
        let (_, j) = try supervisor(user)
        return try await db.read { try await TargetStore.delicensed($0, countyPrefix: j.prefix) }
    }

    /// The plans of the officer's authority; the national authority sees every plan.
    func plans(for user: User, paging: Paging) async throws -> [PlanRecord] {
        let (authority, j) = try supervisor(user)
        let before = try paging.afterID()
        return try await db.read {
            try await PlanStore.plans($0, authorityPrefix: authority == Routing.national ? nil : j.prefix, publicOnly: false, limit: paging.fetch, before: before)
        }
    }

    func ownPlan(id: Int, user: User) async throws -> PlanRecord {
        try await db.read { try await ownPlan($0, id: id, user: user) }
    }

    /// A plan of the officer's authority with its inspections.
    func planWithInspections(id: Int, user: User) async throws -> (plan: PlanRecord, inspections: [InspectionRecord]) {
        try await db.read { sql in
            (try await ownPlan(sql, id: id, user: user), try await InspectionStore.inspections(sql, planID: id))
        }
    }

    /// The inspections a user takes part in: an officer's jurisdiction, a verifier's teams, an enterprise's own.
    func inspections(for u: User, paging: Paging) async throws -> [InspectionRecord] {
        let (limit, before) = (paging.fetch, try paging.afterID())
        return try await db.read { sql -> [InspectionRecord] in
            switch u.role {
            case .officer: try await InspectionStore.inspections(sql, authorityPrefix: u.jurisdiction.map { Jurisdiction(divisionCode: $0).prefix } ?? "", limit: limit, before: before)
            case .verifier: try await InspectionStore.inspections(sql, memberID: u.id, limit: limit, before: before)
            case .enterprise: try await InspectionStore.inspections(sql, uscc: u.enterpriseUSCC ?? "-", limit: limit, before: before)
            case .administrator, .lab, .agency: []
            }
        }
    }

    /// A verifier's or officer's own inspection tasks, with the names of the enterprises.
    func tasks(of user: User) async throws -> (inspections: [InspectionRecord], names: [String: String]) {
        try await db.read { sql in
            let list = try await InspectionStore.inspections(sql, memberID: user.id)
            return (list, try await EnterpriseStore.names(sql, Array(Set(list.map(\.uscc)))))
        }
    }

    func enforcements(for user: User, uscc: String?, paging: Paging) async throws -> [EnforcementRecord] {
        let (_, j) = try supervisor(user)
        let before = try paging.afterID()
        return try await db.read { try await EnforcementStore.enforcements($0, authorityPrefix: j.prefix, uscc: uscc, limit: paging.fetch, before: before) }
    }

    func leads(for user: User, state: Lead.State?, paging: Paging) async throws -> [Lead] {
        let (_, j) = try supervisor(user)
        let before = try paging.afterID()
        return try await db.read { try await DutiesStore.leads($0, authorityPrefix: j.prefix, state: state, limit: paging.fetch, before: before) }
    }

    func officerLead(number: String, user: User) async throws -> Lead {
        try await db.read { try await officerLead($0, number: number, user: user) }
    }

    func enterpriseNames(_ usccs: [String]) async throws -> [String: String] {
        try await db.read { try await EnterpriseStore.names($0, usccs) }
    }

    /// Everything on an officer's supervision desk, read at once.
    struct Desk: Sendable {
        var authority: String
        var jurisdiction: Jurisdiction
        var plans: [PlanRecord]
        var inspections: [InspectionRecord]
        var leads: [Lead]
        var measures: [EnforcementRecord]
        var accidents: [AccidentReport]
        var recalls: [Recall]
        var inspectors: [InspectorRecord]
        var names: [String: String]
    }

    func desk(for user: User) async throws -> Desk {
        let (authority, j) = try supervisor(user)
        let prefix = j.prefix
        return try await db.read { sql in
            let plans = try await PlanStore.plans(sql, authorityPrefix: authority == Routing.national ? nil : prefix, publicOnly: false)
            let inspections = try await InspectionStore.inspections(sql, authorityPrefix: prefix)
            let leads = try await DutiesStore.leads(sql, authorityPrefix: prefix, state: nil, limit: 100)
            let measures = try await EnforcementStore.enforcements(sql, authorityPrefix: prefix, limit: 100)
            let accidents = try await DutiesStore.accidents(sql, authorityPrefix: prefix, limit: 50)
            let recalls = try await DutiesStore.recalls(sql, authorityPrefix: prefix, limit: 50)
            let inspectors = try await InspectorStore.inspectors(sql, countyPrefix: prefix, activeOnly: true)
            let ids = Set(inspections.map(\.uscc) + leads.compactMap(\.uscc) + measures.map(\.uscc) + accidents.map(\.uscc) + recalls.map(\.uscc))
            return Desk(authority: authority, jurisdiction: j, plans: plans, inspections: inspections, leads: leads, measures: measures,
                        accidents: accidents, recalls: recalls, inspectors: inspectors, names: try await EnterpriseStore.names(sql, Array(ids)))
        }
    }
}

extension SupervisionService {
    /// A plan as the public sees it: nothing before it is announced, the secret only once it is revealed.
    struct PublicPlan: Encodable, Sendable {
        var code: String
        var authority: String
        var state: PlanRecord.State
        var titleZh: String
        var titleEn: String
        var announcedAt: String?
        var frozenAt: String?
        var beaconAt: String?
        /// When the organiser must have revealed the secret; past it an undrawn plan is forfeited.
        var revealDue: String?
        var drawnAt: String?
        var forfeitedAt: String?

        init(_ p: PlanRecord) {
            code = p.code
            authority = p.authority
            state = p.state
            titleZh = p.draft.titleZh
            titleEn = p.draft.titleEn
            announcedAt = p.announcedAt
            frozenAt = p.frozenAt
            beaconAt = p.beaconAt
            revealDue = p.revealDue
            drawnAt = p.drawnAt
            forfeitedAt = p.forfeitedAt
        }
    }

    struct PublicPlanDetail: Encodable, Sendable {
        var summary: PublicPlan
        var plan: JSONValue
        var enterpriseRoot: String?
        var inspectorRoot: String?
        var enterpriseCount: Int?
        var inspectorCount: Int?
        var beacon: String?
        /// One officer has entered a value that a second has not yet confirmed.
        var beaconProposed: Bool
        var secret: String?
        var result: JSONValue?
    }

    func announcedPlan(_ sql: any SQLDatabase, code: String) async throws -> PlanRecord {
        guard let p = try await PlanStore.plan(sql, code: code), p.state != .draft else { throw AppError.notFound("plan \(code)") }
        return p
    }

    func publicPlan(code: String) async throws -> PublicPlanDetail {
        try await db.read { sql in
            let p = try await announcedPlan(sql, code: code)
            return PublicPlanDetail(
                summary: PublicPlan(p), plan: try JSONValue.parse(Array((p.published ?? "{}").utf8)),
                enterpriseRoot: p.enterpriseRoot, inspectorRoot: p.inspectorRoot, enterpriseCount: p.enterpriseCount, inspectorCount: p.inspectorCount,
                beacon: p.beaconValue, beaconProposed: p.beaconValue == nil && p.beaconProposedValue != nil, secret: p.secret, result: try p.result.map { try JSONValue.parse(Array($0.utf8)) })
        }
    }

    /// The published inputs and result of a drawn plan, for anyone to recompute.
    func publicDrawBundle(code: String) async throws -> JSONValue {
        try await db.read { sql in
            let p = try await announcedPlan(sql, code: code)
            guard p.state == .drawn, let secret = p.secret.flatMap({ [UInt8](hex: $0) }), let result = p.result else {
                throw AppError(.draw.notYet)
            }
            return try await drawBundle(sql, p, secret: secret).json(result: try JSONValue.parse(Array(result.utf8)))
        }
    }
}
