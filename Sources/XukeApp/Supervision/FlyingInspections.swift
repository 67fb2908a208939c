import Crypto
import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// Inspections outside a draw: flying (unannounced) inspections and the follow-up checks of commitment-route
/// licences, with the recusal rules their teams obey.
extension SupervisionService {
    struct FlyingInput: Decodable, Sendable {
        var uscc: String
        var category: String
        var team: [String]
        var items: [String]?
        /// The lead it works (`XS…`), if any.
        var lead: String?
    }

    /// An unannounced inspection: the team is chosen by the officer, under the same recusal rules as a draw.
    func openFlyingInspection(_ input: FlyingInput, by user: User) async throws -> InspectionRecord {
        try await openInspection(.flying, input, by: user)
    }

    /// A supervision check of a license granted on the commitment route (docs/DOMAIN.md §6), announced to the enterprise.
    func openFollowUpInspection(_ input: FlyingInput, by user: User) async throws -> InspectionRecord {
        try await openInspection(.followUp, input, by: user)
    }

    func openInspection(_ origin: InspectionRecord.Origin, _ input: FlyingInput, by user: User) async throws -> InspectionRecord {
        let (authority, jurisdiction) = try supervisor(user)
        return try await db.write { sql in
            let e = try await supervisedEnterprise(sql, input.uscc, in: jurisdiction)
            if origin == .followUp {
                guard let l = try await LicenseStore.license(sql, uscc: input.uscc), l.storedStatus.isInForce,
                      l.units.contains(where: { $0.route == .commitment && $0.categoryNo == input.category }) else {
                    throw AppError(.inspection.notCommitment)
                }
            }
            let members = try await checkTeam(sql, codes: input.team, county: e.divisionCode, category: input.category, uscc: input.uscc)
            let items = (input.items ?? []).map { clipped($0, max: 200) }.filter { !$0.isEmpty }
            let id = try await InspectionStore.insertInspection(sql, .init(
                origin: origin, planID: nil, uscc: input.uscc, authority: authority, category: input.category, state: .assigned,
                hidden: origin == .flying, items: items, team: members.map(\.userID)), number: try await inspectionNumber(sql), at: clock.stamp)
            let record = try await InspectionStore.inspection(sql, id: id).orThrow("inspection \(id)")
            // An unannounced inspection is recorded under a type no sharing scope carries; the feed and webhooks
            // learn of it (as `inspection.opened`) only with the visit.
            try await Events.append(sql, type: record.hidden ? .unannouncedInspectionOpened : .inspectionOpened, subject: "inspection/\(record.number)",
                                    actor: user.actor, jurisdiction: authority, at: clock.stamp, payload: record)
            if let lead = input.lead, !lead.isEmpty {
                try await takeLead(sql, number: lead, uscc: input.uscc, inspection: record, user: user)
            }
            return record
        }
    }

    /// A hand-picked team obeys what dr-v1 enforces: at least two, none from the enterprise's county, none who
    /// inspected it last time, each qualified for the category.
    func checkTeam(_ sql: any SQLDatabase, codes: [String], county: String, category: String, uscc: String) async throws -> [InspectorRecord] {
        guard Set(codes).count == codes.count, codes.count >= SpotCheckPlan.minimumTeam, codes.count <= 10 else {
            throw AppError(.inspection.teamSize, ["minimum_team": "\(SpotCheckPlan.minimumTeam)"])
        }
        let found = Dictionary(uniqueKeysWithValues: try await InspectorStore.inspectors(sql, codes: codes).map { ($0.code, $0) })
        let last = try await TargetStore.lastTeams(sql)[uscc] ?? []
        return try codes.map { code in
            guard let i = found[code], i.active else {
                throw AppError(.inspection.unknownInspector, ["code": "\(code)"])
            }
            if i.county == county {
                throw AppError(.inspection.recusalSameCounty, ["code": "\(code)"])
            }
            if last.contains(code) {
                throw AppError(.inspection.recusalLastTime, ["code": "\(code)"])
            }
            if !i.qualified.isEmpty && !i.qualified.contains(category) {
                throw AppError(.inspection.notQualified, ["code": "\(code)"])
            }
            return i
        }
    }
}
