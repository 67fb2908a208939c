import Foundation
import SQLKit
import XukeDomain
import XukeStorage

/// What the licensing routes read and change beside the use cases proper.
extension LicensingService {
    func rules() async throws -> LicensingRules {
        try await db.read { try await SettingsStore.rules($0) }
    }

    func setRules(_ rules: LicensingRules, by user: User) async throws {
        try await db.write { try await SettingsStore.setRules($0, rules, actor: user.actor, at: clock.stamp) }
    }

    func delegations() async throws -> [Routing.Delegation] {
        try await db.read { try await SettingsStore.delegations($0) }
    }

    /// Site verifications still open that the user is party to.
    /// Soonest due first; a page's cursor is the last one's due day and id (`Self.verificationCursor`).
    func openVerifications(for user: User, paging: Paging) async throws -> [VerificationRecord] {
        let after = try paging.after.map { try Self.verificationPosition($0).orThrow(AppError(.request.cursor)) }
        return try await db.read { try await LicensingReports.openVerifications($0, scope: caseScope(user), limit: paging.fetch, after: after) }
    }

    static func verificationCursor(_ v: VerificationRecord) -> String { "\(v.dueOn)_\(v.id)" }

    static func verificationPosition(_ cursor: String) -> (dueOn: CivilDate, id: Int)? {
        let parts = cursor.split(separator: "_")
        guard parts.count == 2, let day = CivilDate(String(parts[0])), let id = Int(parts[1]) else { return nil }
        return (day, id)
    }

    func visibleVerification(id: Int, user: User) async throws -> VerificationRecord {
        try await db.read { try await visibleVerification($0, id: id, user: user) }
    }

    func visibleLicense(id: Int, user: User) async throws -> LicenseRecord {
        try await db.read { try await visibleLicense($0, id: id, user: user) }
    }

    /// A licence the user may read, with what `alongside` reads about it in the same transaction.
    func visibleLicense<T: Sendable>(id: Int, user: User, alongside: @Sendable (any SQLDatabase, LicenseRecord) async throws -> T) async throws -> (LicenseRecord, T) {
        try await db.read { sql in
            let l = try await visibleLicense(sql, id: id, user: user)
            return (l, try await alongside(sql, l))
        }
    }

    func licenseVersions(id: Int, user: User) async throws -> [LicenseVersion] {
        try await db.read { sql in
            let l = try await visibleLicense(sql, id: id, user: user)
            return try await LicenseStore.licenseVersions(sql, licenseID: l.id)
        }
    }

    struct LicenseHistory: Sendable {
        var license: LicenseRecord
        var versions: [LicenseVersion]
        var events: [Event]
        var actors: [String: String]
    }

    /// A licence's versions and events, with the names of those who acted.
    func licenseHistory(id: Int, user: User) async throws -> LicenseHistory {
        try await db.read { sql in
            let l = try await visibleLicense(sql, id: id, user: user)
            let events = try await Events.list(sql, subject: "license/\(l.id)", limit: 500)
            return LicenseHistory(license: l, versions: try await LicenseStore.licenseVersions(sql, licenseID: l.id), events: events,
                                  actors: try await UserStore.actorNames(sql, events.map(\.actor)))
        }
    }

    func inbox(of user: User, limit: Int = 50, before: Int? = nil) async throws -> [Notifications.Item] {
        try await db.read { try await Notifications.inbox($0, userID: user.id, limit: limit, before: before) }
    }

    func markRead(_ id: Int, by user: User) async throws {
        try await db.write { try await Notifications.markRead($0, userID: user.id, id: id, at: clock.stamp) }
    }

    /// A spot-check result from elsewhere, as risk assessment counts it.
    func addSpotCheckResult(uscc: String, unitNo: String, level: String, passed: Bool, checkedOn: CivilDate, reference: String) async throws {
        guard ["national", "provincial", "prefecture", "county"].contains(level) else {
            throw AppError(.spotCheck.level)
        }
        try await db.write {
            try await LicensingReports.addSpotCheckResult($0, uscc: uscc, unitNo: unitNo, level: level, passed: passed, checkedOn: checkedOn, reference: reference)
        }
    }

