public import SQLKit
public import XukeDomain

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

    public static func create(_ sql: any SQLDatabase, _ e: Enterprise, actor: String, at now: String) async throws {
        let exists = try await sql.raw("SELECT 1 AS x FROM enterprises WHERE uscc = \(bind: e.uscc.value)").first() != nil
        if exists {
            throw DomainError(.enterprise.exists, ["uscc": "\(e.uscc)"])
        }
        try await sql.raw("""
            INSERT INTO enterprises (uscc, name, domicile, division_code, legal_representative, contact_name, contact_phone, created_at, updated_at)
            VALUES (\(bind: e.uscc.value), \(bind: e.name), \(bind: e.domicile), \(bind: e.divisionCode), \(bind: e.legalRepresentative),
                    \(bind: e.contactName), \(bind: e.contactPhone), \(bind: now), \(bind: now))
            """).run()
        try await writeAddresses(sql, e)
        try await Events.append(sql, type: .enterpriseRegistered, subject: "enterprise/\(e.uscc)", actor: actor,
                                jurisdiction: e.divisionCode, at: now, payload: e)
    }

    public static func update(_ sql: any SQLDatabase, _ e: Enterprise, actor: String, at now: String) async throws {
        try await sql.raw("""
            UPDATE enterprises SET name = \(bind: e.name), domicile = \(bind: e.domicile), division_code = \(bind: e.divisionCode),
                legal_representative = \(bind: e.legalRepresentative), contact_name = \(bind: e.contactName),
                contact_phone = \(bind: e.contactPhone), updated_at = \(bind: now)
            WHERE uscc = \(bind: e.uscc.value)
            """).run()
        try await sql.raw("DELETE FROM production_addresses WHERE uscc = \(bind: e.uscc.value)").run()
        try await writeAddresses(sql, e)
        try await Events.append(sql, type: .enterpriseUpdated, subject: "enterprise/\(e.uscc)", actor: actor,
                                jurisdiction: e.divisionCode, at: now, payload: e)
    }

    static func writeAddresses(_ sql: any SQLDatabase, _ e: Enterprise) async throws {
        for (i, a) in e.productionAddresses.enumerated() {
            try await sql.raw("""
                INSERT INTO production_addresses (uscc, position, address, division_code)
                VALUES (\(bind: e.uscc.value), \(bind: i), \(bind: a.address), \(bind: a.divisionCode))
                """).run()
        }
    }

    public static func get(_ sql: any SQLDatabase, uscc: String, visibility: Visibility) async throws -> Enterprise? {
        guard let r = try await sql.raw("SELECT * FROM enterprises e WHERE e.uscc = \(bind: uscc) AND \(visibilityClause(visibility))").first() else {
            return nil
        }
        let addresses = try await sql.raw("SELECT * FROM production_addresses WHERE uscc = \(bind: uscc) ORDER BY position").all().map { a in
            ProductionAddress(address: try a.decode(column: "address", as: String.self),
                              divisionCode: try a.decode(column: "division_code", as: String.self))
        }
        return Enterprise(uscc: try USCC(try r.decode(column: "uscc", as: String.self)),
                          name: try r.decode(column: "name", as: String.self),
                          domicile: try r.decode(column: "domicile", as: String.self),
                          divisionCode: try r.decode(column: "division_code", as: String.self),
                          legalRepresentative: try r.decode(column: "legal_representative", as: String.self),
                          contactName: try r.decode(column: "contact_name", as: String.self),
                          contactPhone: try r.decode(column: "contact_phone", as: String.self),
                          productionAddresses: addresses)
    }

    /// Names by USCC, for lists that show many cases at once.
    public static func names(_ sql: any SQLDatabase, _ usccs: [String]) async throws -> [String: String] {
        guard !usccs.isEmpty else { return [:] }
        var q = SQLQueryString("SELECT uscc, name FROM enterprises WHERE uscc IN (")
        for (i, u) in usccs.enumerated() { q = q + (i == 0 ? "" : ", ") + "\(bind: u)" }
        q = q + ")"
        return Dictionary(try await sql.raw(q).all().map { (try $0.decode(column: "uscc", as: String.self), try $0.decode(column: "name", as: String.self)) },
                          uniquingKeysWith: { a, _ in a })
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
        return try await sql.raw("""
            SELECT e.uscc, e.name, e.division_code FROM enterprises e
            WHERE \(filter) AND \(visibilityClause(visibility)) AND e.uscc > \(bind: after ?? "")
            ORDER BY e.uscc LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map { r in
            Summary(uscc: try r.decode(column: "uscc", as: String.self),
                    name: try r.decode(column: "name", as: String.self),
                    divisionCode: try r.decode(column: "division_code", as: String.self))
        }
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
