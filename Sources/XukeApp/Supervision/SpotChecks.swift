import Crypto
import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// Double random, one public (双随机、一公开): rosters of inspectors and targets, spot-check plans drawn with
/// dr-v1 (docs/FORMATS.md §3), and the inspections a draw creates. Every step of a plan is a public log entry.
extension SupervisionService {
    /// The authority an officer plans and supervises for, and the area it covers.
    func supervisor(_ user: User) throws -> (authority: String, jurisdiction: Jurisdiction) {
        guard user.role == .officer else {
            throw AppError(.supervision.officerOnly)
        }
        return (user.jurisdiction ?? Routing.national, Jurisdiction(divisionCode: user.jurisdiction))
    }

    /// The event of an unannounced inspection before its visit: outside every scope of the change feed.

    /// An enterprise the officer's jurisdiction covers.
    func supervisedEnterprise(_ sql: any SQLDatabase, _ uscc: String, in jurisdiction: Jurisdiction) async throws -> Enterprise {
        guard let e = try await EnterpriseStore.get(sql, uscc: uscc, visibility: .everything) else { throw AppError.notFound(uscc) }
        guard jurisdiction.contains(divisionCode: e.divisionCode) else {
            throw AppError(.supervision.outsideJurisdiction)
        }
        return e
    }

    // MARK: Rosters

    struct InspectorInput: Decodable, Sendable {
        var userId: Int
        var county: String
        var qualified: [String]?
        var capacity: Int?
        var active: Bool?
    }

    func saveInspector(_ input: InspectorInput, by user: User) async throws -> InspectorRecord {
        let (_, jurisdiction) = try supervisor(user)
        guard division(input.county)?.level == .county, jurisdiction.contains(divisionCode: input.county) else {
            throw AppError(.inspector.county)
        }
        let capacity = input.capacity ?? 5
        guard (1...50).contains(capacity) else {
            throw AppError(.inspector.capacity)
        }
        return try await db.write { sql in
            guard let person = try await UserStore.get(sql, id: input.userId), [.officer, .verifier].contains(person.role), !person.disabled else {
                throw AppError(.inspector.user)
            }
            let known = try await TargetStore.categoryNumbers(sql)
            let qualified = Array(Set(input.qualified ?? [])).sorted()
            if let unknown = qualified.first(where: { !known.contains($0) }) {
                throw AppError(.inspector.category, ["unknown": "\(unknown)"])
            }
            if let existing = try await InspectorStore.inspector(sql, userID: input.userId), !jurisdiction.contains(divisionCode: existing.county) {
                throw AppError(.inspector.notYours)
            }
            let record = InspectorRecord(userID: person.id, code: InspectorRecord.code(userID: person.id), name: person.displayName, county: input.county,
                                         qualified: qualified, capacity: capacity, active: input.active ?? true, updatedAt: clock.stamp)
            try await InspectorStore.saveInspector(sql, record)
            try await Events.append(sql, type: .inspectorSaved, subject: "inspector/\(record.code)", actor: user.actor,
                                    jurisdiction: input.county, at: clock.stamp, payload: record)
            return record
        }
    }

    struct DelicensedInput: Decodable, Sendable {
        var uscc: String
        var category: String
        var since: CivilDate
        var note: String?
    }

    /// A maker of a product that left the catalog, to be drawn in the de-licensed strata.
    func addDelicensed(_ input: DelicensedInput, by user: User) async throws -> TargetStore.Delicensed {
        let (_, jurisdiction) = try supervisor(user)
        return try await db.write { sql in
            let e = try await supervisedEnterprise(sql, input.uscc, in: jurisdiction)
            guard try await TargetStore.categoryNumbers(sql).contains(input.category) else {
                throw AppError(.delicensed.category, ["category": "\(input.category)"])
            }
            let note = clipped(input.note, max: 500)
            try await TargetStore.addDelicensed(sql, uscc: input.uscc, category: input.category, since: input.since, note: note,
                                                     by: user.username, at: clock.stamp)
            let d = TargetStore.Delicensed(uscc: input.uscc, name: e.name, county: e.divisionCode, category: input.category,
                                                since: input.since, note: note)
            try await Events.append(sql, type: .delicensedAdded, subject: "enterprise/\(input.uscc)", actor: user.actor,
                                    jurisdiction: e.divisionCode, at: clock.stamp, payload: d)
            return d
        }
    }

    // MARK: Plans

    struct PlanInput: Decodable, Sendable {
        var plan: SpotCheckPlan
        /// Let the platform make the organiser's secret: it is shown once in the answer and never stored.
        var generateSecret: Bool?
        /// Let the platform set every quota left at 0 from today's roster (`SpotCheckPlan.defaultRates`).
        var defaultQuotas: Bool?

