public import SQLKit
public import XukeDomain

/// The versioned product catalog: editions, their categories and units, reform actions and CCC transfers.
public enum CatalogStore {
    /// A catalog_editions row (`RowCoding`): the flag as 0 or 1.
    struct EditionRow: Codable {
        var code: String
        var instrument: String
        var inForce: CivilDate
        var categoryCount: Int
        var nationalCount: Int?
        var provincialCount: Int?
        var note: String
        var hasUnits: Int

        var summary: EditionSummary {
            EditionSummary(code: code, instrument: instrument, inForce: inForce, categoryCount: categoryCount, nationalCount: nationalCount,
                           provincialCount: provincialCount, note: note, hasUnits: hasUnits != 0)
        }
    }

    public static func editions(_ sql: any SQLDatabase) async throws -> [EditionSummary] {
        try await sql.rows("SELECT * FROM catalog_editions ORDER BY in_force", as: EditionRow.self).map(\.summary)
    }

    /// The edition a category or unit row belongs to.
    struct InEdition: Codable {
        var edition: String
    }

    /// A catalog_categories row, without the units that are rows of their own.
    struct CategoryRow: Codable {
        var categoryNo: String
        var nameZh: String
        var nameEn: String
    }

    struct CategoryNumber: Decodable {
        var categoryNo: String
    }

    /// A catalog unit's row holds its category beside the unit's own columns.
    struct InCategory: Codable {
        var edition: String
        var categoryNo: String
    }

    /// Every edition that lists its units, oldest first.
    public static func unitEditions(_ sql: any SQLDatabase) async throws -> [CatalogEdition] {
        let summaries = try await editions(sql).filter(\.hasUnits)
        let categories = try await sql.rows("SELECT * FROM catalog_categories ORDER BY edition, category_no", as: Pair<InEdition, CategoryRow>.self)
        let units = try await sql.rows("SELECT * FROM catalog_units ORDER BY edition, unit_no", as: Pair<InCategory, CatalogUnit>.self)
        var byEdition: [String: [CatalogCategory]] = [:]
        for r in categories {
            byEdition[r.first.edition, default: []].append(
                CatalogCategory(categoryNo: r.second.categoryNo, nameZh: r.second.nameZh, nameEn: r.second.nameEn, units: []))
        }
        for r in units {
            guard let i = byEdition[r.first.edition]?.firstIndex(where: { $0.categoryNo == r.first.categoryNo }) else { continue }
            byEdition[r.first.edition]![i].units.append(r.second)
        }
        return summaries.map { s in
            CatalogEdition(code: s.code, instrument: s.instrument, inForce: s.inForce, categories: byEdition[s.code] ?? [])
        }
    }

    public static func edition(_ sql: any SQLDatabase, code: String) async throws -> CatalogEdition? {
        try await unitEditions(sql).first { $0.code == code }
    }

    /// Stores an edition's units, replacing what the edition listed before. Runs inside the caller's transaction.
    /// A history row for the same edition keeps its note (the official totals' source).
    public static func replace(_ sql: any SQLDatabase, edition e: CatalogEdition, actor: String, at: String) async throws {
        let national = e.categories.filter { $0.authority == .national }.count
        try await sql.raw("DELETE FROM catalog_units WHERE edition = \(bind: e.code)").run()
        try await sql.raw("DELETE FROM catalog_categories WHERE edition = \(bind: e.code)").run()
        try await sql.raw("""
            INSERT INTO catalog_editions (code, instrument, in_force, category_count, national_count, provincial_count, note, has_units)
            VALUES (\(bind: e.code), \(bind: e.instrument), \(bind: e.inForce.description), \(bind: e.categories.count),
                    \(bind: national), \(bind: e.categories.count - national), '', 1)
            ON CONFLICT (code) DO UPDATE SET instrument = excluded.instrument, in_force = excluded.in_force,
                category_count = excluded.category_count, national_count = excluded.national_count,
                provincial_count = excluded.provincial_count, has_units = 1
            """).run()
        let categories = e.categories.map { Pair(first: InEdition(edition: e.code), second: CategoryRow(categoryNo: $0.categoryNo, nameZh: $0.nameZh, nameEn: $0.nameEn)) }
        let units = e.categories.flatMap { c in c.units.map { Pair(first: InCategory(edition: e.code, categoryNo: c.categoryNo), second: $0) } }
        try await sql.insertRows(into: "catalog_categories", categories)
        try await sql.insertRows(into: "catalog_units", units)
        try await Events.append(sql, type: .catalogEditionPublished, subject: "catalog/\(e.code)", actor: actor, at: at,
                                payload: EditionPublished(code: e.code, instrument: e.instrument, inForce: e.inForce.description,
                                                 categories: e.categories.count, units: e.unitCount))
    }

    /// Records an edition known only by its totals (the catalog's history before unit-level data).
    public static func insertSummary(_ sql: any SQLDatabase, _ s: EditionSummary) async throws {
        try await sql.raw("""
            INSERT INTO catalog_editions (code, instrument, in_force, category_count, national_count, provincial_count, note, has_units)
            VALUES (\(bind: s.code), \(bind: s.instrument), \(bind: s.inForce.description), \(bind: s.categoryCount),
                    \(bind: s.nationalCount), \(bind: s.provincialCount), \(bind: s.note), \(bind: s.hasUnits ? 1 : 0))
            ON CONFLICT (code) DO UPDATE SET note = excluded.note
            """).run()
    }

    /// The dated editions with units, and the reform actions between them: everything routing and diffs read.
    public static func unitEditionsAndActions(_ sql: any SQLDatabase) async throws -> ([CatalogEdition], [ReformAction]) {
        (try await unitEditions(sql), try await reformActions(sql))
    }

    public static func reformActions(_ sql: any SQLDatabase) async throws -> [ReformAction] {
        try await sql.rows("SELECT * FROM reform_actions ORDER BY effective, id", as: ReformAction.self)
    }

    public static func addReformAction(_ sql: any SQLDatabase, _ a: ReformAction, actor: String, at: String) async throws {
        try await sql.insert(into: "reform_actions").model(a, with: RowCoding.encoder).run()
        try await Events.append(sql, type: .catalogReformActionRecorded, subject: "catalog/\(a.edition)", actor: actor, at: at, payload: a)
    }

    public struct CCCTransfer: Sendable, Codable, Equatable {
        public var productZh: String
        public var productEn: String
        public var decidedBy: String
        public var applicationsFrom: CivilDate?
        public var mandatoryFrom: CivilDate?
        public var confidence: String
    }

    public static func cccTransfers(_ sql: any SQLDatabase) async throws -> [CCCTransfer] {
        try await sql.rows("SELECT * FROM ccc_transfers ORDER BY id", as: CCCTransfer.self)
    }
}
