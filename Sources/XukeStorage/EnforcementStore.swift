public import SQLKit
public import XukeDomain
import Foundation

public struct EnforcementRecord: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 约谈
        case interview
        /// 书面报告: the enterprise explains in writing.
        case writtenReport = "written_report"
        /// 责令整改, with a working-day deadline and a re-check when it falls due.
        case rectification
        /// 暂停: the license is suspended until lifted.
        case suspension
        /// 撤销: the grant is withdrawn (fraud, a false commitment); no new application for 3 years.
        case revocation
        /// 吊销: the license is withdrawn as a penalty; no new application for the same products for 3 years.
        case withdrawal
    }

    public enum State: String, Sendable, Codable {
        case open, done
    }

    public var id: Int
    public var number: String
    public var uscc: String
    public var authority: String
    public var kind: Kind
    /// What it follows from: `inspection/<number>`, `enforcement/<number>` (a failed re-check) or `note`.
    public var cause: String
    public var state: State
    public var dueOn: CivilDate?
    public var note: String
    public var outcome: String
    public var licenseID: Int?
    public var createdBy: String
    public var createdAt: String
    public var closedAt: String?
}

/// An enforcement_actions row (`RowCoding`).
struct EnforcementRow: Codable {
    var number: String
    var uscc: String
    var authority: String
    var kind: EnforcementRecord.Kind
    var cause: String
    var state: EnforcementRecord.State
    var dueOn: CivilDate?
    var note: String
    var outcome: String
    var licenseId: Int?
    var createdBy: String
    var createdAt: String
    var closedAt: String?

    func record(id: Int) -> EnforcementRecord {
        EnforcementRecord(id: id, number: number, uscc: uscc, authority: authority, kind: kind, cause: cause, state: state,
                          dueOn: dueOn, note: note, outcome: outcome, licenseID: licenseId, createdBy: createdBy, createdAt: createdAt,
                          closedAt: closedAt)
    }
}

/// Measures taken on problems, and the bars on new applications they leave.
public enum EnforcementStore {
    static func enforcement(_ r: any SQLRow) throws -> EnforcementRecord {
        let stored = try Identified<EnforcementRow>.of(r)
        return stored.columns.record(id: stored.id)
    }

    public static func insertEnforcement(_ sql: any SQLDatabase, number: String, uscc: String, authority: String, kind: EnforcementRecord.Kind,
                                         cause: String, state: EnforcementRecord.State, dueOn: CivilDate?, note: String, licenseID: Int?,
                                         by: String, at: String) async throws -> EnforcementRecord {
        let row = EnforcementRow(number: number, uscc: uscc, authority: authority, kind: kind, cause: cause, state: state, dueOn: dueOn,
                                 note: note, outcome: "", licenseId: licenseID, createdBy: by, createdAt: at, closedAt: state == .done ? at : nil)
        return row.record(id: try await sql.insertRow(into: "enforcement_actions", row))
    }

    public static func enforcement(_ sql: any SQLDatabase, number: String) async throws -> EnforcementRecord? {
        try await sql.raw("SELECT * FROM enforcement_actions WHERE number = \(bind: number)").first().map(enforcement)
    }

    public static func enforcement(_ sql: any SQLDatabase, id: Int) async throws -> EnforcementRecord? {
        try await sql.raw("SELECT * FROM enforcement_actions WHERE id = \(bind: id)").first().map(enforcement)
    }

    public static func closeEnforcement(_ sql: any SQLDatabase, id: Int, outcome: String, at: String) async throws {
        try await sql.raw("""
            UPDATE enforcement_actions SET state = 'done', outcome = \(bind: outcome), closed_at = \(bind: at) WHERE id = \(bind: id)
            """).run()
    }

    /// Actions of authorities under a prefix, or against one enterprise, newest first.
    public static func enforcements(_ sql: any SQLDatabase, authorityPrefix: String? = nil, uscc: String? = nil, limit: Int = 200,
                                    before: Int? = nil) async throws -> [EnforcementRecord] {
        var q: SQLQueryString = "SELECT * FROM enforcement_actions WHERE 1 = 1"
        if let before { q = q + " AND id < \(bind: before)" }
        if let authorityPrefix { q = q + " AND authority LIKE \(bind: authorityPrefix + "%")" }
        if let uscc { q = q + " AND uscc = \(bind: uscc)" }
        return try await sql.rows(q + " ORDER BY id DESC LIMIT \(bind: limit)", as: Identified<EnforcementRow>.self).map { $0.columns.record(id: $0.id) }
    }

    struct BarFlag: Decodable {
        var kind: ApplicationBar.Kind
        var until: CivilDate?
        var note: String
    }

    /// The enterprise's bars on new applications that have begun by `today` (ApplicationBar judges which still
    /// hold). Each flag names its licence in `note`, so the barred products are read from the licence itself
    /// rather than copied.
    public static func applicationBars(_ sql: any SQLDatabase, uscc: String, today: CivilDate) async throws -> [ApplicationBar] {
        let kinds = ApplicationBar.Kind.allCases.map { SQLQueryString("\(bind: $0.rawValue)") }.joined(separator: ", ")
        var bars: [ApplicationBar] = []
        for r in try await sql.rows("SELECT kind, until, note FROM credit_flags WHERE uscc = \(bind: uscc) AND kind IN (" + kinds
                                    + ") AND since <= \(bind: today.description) ORDER BY until", as: BarFlag.self) {
            let units = try await LicenseStore.license(sql, number: r.note)?.units.map(\.unitNo) ?? []
            bars.append(ApplicationBar(kind: r.kind, units: Set(units), until: r.until))
        }
        return bars
    }
}
