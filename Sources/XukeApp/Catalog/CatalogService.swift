import Foundation
import XukeDomain
import XukeStorage

/// The catalog of licensed products and its reforms: editions and their imports, drafts under consultation and
/// their publication, licensability, the working-day calendar, the risk report and the dashboard.
struct CatalogService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    /// A published reform moves the licences it touches.
    let licensing: LicensingService
}

extension CatalogService {
    func diff(from: String, to: String) async throws -> EditionDiffView {
        let (editions, actions) = try await db.read { try await CatalogStore.unitEditionsAndActions($0) }
        guard let a = editions.first(where: { $0.code == from }) else { throw AppError.notFound(from) }
        guard let b = editions.first(where: { $0.code == to }) else { throw AppError.notFound(to) }
        let (lo, hi) = a.inForce <= b.inForce ? (a.inForce, b.inForce) : (b.inForce, a.inForce)
        return EditionDiffView(diff: EditionDiff(from: a, to: b),
                               reformActions: actions.filter { $0.effective > lo && $0.effective <= hi })
    }

    func licensability(unit: String, on date: CivilDate) async throws -> Licensability {
        guard unit.count == 4, unit.allSatisfy(\.isNumber) else {
            throw AppError(.catalog.unitFormat)
        }
        let (editions, actions) = try await db.read { try await CatalogStore.unitEditionsAndActions($0) }
        return Licensability.evaluate(unitNo: unit, on: date, editions: editions, actions: actions)
    }

    // MARK: Catalog

    func importCatalog(csv: String, actor: String) async throws -> [CatalogEdition] {
        let editions = try CatalogCSV.parse(csv)
        try await db.write { sql in
            for e in editions {
                try await CatalogStore.replace(sql, edition: e, actor: actor, at: clock.stamp)
            }
        }
        return editions
    }

    func importCalendar(csv: String, actor: String) async throws -> Int {
        let rows = try WorkCalendar.parseNotice(csv)
        guard !rows.isEmpty else {
            throw AppError(.calendar.empty)
        }
        try await db.write { try await ReferenceStore.importCalendar($0, rows: rows, source: "import", actor: actor, at: clock.stamp) }
        return rows.count
    }
}

/// What the catalog's routes read.
extension CatalogService {
    func editions() async throws -> [EditionSummary] {
        try await db.read { try await CatalogStore.editions($0) }
    }

    /// Every edition with its units, oldest first.
    func unitEditions() async throws -> [CatalogEdition] {
        try await db.read { try await CatalogStore.unitEditions($0) }
    }

    func edition(_ code: String) async throws -> CatalogEdition {
        guard let e = try await db.read({ try await CatalogStore.edition($0, code: code) }) else { throw AppError.notFound(code) }
        return e
    }

    func reformActions() async throws -> [ReformAction] {
        try await db.read { try await CatalogStore.reformActions($0) }
    }

    func cccTransfers() async throws -> [CatalogStore.CCCTransfer] {
        try await db.read { try await CatalogStore.cccTransfers($0) }
    }

    /// The working-day calendar: statutory holidays and make-up working days as published.
    func calendar() async throws -> WorkCalendar {
        try await db.read { try await ReferenceStore.calendar($0) }
    }

    func drafts() async throws -> [CatalogDraft] {
        try await db.read { try await CatalogDraftStore.all($0) }
    }
}
