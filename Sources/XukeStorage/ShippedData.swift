public import XukeDomain
import SQLKit
import Foundation

/// The reference data shipped with the platform (copied from the project's domain research), loaded into a
/// new database once. Later changes come in as imports by authorities, not as releases.
public enum ShippedData {
    public static func text(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "reference") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "reference/\(name).csv"])
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Loads every data set not loaded before. Each runs in one transaction and is recorded in `reference_loads`.
    @discardableResult
    public static func load(into db: Database, at: String, progress: @Sendable (String) -> Void = { _ in }) async throws -> [String] {
        let loaded = Set(try await db.read { sql in
            try await sql.raw("SELECT name FROM reference_loads").all().map { try $0.decode(column: "name", as: String.self) }
        })
        var done: [String] = []
        for (name, loader) in loaders where !loaded.contains(name) {
            let text = try text(name)
            let rows = try await db.write { sql in
                let n = try await loader(sql, text, at)
                let digest = sha256Hex(Data(text.utf8))
                try await sql.raw("""
                    INSERT INTO reference_loads (name, sha256, rows, loaded_at) VALUES (\(bind: name), \(bind: digest), \(bind: n), \(bind: at))
                    """).run()
                return n
            }
            progress("loaded \(name): \(rows) rows")
            done.append(name)
        }
        return done
    }

    typealias Loader = @Sendable (any SQLDatabase, String, String) async throws -> Int
    /// In dependency order: editions reference nothing, catalog units reference editions.
    static let loaders: [(String, Loader)] = [
        ("admin-divisions", loadDivisions),
        ("cn-workdays", loadCalendar),
        ("catalog-history", loadHistory),
        ("catalog", loadCatalog),
        ("reform-actions", loadReformActions),
        ("ccc-transfers", loadCCC),
    ]

    static func records(_ text: String, header: [String]) throws -> [CSV.Record] {
        let records = try CSV.parse(text)
        guard records.first?.fields == header else { throw ImportError(problems: [.init(line: 1, zh: "表头不符", en: "unexpected header")]) }
        return Array(records.dropFirst())
    }

    static func loadDivisions(_ sql: any SQLDatabase, _ text: String, _ at: String) async throws -> Int {
        let rows = try records(text, header: ["code", "name_zh", "level", "parent_code", "kind_zh", "province_abbr"])
        for chunk in rows.chunked(200) {
            var q = SQLQueryString("INSERT INTO divisions (code, name_zh, level, parent_code, kind_zh, province_abbr) VALUES ")
            for (i, r) in chunk.enumerated() {
                let f = r.fields
                if i > 0 { q += ", " }
                q += "(\(bind: f[0]), \(bind: f[1]), \(bind: f[2]), \(bind: f[3].isEmpty ? nil : f[3]), \(bind: f[4]), \(bind: f[5].isEmpty ? nil : f[5]))"
            }
            try await sql.raw(q).run()
        }
        return rows.count
    }

    static func loadCalendar(_ sql: any SQLDatabase, _ text: String, _ at: String) async throws -> Int {
        let rows = try WorkCalendar.parseNotice(text)
        try await ReferenceStore.importCalendar(sql, rows: rows, source: "shipped cn-workdays.csv", actor: "system", at: at)
        return rows.count
    }

    /// Edition codes for the history: the year, or year-month where one year saw two editions.
    static func historyCodes(_ dates: [CivilDate]) -> [String] {
        let years = dates.map(\.year)
        return dates.map { d in
            years.filter { $0 == d.year }.count > 1 ? String(d.description.prefix(7)) : String(d.year)
        }
    }

    static func loadHistory(_ sql: any SQLDatabase, _ text: String, _ at: String) async throws -> Int {
        let rows = try records(text, header: ["as_of", "instrument", "categories", "national", "provincial", "note"])
        let dates = try rows.map { r in
            guard let d = CivilDate(r.fields[0]) else { throw ImportError(problems: [.init(line: r.line, zh: "日期无效", en: "bad date")]) }
            return d
        }
        for (r, code) in zip(rows, historyCodes(dates)) {
            let f = r.fields
            try await CatalogStore.insertSummary(sql, EditionSummary(
                code: code, instrument: f[1], inForce: CivilDate(f[0])!, categoryCount: Int(f[2]) ?? 0,
                nationalCount: Int(f[3]), provincialCount: Int(f[4]), note: f[5], hasUnits: false))
        }
        return rows.count
    }

    static func loadCatalog(_ sql: any SQLDatabase, _ text: String, _ at: String) async throws -> Int {
        let editions = try CatalogCSV.parse(text)
        for e in editions {
            try await CatalogStore.replace(sql, edition: e, actor: "system", at: at)
        }
        return editions.reduce(0) { $0 + $1.unitCount }
    }

    static func loadReformActions(_ sql: any SQLDatabase, _ text: String, _ at: String) async throws -> Int {
        let actions = try ReformActionsCSV.parse(text)
        for a in actions { try await CatalogStore.addReformAction(sql, a, actor: "system", at: at) }
        return actions.count
    }

    static func loadCCC(_ sql: any SQLDatabase, _ text: String, _ at: String) async throws -> Int {
        let rows = try records(text, header: ["product_zh", "product_en", "decided_by", "ccc_applications_from", "ccc_mandatory_from", "confidence"])
        for r in rows {
            let f = r.fields
            try await sql.raw("""
                INSERT INTO ccc_transfers (product_zh, product_en, decided_by, applications_from, mandatory_from, confidence)
                VALUES (\(bind: f[0]), \(bind: f[1]), \(bind: f[2]), \(bind: f[3].isEmpty ? nil : f[3]), \(bind: f[4].isEmpty ? nil : f[4]), \(bind: f[5]))
                """).run()
        }
        return rows.count
    }
}
