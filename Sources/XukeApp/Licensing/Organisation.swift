import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage

/// How an authority organises its officers: each case has a named handler (given by the office head, or taken from
/// the office's queue, and given again only with a reason); each authority sets its own time limits (never beyond the
/// platform's), whether simplified renewal is open and for which units, and the chain of ranks that signs its
/// decisions — every signature recorded, nobody signing twice in one chain.
extension LicensingService {
    /// The platform's licensing rules with the authority's own, shorter limits in place.
    func rules(_ sql: any SQLDatabase, authority: String) async throws -> LicensingRules {
        var rules = try await SettingsStore.rules(sql)
        let own = try await OrganisationStore.settings(sql, authority: authority)
        rules.acceptanceDays = own.acceptanceDays ?? rules.acceptanceDays
        rules.verificationDays = own.verificationDays ?? rules.verificationDays
        rules.decisionDays = own.decisionDays ?? rules.decisionDays
        rules.issuanceDays = own.issuanceDays ?? rules.issuanceDays
        return rules
    }

    // MARK: Handlers

    /// Names the case's handler: `handlerID` nil takes it from the queue for oneself. The office head (a section
    /// chief or director over the authority) gives cases to any officer of it; giving a case that has a handler
    /// again needs a reason.
    func assignHandler(caseID: Int, handlerID: Int?, reason raw: String, by user: User) async throws -> CaseRecord {
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= 500 else { throw AppError(.assignment.reason) }
        return try await db.write { sql in
            guard var c = try await CaseStore.visible(sql, id: caseID, scope: caseScope(user)) else { throw AppError.notFound("application \(caseID)") }
            try requireOwnOfficer(user, of: c.authority)
            guard !c.state.isFinal else { throw AppError(.assignment.closed) }
            let target = handlerID ?? user.id
            let head = try await OrganisationStore.rank(sql, userID: user.id) != .handler
            if target != user.id || c.handlerID != nil {
                guard head else { throw AppError(.assignment.notHead) }
            }
            if c.handlerID != nil && reason.isEmpty { throw AppError(.assignment.reason) }
            guard target != c.handlerID else { throw AppError(.assignment.same) }
            guard let handler = try await UserStore.get(sql, id: target), !handler.disabled, (try? requireOwnOfficer(handler, of: c.authority)) != nil else {
                throw AppError(.assignment.notOfficer, ["id": "\(target)"])
            }
            c.handlerID = target
            try await save(sql, &c, rules: try await rules(sql, authority: c.authority), calendar: try await ReferenceStore.calendar(sql))
            try await OrganisationStore.recordAssignment(sql, applicationID: c.id, handlerID: target, by: user.id, reason: reason, at: clock.stamp)
            try await publish(sql, c, type: .applicationAssigned, actor: user)
            return c
        }
    }

    /// An officer of exactly this authority: its own office handles, signs and reassigns its cases; an officer of an
    /// authority above may act on them (`requireOfficer`) but holds no rank in this one's chain.
    func requireOwnOfficer(_ user: User, of authority: String) throws {
        guard user.role == .officer, (user.jurisdiction ?? Routing.national) == authority else { throw AppError(.signoff.notOwnAuthority) }
    }

    // MARK: Sign-off

    struct ChainState: Sendable {
        var chain: [OfficerRank]
        var round: Int
        /// Signatures of the round under way, in order.
        var signed: [Signoff]
        var next: OfficerRank? { signed.count < chain.count ? chain[signed.count] : nil }
    }

    func chainState(_ sql: any SQLDatabase, _ c: CaseRecord) async throws -> ChainState {
        let chain = try await OrganisationStore.settings(sql, authority: c.authority).signOff
        let all = try await OrganisationStore.signoffs(sql, applicationID: c.id)
        let last = all.map(\.round).max() ?? 0
        let current = all.filter { $0.round == last }
        // A round that was returned is over; the next signature starts a new one. So is a round the authority's chain
        // no longer matches (shortened or reordered since): its signatures meant another chain.
        let stillMatches = current.count < chain.count && zip(current, chain).allSatisfy { $0.rank == $1 }
        if current.isEmpty || current.contains(where: { $0.outcome == "returned" }) || !stillMatches {
            return ChainState(chain: chain, round: last + 1, signed: [])
        }
        return ChainState(chain: chain, round: last, signed: current)
    }