    struct WorkPage: Sendable {
        var rows: [CaseRecord]
        var counts: (open: Int, overdue: Int, nearlyDue: Int)
        var names: [String: String]
        /// Handlers' names by user id.
        var handlers: [Int: String]
    }

    /// One page of the work list with the counts beside it; the calendar and rules behind "nearly due" are worked
    /// out once for both.
    func workPage(user: User, urgency: Urgency, state: CaseState? = nil, narrowed: CaseStore.CaseFilter = .init(), limit: Int, offset: Int) async throws -> WorkPage {
        try await db.read { sql in
            let soon = try await nearlyDueBy(sql)
            let rows = try await workList(sql, user: user, urgency: urgency, state: state, limit: limit, offset: offset, soon: soon, narrowed: narrowed)
            let handlers = try await UserStore.get(sql, ids: Array(Set(rows.compactMap(\.handlerID))))
            return WorkPage(rows: rows, counts: try await caseCounts(sql, user: user, soon: soon),
                            names: try await EnterpriseStore.names(sql, Array(Set(rows.map(\.uscc)))),
                            handlers: handlers.mapValues(\.displayName))
        }
    }

    struct CaseParties: Sendable {
        var enterprise: Enterprise?
        var actors: [String: String]
        /// The verifiers an officer may assign.
        var verifiers: [User]
        var license: LicenseRecord?
    }

    /// Who a case page names: the applicant, those who acted, the verifiers an officer may choose, the licence.
    func parties(of view: CaseView, for user: User) async throws -> CaseParties {
        let a = view.application
        return try await db.read { sql in
            CaseParties(enterprise: try await EnterpriseStore.get(sql, uscc: a.uscc, visibility: .everything),
                        actors: try await UserStore.actorNames(sql, view.events.map(\.actor) + view.verifications.flatMap(\.members).map { "user/\($0)" }),
                        verifiers: user.role == .officer ? try await UserStore.list(sql, role: .verifier).filter { !$0.disabled } : [],
                        license: try await a.licenseID.asyncMap { try await LicenseStore.license(sql, id: $0) } ?? nil)
        }
    }
}

extension LicensingService {
    /// A province names which of its prefecture or county bureaus approve which categories. Only editions
    /// in force before the 2024 catalog allow it; the list is kept either way and applies where allowed.
    func setDelegations(province: String, _ input: [DelegationInput], by user: User) async throws -> [Routing.Delegation] {
        guard division(province)?.level == .province else { throw AppError.notFound(province) }
        guard user.role == .administrator || (user.role == .officer && user.jurisdiction == province) else {
            throw AppError(.delegation.provinceOnly)
        }
        var problems: [LocalizedText] = []
        for d in input {
            if !(d.categoryNo.count == 2 && d.categoryNo.allSatisfy(\.isNumber)) {
                problems.append(LocalizedText(zh: "类别编号“\(d.categoryNo)”应为2位数字", en: "Category number “\(d.categoryNo)” must have 2 digits"))
            }
            if d.divisionCode == province || !d.divisionCode.hasPrefix(String(province.prefix(2))) || division(d.divisionCode) == nil {
                problems.append(LocalizedText(zh: "\(d.divisionCode)不是本省的市、县级区划", en: "\(d.divisionCode) is not a prefecture or county of this province"))
            }
        }
        try refuseIf(problems)
        let list = input.map { Routing.Delegation(province: province, categoryNo: $0.categoryNo, divisionCode: $0.divisionCode) }
        try await db.write { try await LicensingReports.setDelegations($0, province: province, list, actor: user.actor, at: clock.stamp) }
        return list
    }
}
