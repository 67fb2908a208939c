public import SQLKit
public import XukeDomain
import Foundation

public struct BulkDump: Sendable, Codable, Equatable {
    public var day: String
    public var dataset: String
    public var format: String
    public var rows: Int
    public var bytes: Int
    public var sha256: String
    public var createdAt: String

    public init(day: String, dataset: String, format: String, rows: Int, bytes: Int, sha256: String, createdAt: String) {
        self.day = day
        self.dataset = dataset
        self.format = format
        self.rows = rows
        self.bytes = bytes
        self.sha256 = sha256
        self.createdAt = createdAt
    }
}

/// The daily public dumps: which files each day has, with their digests.
extension SharingStore {
    public static func recordDump(_ sql: any SQLDatabase, _ d: BulkDump) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO bulk_dumps (day, dataset, format, rows, bytes, sha256, created_at)
            VALUES (\(bind: d.day), \(bind: d.dataset), \(bind: d.format), \(bind: d.rows), \(bind: d.bytes), \(bind: d.sha256), \(bind: d.createdAt))
            ON CONFLICT (day, dataset, format) DO NOTHING RETURNING day
            """).first() != nil
    }

    public static func dumped(_ sql: any SQLDatabase, day: String) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM bulk_dumps WHERE day = \(bind: day) LIMIT 1").first() != nil
    }

    public static func dumps(_ sql: any SQLDatabase, days: Int) async throws -> [BulkDump] {
        let recent = try await sql.raw("SELECT DISTINCT day FROM bulk_dumps ORDER BY day DESC LIMIT \(bind: days)").all()
            .map { try $0.decode(column: "day", as: String.self) }
        guard let oldest = recent.last else { return [] }
        return try await sql.rows("SELECT * FROM bulk_dumps WHERE day >= \(bind: oldest) ORDER BY day DESC, dataset, format", as: BulkDump.self)
    }

    public static func dump(_ sql: any SQLDatabase, day: String, dataset: String, format: String) async throws -> BulkDump? {
        try await sql.row("SELECT * FROM bulk_dumps WHERE day = \(bind: day) AND dataset = \(bind: dataset) AND format = \(bind: format)", as: BulkDump.self)
    }
}

/// A public register written out whole once a day: columns are named once here for the CSV header and the JSON keys.
public struct PublicDataset: Sendable {
    public enum Kind: Sendable { case text, integer, json }
    public var name: String
    public var columns: [(name: String, kind: Kind)]
    let table: String
    /// The unique, ordered column the export pages by.
    let key: String
    let condition: @Sendable (CivilDate) -> SQLQueryString

    /// Every register the public can already query row by row.
    public static let all: [PublicDataset] = [
        PublicDataset(name: "licenses", columns: [("number", .text), ("uscc", .text), ("name", .text), ("status", .text), ("authority", .text),
                                                 ("first_issued_on", .text), ("issued_on", .text), ("valid_until", .text),
                                                 ("domicile", .text), ("addresses", .json), ("units", .json)],
                      table: "licenses", key: "id", condition: { _ in "1 = 1" }),
        PublicDataset(name: "labs", columns: [("code", .text), ("name", .text), ("uscc", .text), ("cma_number", .text), ("grade", .integer),
                                             ("division_code", .text)],
                      table: "labs", key: "id", condition: { _ in "1 = 1" }),
        PublicDataset(name: "ccc_certificates", columns: [("number", .text), ("holder_uscc", .text), ("product", .text), ("standard", .text),
                                                         ("body", .text), ("status", .text), ("issued_on", .text), ("expires_on", .text)],
                      table: "ccc_certificates", key: "number", condition: { _ in "1 = 1" }),
        PublicDataset(name: "credit_entries", columns: [("number", .text), ("uscc", .text), ("list", .text), ("cause", .text), ("authority", .text),
                                                       ("listed_on", .text), ("ends_on", .text)],
                      table: "credit_entries c", key: "id", condition: { CreditStore.inForce($0) }),
        PublicDataset(name: "bans", columns: [("number", .text), ("subject_kind", .text), ("subject", .text), ("name", .text), ("cause", .text),
                                             ("authority", .text), ("since", .text)],
                      table: "bans", key: "id", condition: { _ in "1 = 1" }),
        PublicDataset(name: "recalls", columns: [("number", .text), ("uscc", .text), ("authority", .text), ("product", .text), ("batches", .text),
                                                ("defect", .text), ("quantity", .integer), ("decided_on", .text), ("due_on", .text), ("state", .text),
                                                ("recovered", .integer)],
                      table: "recalls", key: "id", condition: { _ in "1 = 1" }),
    ]

    /// One page of rows after `after` (a key value), with the key of the last row.
    public func page(_ sql: any SQLDatabase, on day: CivilDate, after: String?, limit: Int) async throws -> (rows: [[String?]], last: String?) {
        let names = columns.map(\.name)
        let keyText: SQLQueryString = "CAST(\(unsafeRaw: key) AS TEXT) AS dump_key"
        let select = SQLQueryString("SELECT \(names.joined(separator: ", ")), ") + keyText
        let keyClause: SQLQueryString = after.map { key == "id" ? " AND \(unsafeRaw: key) > \(bind: Int($0) ?? 0)" : " AND \(unsafeRaw: key) > \(bind: $0)" } ?? ""
        let rows = try await sql.raw(select + " FROM \(unsafeRaw: table) WHERE " + condition(day) + keyClause
                                     + " ORDER BY \(unsafeRaw: key) LIMIT \(bind: limit)").all()
        var out: [[String?]] = []
        out.reserveCapacity(rows.count)
        for r in rows {
            out.append(try columns.map { c in
                c.kind == .integer ? try r.decode(column: c.name, as: Int?.self).map(String.init) : try r.decode(column: c.name, as: String?.self)
            })
        }
        return (out, try rows.last?.decode(column: "dump_key", as: String.self))
    }
}

/// JSON string escaping for text written by hand.
public enum JSONText {
    public static func appendString(_ s: String, to out: inout String) {
        out += "\""
        var plain = true
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C { plain = false; break }
        if plain {
            out += s
        } else {
            for ch in s.unicodeScalars {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where ch.value < 0x20: out += String(format: "\\u%04x", ch.value)
                default: out.unicodeScalars.append(ch)
                }
            }
        }
        out += "\""
    }
}
