import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// An inspection from the visit to its published result (一公开), and the enterprise's objection to it.
extension SupervisionService {
    /// Default publication deadline, in working days, for inspections outside a plan.
    static let defaultPublishDays = 20
    /// Days after a result reaches the enterprise within which it may object and ask for a re-test.
    static let objectionDays = 15

    /// Team members act on their inspection; the authority's officers (and those above) on all of its inspections.
    func inspectionFor(_ sql: any SQLDatabase, id: Int, user: User, officerOnly: Bool = false) async throws -> InspectionRecord {
        guard let i = try await InspectionStore.inspection(sql, id: id) else { throw AppError.notFound("inspection \(id)") }
        let officer = user.oversees(i.authority)
        let member = i.team.contains { $0.userID == user.id }
        guard officer || (!officerOnly && member) else {
            throw AppError(.inspection.notYours)
        }
        return i
    }

    struct VisitInput: Decodable, Sendable {
        struct Finding: Decodable, Sendable {
            var item: String
            var result: InspectionStore.Finding.Result
            var note: String?
        }
        struct Sample: Decodable, Sendable {
            var product: String
            var batch: String?
            var quantity: String?
            var lab: String?
        }
        var visitedOn: CivilDate
        var findings: [Finding]
        var samples: [Sample]?
    }

