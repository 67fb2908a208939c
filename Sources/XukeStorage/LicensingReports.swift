public import SQLKit
public import XukeDomain

/// Lists and figures over licensing data: work lists of verifications, statistics, credit facts.
public enum LicensingReports {
    /// Replaces the bureaus a province has named for its categories.
    public static func setDelegations(_ sql: any SQLDatabase, province: String, _ list: [Routing.Delegation], actor: String, at: String) async throws {
        try await sql.raw("DELETE FROM delegations WHERE province = \(bind: province)").run()
        for d in list {
            try await sql.raw("""
                INSERT INTO delegations (province, category_no, division_code) VALUES (\(bind: province), \(bind: d.categoryNo), \(bind: d.divisionCode))
                """).run()
        }
        try await Events.append(sql, type: .settingsDelegationsChanged, subject: "delegations/\(province)", actor: actor,
                                jurisdiction: province, at: at, payload: list)
    }

    /// Records a credit fact (a false commitment found, a serious-violation listing).
    public static func addCreditFlag(_ sql: any SQLDatabase, uscc: String, kind: String, since: CivilDate, until: CivilDate?, note: String) async throws {
        try await sql.raw("""
            INSERT INTO credit_flags (uscc, kind, since, until, note)
            VALUES (\(bind: uscc), \(bind: kind), \(bind: since.description), \(bind: until?.description), \(bind: note))
            """).run()
    }

    /// Records the result of a provincial-or-higher spot check as a fact (it spares a renewal test).
    public static func addSpotCheckResult(_ sql: any SQLDatabase, uscc: String, unitNo: String, level: String, passed: Bool,
                                          checkedOn: CivilDate, reference: String) async throws {
        try await sql.raw("""
            INSERT INTO spot_check_results (uscc, unit_no, level, passed, checked_on, reference)
            VALUES (\(bind: uscc), \(bind: unitNo), \(bind: level), \(bind: passed ? 1 : 0), \(bind: checkedOn.description), \(bind: reference))
            """).run()
    }

    /// Verifications not yet concluded: those of the authorities a scope covers, or one verifier's own.
    /// Enterprises see theirs through their cases, not here.
    /// Soonest due first; `after` the due day and id of the last one of the previous page.
    public static func openVerifications(_ sql: any SQLDatabase, scope: CaseStore.CaseScope, limit: Int = 200,
                                         after: (dueOn: CivilDate, id: Int)? = nil) async throws -> [VerificationRecord] {
        var q = SQLQueryString("SELECT v.* FROM verifications v WHERE v.state <> 'concluded'")
        if let after {
            q = q + " AND (v.due_on > \(bind: after.dueOn.description) OR (v.due_on = \(bind: after.dueOn.description) AND v.id > \(bind: after.id)))"
        }
        switch scope {
        case .visibility(.everything): break
        case .visibility(.divisions(let p)): q = q + " AND " + divisionPrefix("v.authority", p)
        case .visibility(.enterprise), .visibility(.nothing): return []
        case .verifier(let m): q = q + " AND v.id IN (SELECT verification_id FROM verification_members WHERE user_id = \(bind: m))"
        }
        return try await VerificationStore.verifications(sql, rows: try await sql.raw(q + " ORDER BY v.due_on, v.id LIMIT \(bind: limit)").all())
    }

    /// Counts of open cases in scope: all, overdue (due before `today`) and nearly due (due by `soon`).
    public static func caseCounts(_ sql: any SQLDatabase, scope: CaseStore.CaseScope, today: CivilDate, soon: CivilDate) async throws -> (open: Int, overdue: Int, nearlyDue: Int) {
        let row = try await sql.row("""
            SELECT COUNT(*) AS open_count,
                   SUM(CASE WHEN a.due_on < \(bind: today.description) THEN 1 ELSE 0 END) AS overdue,
                   SUM(CASE WHEN a.due_on >= \(bind: today.description) AND a.due_on <= \(bind: soon.description) THEN 1 ELSE 0 END) AS nearly
            FROM applications a WHERE a.is_open = 1 AND \(CaseStore.scopeClause(scope))
            """, as: CaseCounts.self)
        return (row?.openCount ?? 0, row?.overdue ?? 0, row?.nearly ?? 0)
    }

    /// A sum over no rows is NULL.
    struct CaseCounts: Decodable {
        var openCount: Int
        var overdue: Int?
        var nearly: Int?
    }

    /// One issued case for statistics.
    public struct IssuedCase: Sendable, Equatable {
        public var authority: String
        public var categoryNo: String
        public var route: Route
        public var kind: ApplicationKind
        public var elapsedDays: Int
    }

    /// Issued cases with their working days from submission to license, issued on or after `since`.
    public static func issuedCases(_ sql: any SQLDatabase, scope: CaseStore.CaseScope, since: CivilDate) async throws -> [IssuedCase] {
        try await sql.rows("""
            SELECT a.authority, a.units, a.route, a.kind, a.elapsed_days FROM applications a
            WHERE a.state = 'issued' AND a.elapsed_days IS NOT NULL AND a.issued_on >= \(bind: since.description) AND \(CaseStore.scopeClause(scope))
            """, as: IssuedRow.self).map { r in
            let units = try StoredJSON.decode([Routing.Unit].self, r.units, "applications.units")
            return IssuedCase(authority: r.authority, categoryNo: units.first?.categoryNo ?? "", route: r.route, kind: r.kind, elapsedDays: r.elapsedDays)
        }
    }

    struct IssuedRow: Decodable {
        var authority: String
        var units: String
        var route: Route
        var kind: ApplicationKind
        var elapsedDays: Int
    }

    /// How many licenses are in each state on `today`, counting those past their validity as expired.
    public static func licenseStatusCounts(_ sql: any SQLDatabase, today: CivilDate) async throws -> [LicenseStatus: Int] {
        let rows = try await sql.rows("""
            SELECT CASE WHEN status IN ('valid', 'suspended') AND valid_until < \(bind: today.description) THEN 'expired' ELSE status END AS status,
                   COUNT(*) AS n
            FROM licenses GROUP BY 1
            """, as: StatusCount.self)
        var out: [LicenseStatus: Int] = [:]
        for r in rows { out[r.status, default: 0] += r.n }
        return out
    }

    struct StatusCount: Decodable {
        var status: LicenseStatus
        var n: Int
    }
}
