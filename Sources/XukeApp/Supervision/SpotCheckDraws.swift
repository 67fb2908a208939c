import Crypto
import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// A plan's last steps: the beacon value two officers stand behind, the reveal of the secret by its deadline (or
/// the plan's public forfeiture), the draw itself and the inspections it creates (docs/FORMATS.md §3).
extension SupervisionService {
    struct BeaconInput: Decodable, Sendable { var value: String }

    func enterBeacon(id: Int, _ input: BeaconInput, by user: User) async throws -> PlanRecord {
        try await db.write { sql in
            var p = try await ownPlan(sql, id: id, user: user)
            let confirmed = try PlanMachine.next(p.state, .enterBeacon)
            guard clock.now() >= p.draft.beacon.availableAt else {
                throw AppError(.plan.beaconNotYet)
            }
            let value = input.value.trimmingCharacters(in: .whitespacesAndNewlines)
            let bytes: [UInt8]
            switch p.draft.beacon.source {
            case .drandQuicknet:
                guard value.count == 64, let b = [UInt8](hex: value.lowercased()) else {
                    throw AppError(.plan.beaconValueDrand)
                }
                bytes = b
            case .lottery:
                guard !value.isEmpty, value.count <= 200 else {
                    throw AppError(.plan.beaconValueLottery)
                }
                bytes = Array(value.utf8)
            }
            // One officer's value is a proposal; it stands when a second officer enters the same. Whoever could pick
            // among candidate values alone could steer the draw against the frozen rosters.
            p.updatedAt = clock.stamp
            guard let proposed = p.beaconProposedValue, p.beaconProposedBy != user.actor, proposed == bytes.hex else {
                if p.beaconProposedValue != nil, p.beaconProposedBy == user.actor {
                    throw AppError(.plan.beaconSecondOfficer)
                }
                // First entry, or a second officer who read a different value: theirs becomes the proposal, publicly.
                p.beaconProposedValue = bytes.hex
                p.beaconProposedBy = user.actor
                p.beaconProposedAt = clock.stamp
                try await PlanStore.savePlan(sql, p, expecting: .frozen)
                try await logPlan(sql, .planBeaconProposed, p, by: user)
                return p
            }
            p.beaconValue = proposed
            p.beaconConfirmedBy = user.actor
            p.state = confirmed
            p.beaconAt = clock.stamp
            p.revealDue = Timestamp.string(clock.now().addingTimeInterval(Double(config.revealHours) * 3600))
            try await PlanStore.savePlan(sql, p, expecting: .frozen)
            try await logPlan(sql, .planBeacon, p, by: user)
            return p
        }
    }

    /// Plans whose organiser let a deadline pass are forfeited, in the public log; they are never drawn. Two
    /// deadlines: the beacon value must stand (two officers agreeing) within `XUKE_REVEAL_HOURS` of the moment it
    /// exists, and the secret must be revealed within as long again. Otherwise an organiser who can compute the draw
    /// privately once the value is public could simply never let a draw they dislike proceed.
    /// The deadline for a beacon value to stand: the reveal window after the beacon became available.
    func confirmationDue(_ p: PlanRecord) -> String {
        Timestamp.string(p.draft.beacon.availableAt.addingTimeInterval(Double(config.revealHours) * 3600))
    }

    func forfeitUnrevealedPlans() async throws -> [String] {
        let now = clock.stamp
        let due = try await db.read { sql in
            try await PlanStore.plansPastReveal(sql, now: now) + (try await PlanStore.plans(sql, state: .frozen))
        }.filter { PlanMachine.forfeits($0.state, revealDue: $0.revealDue, confirmationDue: confirmationDue($0), now: now) }
        var forfeited: [String] = []
        for candidate in due {
            try await db.write { sql in
                guard var p = try await PlanStore.plan(sql, id: candidate.id), p.state == candidate.state,
                      PlanMachine.forfeits(p.state, revealDue: p.revealDue, confirmationDue: confirmationDue(p), now: clock.stamp) else { return }
                let expected = p.state
                // The deadline that passed: the reveal's, or for a value that never stood, the confirmation's.
                if p.state == .frozen { p.revealDue = confirmationDue(p) }
                p.state = .forfeited
                p.forfeitedAt = clock.stamp
                p.updatedAt = clock.stamp
                try await PlanStore.savePlan(sql, p, expecting: expected)
                try await logPlan(sql, .planForfeited, p, actor: "system")
                forfeited.append(p.code)
            }
        }
        return forfeited
    }

