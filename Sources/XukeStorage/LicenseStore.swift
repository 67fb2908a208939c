public import SQLKit
public import XukeDomain
import Foundation

public struct LicenseUnit: Sendable, Codable, Equatable {
    public var unitNo: String
    public var categoryNo: String
    public var nameZh: String
    public var nameEn: String
    public var route: Route
    public var since: CivilDate

    public init(unitNo: String, categoryNo: String, nameZh: String, nameEn: String, route: Route, since: CivilDate) {
        self.unitNo = unitNo
        self.categoryNo = categoryNo
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.route = route
        self.since = since
    }
}

public struct LicenseRecord: Sendable, Codable, Equatable {
    public var id: Int
    public var uscc: String
    public var number: String
    /// As stored; `status(on:)` also applies expiry.
    public var storedStatus: LicenseStatus
    public var version: Int
    public var authority: String
    public var firstIssuedOn: CivilDate
    public var decidedOn: CivilDate
    public var issuedOn: CivilDate
    public var validUntil: CivilDate
    public var name: String
    public var domicile: String
    public var addresses: [ProductionAddress]
    public var units: [LicenseUnit]
    public var updatedAt: String

    public init(id: Int, uscc: String, number: String, storedStatus: LicenseStatus, version: Int, authority: String, firstIssuedOn: CivilDate, decidedOn: CivilDate, issuedOn: CivilDate, validUntil: CivilDate, name: String, domicile: String, addresses: [ProductionAddress], units: [LicenseUnit], updatedAt: String) {
        self.id = id
        self.uscc = uscc
        self.number = number
        self.storedStatus = storedStatus
        self.version = version
        self.authority = authority
        self.firstIssuedOn = firstIssuedOn
        self.decidedOn = decidedOn
        self.issuedOn = issuedOn
        self.validUntil = validUntil
        self.name = name
        self.domicile = domicile
        self.addresses = addresses
        self.units = units
        self.updatedAt = updatedAt
    }
    public func status(on today: CivilDate) -> LicenseStatus { storedStatus.on(today, validUntil: validUntil) }
}

public struct LicenseVersion: Sendable, Codable, Equatable {
    public var version: Int
    public var status: LicenseStatus
    public var reason: String
    public var applicationID: Int?
    public var snapshot: LicenseRecord
    public var at: String
}

/// A licenses row as its columns hold it (`RowCoding`): addresses and units as JSON text. The database sets `id`.
struct LicenseRow: Codable {
    var uscc: String
    var number: String
    var status: LicenseStatus
    var version: Int
    var authority: String
    var firstIssuedOn: CivilDate
    var decidedOn: CivilDate
    var issuedOn: CivilDate
    var validUntil: CivilDate
    var name: String
    var domicile: String
    var addresses: String
    var units: String
    var updatedAt: String

    init(_ l: LicenseRecord) throws {
        uscc = l.uscc; number = l.number; status = l.storedStatus; version = l.version; authority = l.authority
        firstIssuedOn = l.firstIssuedOn; decidedOn = l.decidedOn; issuedOn = l.issuedOn; validUntil = l.validUntil
        name = l.name; domicile = l.domicile; addresses = try StoredJSON.json(l.addresses); units = try StoredJSON.json(l.units)
        updatedAt = l.updatedAt
    }

    func record(id: Int) throws -> LicenseRecord {
        LicenseRecord(id: id, uscc: uscc, number: number, storedStatus: status, version: version, authority: authority,
                      firstIssuedOn: firstIssuedOn, decidedOn: decidedOn, issuedOn: issuedOn, validUntil: validUntil, name: name,
                      domicile: domicile, addresses: try StoredJSON.decode([ProductionAddress].self, addresses, "licenses.addresses"),
                      units: try StoredJSON.decode([LicenseUnit].self, units, "licenses.units"), updatedAt: updatedAt)
    }
}

/// Licences, one per enterprise, with every version kept.
public enum LicenseStore {
    // MARK: Licenses

    static func licenseRecord(_ r: any SQLRow) throws -> LicenseRecord {
        let stored = try Identified<LicenseRow>.of(r)
        return try stored.columns.record(id: stored.id)
    }

    /// The enterprise's latest license: the one in force, or else the one that ended last.
    public static func license(_ sql: any SQLDatabase, uscc: String) async throws -> LicenseRecord? {
        try await sql.raw("SELECT * FROM licenses WHERE uscc = \(bind: uscc) ORDER BY id DESC LIMIT 1").first().map(licenseRecord)
    }

    public static func license(_ sql: any SQLDatabase, id: Int) async throws -> LicenseRecord? {
        try await sql.raw("SELECT * FROM licenses WHERE id = \(bind: id)").first().map(licenseRecord)
    }

    /// The licence with this number, or the one that replaced a licence of that number.
    public static func license(_ sql: any SQLDatabase, number: String) async throws -> LicenseRecord? {
        try await sql.raw("""
            SELECT * FROM licenses WHERE number = \(bind: number)
                OR id = (SELECT license_id FROM license_former_numbers WHERE number = \(bind: number))
            """).first().map(licenseRecord)
    }