        /// The plan, committed to a fresh secret when one is asked for, and that secret.
        func withSecret() -> (SpotCheckPlan, [UInt8]?) {
            guard generateSecret == true else { return (plan, nil) }
            var p = plan
            let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
            p.commit = DrawV1.commitment(of: secret)
            return (p, secret)
        }
    }

    struct PlanAnswer: Encodable, Sendable {
        var plan: PlanRecord
        /// Only when the platform made the secret: keep it, it is needed for the draw and cannot be shown again.
        var secret: String?
    }

    func checkPlan(_ sql: any SQLDatabase, _ plan: SpotCheckPlan, jurisdiction: Jurisdiction) async throws {
        var problems = plan.problems(jurisdiction: jurisdiction, categories: try await TargetStore.categoryNumbers(sql))
        if plan.beacon.availableAt <= clock.now() {
            problems.append(LocalizedText(zh: "随机源必须是将来的（信标轮次或开奖日期尚未到来）", en: "The randomness source must lie in the future (a beacon round or draw date still to come)"))
        }
        try refuseIf(problems, code: .plan.invalid)
    }

    /// Quotas left at 0 become the default share of the targets in each stratum today: makers of products that left
    /// the catalog are checked at twice the rate of licensed ones, high-risk strata (failures, accidents, credit
    /// lists) at twice again (docs/DOMAIN.md §9); a stratum with targets gets at least one.
    func settingDefaultQuotas(_ sql: any SQLDatabase, _ plan: SpotCheckPlan, authority: String, when asked: Bool?) async throws -> SpotCheckPlan {
        guard asked == true else { return plan }
        let (targets, _) = try await rosters(sql, plan, authority: authority)
        let counts = Dictionary(grouping: targets, by: \.stratum).mapValues(\.count)
        var p = plan
        for n in p.strata.indices where p.strata[n].quota == 0 {
            p.strata[n].quota = SpotCheckPlan.defaultQuota(targets: counts[p.strata[n].key] ?? 0, kind: p.strata[n].kind, risk: p.strata[n].risk)
        }
        return p
    }

    func createPlan(_ input: PlanInput, by user: User) async throws -> PlanAnswer {
        let (authority, jurisdiction) = try supervisor(user)
        var (plan, secret) = input.withSecret()
        return try await db.write { sql in
            plan = try await settingDefaultQuotas(sql, plan, authority: authority, when: input.defaultQuotas)
            try await checkPlan(sql, plan, jurisdiction: jurisdiction)
            guard try await PlanStore.plan(sql, code: plan.code) == nil else {
                throw AppError(.plan.codeTaken, ["code": "\(plan.code)"])
            }
            let id = try await PlanStore.insertPlan(sql, plan, authority: authority, by: user.username, at: clock.stamp)
            let record = try await PlanStore.plan(sql, id: id).orThrow("spot_plans \(id)")
            try await Events.append(sql, type: .planDrafted, subject: "plan/\(plan.code)", actor: user.actor, jurisdiction: authority,
                                    at: clock.stamp, payload: plan)
            return PlanAnswer(plan: record, secret: secret?.hex)
        }
    }

    /// The plan, if the officer's authority made it (or is above the one that did).
    func ownPlan(_ sql: any SQLDatabase, id: Int, user: User) async throws -> PlanRecord {
        let (_, jurisdiction) = try supervisor(user)
        guard let p = try await PlanStore.plan(sql, id: id) else { throw AppError.notFound("plan \(id)") }
        guard jurisdiction.covers(authority: p.authority) else {
            throw AppError(.plan.notYours)
        }
        return p
    }

    func updatePlan(id: Int, _ input: PlanInput, by user: User) async throws -> PlanAnswer {
        try await db.write { sql in
            var p = try await ownPlan(sql, id: id, user: user)
            _ = try PlanMachine.next(p.state, .edit)
            var (plan, secret) = input.withSecret()
            plan.code = p.code
            plan = try await settingDefaultQuotas(sql, plan, authority: p.authority, when: input.defaultQuotas)
            try await checkPlan(sql, plan, jurisdiction: try supervisor(user).jurisdiction)
            p.draft = plan
            p.updatedAt = clock.stamp
            try await PlanStore.savePlan(sql, p, expecting: .draft)
            return PlanAnswer(plan: p, secret: secret?.hex)
        }
    }