    struct DrawInput: Decodable, Sendable { var secret: String }

    /// Takes the revealed secret, runs dr-v1 over the frozen rosters, publishes the draw and creates its inspections.
    func runDraw(id: Int, _ input: DrawInput, by user: User) async throws -> PlanRecord {
        try await db.write { sql in
            var p = try await ownPlan(sql, id: id, user: user)
            let drawn = try PlanMachine.next(p.state, .draw)
            guard !PlanMachine.forfeits(p.state, revealDue: p.revealDue, confirmationDue: confirmationDue(p), now: clock.stamp) else {
                throw AppError(.plan.forfeited)
            }
            let secretText = input.secret.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard let secret = [UInt8](hex: secretText), (16...128).contains(secret.count) else {
                throw AppError(.draw.secretFormat)
            }
            let bundle = try await drawBundle(sql, p, secret: secret)
            let result: DrawV1.Result
            do throws(DrawV1.DrawError) {
                result = try DrawV1.draw(plan: bundle.plan, targets: bundle.targets, inspectors: bundle.inspectors, beacon: bundle.beacon, secret: secret)
            } catch .secretMismatch {
                throw AppError(.draw.secretMismatch)
            } catch {
                throw AppError(error.code, ["detail": "\(error)"])
            }
            p.secret = secret.hex
            p.result = result.json.canonicalString
            p.state = drawn
            p.drawnAt = clock.stamp
            p.updatedAt = clock.stamp
            try await PlanStore.savePlan(sql, p, expecting: .beacon)
            try await createInspections(sql, p, result, targets: bundle.targets)
            try await logPlan(sql, .drawPublished, p, by: user)
            return p
        }
    }

    /// The published inputs of a draw, read back from the frozen rosters.
    struct DrawBundle {
        var plan: JSONValue
        var targets: [DrawV1.Target]
        var inspectors: [DrawV1.Inspector]
        var beacon: [UInt8]
        var secret: [UInt8]?

        func json(result: JSONValue?) -> JSONValue {
            var m: [String: JSONValue] = ["plan": plan, "enterprises": .array(targets.map(\.json)), "inspectors": .array(inspectors.map(\.json)),
                                          "beacon": .string(beacon.hex)]
            if let secret { m["secret"] = .string(secret.hex) }
            if let result { m["result"] = result }
            return .object(m)
        }
    }

    func drawBundle(_ sql: any SQLDatabase, _ p: PlanRecord, secret: [UInt8]?) async throws -> DrawBundle {
        guard let published = p.published, let beacon = p.beaconValue.flatMap({ [UInt8](hex: $0) }) else {
            throw AppError(.draw.noBeaconPlain)
        }
        let targets = try await PlanStore.roster(sql, planID: p.id, roster: "enterprise").map {
            try DrawV1.Target(json: try JSONValue.parse(Array($0.line.utf8)))
        }
        let inspectors = try await PlanStore.roster(sql, planID: p.id, roster: "inspector").map {
            try DrawV1.Inspector(json: try JSONValue.parse(Array($0.line.utf8)))
        }
        return DrawBundle(plan: try JSONValue.parse(Array(published.utf8)), targets: targets, inspectors: inspectors, beacon: beacon, secret: secret)
    }

    func createInspections(_ sql: any SQLDatabase, _ p: PlanRecord, _ result: DrawV1.Result, targets: [DrawV1.Target]) async throws {
        let byID = Dictionary(uniqueKeysWithValues: targets.map { ($0.id, $0) })
        let codes = Set(result.rows.flatMap { $0.team ?? [] })
        let users = Dictionary(uniqueKeysWithValues: try await InspectorStore.inspectors(sql, codes: Array(codes)).map { ($0.code, $0.userID) })
        for row in result.rows {
            let t = try byID[row.enterprise].orThrow("roster \(row.enterprise)")
            let team = try (row.team ?? []).map { try users[$0].orThrow("inspector \($0)") }
            try await InspectionStore.insertInspection(sql, .init(
                origin: .draw, planID: p.id, uscc: t.id, authority: p.authority, category: t.category, state: row.team == nil ? .unstaffed : .assigned,
                hidden: false, items: p.draft.items[t.category] ?? [], team: team), number: try await inspectionNumber(sql), at: clock.stamp)
        }
    }

    func inspectionNumber(_ sql: any SQLDatabase) async throws -> String {
        let year = clock.today.year
        return String(format: "JC%04d-%06d", year, try await SettingsStore.nextSerial(sql, "inspection:\(year)"))
    }
}
