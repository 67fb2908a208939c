import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// Credit lists (docs/DOMAIN.md §10): officers list enterprises as abnormal (a missing or false annual report) or as
/// serious violators (3 years, early removal after 1 through repair); three years on the abnormal list move an
/// enterprise to the serious list; enterprises apply for credit repair; institutions and persons can be banned
/// for life. A listed enterprise loses the commitment route and counts as high-risk in spot-check draws.
extension InstitutionsService {
    static let seriousYears = 3
    static let seriousEarliestRemovalYears = 1
    static let abnormalToSeriousYears = 3
    static let abnormalCauses = ["annual_report_missing", "annual_report_false"]

    struct CreditEntryInput: Decodable, Sendable {
        var uscc: String
        var list: CreditEntry.List
        /// Abnormal: annual_report_missing or annual_report_false; serious: the violation, in words.
        var cause: String
        var note: String
        var listedOn: CivilDate?
    }

    func listEnterprise(_ input: CreditEntryInput, by user: User) async throws -> CreditEntry {
        let (authority, jurisdiction) = try supervision.supervisor(user)
        let uscc = try USCC(input.uscc).value
        let cause = clipped(input.cause, max: 500), note = clipped(input.note, max: 4000)
        if input.list == .abnormal && !Self.abnormalCauses.contains(cause) {
            throw AppError(.credit.cause)
        }
        guard !cause.isEmpty, !note.isEmpty else {
            throw AppError(.credit.details)
        }
        let day = input.listedOn ?? clock.today
        guard day <= clock.today else {
            throw AppError(.credit.listedOn)
        }
        return try await db.write { sql in
            _ = try await supervision.supervisedEnterprise(sql, uscc, in: jurisdiction)
            return try await addEntry(sql, uscc: uscc, list: input.list, cause: cause, note: note, authority: authority, on: day, movedFrom: nil, actor: user.actor)
        }
    }

    func addEntry(_ sql: any SQLDatabase, uscc: String, list: CreditEntry.List, cause: String, note: String, authority: String, on day: CivilDate,
                  movedFrom: Int?, actor: String) async throws -> CreditEntry {
        // No two entries of one list may overlap: any entry not removed that runs past the new listing day blocks it.
        if try await CreditStore.entries(sql, uscc: uscc).contains(where: { $0.list == list && $0.overlaps(listingOn: day) }) {
            throw AppError(.credit.alreadyListed)
        }
        let serious = list == .serious
        let number = String(format: "XY%04d-%06d", day.year, try await SettingsStore.nextSerial(sql, "credit:\(day.year)"))
        let entry = try await CreditStore.insert(sql, CreditEntry(
            id: 0, number: number, uscc: uscc, list: list, cause: cause, note: note, authority: authority, listedOn: day,
            earliestRemoval: serious ? day.adding(months: 12 * Self.seriousEarliestRemovalYears) : day,
            endsOn: serious ? day.adding(months: 12 * Self.seriousYears) : nil, removedOn: nil, removal: "", movedFrom: movedFrom,
            createdBy: actor, createdAt: clock.stamp))
        try await Events.append(sql, type: .creditListed, subject: "credit/\(number)", actor: actor, jurisdiction: authority, at: clock.stamp, payload: entry)
        return entry
    }

    /// Part of the sweep: three years on the abnormal list put an enterprise on the serious list (docs/DOMAIN.md §10).
    func moveLongAbnormal(_ sql: any SQLDatabase) async throws -> [String] {
        var moved: [String] = []
        for e in try await CreditStore.overdueAbnormal(sql, on: clock.today, years: Self.abnormalToSeriousYears) {
            // The move dates from the day the three years were up, however late the sweep runs.
            let due = e.listedOn.adding(months: 12 * Self.abnormalToSeriousYears)
            guard try await CreditStore.remove(sql, id: e.id, on: due, reason: "moved_to_serious") else { continue }
            // The same test addEntry applies, so an entry already on the serious list never makes the move fail.
            let alreadySerious = try await CreditStore.entries(sql, uscc: e.uscc).contains { $0.list == .serious && $0.overlaps(listingOn: due) }
            if !alreadySerious {
                _ = try await addEntry(sql, uscc: e.uscc, list: .serious, cause: "abnormal_three_years", note: "列入经营异常名录满三年（\(e.number)）",
                                       authority: e.authority, on: due, movedFrom: e.id, actor: "system")
            }
            moved.append(e.uscc)
        }
        return moved
    }

    struct RepairInput: Decodable, Sendable {
        var statement: String
    }