    /// Signs the next step of the case's decision. The first signature proposes it (approve, or refuse with reasons)
    /// and is the handler's when the chain starts with the handler; each later one must hold that step's rank, and
    /// nobody signs twice in one round (a section chief handling a case does not also sign as section chief). The last signature takes the decision, with its document.
    func sign(caseID: Int, decision: CaseCommand?, reasons: String?, note: String?, by user: User) async throws -> CaseRecord {
        try await db.write { sql in
            guard let c = try await CaseStore.visible(sql, id: caseID, scope: caseScope(user)) else { throw AppError.notFound("application \(caseID)") }
            try requireOwnOfficer(user, of: c.authority)
            let state = try await chainState(sql, c)
            guard let rank = state.next else { throw AppError(.signoff.noChain) }
            // The handler's step is the case's handler's, whatever their rank; every other step is its rank's.
            if rank == .handler {
                guard c.handlerID == user.id else { throw AppError(.signoff.notHandler) }
            } else {
                guard try await OrganisationStore.rank(sql, userID: user.id) == rank else { throw AppError(.signoff.wrongRank, ["rank": rank.rawValue]) }
            }
            guard !state.signed.contains(where: { $0.userId == user.id }) else { throw AppError(.signoff.twice) }
            let proposal = state.signed.first
            let command = proposal.flatMap { CaseCommand(rawValue: $0.decision) } ?? decision
            guard let command, [.approve, .refuse].contains(command) else { throw AppError(.signoff.decision) }
            let text = proposal?.reasons ?? clipped(reasons, max: 5000)
            if command == .refuse && text.isEmpty { throw AppError(.refusal.reasons) }
            // The decision must still be one the case allows.
            _ = try CaseMachine.next(c.facts, command == .approve ? .approve : .refuse)
            try await OrganisationStore.sign(sql, Signoff(id: 0, applicationId: c.id, round: state.round, step: state.signed.count, rank: rank,
                                                          decision: command.rawValue, reasons: text, userId: user.id, outcome: "signed",
                                                          note: clipped(note, max: 1000), at: clock.stamp))
            guard state.signed.count + 1 == state.chain.count else {
                try await publish(sql, c, type: .applicationSigned, actor: user)
                return c
            }
            return try await perform(sql, caseID: c.id, command, ActionInput(reasons: text), by: user, signed: true)
        }
    }

    /// Sends a decision under way back: the round ends with the reason recorded, and the handler may propose again.
    func returnDecision(caseID: Int, note raw: String, by user: User) async throws -> CaseRecord {
        let note = clipped(raw, max: 1000)
        guard !note.isEmpty else { throw AppError(.signoff.returnNote) }
        return try await db.write { sql in
            guard let c = try await CaseStore.visible(sql, id: caseID, scope: caseScope(user)) else { throw AppError.notFound("application \(caseID)") }
            try requireOwnOfficer(user, of: c.authority)
            let state = try await chainState(sql, c)
            guard let rank = state.next, let proposal = state.signed.first else { throw AppError(.signoff.nothingToReturn) }
            if rank == .handler {
                guard c.handlerID == user.id else { throw AppError(.signoff.notHandler) }
            } else {
                guard try await OrganisationStore.rank(sql, userID: user.id) == rank else { throw AppError(.signoff.wrongRank, ["rank": rank.rawValue]) }
            }
            guard !state.signed.contains(where: { $0.userId == user.id }) else { throw AppError(.signoff.twice) }
            try await OrganisationStore.sign(sql, Signoff(id: 0, applicationId: c.id, round: state.round, step: state.signed.count, rank: rank,
                                                          decision: proposal.decision, reasons: proposal.reasons, userId: user.id, outcome: "returned",
                                                          note: note, at: clock.stamp))
            try await publish(sql, c, type: .applicationReturned, actor: user)
            return c
        }
    }

    // MARK: Authority settings

    /// An authority's settings are changed by its own directors: officers of exactly that jurisdiction with that rank.
    func requireSettingsEditor(_ sql: any SQLDatabase, _ user: User, authority: String) async throws {
        let own = user.role == .officer && (user.jurisdiction ?? Routing.national) == authority
        guard own, try await OrganisationStore.rank(sql, userID: user.id) == .director else { throw AppError(.authoritySettings.notDirector) }
    }

    /// The platform's limits (the most an authority may set) and whether the reader may change the settings.
    func settingsPageFacts(user: User, authority: String) async throws -> (LicensingRules, canEdit: Bool) {
        try await db.read { sql in
            (try await SettingsStore.rules(sql), (try? await requireSettingsEditor(sql, user, authority: authority)) != nil)
        }
    }

    func authoritySettings(_ authority: String) async throws -> AuthoritySettings {
        try await db.read { try await OrganisationStore.settings($0, authority: authority) }
    }