    /// The plan object dr-v1 hashes: everything fixed before the draw, and nothing that could be chosen after.
    static func publishedPlan(_ p: SpotCheckPlan, authority: String) -> JSONValue {
        var beacon: [String: JSONValue] = ["source": .string(p.beacon.source.rawValue)]
        if let round = p.beacon.round { beacon["round"] = .int(Int64(round)) }
        if let name = p.beacon.name { beacon["name"] = .string(name) }
        if let date = p.beacon.date { beacon["date"] = .string(date.description) }
        return [
            "id": .string(p.code), "algorithm": .string(DrawV1.algorithm), "authority": .string(authority),
            "title": ["zh": .string(p.titleZh), "en": .string(p.titleEn)],
            "quota": .object(Dictionary(uniqueKeysWithValues: p.strata.map { ($0.key, JSONValue.int(Int64($0.quota))) })),
            "strata": .array(p.strata.map {
                ["key": .string($0.key), "kind": .string($0.kind.rawValue), "category": .string($0.category), "region": .string($0.region),
                 "risk": .string($0.risk?.rawValue ?? "any"), "quota": .int(Int64($0.quota))]
            }),
            "team_size": .int(Int64(p.teamSize)),
            "recusal": .array([DrawV1.Skip.sameCounty, .inspectedLastTime, .notQualified, .atCapacity].map { .string($0.rawValue) }),
            "items": .object(p.items.mapValues { .array($0.map(JSONValue.string)) }),
            "beacon": .object(beacon), "commit": .string(p.commit), "publish_within_days": .int(Int64(p.publishWithinDays)),
        ]
    }

    /// What the public log says at each step of a plan; rebuilt from the plan's row by the audit.
    static func planLogEntry(_ kind: String, _ p: PlanRecord) -> JSONValue? {
        switch EventType(rawValue: kind) {
        case .planAnnounced:
            guard let at = p.announcedAt, let published = p.published, let plan = try? JSONValue.parse(Array(published.utf8)) else { return nil }
            return ["type": .string(kind), "at": .string(at), "plan": plan]
        case .planFrozen:
            guard let at = p.frozenAt, let e = p.enterpriseRoot, let i = p.inspectorRoot, let ne = p.enterpriseCount, let ni = p.inspectorCount else { return nil }
            return ["type": .string(kind), "at": .string(at), "plan": .string(p.code), "enterprise_root": .string(e), "inspector_root": .string(i),
                    "enterprise_count": .int(Int64(ne)), "inspector_count": .int(Int64(ni))]
        case .planBeaconProposed:
            guard let at = p.beaconProposedAt, let value = p.beaconProposedValue, let by = p.beaconProposedBy else { return nil }
            return ["type": .string(kind), "at": .string(at), "plan": .string(p.code), "beacon": .string(value), "entered_by": .string(by)]
        case .planBeacon:
            guard let at = p.beaconAt, let value = p.beaconValue else { return nil }
            var entry: [String: JSONValue] = ["type": .string(kind), "at": .string(at), "plan": .string(p.code), "beacon": .string(value)]
            // Plans confirmed before two officers were required carry neither name nor deadline.
            if let by = p.beaconProposedBy, let confirmed = p.beaconConfirmedBy, let due = p.revealDue {
                entry["entered_by"] = .string(by)
                entry["confirmed_by"] = .string(confirmed)
                entry["reveal_due"] = .string(due)
            }
            return .object(entry)
        case .planForfeited:
            guard let at = p.forfeitedAt, let due = p.revealDue else { return nil }
            return ["type": .string(kind), "at": .string(at), "plan": .string(p.code), "reveal_due": .string(due)]
        case .drawPublished:
            guard let at = p.drawnAt, let secret = p.secret, let result = p.result else { return nil }
            return ["type": .string(kind), "at": .string(at), "plan": .string(p.code), "secret": .string(secret),
                    "result_sha256": .string(sha256Hex(Data(result.utf8)))]
        default:
            return nil
        }
    }

    /// Logs a step of a plan and records its event, in the caller's transaction.
    func logPlan(_ sql: any SQLDatabase, _ kind: EventType, _ p: PlanRecord, by user: User) async throws {
        try await logPlan(sql, kind, p, actor: user.actor)
    }

    /// `actor` is "system" for what the sweep does by itself.
    func logPlan(_ sql: any SQLDatabase, _ kind: EventType, _ p: PlanRecord, actor: String) async throws {
        let entry = try Self.planLogEntry(kind.rawValue, p).orThrow("log entry \(kind)")
        let index = try await TransparencyStore.append(sql, kind: kind.rawValue, subject: "plan/\(p.code)", entry: entry.canonical, at: clock.stamp)
        try await Events.append(sql, type: kind, subject: "plan/\(p.code)", actor: actor, jurisdiction: p.authority, at: clock.stamp,
                                payload: LoggedStep(entry: entry, logIndex: index))
    }