    /// Stores a license for the first time (version 1). A partial unique index keeps one in force per enterprise.
    public static func insertLicense(_ sql: any SQLDatabase, _ l: LicenseRecord, reason: String, applicationID: Int?, at: String) async throws -> LicenseRecord {
        var stored = l
        stored.version = 1
        stored.updatedAt = at
        stored.id = try await sql.insertRow(into: "licenses", LicenseRow(stored))
        try await insertVersion(sql, stored, reason: reason, applicationID: applicationID, at: at)
        return stored
    }

    /// Stores licences brought in from the records of before the platform, each as version 1 with the reason
    /// "imported", a few hundred rows a statement. Answers them with their ids, in the order given.
    public static func insertImported(_ sql: any SQLDatabase, _ licences: [LicenseRecord], at: String) async throws -> [LicenseRecord] {
        var stored = licences.map { l -> LicenseRecord in
            var l = l
            l.version = 1
            l.updatedAt = at
            return l
        }
        var ids: [String: Int] = [:]
        for start in stride(from: 0, to: stored.count, by: 200) {
            let rows = try stored[start..<min(start + 200, stored.count)].map(LicenseRow.init)
            // RETURNING gives no promised order on SQLite: the unique number says which id is whose.
            for r in try await sql.insert(into: "licenses").models(rows, with: RowCoding.encoder).returning("id", "number").all() {
                ids[try r.decode(column: "number", as: String.self)] = try r.decode(column: "id", as: Int.self)
            }
        }
        for i in stored.indices { stored[i].id = try ids[stored[i].number].orThrow("licenses.id") }
        try await sql.insertRows(into: "license_versions", try stored.map {
            VersionRow(licenseId: $0.id, version: 1, status: $0.storedStatus, reason: "imported", applicationId: nil, snapshot: try StoredJSON.json($0), at: at)
        })
        return stored
    }

    struct FormerNumberRow: Codable {
        var number: String
        var licenseId: Int
        var recordedAt: String
    }

    /// Records the old numbers each licence replaced.
    public static func insertFormerNumbers(_ sql: any SQLDatabase, _ numbers: [(number: String, licenseID: Int)], at: String) async throws {
        try await sql.insertRows(into: "license_former_numbers", numbers.map { FormerNumberRow(number: $0.number, licenseId: $0.licenseID, recordedAt: at) })
    }

    /// The old numbers a licence replaced, in the order they were recorded.
    public static func formerNumbers(_ sql: any SQLDatabase, licenseID: Int) async throws -> [String] {
        try await sql.rows("SELECT * FROM license_former_numbers WHERE license_id = \(bind: licenseID) ORDER BY number", as: FormerNumberRow.self).map(\.number)
    }

    /// The old numbers of each of the given licences.
    public static func formerNumbers(_ sql: any SQLDatabase, licenseIDs: [Int]) async throws -> [Int: [String]] {
        guard !licenseIDs.isEmpty else { return [:] }
        var out: [Int: [String]] = [:]
        for r in try await sql.rows("SELECT * FROM license_former_numbers WHERE license_id IN (\(integerList(licenseIDs))) ORDER BY number", as: FormerNumberRow.self) {
            out[r.licenseId, default: []].append(r.number)
        }
        return out
    }

    /// Which of these numbers a licence already has, or had before it replaced them.
    public static func numbersTaken(_ sql: any SQLDatabase, _ numbers: [String]) async throws -> Set<String> {
        struct Key: Decodable { var number: String }
        return Set(try await inBatches(numbers) { list in
            try await sql.rows("SELECT number FROM licenses WHERE number IN (\(list)) UNION SELECT number FROM license_former_numbers WHERE number IN (\(list))", as: Key.self)
        }.map(\.number))
    }

    /// The licence in force of each of these enterprises that holds one, by USCC.
    public static func inForce(_ sql: any SQLDatabase, usccs: [String]) async throws -> [String: String] {
        struct Held: Decodable { var uscc: String; var number: String }
        return Dictionary(try await inBatches(usccs) { list in
            try await sql.rows("SELECT uscc, number FROM licenses WHERE status IN ('valid', 'suspended') AND uscc IN (\(list))", as: Held.self)
        }.map { ($0.uscc, $0.number) }, uniquingKeysWith: { a, _ in a })
    }

    /// Saves a changed license as its next version, keeping the previous one in the history.
    public static func updateLicense(_ sql: any SQLDatabase, _ l: LicenseRecord, reason: String, applicationID: Int?, at: String) async throws -> LicenseRecord {
        var next = l
        next.version = l.version + 1
        next.updatedAt = at
        guard try await sql.updateRow("licenses", LicenseRow(next), id: l.id, expected: l.version) else {
            throw DomainError(.license.concurrentChange)
        }
        try await insertVersion(sql, next, reason: reason, applicationID: applicationID, at: at)
        return next
    }

