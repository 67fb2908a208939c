import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import XukeTrust
import SQLKit

/// The licensing workflow (docs/DOMAIN.md §5–§8): applications on both routes, their actions and clocks,
/// verifications, licences and their credentials, inbox and statistics.
struct LicensingService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    let uploads: UploadService
    let notifier: Notifier
    /// Credentials, status lists and the public log, written beside each licence change.
    let transparency: Transparency
}

/// Licensing use cases. Each runs in one transaction that writes the case, its event and the notifications.
extension LicensingService {
    struct MaterialInput: Decodable, Sendable {
        var kind: MaterialKind
        var sha256: String
        var filename: String
        var lab: String?
        var reportNo: String?
        var reportDate: CivilDate?
        var units: [String]?
    }

    struct SubmitInput: Decodable, Sendable {
        var kind: ApplicationKind
        var route: Route?
        var changes: [ChangeItem]?
        var form: ApplicationForm
        var commitmentText: String?
        var simplified: Bool?
        var materials: [MaterialInput]
    }

    /// Which cases a user may see or act on.
    func caseScope(_ user: User) -> CaseStore.CaseScope { .init(user) }

    // MARK: Submission

    func submit(_ input: SubmitInput, by user: User) async throws -> CaseRecord {
        guard user.role == .enterprise, let uscc = user.enterpriseUSCC else {
            throw AppError(.application.enterpriseOnly)
        }
        let today = clock.today, stamp = clock.stamp
        let changes = Set(input.changes ?? [])
        var problems = input.form.problems(kind: input.kind, changes: changes)
        if input.kind != .change && !changes.isEmpty {
            problems.append(LocalizedText(zh: "只有变更申请可以选择变更事项", en: "Only a change application lists changes"))
        }
        let commitment = input.commitmentText ?? ""
        if [.new, .renewal, .change].contains(input.kind) && commitment.allSatisfy(\.isWhitespace) {
            problems.append(LocalizedText(zh: "请填写并签署承诺书", en: "The signed commitment letter is required"))
        }
        if commitment.count > 10_000 { problems.append(LocalizedText(zh: "承诺书不得超过10000字", en: "The commitment letter is longer than 10000 characters")) }
        if input.materials.count > 100 { problems.append(LocalizedText(zh: "材料不得超过100份", en: "At most 100 documents")) }
        try refuseIf(problems)

        return try await db.write { sql in
            guard let enterprise = try await EnterpriseStore.get(sql, uscc: uscc, visibility: .everything) else { throw AppError.notFound(uscc) }
            if try await CaseStore.openCase(sql, uscc: uscc) != nil {
                throw AppError(.application.openCase)
            }
            var rules = try await SettingsStore.rules(sql)
            let license = try await LicenseStore.license(sql, uscc: uscc)
            let held = license.map { Submission.Held(number: $0.number, status: $0.status(on: today), validUntil: $0.validUntil, units: $0.units.map(\.unitNo)) }
            try Submission.checkLicence(input.kind, held: held, rules: rules, on: today)
            let (routed, newUnits, unitProblems) = Submission.units(input.kind, changes: changes, asked: input.form.units,
                                                                   removing: input.form.removeUnits, held: held?.units ?? [])
            try refuseIf(unitProblems)
            if input.kind == .change && routed.isEmpty {
                throw AppError(.change.noUnitsLeft)
            }
            let (editions, actions) = try await CatalogStore.unitEditionsAndActions(sql)
            let delegations = try await SettingsStore.delegations(sql)
            let decision: Routing.Decision
            do {
                decision = try Routing.route(units: routed, enterpriseDivision: enterprise.divisionCode, on: today, editions: editions,
                                             actions: actions, delegations: delegations,
                                             delegationBelowProvince: today < rules.delegationBelowProvinceUntil)
            } catch let error as DomainError {
                guard input.kind == .cancellation || input.kind == .reissue else { throw error }
                // A license for a product that has since left the catalog can still be cancelled or reissued by its authority.
                decision = Routing.Decision(edition: "", authority: license?.authority ?? "", units: [])
            }

            // A revoked grant bars any new application, a withdrawn license its own products, for three years.
            let bars = try await EnforcementStore.applicationBars(sql, uscc: uscc, today: today)
            if let (bar, barred) = ApplicationBar.first(bars, barring: newUnits, on: today) {
                let until = bar.until?.description ?? ""
                throw AppError(.application.barred, localized: ["bar_years": LocalizedText(zh: "\(ApplicationBar.years)", en: "\(ApplicationBar.years)"),
                                                                "barred": LocalizedText(zh: barred.joined(separator: "、"), en: barred.joined(separator: ", ")),
                                                                "until": LocalizedText(zh: until, en: until)])
            }

            // The commitment route: only for new products, eligible units and enterprises not barred.
            let route = input.route ?? .ordinary
            if route == .commitment {
                try Submission.checkCommitmentRoute(changes: changes, newUnits: newUnits, routed: decision.units)
                let credit = try await SettingsStore.commitmentFacts(sql, uscc: uscc, today: today)
                if CommitmentBar.barred(flags: credit.flags, listedInForce: credit.listed, on: today) {
                    throw AppError(.route.barred)
                }
            }

            // Materials: each file uploaded; on their face (Submission.documentProblems); each checkable test report
            // against the lab registry: the enterprise picks any lab, the registry says whether it could test these
            // units that day (docs/DOMAIN.md §2).
            let simplified = input.kind == .renewal && (input.simplified ?? false)
            rules = try await self.rules(sql, authority: decision.authority)
            if simplified {
                let listed = try await SettingsStore.commitmentFacts(sql, uscc: uscc, today: today).listed
                try await checkSimplifiedRenewal(sql, authority: decision.authority, units: decision.units.map(\.unitNo), creditListed: listed)
            }
            let exempt = simplified ? try await SettingsStore.unitsWithRecentSpotCheck(sql, uscc: uscc, since: today.adding(months: -rules.spotCheckMonths)) : []
            let documents = input.materials.map(\.document)
            var registry: [Int: [LocalizedText]] = [:]
            for (i, m) in input.materials.enumerated() where documents[i].checkable(on: today) {
                registry[i] = try await reportProblems(sql, m, uscc: uscc)
            }
            let materialProblems = try await uploadProblems(sql, input.materials, uscc: uscc)
                + Submission.documentProblems(documents, needingReports: Submission.unitsNeedingReports(input.kind, newUnits: newUnits, held: held?.units ?? [], exempt: exempt),
                                              on: today, registry: registry)
            try refuseIf(materialProblems)

            let number = "SQ\(today.year)-" + String(format: "%06d", try await SettingsStore.nextSerial(sql, "application:\(today.year)"))
            let calendar = try await ReferenceStore.calendar(sql)
            var record = CaseRecord(
                id: 0, number: number, uscc: uscc, kind: input.kind, route: route, state: .submitted, version: 1,
                changes: ChangeItem.allCases.filter(changes.contains), units: decision.units, edition: decision.edition,
                authority: decision.authority,
                verificationNeed: VerificationNeed.of(kind: input.kind, route: route, changes: changes, simplifiedRenewal: simplified),
                simplified: simplified, corrections: 0, lastOutcome: nil, licenseID: license?.id, form: input.form,
                commitmentText: commitment, commitmentSHA256: sha256Hex(Data(commitment.utf8)),
                submittedOn: today, submittedAt: stamp, acceptedOn: nil, deemed: [], decidedOn: nil, refusalReasons: nil, issuedOn: nil,
                dueOn: CaseClock.dueOn(state: .submitted, receivedOn: today, acceptedOn: nil, decidedOn: nil, stops: [], rules: rules,
                                       today: today, calendar: calendar), updatedAt: stamp)
            record.id = try await CaseStore.insertCase(sql, record)
            try await CaseStore.addMaterials(sql, applicationID: record.id, input.materials.map(\.record))
            try await publish(sql, record, type: .applicationSubmitted, actor: user)
            return record
        }
    }