    func announcePlan(id: Int, by user: User) async throws -> PlanRecord {
        try await db.write { sql in
            var p = try await ownPlan(sql, id: id, user: user)
            let announced = try PlanMachine.next(p.state, .announce)
            try await checkPlan(sql, p.draft, jurisdiction: try supervisor(user).jurisdiction)
            p.state = announced
            p.published = Self.publishedPlan(p.draft, authority: p.authority).canonicalString
            p.announcedAt = clock.stamp
            p.updatedAt = clock.stamp
            try await PlanStore.savePlan(sql, p, expecting: .draft)
            try await logPlan(sql, .planAnnounced, p, by: user)
            return p
        }
    }

    /// Freezes both rosters as they stand, before the beacon value can exist, and logs their roots.
    func freezePlan(id: Int, by user: User) async throws -> PlanRecord {
        try await db.write { sql in
            var p = try await ownPlan(sql, id: id, user: user)
            let frozen = try PlanMachine.next(p.state, .freeze)
            guard clock.now() < p.draft.beacon.availableAt else {
                throw AppError(.plan.beaconPassed)
            }
            let (targets, inspectors) = try await rosters(sql, p.draft, authority: p.authority)
            guard inspectors.count >= p.draft.teamSize else {
                throw AppError(.plan.tooFewInspectors)
            }
            // Each roster line is made once: stored as it is hashed.
            let eLines = targets.map { (id: $0.id, line: $0.canonical) }, iLines = inspectors.map { (id: $0.id, line: $0.json.canonical) }
            try await PlanStore.insertRoster(sql, planID: p.id, roster: "enterprise", eLines.map { RosterLine(member: $0.id, line: String(decoding: $0.line, as: UTF8.self)) })
            try await PlanStore.insertRoster(sql, planID: p.id, roster: "inspector", iLines.map { RosterLine(member: $0.id, line: String(decoding: $0.line, as: UTF8.self)) })
            p.enterpriseRoot = try DrawV1.rosterRoot(eLines).hex
            p.inspectorRoot = try DrawV1.rosterRoot(iLines).hex
            p.enterpriseCount = targets.count
            p.inspectorCount = inspectors.count
            p.state = frozen
            p.frozenAt = clock.stamp
            p.updatedAt = clock.stamp
            try await PlanStore.savePlan(sql, p, expecting: .announced)
            try await logPlan(sql, .planFrozen, p, by: user)
            return p
        }
    }

    /// Who may be drawn under a plan today: targets in its strata, and the authority's active inspectors.
    func rosters(_ sql: any SQLDatabase, _ plan: SpotCheckPlan, authority: String) async throws -> ([DrawV1.Target], [DrawV1.Inspector]) {
        let prefix = authority == Routing.national ? "" : Jurisdiction(divisionCode: authority).prefix
        let records = try await TargetStore.riskRecords(sql, since: RiskPolicy.since(clock.today))
        // Enterprises on a credit list are checked more often (docs/DOMAIN.md §9, §10).
        let listed = try await CreditStore.listedUSCCs(sql, on: clock.today)
        let last = try await TargetStore.lastTeams(sql)
        var targets: [String: DrawV1.Target] = [:]
        func add(_ uscc: String, kind: Stratum.Kind, categories: [String], county: String) {
            var record = records[uscc] ?? .init()
            record.listed = listed.contains(uscc)
            let risk = RiskPolicy.risk(record)
            for category in categories {
                guard let s = plan.stratum(kind: kind, category: category, county: county, risk: risk) else { continue }
                targets[uscc] = DrawV1.Target(id: uscc, stratum: s.key, category: category, county: county, lastInspectors: last[uscc] ?? [])
                return
            }
        }
        for t in try await TargetStore.licensedTargets(sql, countyPrefix: prefix) { add(t.uscc, kind: .licensed, categories: t.categories, county: t.county) }
        for d in try await TargetStore.delicensed(sql, countyPrefix: prefix) where targets[d.uscc] == nil {
            add(d.uscc, kind: .delicensed, categories: [d.category], county: d.county)
        }
        let inspectors = try await InspectorStore.inspectors(sql, countyPrefix: prefix, activeOnly: true).map {
            DrawV1.Inspector(id: $0.code, county: $0.county, capacity: $0.capacity, qualified: $0.qualified)
        }
        return (targets.values.sorted { $0.id < $1.id }, inspectors)
    }
}
