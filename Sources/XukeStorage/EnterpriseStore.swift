public import SQLKit
public import XukeDomain

/// An enterprises row (`RowCoding`); `created_at` is written once, on insert.
struct EnterpriseRow: Codable {
    var uscc: String
    var name: String
    var domicile: String
    var divisionCode: String
    var legalRepresentative: String
    var contactName: String
    var contactPhone: String
    var updatedAt: String

    init(_ e: Enterprise, at now: String) {
        uscc = e.uscc.value; name = e.name; domicile = e.domicile; divisionCode = e.divisionCode
        legalRepresentative = e.legalRepresentative; contactName = e.contactName; contactPhone = e.contactPhone; updatedAt = now
    }

    func enterprise(addresses: [ProductionAddress]) throws -> Enterprise {
        Enterprise(uscc: try USCC(uscc), name: name, domicile: domicile, divisionCode: divisionCode, legalRepresentative: legalRepresentative,
                   contactName: contactName, contactPhone: contactPhone, productionAddresses: addresses)
    }
}

/// A production_addresses row: an enterprise's address at its position.
struct AddressRow: Codable {
    var uscc: String
    var position: Int
    var address: String
    var divisionCode: String
}

public enum EnterpriseStore {
    public struct Summary: Sendable, Codable, Equatable {
        public var uscc: String
        public var name: String
        public var divisionCode: String
    }

    static func visibilityClause(_ v: Visibility) -> SQLQueryString {
        XukeStorage.visibilityClause(v, division: "e.division_code", uscc: "e.uscc")
    }

