public import SQLKit
public import XukeDomain
import Foundation

/// Counters (serial numbers), the licensing settings an administrator changes, and the facts licensing reads
/// from elsewhere: credit flags that close the commitment route, recent spot checks, official product codes.
public enum SettingsStore {

    /// The next number in a named sequence, inside the caller's transaction.
    public static func nextSerial(_ sql: any SQLDatabase, _ name: String) async throws -> Int {
        let row = try await sql.raw("""
            INSERT INTO counters (name, last) VALUES (\(bind: name), 1)
            ON CONFLICT (name) DO UPDATE SET last = counters.last + 1
            RETURNING last
            """).first()
        guard let n = try row?.decode(column: "last", as: Int.self) else { throw StorageError.corruptRow("counters.last") }
        return n
    }

    /// Takes the next `count` numbers of a sequence at once and answers the last (the first is `last - count + 1`).
    public static func nextSerials(_ sql: any SQLDatabase, _ name: String, count: Int) async throws -> Int {
        precondition(count > 0)
        let row = try await sql.raw("""
            INSERT INTO counters (name, last) VALUES (\(bind: name), \(bind: count))
            ON CONFLICT (name) DO UPDATE SET last = counters.last + \(bind: count)
            RETURNING last
            """).first()
        guard let n = try row?.decode(column: "last", as: Int.self) else { throw StorageError.corruptRow("counters.last") }
        return n
    }

    /// Moves a sequence on to at least `last`, so the numbers brought in from elsewhere are never handed out again.
    public static func raiseSerial(_ sql: any SQLDatabase, _ name: String, to last: Int) async throws {
        try await sql.raw("""
            INSERT INTO counters (name, last) VALUES (\(bind: name), \(bind: last))
            ON CONFLICT (name) DO UPDATE SET last = CASE WHEN counters.last < excluded.last THEN excluded.last ELSE counters.last END
            """).run()
    }

    public static func rules(_ sql: any SQLDatabase) async throws -> LicensingRules {
        guard let row = try await sql.raw("SELECT value FROM settings WHERE key = 'licensing'").first() else { return LicensingRules() }
        return try StoredJSON.decode(LicensingRules.self, try row.decode(column: "value", as: String.self), "settings.licensing")
    }

    public static func setRules(_ sql: any SQLDatabase, _ rules: LicensingRules, actor: String, at: String) async throws {
        let value = try StoredJSON.json(rules)
        try await sql.raw("""
            INSERT INTO settings (key, value, updated_at) VALUES ('licensing', \(bind: value), \(bind: at))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """).run()
        try await Events.append(sql, type: .settingsLicensingChanged, subject: "settings/licensing", actor: actor, at: at, payload: rules)
    }

    struct Value: Decodable {
        var value: String
    }

    /// What `key` holds, if anything.
    public static func value(_ sql: any SQLDatabase, key: String) async throws -> String? {
        try await sql.row("SELECT value FROM settings WHERE key = \(bind: key)", as: Value.self)?.value
    }

    /// Records `value` under `key` unless something is recorded there already; answers what is recorded. Two
    /// servers starting together agree on whichever came first.
    public static func recordOnce(_ sql: any SQLDatabase, key: String, value: String, at: String) async throws -> String {
        try await sql.raw("INSERT INTO settings (key, value, updated_at) VALUES (\(bind: key), \(bind: value), \(bind: at)) ON CONFLICT (key) DO NOTHING").run()
        return try await Self.value(sql, key: key).orThrow("settings.\(key)")
    }

    public static func delegations(_ sql: any SQLDatabase) async throws -> [Routing.Delegation] {
        try await sql.rows("SELECT province, category_no, division_code FROM delegations ORDER BY province, category_no, division_code", as: Routing.Delegation.self)
    }

    public static func productCode(_ sql: any SQLDatabase, unitNo: String) async throws -> String {
        try await sql.raw("SELECT code FROM product_codes WHERE unit_no = \(bind: unitNo)").first()?
            .decode(column: "code", as: String.self) ?? LicenseNumber.provisionalCode(unitNo: unitNo)
    }

    /// The credit facts the commitment route is judged on (CommitmentBar): the enterprise's flags of the kinds
    /// that bar it, and whether it has an entry in force on either credit list on `today`.
    public static func commitmentFacts(_ sql: any SQLDatabase, uscc: String, today: CivilDate) async throws -> (flags: [CommitmentBar.Flag], listed: Bool) {
        let kinds = CommitmentBar.barringFlags.sorted().map { SQLQueryString("\(bind: $0)") }.joined(separator: ", ")
        let flags = try await sql.rows("SELECT kind, since, until FROM credit_flags WHERE uscc = \(bind: uscc) AND kind IN (" + kinds + ")", as: CommitmentBar.Flag.self)
        let listed = try await sql.raw("SELECT 1 AS x FROM credit_entries c WHERE c.uscc = \(bind: uscc) AND " + CreditStore.inForce(today)).first() != nil
        return (flags, listed)
    }

    /// Units that passed a provincial-or-higher spot check on or after `since`.
    public static func unitsWithRecentSpotCheck(_ sql: any SQLDatabase, uscc: String, since: CivilDate) async throws -> Set<String> {
        Set(try await sql.raw("""
            SELECT unit_no FROM spot_check_results WHERE uscc = \(bind: uscc) AND passed = 1
              AND level IN ('national', 'provincial') AND checked_on >= \(bind: since.description)
            """).all().map { try $0.decode(column: "unit_no", as: String.self) })
    }

}