    /// Records the visit: a result for every checklist item and the samples taken. A flying inspection
    /// becomes visible to the enterprise from here on.
    func recordVisit(id: Int, _ input: VisitInput, by user: User) async throws -> InspectionView {
        try await db.write { sql in
            var i = try await inspectionFor(sql, id: id, user: user)
            guard i.state == .assigned || i.state == .visited else {
                throw AppError(.inspection.stateVisit, ["state": "\(i.state.rawValue)"])
            }
            guard input.visitedOn <= clock.today, input.visitedOn >= CivilDate(Timestamp.chinaDay(i.createdAt)) ?? input.visitedOn else {
                throw AppError(.inspection.visitDate)
            }
            let given = input.findings.map(\.item)
            guard Set(given).count == given.count, Set(given) == Set(i.items) || (i.items.isEmpty && !given.isEmpty) else {
                throw AppError(.inspection.findings)
            }
            let samples = input.samples ?? []
            guard samples.count <= 50, samples.allSatisfy({ !$0.product.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                throw AppError(.inspection.samples)
            }
            try await InspectionStore.saveFindings(sql, inspectionID: id, input.findings.map {
                .init(item: clipped($0.item, max: 200), result: $0.result, note: clipped($0.note, max: 1000))
            })
            try await InspectionStore.saveSamples(sql, inspectionID: id, samples.map {
                .init(product: clipped($0.product, max: 200), batch: clipped($0.batch, max: 100), quantity: clipped($0.quantity, max: 100),
                      lab: clipped($0.lab, max: 200), reportNo: "", labResult: .pending)
            })
            if i.hidden {
                try await Events.append(sql, type: .inspectionOpened, subject: "inspection/\(i.number)", actor: user.actor,
                                        jurisdiction: i.authority, at: clock.stamp, payload: i)
            }
            i.state = .visited
            i.hidden = false
            i.visitedOn = input.visitedOn
            i.updatedAt = clock.stamp
            try await InspectionStore.saveInspection(sql, i)
            try await Events.append(sql, type: .inspectionVisited, subject: "inspection/\(i.number)", actor: user.actor,
                                    jurisdiction: i.authority, at: clock.stamp, payload: InspectionVisited(visitedOn: input.visitedOn))
            return try await inspectionView(sql, i)
        }
    }

    struct ConcludeInput: Decodable, Sendable {
        struct LabResult: Decodable, Sendable {
            var position: Int
            var reportNo: String
            var result: InspectionStore.Sample.LabResult
        }
        var outcome: InspectionStore.Outcome
        var summary: String
        var labResults: [LabResult]?
    }

    /// The authority's conclusion. It may not contradict the record: a nonconforming item or a failed sample
    /// cannot end in a pass, and every sample needs its lab result first.
    func conclude(id: Int, _ input: ConcludeInput, by user: User) async throws -> InspectionView {
        try await db.write { sql in
            var i = try await inspectionFor(sql, id: id, user: user, officerOnly: true)
            guard i.state == .visited else {
                throw AppError(.inspection.stateConclude, ["state": "\(i.state.rawValue)"])
            }
            var samples = try await InspectionStore.samples(sql, inspectionID: id)
            for r in input.labResults ?? [] {
                guard (1...max(1, samples.count)).contains(r.position), samples.indices.contains(r.position - 1), r.result != .pending, !r.reportNo.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw AppError(.inspection.labResult)
                }
                samples[r.position - 1].reportNo = clipped(r.reportNo, max: 100)
                samples[r.position - 1].labResult = r.result
            }
            if samples.contains(where: { $0.labResult == .pending }) {
                throw AppError(.inspection.labPending)
            }
            let findings = try await InspectionStore.findings(sql, inspectionID: id)
            let failing = findings.contains { $0.result == .nonconforming } || samples.contains { $0.labResult == .fail }
            if input.outcome == .pass && failing {
                throw AppError(.inspection.outcomeContradicts)
            }
            let summary = clipped(input.summary, max: 2000)
            guard !summary.isEmpty else {
                throw AppError(.inspection.summary)
            }
            try await InspectionStore.saveSamples(sql, inspectionID: id, samples)
            let days = try await i.planID.asyncMap { try await PlanStore.plan(sql, id: $0)?.draft.publishWithinDays } ?? nil
            let calendar = try await ReferenceStore.calendar(sql)
            i.state = .concluded
            i.outcome = input.outcome.rawValue
            i.summary = summary
            i.concludedOn = clock.today
            i.publishDue = calendar.adding(workingDays: days ?? Self.defaultPublishDays, to: clock.today).date
            i.updatedAt = clock.stamp
            try await InspectionStore.saveInspection(sql, i)
            // A provincial-or-higher spot check's result is a fact a simplified renewal relies on (docs/DOMAIN.md §7).
            if i.authority == Routing.national || i.authority.hasSuffix("0000"), let l = try await LicenseStore.license(sql, uscc: i.uscc) {
                for unit in l.units where unit.categoryNo == i.category {
                    try await LicensingReports.addSpotCheckResult(sql, uscc: i.uscc, unitNo: unit.unitNo, level: i.authority == Routing.national ? "national" : "provincial",
                                                                passed: input.outcome == .pass, checkedOn: clock.today, reference: i.number)
                }
            }
            try await Events.append(sql, type: .inspectionConcluded, subject: "inspection/\(i.number)", actor: user.actor,
                                    jurisdiction: i.authority, at: clock.stamp, payload: InspectionConcluded(outcome: input.outcome.rawValue, origin: i.origin.rawValue, category: i.category))
            if input.outcome == .fail {
                // A failed follow-up of a commitment license revokes it, without exception (docs/DOMAIN.md §6).
                if i.origin == .followUp, let l = try await LicenseStore.license(sql, uscc: i.uscc), l.status(on: clock.today).isInForce {
                    try licensing.requireLicenseAuthority(user, over: l)
                    try await licensing.revoke(sql, l, reason: "follow_up_failed", note: summary, actor: user)
                }
                // A failure is a lead for more checks, unless the inspection already works one.
                if try await !DutiesStore.leadWorking(sql, inspectionID: i.id), let e = try await EnterpriseStore.get(sql, uscc: i.uscc, visibility: .everything) {
                    _ = try await raiseLead(sql, source: .failedCheck, enterprise: e, product: i.category, description: summary, cause: "inspection/\(i.number)")
                }
            }
            return try await inspectionView(sql, i)
        }
    }

    /// What the public log and the public results page say of an inspection, rebuilt by the audit from its row.
    static func inspectionLogEntry(_ type: String, _ r: InspectionStore.Result, at: String) -> JSONValue {
        let i = r.inspection
        var m: [String: JSONValue] = [
            "type": .string(type), "at": .string(at), "inspection": .string(i.number), "origin": .string(i.origin.rawValue),
            "holder": .string(i.uscc), "holder_name": .string(r.holderName), "authority": .string(i.authority), "category": .string(i.category),
            "outcome": .string(i.outcome ?? ""), "concluded_on": .string(i.concludedOn?.description ?? ""),
        ]
        if let plan = r.planCode { m["plan"] = .string(plan) }
        return .object(m)
    }

    /// A published result as the public sees it: its log entry's fields, with the publication time.
    static func publicResult(_ r: InspectionStore.Result) -> JSONValue {
        guard case .object(var m) = inspectionLogEntry(EventType.inspectionPublished.rawValue, r, at: r.inspection.publishedAt ?? "") else { return .null }
        m["type"] = nil
        m["published_at"] = m.removeValue(forKey: "at")
        return .object(m)
    }