    /// Checks and saves an authority's settings: limits within the platform's, units that simplified renewal may
    /// cover (not fertilizer, docs/DOMAIN.md §7), a chain of distinct ranks.
    func saveAuthoritySettings(_ authority: String, _ s: AuthoritySettings, by user: User) async throws -> AuthoritySettings {
        try await db.write { sql in
            try await requireSettingsEditor(sql, user, authority: authority)
            let platform = try await SettingsStore.rules(sql)
            let limits: [(String, Int?, Int)] = [("acceptance_days", s.acceptanceDays, platform.acceptanceDays), ("verification_days", s.verificationDays, platform.verificationDays),
                                                 ("decision_days", s.decisionDays, platform.decisionDays), ("issuance_days", s.issuanceDays, platform.issuanceDays)]
            for (name, value, max) in limits {
                if let value, !(1...max).contains(value) {
                    throw DomainError(.settings.outOfRange, ["name": name, "lower_bound": "1", "upper_bound": "\(max)", "value": "\(value)"])
                }
            }
            let units = Set(try await CatalogStore.unitEditions(sql).flatMap { $0.categories.flatMap(\.units).map(\.unitNo) })
            for u in s.simplifiedUnits {
                guard units.contains(u) else { throw AppError(.authoritySettings.unknownUnit, ["unit": String(u.prefix(10))]) }
                guard !Self.neverSimplified(u) else { throw AppError(.authoritySettings.excludedUnit, ["unit": u]) }
            }
            guard Set(s.signOff).count == s.signOff.count, s.signOff.count <= OfficerRank.allCases.count else { throw AppError(.authoritySettings.chain) }
            try await OrganisationStore.saveSettings(sql, authority: authority, s, by: user.id, at: clock.stamp)
            return s
        }
    }

    /// Fertilizer has had no simplified renewal since 2024 (docs/DOMAIN.md §7).
    static func neverSimplified(_ unit: String) -> Bool { unit.hasPrefix("09") }

    /// Whether simplified renewal may be used for these units at this authority, for this enterprise.
    func checkSimplifiedRenewal(_ sql: any SQLDatabase, authority: String, units: [String], creditListed: Bool) async throws {
        let own = try await OrganisationStore.settings(sql, authority: authority)
        guard own.simplifiedRenewal else { throw AppError(.renewal.simplifiedClosed) }
        if creditListed { throw AppError(.renewal.simplifiedCredit) }
        for u in units where Self.neverSimplified(u) || (!own.simplifiedUnits.isEmpty && !own.simplifiedUnits.contains(u)) {
            throw AppError(.renewal.simplifiedUnit, ["unit": u])
        }
    }

    // MARK: Reading

    struct CaseOrganisation: Encodable, Sendable {
        var handlerId: Int?
        var chain: [OfficerRank]
        /// The rank whose signature is next, while a decision is under way or may be proposed.
        var next: OfficerRank?
        var signoffs: [Signoff]
        var assignments: [CaseAssignment]
    }

    func organisation(caseID: Int, user: User) async throws -> CaseOrganisation {
        try await db.read { sql in
            guard let c = try await CaseStore.visible(sql, id: caseID, scope: caseScope(user)) else { throw AppError.notFound("application \(caseID)") }
            // Proposals, return notes and reassignment reasons are the office's own, not the applicant's.
            try requireOfficer(user, for: c.authority)
            let state = try await chainState(sql, c)
            // Nothing is next to sign once the case is past its decision (approved, waiting to issue) or closed.
            let decidable = (try? CaseMachine.next(c.facts, .approve)) != nil || (try? CaseMachine.next(c.facts, .refuse)) != nil
            return CaseOrganisation(handlerId: c.handlerID, chain: state.chain, next: decidable ? state.next : nil,
                                    signoffs: try await OrganisationStore.signoffs(sql, applicationID: c.id),
                                    assignments: try await OrganisationStore.assignments(sql, applicationID: c.id))
        }
    }

    /// What the case page shows an officer of the case: its organisation, the officers of its authority, and the
    /// reader's own rank.
    func organisationForPage(caseID: Int, authority: String, user: User) async throws -> (CaseOrganisation, officers: [(id: Int, name: String, username: String, rank: OfficerRank)], rank: OfficerRank) {
        let organisation = try await organisation(caseID: caseID, user: user)
        return try await db.read { sql in
            (organisation, try await OrganisationStore.officers(sql, jurisdiction: authority == Routing.national ? nil : authority),
             try await OrganisationStore.rank(sql, userID: user.id))
        }
    }

    /// The work list's narrowing from a request: `handler` (me, none or an officer's id), `uscc`, `q` (a case number or
    /// part of the enterprise's name) and `due_before` (due on or before that day).
    static func narrowing(_ request: Request, user: User) throws -> CaseStore.CaseFilter {
        var f = CaseStore.CaseFilter()
        switch request.query("handler") {
        case nil, "", "any": break
        case "me": f.handler = .user(user.id)
        case "none": f.handler = .nobody
        case let id?: f.handler = .user(try Int(id).orBadRequest("handler", "me, none, any or an officer's id"))
        }
        if let u = request.query("uscc"), !u.isEmpty { f.uscc = String(u.prefix(18)).uppercased() }
        if let q = request.query("q"), !q.isEmpty { f.text = String(q.prefix(100)) }
        f.dueBy = try request.dateQuery("due_before")
        return f
    }
}
