public import SQLKit
public import XukeDomain

/// The versioned product catalog: editions, their categories and units, reform actions and CCC transfers.
public enum CatalogStore {
    public static func editions(_ sql: any SQLDatabase) async throws -> [EditionSummary] {
        try await sql.raw("SELECT * FROM catalog_editions ORDER BY in_force").all().map { r in
            EditionSummary(code: try r.decode(column: "code", as: String.self),
                           instrument: try r.decode(column: "instrument", as: String.self),
                           inForce: try date(r, "in_force"),
                           categoryCount: try r.decode(column: "category_count", as: Int.self),
                           nationalCount: try r.decode(column: "national_count", as: Int?.self),
                           provincialCount: try r.decode(column: "provincial_count", as: Int?.self),
                           note: try r.decode(column: "note", as: String.self),
                           hasUnits: try r.decode(column: "has_units", as: Int.self) != 0)
        }
    }

    /// Every edition that lists its units, oldest first.
    public static func unitEditions(_ sql: any SQLDatabase) async throws -> [CatalogEdition] {
        let summaries = try await editions(sql).filter(\.hasUnits)
        let categories = try await sql.raw("SELECT * FROM catalog_categories ORDER BY edition, category_no").all()
        let units = try await sql.raw("SELECT * FROM catalog_units ORDER BY edition, unit_no").all()
        var byEdition: [String: [CatalogCategory]] = [:]
        for r in categories {
            byEdition[try r.decode(column: "edition", as: String.self), default: []].append(
                CatalogCategory(categoryNo: try r.decode(column: "category_no", as: String.self),
                                nameZh: try r.decode(column: "name_zh", as: String.self),
                                nameEn: try r.decode(column: "name_en", as: String.self), units: []))
        }
        for r in units {
            let edition = try r.decode(column: "edition", as: String.self)
            let categoryNo = try r.decode(column: "category_no", as: String.self)
            guard let i = byEdition[edition]?.firstIndex(where: { $0.categoryNo == categoryNo }) else { continue }
            byEdition[edition]![i].units.append(
                CatalogUnit(unitNo: try r.decode(column: "unit_no", as: String.self),
                            nameZh: try r.decode(column: "name_zh", as: String.self),
                            nameEn: try r.decode(column: "name_en", as: String.self),
                            authority: AuthorityLevel(rawValue: try r.decode(column: "authority", as: String.self)) ?? .provincial,
                            commitmentRoute: CommitmentEligibility(rawValue: try r.decode(column: "commitment_route", as: String.self)) ?? .unconfirmed,
                            confidence: try r.decode(column: "confidence", as: String.self)))
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
        for c in e.categories {
            try await sql.raw("""
                INSERT INTO catalog_categories (edition, category_no, name_zh, name_en)
                VALUES (\(bind: e.code), \(bind: c.categoryNo), \(bind: c.nameZh), \(bind: c.nameEn))
                """).run()
            for u in c.units {
                try await sql.raw("""
                    INSERT INTO catalog_units (edition, unit_no, category_no, name_zh, name_en, authority, commitment_route, confidence)
                    VALUES (\(bind: e.code), \(bind: u.unitNo), \(bind: c.categoryNo), \(bind: u.nameZh), \(bind: u.nameEn),
                            \(bind: u.authority.rawValue), \(bind: u.commitmentRoute.rawValue), \(bind: u.confidence))
                    """).run()
            }
        }
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
        try await sql.raw("SELECT * FROM reform_actions ORDER BY effective, id").all().map { r in
            ReformAction(edition: try r.decode(column: "edition", as: String.self),
                         kind: ReformAction.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .add,
                         effective: try date(r, "effective"),
                         instrument: try r.decode(column: "instrument", as: String.self),
                         subjectNo: try r.decode(column: "subject_no", as: String.self),
                         subjectZh: try r.decode(column: "subject_zh", as: String.self),
                         target: try r.decode(column: "target", as: String.self),
                         note: try r.decode(column: "note", as: String.self))
        }
    }

    public static func addReformAction(_ sql: any SQLDatabase, _ a: ReformAction, actor: String, at: String) async throws {
        try await sql.raw("""
            INSERT INTO reform_actions (edition, kind, effective, instrument, subject_no, subject_zh, target, note)
            VALUES (\(bind: a.edition), \(bind: a.kind.rawValue), \(bind: a.effective.description), \(bind: a.instrument),
                    \(bind: a.subjectNo), \(bind: a.subjectZh), \(bind: a.target), \(bind: a.note))
            """).run()
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
        try await sql.raw("SELECT * FROM ccc_transfers ORDER BY id").all().map { r in
            CCCTransfer(productZh: try r.decode(column: "product_zh", as: String.self),
                        productEn: try r.decode(column: "product_en", as: String.self),
                        decidedBy: try r.decode(column: "decided_by", as: String.self),
                        applicationsFrom: try r.dayIfPresent("applications_from"),
                        mandatoryFrom: try r.dayIfPresent("mandatory_from"),
                        confidence: try r.decode(column: "confidence", as: String.self))
        }
    }

    static func date(_ r: any SQLRow, _ column: String) throws -> CivilDate {
        let text = try r.decode(column: column, as: String.self)
        guard let d = CivilDate(text) else { throw StorageError.corruptRow("\(column)=\(text)") }
        return d
    }
}
