import Foundation
import SQLKit
import XukeDomain
import XukeStorage

/// The dashboard's figures. Events are folded into counts (DashboardStore) as they arrive, so a page reads the
/// counts and a few small tables, whatever the size of the events table.
extension CatalogService {
    /// The counts one event adds. Events written before their payloads carried what the dashboard counts (dates of a
    /// case, origin and category of a check) are completed from the case or inspection they name, so history is
    /// counted whole.
    static func facts(_ sql: any SQLDatabase, for e: FoldedEvent, calendar: WorkCalendar) async throws -> [FactKey: Int] {
        let day = Timestamp.chinaDay(e.at), province = DashboardStore.province(e.jurisdiction ?? "")
        func payload<P: EventPayload>(_ type: P.Type) -> P? { try? Events.payloadDecoder.decode(P.self, from: Data(e.payload.utf8)) }
        switch EventType(rawValue: e.type) {
        case .applicationIssued:
            guard var c = payload(CaseEvent.self) else { return [:] }
            if c.submittedOn == nil, let stored = try await CaseStore.days(sql, number: c.number) {
                c.submittedOn = stored.submittedOn
                c.decidedOn = stored.decidedOn
            }
            guard let from = c.submittedOn, let to = c.decidedOn else { return [:] }
            let days = calendar.workingDays(from: from, to: to).workingDays
            return [FactKey("ttl", "\(to.year)-Q\((to.components.month - 1) / 3 + 1)", c.route.rawValue, province, "\(days)"): 1]
        case .inspectionConcluded:
            guard var i = payload(InspectionConcluded.self) else { return [:] }
            if i.origin == nil, e.subject.hasPrefix("inspection/"),
               let stored = try await InspectionStore.kind(sql, number: String(e.subject.dropFirst(11))) {
                i.origin = stored.origin.rawValue
                i.category = stored.category
            }
            guard i.origin == "draw", let category = i.category else { return [:] }
            return [FactKey("checks", String(day.prefix(4)), category, province, i.outcome): 1]
        case .inspectionOutcomeChanged:
            guard let c = payload(OutcomeChanged.self), c.origin == "draw", let concluded = c.concludedOn else { return [:] }
            let year = String(concluded.year)
            return [FactKey("checks", year, c.category, province, c.from): -1, FactKey("checks", year, c.category, province, c.to): 1]
        case .creditListed:
            guard let entry = payload(CreditEntry.self) else { return [:] }
            return [FactKey("credit", String(day.prefix(7)), entry.list.rawValue, province): 1]
        case .catalogDraftInForce:
            guard let d = payload(DraftInForce.self) else { return [:] }
            return [FactKey("reform", d.edition, "ended"): d.ended, FactKey("reform", d.edition, "narrowed"): d.narrowed,
                    FactKey("reform", d.edition, "delicensed"): d.delicensed]
        default:
            return [:]
        }
    }

    /// Folds new events into the counts, a batch at a time, up to `budget` events; returns how many were folded.
    @discardableResult
    public func foldDashboard(budget: Int = .max, batch: Int = 5_000) async throws -> Int {
        var done = 0
        // A read first: a page that finds nothing new to fold does not take the write lock.
        let (calendar, idle) = try await db.read { sql in
            (try await ReferenceStore.calendar(sql), try await DashboardStore.pending(sql, after: try await DashboardStore.position(sql), limit: 1).isEmpty)
        }
        if idle { return 0 }
        while done < budget {
            let folded = try await db.write { sql -> Int in
                let from = try await DashboardStore.position(sql)
                let events = try await DashboardStore.pending(sql, after: from, limit: min(batch, budget - done))
                guard let last = events.last else { return 0 }
                var counts: [FactKey: Int] = [:]
                for e in events {
                    counts.merge(try await Self.facts(sql, for: e, calendar: calendar), uniquingKeysWith: +)
                }
                // Another server folded the same events meanwhile: its counts stand, these are dropped.
                return try await DashboardStore.fold(sql, counts, from: from, to: last.position) ? events.count : 0
            }
            guard folded > 0 else { break }
            done += folded
        }
        return done
    }

    struct TimeToLicense: Sendable {
        var quarter: String
        var route: String
        var cases: Int
        var median: Double
        var mean: Double
    }

    struct CheckFigures: Sendable {
        var key: String
        var licensed: Int
        var checks: Int
        var failures: Int
        var coverage: Double? { licensed > 0 ? Double(checks) / Double(licensed) : nil }
        var rate: Proportion { Proportion(failures, of: checks) }
    }

    struct DashboardData: Sendable {
        var editions: [EditionSummary]
        var timeToLicense: [TimeToLicense]
        var year: Int
        var byCategory: [CheckFigures]
        var byProvince: [CheckFigures]
        var creditSizes: [String: Int]
        var listings: [(month: String, list: String, count: Int)]
        var reforms: [(edition: String, inForce: String, actions: [String: Int], ended: Int, narrowed: Int, delicensed: Int)]
        var names: [String: CatalogName]
    }