    /// Appends the case's event and puts it in the inbox of everyone it concerns.
    func publish(_ sql: any SQLDatabase, _ c: CaseRecord, type: EventType, actor: User?) async throws {
        let at = clock.stamp
        let eventID = try await Events.append(sql, type: type, subject: "application/\(c.id)", actor: actor?.actor ?? "system",
                                              jurisdiction: c.authority, at: at, payload: CaseEvent(c))
        try await Notifications.deliver(sql, eventID: eventID, caseID: c.id, uscc: c.uscc, authority: c.authority,
                                        notice: notifier.notice(c.number, type.rawValue), except: actor?.id, at: at)
    }

    /// Appends a license event, to the platform's events and to the public log (with a new credential where the
    /// event grants one). With `notify` (changes nobody asked for: revocation, expiry) the holder and the
    /// authority's officers hear of it too; an issuance is told through its case's own event.
    func publishLicense(_ sql: any SQLDatabase, _ l: LicenseRecord, type: EventType, actor: User?, application: String? = nil, notify: Bool = false) async throws {
        let at = clock.stamp
        let logged = try await transparency.record(sql, l, type: type, at: at, authorityName: authorityName(l.authority))
        // The platform's event says what the public log says, plus where to find it and which case caused it.
        guard case .object(var payload) = logged.entry else { preconditionFailure("license entries are objects") }
        payload["log_index"] = .int(Int64(logged.index))
        if let application { payload["application"] = .string(application) }
        let eventID = try await Events.append(sql, type: type, subject: "license/\(l.id)", actor: actor?.actor ?? "system",
                                              jurisdiction: l.authority, at: at, payload: JSONValue.object(payload))
        guard notify else { return }
        try await Notifications.deliver(sql, eventID: eventID, caseID: nil, uscc: l.uscc, authority: l.authority,
                                        notice: notifier.notice(l.number, type.rawValue), except: actor?.id, at: at)
    }

}