    /// A license_versions row (`RowCoding`): the licence as it was, as JSON text.
    struct VersionRow: Codable {
        var licenseId: Int
        var version: Int
        var status: LicenseStatus
        var reason: String
        var applicationId: Int?
        var snapshot: String
        var at: String

        var licence: LicenseRecord { get throws { try StoredJSON.decode(LicenseRecord.self, snapshot, "license_versions.snapshot") } }
    }

    static func insertVersion(_ sql: any SQLDatabase, _ l: LicenseRecord, reason: String, applicationID: Int?, at: String) async throws {
        let row = VersionRow(licenseId: l.id, version: l.version, status: l.storedStatus, reason: reason, applicationId: applicationID,
                             snapshot: try StoredJSON.json(l), at: at)
        try await sql.insert(into: "license_versions").model(row, with: RowCoding.encoder).run()
    }

    public static func licenseVersions(_ sql: any SQLDatabase, licenseID: Int) async throws -> [LicenseVersion] {
        try await sql.rows("SELECT * FROM license_versions WHERE license_id = \(bind: licenseID) ORDER BY version", as: VersionRow.self).map {
            LicenseVersion(version: $0.version, status: $0.status, reason: $0.reason, applicationID: $0.applicationId, snapshot: try $0.licence, at: $0.at)
        }
    }

    /// The public query: a license number or USCC exactly, or any part of the enterprise name; narrowed by a
    /// catalog unit and by the province the enterprise is registered in (USCC characters 3–4).
    public static func publicSearch(_ sql: any SQLDatabase, text: String, unit: String?, province: String?, limit: Int, before: Int? = nil) async throws -> [LicenseRecord] {
        var q = SQLQueryString("SELECT * FROM licenses WHERE 1 = 1")
        if !text.isEmpty {
            let pattern = "%" + EnterpriseStore.escapeLike(text) + "%"
            // A number is matched as printed in any accepted form, and an old number finds the licence that replaced it.
            let number = LicenseNumber.parse(text)?.description ?? text
            q = q + """
                 AND (number = \(bind: number) OR uscc = \(bind: text.uppercased()) OR name LIKE \(bind: pattern) ESCAPE '\\'
                    OR id IN (SELECT license_id FROM license_former_numbers WHERE number = \(bind: number)))
                """
        }
        if let unit { q = q + " AND units LIKE \(bind: "%\"unit_no\":\"\(unit)\"%")" }
        if let province { q = q + " AND substr(uscc, 3, 2) = \(bind: String(province.prefix(2)))" }
        if let before { q = q + " AND id < \(bind: before)" }
        q = q + " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await sql.raw(q).all().map(licenseRecord)
    }

    struct Snapshot: Decodable {
        var licenseId: Int
        var version: Int
        var snapshot: String
    }

    /// Every stored version of the given licenses, by license and version (for the audit).
    public static func versions(_ sql: any SQLDatabase, licenseIDs: [Int]) async throws -> [Int: [Int: LicenseRecord]] {
        guard !licenseIDs.isEmpty else { return [:] }
        let ids = integerList(licenseIDs)
        var out: [Int: [Int: LicenseRecord]] = [:]
        for r in try await sql.rows("SELECT license_id, version, snapshot FROM license_versions WHERE license_id IN (\(ids))", as: Snapshot.self) {
            out[r.licenseId, default: [:]][r.version] = try StoredJSON.decode(LicenseRecord.self, r.snapshot, "license_versions.snapshot")
        }
        return out
    }

    public static func allLicenses(_ sql: any SQLDatabase) async throws -> [LicenseRecord] {
        try await sql.raw("SELECT * FROM licenses ORDER BY id").all().map(licenseRecord)
    }

    /// Licenses stored as valid or suspended whose validity ended before `today` (the expiry sweep).
    /// Licenses in force that hold any of the units.
    public static func licensesInForce(_ sql: any SQLDatabase, holdingAny units: [String]) async throws -> [LicenseRecord] {
        guard !units.isEmpty else { return [] }
        // A first cut in SQL on the stored JSON text, then the exact test on the decoded units.
        let patterns = units.map { SQLQueryString("units LIKE \(bind: "%\"unit_no\":\"\($0)\"%")") }
        let wanted = Set(units)
        return try await sql.raw("""
            SELECT * FROM licenses WHERE status IN ('valid', 'suspended') AND (\(patterns.joined(separator: " OR "))) ORDER BY id
            """).all().map(licenseRecord).filter { l in l.units.contains { wanted.contains($0.unitNo) } }
    }

    public static func lapsedLicenses(_ sql: any SQLDatabase, before today: CivilDate) async throws -> [LicenseRecord] {
        try await sql.raw("""
            SELECT * FROM licenses WHERE status IN ('valid', 'suspended') AND valid_until < \(bind: today.description) ORDER BY id
            """).all().map(licenseRecord)
    }
}