    /// The dashboard, for all provinces or one (`province` as "440000").
    func dashboard(year: Int, province: String?) async throws -> DashboardData {
        try await foldDashboard(budget: 5_000)
        let today = clock.today
        return try await db.read { sql in
            let editions = try await CatalogStore.editions(sql)
            let units = try await CatalogStore.unitEditions(sql)
            let current = units.last { $0.inForce <= today }
            let categories = current?.categories.map(\.categoryNo) ?? []

            // Time to license: the histogram of working days per quarter and route, read as median and mean.
            var histograms: [String: [String: [Int: Int]]] = [:]
            for (k, n) in try await DashboardStore.facts(sql, metric: "ttl") where province == nil || k.d2 == province {
                histograms[k.period, default: [:]][k.d1, default: [:]][Int(k.d3) ?? 0, default: 0] += n
            }
            var ttl: [TimeToLicense] = []
            for (quarter, routes) in histograms {
                for (route, h) in routes {
                    let cases = h.values.reduce(0, +)
                    guard cases > 0 else { continue }
                    let sorted = h.sorted { $0.key < $1.key }
                    func nth(_ i: Int) -> Int {
                        var seen = 0
                        for (days, n) in sorted { seen += n; if seen > i { return days } }
                        return sorted.last!.key
                    }
                    let median = cases % 2 == 1 ? Double(nth(cases / 2)) : Double(nth(cases / 2 - 1) + nth(cases / 2)) / 2
                    let mean = Double(h.reduce(0) { $0 + $1.key * $1.value }) / Double(cases)
                    ttl.append(TimeToLicense(quarter: quarter, route: route, cases: cases, median: median, mean: mean))
                }
            }
            ttl.sort { ($0.quarter, $0.route) < ($1.quarter, $1.route) }

            // Spot checks drawn at random in the year, against the licenses in force now.
            let licensed = try await DashboardStore.licensed(sql, categories: categories)
            var byCategory: [String: CheckFigures] = [:], byProvince: [String: CheckFigures] = [:]
            for (k, n) in try await DashboardStore.facts(sql, metric: "checks") where k.period == "\(year)" {
                if province == nil || k.d2 == province {
                    byCategory[k.d1, default: CheckFigures(key: k.d1, licensed: 0, checks: 0, failures: 0)].checks += n
                    if k.d3 == "fail" { byCategory[k.d1]!.failures += n }
                }
                byProvince[k.d2, default: CheckFigures(key: k.d2, licensed: 0, checks: 0, failures: 0)].checks += n
                if k.d3 == "fail" { byProvince[k.d2]!.failures += n }
            }
            for c in categories { byCategory[c, default: CheckFigures(key: c, licensed: 0, checks: 0, failures: 0)].licensed = province == nil ? licensed.byCategory[c] ?? 0 : 0 }
            for (p, n) in licensed.byProvince { byProvince[p, default: CheckFigures(key: p, licensed: 0, checks: 0, failures: 0)].licensed = n }

            var listings: [(String, String, Int)] = []
            for (k, n) in try await DashboardStore.facts(sql, metric: "credit") where province == nil || k.d2 == province {
                if let i = listings.firstIndex(where: { $0.0 == k.period && $0.1 == k.d1 }) { listings[i].2 += n } else { listings.append((k.period, k.d1, n)) }
            }
            listings.sort { ($0.0, $0.1) < ($1.0, $1.1) }

            let reformFacts = try await DashboardStore.facts(sql, metric: "reform")
            let actions = try await CatalogStore.reformActions(sql)
            let reforms = editions.filter { e in actions.contains { $0.edition == e.code } || reformFacts.keys.contains { $0.period == e.code } }.map { e in
                (edition: e.code, inForce: e.inForce.description,
                 actions: Dictionary(grouping: actions.filter { $0.edition == e.code }, by: \.kind.rawValue).mapValues(\.count),
                 ended: reformFacts[FactKey("reform", e.code, "ended")] ?? 0, narrowed: reformFacts[FactKey("reform", e.code, "narrowed")] ?? 0,
                 delicensed: reformFacts[FactKey("reform", e.code, "delicensed")] ?? 0)
            }
            return DashboardData(editions: editions, timeToLicense: ttl, year: year,
                                 byCategory: byCategory.values.sorted { $0.key < $1.key }, byProvince: byProvince.values.sorted { $0.key < $1.key },
                                 creditSizes: try await DashboardStore.creditSizes(sql, on: today, province: province), listings: listings, reforms: reforms, names: units.catalogNames())
        }
    }
}