    /// The enterprise asks for its entry to end: it has corrected what put it there.
    func applyForRepair(number: String, _ input: RepairInput, by user: User) async throws -> CreditRepair {
        let statement = clipped(input.statement, max: 8000)
        guard statement.count >= 20 else {
            throw AppError(.repair.statement)
        }
        return try await db.write { sql in
            guard user.role == .enterprise, let e = try await CreditStore.entry(sql, number: number), e.uscc == user.enterpriseUSCC else {
                throw AppError.notFound("credit \(number)")
            }
            guard e.inForce(on: clock.today) else { throw AppError(.credit.notInForce) }
            guard clock.today >= e.earliestRemoval else {
                throw AppError(.repair.tooEarly, ["earliest_removal": "\(e.earliestRemoval)"])
            }
            if try await CreditStore.repairs(sql, entryID: e.id).contains(where: { $0.state == .pending }) {
                throw AppError(.repair.pending)
            }
            let r = try await CreditStore.insertRepair(sql, entryID: e.id, statement: statement, by: user.actor, at: clock.stamp)
            try await Events.append(sql, type: .creditRepairFiled, subject: "credit/\(e.number)", actor: user.actor, jurisdiction: e.authority, at: clock.stamp,
                                    payload: RepairEvent(repair: r.id))
            return r
        }
    }

    struct RepairDecision: Decodable, Sendable {
        var approve: Bool
        var decision: String
    }

    /// An approved repair removes the entry from today.
    func decideRepair(id: Int, _ input: RepairDecision, by user: User) async throws -> CreditRepair {
        let (_, jurisdiction) = try supervision.supervisor(user)
        let decision = clipped(input.decision, max: 4000)
        guard !decision.isEmpty else { throw AppError(.repair.decision) }
        return try await db.write { sql in try await decideRepair(sql, id: id, input, decision: decision, jurisdiction: jurisdiction, user: user) }
    }

    private func decideRepair(_ sql: any SQLDatabase, id: Int, _ input: RepairDecision, decision: String, jurisdiction: Jurisdiction, user: User) async throws -> CreditRepair {
        guard let r = try await CreditStore.repair(sql, id: id),
              let e = try await CreditStore.entry(sql, id: r.entryId),
              jurisdiction.covers(authority: e.authority) else {
            throw AppError.notFound("repair \(id)")
        }
        guard try await CreditStore.decideRepair(sql, id: id, approved: input.approve, decision: decision, by: user.actor, at: clock.stamp) else {
            throw AppError(.repair.decided)
        }
        if input.approve {
            guard e.inForce(on: clock.today), try await CreditStore.remove(sql, id: e.id, on: clock.today, reason: "repaired") else {
                throw AppError(.credit.notInForce)
            }
        }
        try await Events.append(sql, type: input.approve ? .creditRepaired : .creditRepairRejected, subject: "credit/\(e.number)", actor: user.actor,
                                jurisdiction: e.authority, at: clock.stamp, payload: RepairEvent(repair: id))
        return try await CreditStore.repair(sql, id: id).orThrow("credit_repairs \(id)")
    }

    struct BanInput: Decodable, Sendable {
        var subjectKind: Ban.Kind
        var subject: String
        var name: String
        var cause: String
    }

    /// A life ban of an institution or a person who lost credit. A banned lab's registration is withdrawn with it, and a
    /// banned review body is barred.
    static func unknownSubject(_ code: String) -> AppError {
        AppError(.ban.unknownSubject, ["code": "\(code)"])
    }

    func ban(_ input: BanInput, by user: User) async throws -> Ban {
        try user.requireNationalRegistrar()
        let subject = clipped(input.subject, max: 60), name = clipped(input.name, max: 200), cause = clipped(input.cause, max: 4000)
        guard !subject.isEmpty, !name.isEmpty, !cause.isEmpty else {
            throw AppError(.ban.details)
        }
        return try await db.write { sql in
            var lab: Lab? = nil
            if input.subjectKind == .lab {
                guard let found = try await LabStore.lab(sql, code: subject) else { throw Self.unknownSubject(subject) }
                lab = found
            }
            var body: ReviewBody? = nil
            if input.subjectKind == .reviewBody {
                guard let found = try await ReviewBodyStore.body(sql, code: subject) else { throw Self.unknownSubject(subject) }
                body = found
            }
            let year = clock.today.year
            guard let b = try await CreditStore.insertBan(sql, Ban(
                id: 0, number: String(format: "JR%04d-%06d", year, try await SettingsStore.nextSerial(sql, "ban:\(year)")), subjectKind: input.subjectKind,
                subject: subject, name: name, cause: cause, authority: user.jurisdiction ?? Routing.national, since: clock.today,
                createdBy: user.actor, createdAt: clock.stamp)) else {
                throw AppError(.ban.exists)
            }
            if let lab, let open = lab.periods.last, open.until == nil, open.status != .withdrawn {
                if open.since < clock.today {
                    _ = try await LabStore.closePeriod(sql, labID: lab.id, since: open.since, on: clock.today)
                    try await LabStore.addPeriod(sql, labID: lab.id, .init(status: .withdrawn, since: clock.today, until: nil, note: "终身禁入 \(b.number)"),
                                                 by: user.actor, at: clock.stamp)
                }
            }
            if let body, body.status != .barred {
                _ = try await ReviewBodyStore.setStatus(sql, bodyID: body.id, from: body.status, to: .barred, since: clock.today,
                                                        reason: "终身禁入 \(b.number)", by: user.actor, at: clock.stamp)
            }
            try await Events.append(sql, type: .creditBanned, subject: "ban/\(b.number)", actor: user.actor, jurisdiction: b.authority, at: clock.stamp, payload: b)
            return b
        }
    }
}
