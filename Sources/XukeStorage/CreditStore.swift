public import SQLKit
public import XukeDomain
import Foundation

/// An entry on a credit list (docs/DOMAIN.md §10). In force from `listedOn` until it is removed or `endsOn` passes.
public struct CreditEntry: Sendable, Codable, Equatable {
    public enum List: String, Sendable, Codable, CaseIterable {
        /// 经营异常名录: for a missing or false annual report; moved to the serious list after 3 years.
        case abnormal
        /// 严重违法失信名单: 3 years, early removal after 1 through credit repair.
        case serious
    }

    public var id: Int
    public var number: String
    public var uscc: String
    public var list: List
    public var cause: String
    public var note: String
    public var authority: String
    public var listedOn: CivilDate
    public var earliestRemoval: CivilDate
    public var endsOn: CivilDate?
    public var removedOn: CivilDate?
    public var removal: String
    /// The abnormal-list entry a serious-list entry grew out of.
    public var movedFrom: Int?
    public var createdBy: String
    public var createdAt: String

    public init(id: Int, number: String, uscc: String, list: List, cause: String, note: String, authority: String, listedOn: CivilDate, earliestRemoval: CivilDate,
                endsOn: CivilDate?, removedOn: CivilDate?, removal: String, movedFrom: Int?, createdBy: String, createdAt: String) {
        self.id = id
        self.number = number
        self.uscc = uscc
        self.list = list
        self.cause = cause
        self.note = note
        self.authority = authority
        self.listedOn = listedOn
        self.earliestRemoval = earliestRemoval
        self.endsOn = endsOn
        self.removedOn = removedOn
        self.removal = removal
        self.movedFrom = movedFrom
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// An entry not removed that runs past `day` stands in the way of another listing of the same list from that day.
    public func overlaps(listingOn day: CivilDate) -> Bool {
        removedOn == nil && (endsOn.map { $0 > day } ?? true)
    }

    public func inForce(on day: CivilDate) -> Bool {
        listedOn <= day && removedOn == nil && endsOn.map { day < $0 } ?? true
    }
}

public struct CreditRepair: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case pending, approved, rejected }
    public var id: Int
    public var entryId: Int
    public var statement: String
    public var state: State
    public var filedBy: String
    public var filedAt: String
    public var decidedBy: String?
    public var decidedAt: String?
    public var decision: String
}

