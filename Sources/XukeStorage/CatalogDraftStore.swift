public import SQLKit
public import XukeDomain
import Foundation

/// A draft catalog edition (docs/DOMAIN.md §1): drafted, opened for comment by named departments and associations,
/// then published as an edition.
public struct CatalogDraft: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case drafting
        case consultation
        case published
        /// Published, and its in-force day has come: the licenses and makers it touches have been moved on.
        case inForce = "in_force"
        case withdrawn
    }

    public struct Consultee: Sendable, Codable, Equatable, Hashable {
        public enum Kind: String, Sendable, Codable, CaseIterable { case department, association }
        public var name: String
        public var kind: Kind
        public init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    public var id: Int
    public var code: String
    public var title: String
    public var baseEdition: String
    public var editionCode: String
    public var inForce: CivilDate
    public var state: State
    public var actions: String
    public var consultees: String
    public var commentsUntil: CivilDate?
    public var createdBy: String
    public var createdAt: String
    public var updatedAt: String
    public var publishedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, code, title, baseEdition, editionCode, inForce, state, actions, consultees, commentsUntil, createdBy, createdAt, updatedAt, publishedAt
    }

    /// Written out with the changes and the organisations as JSON lists, not as the text they are stored in.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(code, forKey: .code)
        try c.encode(title, forKey: .title)
        try c.encode(baseEdition, forKey: .baseEdition)
        try c.encode(editionCode, forKey: .editionCode)
        try c.encode(inForce, forKey: .inForce)
        try c.encode(state, forKey: .state)
        try c.encode(actionList, forKey: .actions)
        try c.encode(consulteeList, forKey: .consultees)
        try c.encodeIfPresent(commentsUntil, forKey: .commentsUntil)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(publishedAt, forKey: .publishedAt)
    }

    public var actionList: [DraftAction] { (try? StoredJSON.decode([DraftAction].self, actions, "catalog_drafts.actions")) ?? [] }
    public var consulteeList: [Consultee] { (try? StoredJSON.decode([Consultee].self, consultees, "catalog_drafts.consultees")) ?? [] }
}

public struct DraftComment: Sendable, Codable, Equatable {
    public var id: Int
    public var draftId: Int
    public var organisation: String
    public var body: String
    public var receivedOn: CivilDate
    public var recordedBy: String
    public var answer: String?
    public var answeredBy: String?
    public var answeredAt: String?
}

public enum CatalogDraftStore {
    public static func insert(_ sql: any SQLDatabase, code: String, title: String, base: String, editionCode: String, inForce: CivilDate,
                              by: String, at: String) async throws -> CatalogDraft? {
        try await sql.row("""
            INSERT INTO catalog_drafts (code, title, base_edition, edition_code, in_force, state, actions, consultees, created_by, created_at, updated_at)
            VALUES (\(bind: code), \(bind: title), \(bind: base), \(bind: editionCode), \(bind: inForce.description), 'drafting', '[]', '[]',
                    \(bind: by), \(bind: at), \(bind: at))
            ON CONFLICT (code) DO NOTHING RETURNING *
            """, as: CatalogDraft.self)
    }

    public static func draft(_ sql: any SQLDatabase, code: String) async throws -> CatalogDraft? {
        try await sql.row("SELECT * FROM catalog_drafts WHERE code = \(bind: code)", as: CatalogDraft.self)
    }

    /// Published drafts whose in-force day has come and whose transitions have not run yet.
    public static func due(_ sql: any SQLDatabase, on day: CivilDate) async throws -> [CatalogDraft] {
        try await sql.rows("SELECT * FROM catalog_drafts WHERE state = 'published' AND in_force <= \(bind: day.description) ORDER BY in_force, id",
                           as: CatalogDraft.self)
    }

    public static func all(_ sql: any SQLDatabase) async throws -> [CatalogDraft] {
        try await sql.rows("SELECT * FROM catalog_drafts ORDER BY id DESC", as: CatalogDraft.self)
    }

    /// Saves a draft that still has the state it was read in; false when someone moved it on meanwhile.
    public static func save(_ sql: any SQLDatabase, _ d: CatalogDraft, expecting: CatalogDraft.State) async throws -> Bool {
        try await sql.raw("""
            UPDATE catalog_drafts SET title = \(bind: d.title), edition_code = \(bind: d.editionCode), in_force = \(bind: d.inForce.description), state = \(bind: d.state.rawValue),
                   actions = \(bind: d.actions), consultees = \(bind: d.consultees), comments_until = \(bind: d.commentsUntil?.description),
                   updated_at = \(bind: d.updatedAt), published_at = \(bind: d.publishedAt)
            WHERE id = \(bind: d.id) AND state = \(bind: expecting.rawValue) RETURNING id
            """).first() != nil
    }

    /// Takes the draft's row for this transaction while it is in `state` (false otherwise): on PostgreSQL a comment
    /// and a publication of the same draft then wait for each other instead of passing unseen.
    public static func lock(_ sql: any SQLDatabase, draftID: Int, state: CatalogDraft.State, at: String) async throws -> Bool {
        try await sql.raw("""
            UPDATE catalog_drafts SET updated_at = \(bind: at) WHERE id = \(bind: draftID) AND state = \(bind: state.rawValue) RETURNING id
            """).first() != nil
    }

    public static func comments(_ sql: any SQLDatabase, draftID: Int) async throws -> [DraftComment] {
        try await sql.rows("SELECT * FROM catalog_draft_comments WHERE draft_id = \(bind: draftID) ORDER BY id", as: DraftComment.self)
    }

    public static func addComment(_ sql: any SQLDatabase, draftID: Int, organisation: String, body: String, receivedOn: CivilDate, by: String) async throws -> DraftComment {
        try await sql.row("""
            INSERT INTO catalog_draft_comments (draft_id, organisation, body, received_on, recorded_by)
            VALUES (\(bind: draftID), \(bind: organisation), \(bind: body), \(bind: receivedOn.description), \(bind: by)) RETURNING *
            """, as: DraftComment.self).orThrow("catalog_draft_comments")
    }

    public static func answer(_ sql: any SQLDatabase, commentID: Int, draftID: Int, answer: String, by: String, at: String) async throws -> Bool {
        try await sql.raw("""
            UPDATE catalog_draft_comments SET answer = \(bind: answer), answered_by = \(bind: by), answered_at = \(bind: at)
            WHERE id = \(bind: commentID) AND draft_id = \(bind: draftID) AND answer IS NULL RETURNING id
            """).first() != nil
    }

    /// Licenses in force with their holder's province (from its domicile) and units, for a draft's impact.
    public static func liveLicenses(_ sql: any SQLDatabase) async throws -> [DraftImpact.License] {
        try await sql.raw("""
            SELECT l.uscc, l.number, e.division_code, l.units FROM licenses l JOIN enterprises e ON e.uscc = l.uscc
            WHERE l.status IN ('valid', 'suspended') ORDER BY l.id
            """).all().map { r in
            let units = try StoredJSON.decode([LicenseUnit].self, try r.decode(column: "units", as: String.self), "licenses.units")
            return DraftImpact.License(uscc: try r.decode(column: "uscc", as: String.self), number: try r.decode(column: "number", as: String.self),
                                       province: String(try r.decode(column: "division_code", as: String.self).prefix(2)) + "0000", units: units.map(\.unitNo))
        }
    }
}