    public static func count(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM enterprises").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Which of these USCCs are registered already.
    public static func registered(_ sql: any SQLDatabase, usccs: [String]) async throws -> Set<String> {
        struct Key: Decodable { var uscc: String }
        return Set(try await inBatches(usccs) { list in
            try await sql.rows("SELECT uscc FROM enterprises WHERE uscc IN (\(list))", as: Key.self)
        }.map(\.uscc))
    }

    /// The registered ones of these enterprises, by USCC, with their production addresses.
    public static func enterprises(_ sql: any SQLDatabase, usccs: [String]) async throws -> [String: Enterprise] {
        let rows = try await inBatches(usccs) { try await sql.rows("SELECT * FROM enterprises WHERE uscc IN (\($0))", as: EnterpriseRow.self) }
        let addresses = Dictionary(grouping: try await inBatches(usccs) {
            try await sql.rows("SELECT * FROM production_addresses WHERE uscc IN (\($0)) ORDER BY uscc, position", as: AddressRow.self)
        }, by: \.uscc)
        return Dictionary(uniqueKeysWithValues: try rows.map { r in
            (r.uscc, try r.enterprise(addresses: (addresses[r.uscc] ?? []).map { ProductionAddress(address: $0.address, divisionCode: $0.divisionCode) }))
        })
    }

    public static func create(_ sql: any SQLDatabase, _ e: Enterprise, actor: String, at now: String) async throws {
        let exists = try await sql.raw("SELECT 1 AS x FROM enterprises WHERE uscc = \(bind: e.uscc.value)").first() != nil
        if exists {
            throw DomainError(.enterprise.exists, ["uscc": "\(e.uscc)"])
        }
        let columns = try RowCoding.encoder.encode(EnterpriseRow(e, at: now)) + [("created_at", SQLBind(now))]
        try await sql.insert(into: "enterprises").columns(columns.map(\.0)).values(columns.map(\.1)).run()
        try await writeAddresses(sql, e)
        try await Events.append(sql, type: .enterpriseRegistered, subject: "enterprise/\(e.uscc)", actor: actor,
                                jurisdiction: e.divisionCode, at: now, payload: e)
    }

    /// Registers many enterprises at once (an import), a few hundred rows a statement. The caller has made sure
    /// none is registered yet.
    public static func createMany(_ sql: any SQLDatabase, _ enterprises: [Enterprise], actor: String, at now: String) async throws {
        try await sql.insertRows(into: "enterprises", enterprises.map { Pair(first: EnterpriseRow($0, at: now), second: CreatedAt(createdAt: now)) })
        try await sql.insertRows(into: "production_addresses", enterprises.flatMap { e in
            e.productionAddresses.enumerated().map { AddressRow(uscc: e.uscc.value, position: $0.offset, address: $0.element.address, divisionCode: $0.element.divisionCode) }
        })
        try await Events.appendMany(sql, type: .enterpriseRegistered, actor: actor, at: now, enterprises.map { ("enterprise/\($0.uscc)", $0.divisionCode, $0) })
    }

    struct CreatedAt: Encodable {
        var createdAt: String
    }

    /// Takes the enterprise's row lock (PostgreSQL; SQLite has one writer) for checks that must see each other's writes.
    public static func lockForUpdate(_ sql: any SQLDatabase, uscc: String) async throws {
        try await sql.raw("UPDATE enterprises SET uscc = uscc WHERE uscc = \(bind: uscc)").run()
    }

    public static func update(_ sql: any SQLDatabase, _ e: Enterprise, actor: String, at now: String) async throws {
        _ = try await sql.updateRow("enterprises", EnterpriseRow(e, at: now)) { $0.where("uscc", .equal, e.uscc.value) }
        try await sql.raw("DELETE FROM production_addresses WHERE uscc = \(bind: e.uscc.value)").run()
        try await writeAddresses(sql, e)
        try await Events.append(sql, type: .enterpriseUpdated, subject: "enterprise/\(e.uscc)", actor: actor,
                                jurisdiction: e.divisionCode, at: now, payload: e)
    }

    static func writeAddresses(_ sql: any SQLDatabase, _ e: Enterprise) async throws {
        for (i, a) in e.productionAddresses.enumerated() {
            try await sql.insert(into: "production_addresses")
                .model(AddressRow(uscc: e.uscc.value, position: i, address: a.address, divisionCode: a.divisionCode), with: RowCoding.encoder).run()
        }
    }

    public static func get(_ sql: any SQLDatabase, uscc: String, visibility: Visibility) async throws -> Enterprise? {
        guard let r = try await sql.row("SELECT * FROM enterprises e WHERE e.uscc = \(bind: uscc) AND \(visibilityClause(visibility))",
                                        as: EnterpriseRow.self) else {
            return nil
        }
        let addresses = try await sql.rows("SELECT * FROM production_addresses WHERE uscc = \(bind: uscc) ORDER BY position", as: AddressRow.self)
        return try r.enterprise(addresses: addresses.map { ProductionAddress(address: $0.address, divisionCode: $0.divisionCode) })
    }

    /// Names by USCC, for lists that show many cases at once.
    public static func names(_ sql: any SQLDatabase, _ usccs: [String]) async throws -> [String: String] {
        guard !usccs.isEmpty else { return [:] }
        var q = SQLQueryString("SELECT uscc, name FROM enterprises WHERE uscc IN (")
        for (i, u) in usccs.enumerated() { q = q + (i == 0 ? "" : ", ") + "\(bind: u)" }
        q = q + ")"
        struct Name: Decodable { var uscc: String; var name: String }
        return Dictionary(try await sql.rows(q, as: Name.self).map { ($0.uscc, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// Finds enterprises whose USCC starts with `query` (when it looks like one) or whose name contains it.
    /// Enterprises matching `query` in USCC order: a page of `limit` after the USCC `after`, or skipping `offset`.
    public static func search(_ sql: any SQLDatabase, query: String, visibility: Visibility, limit: Int, offset: Int = 0,
                              after: String? = nil) async throws -> [Summary] {
        let q = query.trimmingCharacters(in: .whitespaces)
        let filter: SQLQueryString
        if q.isEmpty {
            filter = "1 = 1"
        } else if q.allSatisfy({ USCC.alphabet.contains($0) }) {
            // A USCC prefix uses the primary key's order; the upper bound keeps it a range scan in both databases.
            let last = q.unicodeScalars.last!.value
            let upper = String(q.unicodeScalars.dropLast()) + String(UnicodeScalar(last + 1)!)
            filter = "(e.uscc >= \(bind: q) AND e.uscc < \(bind: upper))"
        } else {
            filter = "e.name LIKE \(bind: "%" + escapeLike(q) + "%") ESCAPE '\\'"
        }
        return try await sql.rows("""
            SELECT e.uscc, e.name, e.division_code FROM enterprises e
            WHERE \(filter) AND \(visibilityClause(visibility)) AND e.uscc > \(bind: after ?? "")
            ORDER BY e.uscc LIMIT \(bind: limit) OFFSET \(bind: offset)
            """, as: Summary.self)
    }

    static func escapeLike(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

import Foundation