    /// Publishes a concluded inspection's result: the public results page and a log entry.
    func publishResult(id: Int, by user: User) async throws -> InspectionView {
        try await db.write { sql in
            var i = try await inspectionFor(sql, id: id, user: user, officerOnly: true)
            guard i.state == .concluded, i.publishedAt == nil else {
                if i.publishedAt != nil { throw AppError(.inspection.published) }
                throw AppError(.inspection.notConcluded)
            }
            i.publishedAt = clock.stamp
            i.updatedAt = clock.stamp
            try await InspectionStore.saveInspection(sql, i)
            try await logInspection(sql, .inspectionPublished, i, by: user)
            return try await inspectionView(sql, i)
        }
    }

    func logInspection(_ sql: any SQLDatabase, _ type: EventType, _ i: InspectionRecord, by user: User) async throws {
        let entry = Self.inspectionLogEntry(type.rawValue, try await InspectionStore.result(sql, inspectionID: i.id).orThrow("inspection \(i.id)"), at: clock.stamp)
        let index = try await TransparencyStore.append(sql, kind: type.rawValue, subject: "inspection/\(i.number)", entry: entry.canonical, at: clock.stamp)
        try await Events.append(sql, type: type, subject: "inspection/\(i.number)", actor: user.actor, jurisdiction: i.authority,
                                at: clock.stamp, payload: LoggedStep(entry: entry, logIndex: index))
    }

    // MARK: Objections

    struct ObjectionInput: Decodable, Sendable {
        var reason: String
        var retest: Bool?
    }

    func object(id: Int, _ input: ObjectionInput, by user: User) async throws -> InspectionStore.Objection {
        try await db.write { sql in
            guard let i = try await InspectionStore.inspection(sql, id: id), !i.hidden, user.role == .enterprise, user.enterpriseUSCC == i.uscc else {
                throw AppError(.objection.enterpriseOnly)
            }
            guard i.state == .concluded, let concluded = i.concludedOn else {
                throw AppError(.objection.noResult)
            }
            guard clock.today <= concluded.adding(days: Self.objectionDays) else {
                throw AppError(.objection.tooLate, ["objection_days": "\(Self.objectionDays)"])
            }
            if try await InspectionStore.objections(sql, inspectionID: id).contains(where: { $0.state == .open || $0.state == .retest }) {
                throw AppError(.objection.pending)
            }
            let reason = clipped(input.reason, max: 2000)
            guard !reason.isEmpty else { throw AppError(.objection.reason) }
            let o = try await InspectionStore.insertObjection(sql, inspectionID: id, uscc: i.uscc, reason: reason, retest: input.retest ?? false, at: clock.stamp)
            try await Events.append(sql, type: .objectionFiled, subject: "inspection/\(i.number)", actor: user.actor,
                                    jurisdiction: i.authority, at: clock.stamp, payload: o)
            return o
        }
    }

    struct ObjectionDecision: Decodable, Sendable {
        /// dismissed, retest (a re-test is ordered), retest_passed, retest_failed, upheld
        var decision: InspectionStore.Objection.State
        var note: String
    }

    /// Decides an objection. An upheld objection or a passed re-test turns the result into a pass, and a
    /// published result is published again with the new outcome.
    func decideObjection(id: Int, objection: Int, _ input: ObjectionDecision, by user: User) async throws -> InspectionStore.Objection {
        try await db.write { sql in
            var i = try await inspectionFor(sql, id: id, user: user, officerOnly: true)
            guard var o = try await InspectionStore.objections(sql, inspectionID: id).first(where: { $0.id == objection }) else {
                throw AppError.notFound("objection \(objection)")
            }
            let allowed: Set<InspectionStore.Objection.State> = o.state == .open ? [.dismissed, .upheld, .retest] : o.state == .retest ? [.retestPassed, .retestFailed] : []
            guard allowed.contains(input.decision) else {
                throw AppError(.objection.decisionNotOpen)
            }
            let note = clipped(input.note, max: 2000)
            guard !note.isEmpty else { throw AppError(.objection.note) }
            o.state = input.decision
            o.outcome = note
            o.decidedAt = clock.stamp
            o.decidedBy = user.username
            try await InspectionStore.saveObjection(sql, o)
            if [.upheld, .retestPassed].contains(input.decision), i.outcome != InspectionStore.Outcome.pass.rawValue {
                // Counted figures (the dashboard) move the check from failed to passed in the year it was concluded.
                try await Events.append(sql, type: .inspectionOutcomeChanged, subject: "inspection/\(i.number)", actor: user.actor,
                                        jurisdiction: i.authority, at: clock.stamp,
                                        payload: OutcomeChanged(from: i.outcome ?? "", to: "pass", origin: i.origin.rawValue, category: i.category, concludedOn: i.concludedOn))
                i.outcome = InspectionStore.Outcome.pass.rawValue
                i.summary += "\n" + note
                i.updatedAt = clock.stamp
                try await InspectionStore.saveInspection(sql, i)
                if i.publishedAt != nil { try await logInspection(sql, .inspectionRevised, i, by: user) }
            }
            try await Events.append(sql, type: .objectionDecided, subject: "inspection/\(i.number)", actor: user.actor,
                                    jurisdiction: i.authority, at: clock.stamp, payload: o)
            return o
        }
    }