public struct Ban: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case lab, reviewBody = "review_body", certificationBody = "certification_body", person
    }
    public var id: Int
    public var number: String
    public var subjectKind: Kind
    /// A lab or body code, or a person's certificate number.
    public var subject: String
    public var name: String
    public var cause: String
    public var authority: String
    public var since: CivilDate
    public var createdBy: String
    public var createdAt: String

    public init(id: Int, number: String, subjectKind: Kind, subject: String, name: String, cause: String, authority: String, since: CivilDate, createdBy: String, createdAt: String) {
        self.id = id
        self.number = number
        self.subjectKind = subjectKind
        self.subject = subject
        self.name = name
        self.cause = cause
        self.authority = authority
        self.since = since
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

public enum CreditStore {
    /// The SQL for an entry, aliased `c`, in force on a day.
    public static func inForce(_ day: CivilDate) -> SQLQueryString {
        "c.listed_on <= \(bind: day.description) AND c.removed_on IS NULL AND (c.ends_on IS NULL OR c.ends_on > \(bind: day.description))"
    }

    public static func insert(_ sql: any SQLDatabase, _ e: CreditEntry) async throws -> CreditEntry {
        try await sql.rows("""
            INSERT INTO credit_entries (number, uscc, list, cause, note, authority, listed_on, earliest_removal, ends_on, removed_on, removal, moved_from, created_by, created_at)
            VALUES (\(bind: e.number), \(bind: e.uscc), \(bind: e.list.rawValue), \(bind: e.cause), \(bind: e.note), \(bind: e.authority), \(bind: e.listedOn.description),
                    \(bind: e.earliestRemoval.description), \(bind: e.endsOn?.description), NULL, '', \(bind: e.movedFrom), \(bind: e.createdBy), \(bind: e.createdAt))
            RETURNING *
            """, as: CreditEntry.self).first.orThrow("credit_entries")
    }

    public static func entry(_ sql: any SQLDatabase, number: String) async throws -> CreditEntry? {
        try await sql.rows("SELECT * FROM credit_entries WHERE number = \(bind: number)", as: CreditEntry.self).first
    }

    public static func entry(_ sql: any SQLDatabase, id: Int) async throws -> CreditEntry? {
        try await sql.rows("SELECT * FROM credit_entries WHERE id = \(bind: id)", as: CreditEntry.self).first
    }

    public static func entries(_ sql: any SQLDatabase, uscc: String) async throws -> [CreditEntry] {
        try await sql.rows("SELECT * FROM credit_entries WHERE uscc = \(bind: uscc) ORDER BY id DESC", as: CreditEntry.self)
    }

    /// Entries in force on a day, optionally on one list, newest first; `before` an id, for the next page.
    public static func listed(_ sql: any SQLDatabase, on day: CivilDate, list: CreditEntry.List?, limit: Int = 500, before: Int? = nil) async throws -> [CreditEntry] {
        var q: SQLQueryString = "SELECT * FROM credit_entries c WHERE " + inForce(day)
        if let list { q = q + " AND c.list = \(bind: list.rawValue)" }
        if let before { q = q + " AND c.id < \(bind: before)" }
        return try await sql.rows(q + " ORDER BY c.id DESC LIMIT \(bind: limit)", as: CreditEntry.self)
    }

    public static func listedUSCCs(_ sql: any SQLDatabase, on day: CivilDate) async throws -> Set<String> {
        Set(try await sql.raw("SELECT DISTINCT c.uscc FROM credit_entries c WHERE " + inForce(day)).all().map { try $0.decode(column: "uscc", as: String.self) })
    }

    /// Ends an entry in force; false when it had already ended (a concurrent removal came first).
    public static func remove(_ sql: any SQLDatabase, id: Int, on day: CivilDate, reason: String) async throws -> Bool {
        try await sql.raw("""
            UPDATE credit_entries SET removed_on = \(bind: day.description), removal = \(bind: reason) WHERE id = \(bind: id) AND removed_on IS NULL
            RETURNING id
            """).first() != nil
    }

    /// Abnormal-list entries in force that have stood for `years` by `day`.
    public static func overdueAbnormal(_ sql: any SQLDatabase, on day: CivilDate, years: Int) async throws -> [CreditEntry] {
        try await sql.rows("SELECT * FROM credit_entries c WHERE c.list = 'abnormal' AND " + inForce(day)
                      + " AND c.listed_on <= \(bind: day.adding(months: -12 * years).description) ORDER BY c.id", as: CreditEntry.self)
    }

    public static func insertRepair(_ sql: any SQLDatabase, entryID: Int, statement: String, by: String, at: String) async throws -> CreditRepair {
        try await sql.rows("""
            INSERT INTO credit_repairs (entry_id, statement, state, filed_by, filed_at, decision)
            VALUES (\(bind: entryID), \(bind: statement), 'pending', \(bind: by), \(bind: at), '')
            RETURNING *
            """, as: CreditRepair.self).first.orThrow("credit_repairs")
    }

    public static func repair(_ sql: any SQLDatabase, id: Int) async throws -> CreditRepair? {
        try await sql.rows("SELECT * FROM credit_repairs WHERE id = \(bind: id)", as: CreditRepair.self).first
    }

    public static func repairs(_ sql: any SQLDatabase, entryID: Int) async throws -> [CreditRepair] {
        try await sql.rows("SELECT * FROM credit_repairs WHERE entry_id = \(bind: entryID) ORDER BY id", as: CreditRepair.self)
    }

    /// Decides a pending repair; false when it was already decided.
    public static func decideRepair(_ sql: any SQLDatabase, id: Int, approved: Bool, decision: String, by: String, at: String) async throws -> Bool {
        try await sql.raw("""
            UPDATE credit_repairs SET state = \(bind: approved ? "approved" : "rejected"), decision = \(bind: decision), decided_by = \(bind: by), decided_at = \(bind: at)
            WHERE id = \(bind: id) AND state = 'pending'
            RETURNING id
            """).first() != nil
    }

    /// False when the subject is already banned.
    public static func insertBan(_ sql: any SQLDatabase, _ b: Ban) async throws -> Ban? {
        try await sql.rows("""
            INSERT INTO bans (number, subject_kind, subject, name, cause, authority, since, created_by, created_at)
            VALUES (\(bind: b.number), \(bind: b.subjectKind.rawValue), \(bind: b.subject), \(bind: b.name), \(bind: b.cause), \(bind: b.authority),
                    \(bind: b.since.description), \(bind: b.createdBy), \(bind: b.createdAt))
            ON CONFLICT DO NOTHING
            RETURNING *
            """, as: Ban.self).first
    }

    public static func bans(_ sql: any SQLDatabase) async throws -> [Ban] {
        try await sql.rows("SELECT * FROM bans ORDER BY id DESC", as: Ban.self)
    }
}