    // MARK: Evidence

    struct EvidenceInput: Decodable, Sendable {
        var sha256: String
        var filename: String
    }

    /// Binds a file the caller uploaded (photos, records, lab reports) to an inspection of theirs.
    func addEvidence(id: Int, _ input: EvidenceInput, by user: User) async throws -> InspectionView {
        try await db.write { sql in
            let i = try await inspectionFor(sql, id: id, user: user)
            guard i.state != .unstaffed else {
                throw AppError(.inspection.stateEvidence)
            }
            guard try await UploadStore.isUploadOwner(sql, sha256: input.sha256, userID: user.id) else {
                throw AppError(.evidence.upload)
            }
            let name = clipped(input.filename, max: 200)
            guard !name.isEmpty else { throw AppError(.evidence.filename) }
            try await InspectionStore.addEvidence(sql, inspectionID: id, sha256: input.sha256, filename: name, by: user.username, at: clock.stamp)
            try await Events.append(sql, type: .inspectionEvidenceAdded, subject: "inspection/\(i.number)", actor: user.actor,
                                    jurisdiction: i.authority, at: clock.stamp, payload: EvidenceAdded(sha256: input.sha256, filename: name))
            return try await inspectionView(sql, i)
        }
    }

    /// An evidence file, for the team and the authority only.
    func evidenceFile(id: Int, sha256: String, user: User) async throws -> (InspectionStore.Evidence, String, Data) {
        let (e, type) = try await db.read { sql in
            _ = try await inspectionFor(sql, id: id, user: user)
            guard let e = try await InspectionStore.evidence(sql, inspectionID: id).first(where: { $0.sha256 == sha256 }),
                  let u = try await UploadStore.upload(sql, sha256: sha256) else { throw AppError.notFound("evidence \(sha256)") }
            return (e, u.type)
        }
        return (e, type.rawValue, try await uploads.read(sha256))
    }

    // MARK: Views

    struct InspectionView: Encodable, Sendable {
        var inspection: InspectionRecord
        var findings: [InspectionStore.Finding]
        var samples: [InspectionStore.Sample]
        var objections: [InspectionStore.Objection]
        var evidence: [InspectionStore.Evidence]
    }

    /// The enterprise sees its findings, samples and objections, but not the team's evidence files.
    func inspectionView(_ sql: any SQLDatabase, _ i: InspectionRecord, withEvidence: Bool = true) async throws -> InspectionView {
        InspectionView(inspection: i, findings: try await InspectionStore.findings(sql, inspectionID: i.id),
                       samples: try await InspectionStore.samples(sql, inspectionID: i.id), objections: try await InspectionStore.objections(sql, inspectionID: i.id),
                       evidence: withEvidence ? try await InspectionStore.evidence(sql, inspectionID: i.id) : [])
    }

    /// An inspection as its enterprise, a team member or an officer may see it; flying inspections stay hidden from the enterprise until the visit.
    func visibleInspection(id: Int, user: User) async throws -> InspectionView {
        try await db.read { sql in
            if user.role == .enterprise {
                guard let i = try await InspectionStore.inspection(sql, id: id), i.uscc == user.enterpriseUSCC, !i.hidden else {
                    throw AppError.notFound("inspection \(id)")
                }
                return try await inspectionView(sql, i, withEvidence: false)
            }
            return try await inspectionView(sql, try await inspectionFor(sql, id: id, user: user))
        }
    }
}
