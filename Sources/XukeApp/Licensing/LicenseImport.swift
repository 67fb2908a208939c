import Foundation
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// The licences an authority issued before the platform, brought in from CSV (`xuke import licenses`,
/// `POST /api/v1/licenses/import`, `/licenses/import`). Every row is checked: the number as printed, the holder
/// (registered, and its USCC), the issuing authority and the officer's right over it, the days, and each unit against
/// the catalog edition in force on the issue day. One bad row refuses the file; every bad row is named by its line.
///
/// Administrators (who bring a province's data in on its first day) may import for any authority; an officer for
/// the authorities whose licences they may change.
///
/// One enterprise, one licence (一企一证): the rows of one enterprise still in force become one licence. It keeps the
/// number of the first issued, lists every unit, and records the other numbers as replaced; a query by any of them
/// finds it. It is valid until the earliest of their last days, so no unit is licensed longer than it was granted.
/// Rows whose validity has ended are kept as ended licences under their own numbers.
extension LicensingService {
    struct LicenseImportReport: Encodable, Sendable {
        struct Merge: Encodable, Sendable {
            var uscc: String
            var number: String
            var replaces: [String]
            var validUntil: CivilDate
        }
        var encoding: ImportText.Encoding
        var rows: Int
        /// Licences the file makes (or would make): one per enterprise in force, one per ended row.
        var licenses: Int
        /// Of them, licences already past their validity.
        var expired: Int
        /// The licences made of several rows.
        var merged: [Merge]
        /// Licences written (none on a dry run).
        var imported: Int
        var dryRun: Bool
    }

    static let licenseColumns: [ImportTable.Column] = [
        .init(key: "license_number", zh: "许可证编号", required: true), .init(key: "uscc", zh: "统一社会信用代码", required: true),
        .init(key: "units", zh: "产品单元", required: true), .init(key: "authority", zh: "发证机关", required: true),
        .init(key: "issued_on", zh: "发证日期", required: true), .init(key: "valid_until", zh: "有效期至", required: true),
        .init(key: "first_issued_on", zh: "首次发证日期", required: false),
    ]

    /// One row as read and checked.
    struct ImportedRow {
        var line: Int
        var number: LicenseNumber
        var uscc: String
        var authority: String
        var firstIssuedOn: CivilDate
        var issuedOn: CivilDate
        var validUntil: CivilDate
        var units: [LicenseUnit]
    }

    func importLicenses(_ data: Data, dryRun: Bool, by user: User, actor: String? = nil) async throws -> LicenseImportReport {
        guard [.administrator, .officer].contains(user.role) else { throw AppError(.auth.forbidden) }
        let table = try ImportTable.read(data, columns: Self.licenseColumns, maxRows: AccountService.maxImportRows)
        let today = clock.today
        let usccs = Array(Set(table.rows.map { table.field($0, "uscc").uppercased() }))
        let (editions, enterprises) = try await db.read { sql in
            (try await CatalogStore.unitEditions(sql), try await EnterpriseStore.enterprises(sql, usccs: usccs))
        }
        var problems: [ImportError.Problem] = []
        func problem(_ line: Int, _ zh: String, _ en: String) { problems.append(.init(line: line, zh: zh, en: en)) }

        var rows: [ImportedRow] = []
        var numbers: [String: Int] = [:]
        for record in table.rows {
            func field(_ key: String) -> String { table.field(record, key) }
            let line = record.line
            let before = problems.count
            let number = LicenseNumber.parse(field("license_number"))
            if number == nil {
                problem(line, "许可证编号“\(field("license_number"))”格式不对（应如 (粤)XK13-006-00123）",
                        "License number “\(field("license_number"))” is not of the form (粤)XK13-006-00123")
            }
            var uscc = field("uscc").uppercased()
            do { uscc = try USCC(uscc).value } catch {
                let e = AppError.from(error)
                problem(line, e?.message.zh ?? "统一社会信用代码无效", e?.message.en ?? "Invalid USCC")
            }
            if problems.count == before, enterprises[uscc] == nil {
                problem(line, "企业 \(uscc) 未登记，请先导入企业名录", "Enterprise \(uscc) is not registered: import the enterprises first")
            }
            let authority = ["national", "国家", "国家市场监督管理总局"].contains(field("authority")) ? Routing.national : field("authority")
            if authority != Routing.national && (authority.count != 6 || division(authority) == nil) {
                problem(line, "发证机关“\(field("authority"))”应为 national 或六位行政区划代码", "Authority “\(field("authority"))” must be national or a six-digit division code")
            } else if user.role != .administrator, !LicenseAuthority.mayChange(licenseHeldBy: authority, role: user.role, jurisdiction: user.jurisdiction) {
                problem(line, "发证机关 \(authority) 不在您的管辖范围内", "Authority \(authority) is outside your jurisdiction")
            } else if let e = enterprises[uscc], authority != Routing.national, !e.divisionCode.hasPrefix(Jurisdiction(divisionCode: authority).prefix) {
                problem(line, "发证机关 \(authority) 不管辖企业所在地 \(e.divisionCode)", "Authority \(authority) does not cover the enterprise's division \(e.divisionCode)")
            } else if let e = enterprises[uscc], user.role == .officer, !Jurisdiction(divisionCode: user.jurisdiction).contains(divisionCode: e.divisionCode) {
                problem(line, "企业 \(uscc) 不在您的管辖范围内", "Enterprise \(uscc) is outside your jurisdiction")
            } else if let number, number.province != provinceAbbreviation(authority: authority) {
                let expected = provinceAbbreviation(authority: authority).map { "(\($0))" } ?? "no province abbreviation"
                problem(line, "编号 \(number) 与发证机关 \(authority) 不符（应为 \(expected)）", "Number \(number) does not match authority \(authority) (expected \(expected))")
            }
            let days = ["issued_on", "valid_until", "first_issued_on"].map { key -> CivilDate? in
                let text = field(key)
                if key == "first_issued_on" && text.isEmpty { return nil }
                guard let d = ImportTable.day(text) else {
                    problem(line, "日期“\(text)”无效（\(key)）", "“\(text)” is not a date (\(key))")
                    return nil
                }
                return d
            }
            var units: [LicenseUnit] = []
            if let issued = days[0], let until = days[1] {
                let first = days[2] ?? issued
                if issued > today { problem(line, "发证日期 \(issued) 晚于今天", "Issue day \(issued) is after today") }
                if first > issued { problem(line, "首次发证日期 \(first) 晚于发证日期 \(issued)", "First issue \(first) is after the issue day \(issued)") }
                if until < issued || until > issued.adding(months: 120) {
                    problem(line, "有效期至 \(until) 应在发证日期 \(issued) 之后十年内", "Valid until \(until) must fall within ten years after the issue day \(issued)")
                }
                units = checkedUnits(field("units"), on: issued, since: first, editions: editions, line: line, problem: problem)
            }
            if let number, let first = numbers[number.description] {
                problem(line, "与第 \(first) 行的许可证编号 \(number) 重复", "License number \(number) repeats line \(first)")
            }
            guard problems.count == before, let number, let issued = days[0], let until = days[1] else { continue }
            numbers[number.description] = line
            rows.append(ImportedRow(line: line, number: number, uscc: uscc, authority: authority, firstIssuedOn: days[2] ?? issued,
                                    issuedOn: issued, validUntil: until, units: units))
        }
        let (licences, replaced) = merge(rows, today: today, enterprises: enterprises, problem: problem)
        problems += try await db.read { try await Self.clashes($0, licences, replaced) }
        guard problems.isEmpty else { throw ImportError(problems: problems.sorted { $0.line < $1.line }) }

        var imported = 0
        if !dryRun {
            let stamp = clock.stamp
            try await db.write { sql in
                let clashes = try await Self.clashes(sql, licences, replaced)
                guard clashes.isEmpty else { throw ImportError(problems: clashes) }
                // Written a few thousand at a time, all in the one transaction: what is held in memory stays small.
                for start in stride(from: 0, to: licences.count, by: 5_000) {
                    let part = start..<min(start + 5_000, licences.count)
                    let stored = try await LicenseStore.insertImported(sql, licences[part].map(\.record), at: stamp)
                    var former: [Int: [String]] = [:]
                    for (l, r) in zip(stored, replaced[part]) where !r.isEmpty { former[l.id] = r.map(\.number.description) }
                    try await LicenseStore.insertFormerNumbers(sql, former.flatMap { id, numbers in numbers.map { ($0, id) } }, at: stamp)
                    let logged = try await transparency.recordImported(sql, stored, replaced: former, at: stamp, authorityName: authorityName)
                    try await Events.appendMany(sql, type: .licenseImported, actor: actor ?? user.actor, at: stamp, zip(stored, logged).map { l, logged in
                        guard case .object(var payload) = logged.entry else { preconditionFailure("license entries are objects") }
                        payload["log_index"] = .int(Int64(logged.index))
                        return ("license/\(l.id)", l.authority, JSONValue.object(payload))
                    })
                }
                // Numbers brought in are never handed out again.
                let serials = Dictionary((licences.map(\.line) + replaced.flatMap { $0 }).map { ($0.number.prefix, $0.number.serial) }, uniquingKeysWith: max)
                for (prefix, serial) in serials.sorted(by: { $0.key < $1.key }) { try await SettingsStore.raiseSerial(sql, "license:\(prefix)", to: serial) }
            }
            imported = licences.count
        }
        let merges = zip(licences, replaced).filter { !$1.isEmpty }.map { l, r in
            LicenseImportReport.Merge(uscc: l.record.uscc, number: l.record.number, replaces: r.map(\.number.description), validUntil: l.record.validUntil)
        }
        return LicenseImportReport(encoding: table.encoding, rows: table.rows.count, licenses: licences.count,
                                   expired: licences.filter { $0.record.storedStatus == .expired }.count, merged: merges,
                                   imported: imported, dryRun: dryRun)
    }

    /// A row's units (`0601;0602`, also split by `；`, `、`, `,` or spaces), each in the edition in force on the issue day.
    func checkedUnits(_ text: String, on issued: CivilDate, since: CivilDate, editions: [CatalogEdition], line: Int,
                      problem: (Int, String, String) -> Void) -> [LicenseUnit] {
        let numbers = text.split(whereSeparator: { ";；、,，| ".contains($0) }).map(String.init)
        guard !numbers.isEmpty else {
            problem(line, "没有产品单元", "No product units")
            return []
        }
        guard let edition = editions.filter({ $0.inForce <= issued }).max(by: { $0.inForce < $1.inForce }) else {
            let earliest = editions.map(\.inForce).min().map(\.description) ?? "—"
            problem(line, "发证日期 \(issued) 时没有列明产品单元的目录版本（最早为 \(earliest)）",
                    "No catalog edition listing units was in force on \(issued) (the earliest is from \(earliest))")
            return []
        }
        var units: [LicenseUnit] = []
        for no in numbers where !units.contains(where: { $0.unitNo == no }) {
            guard let (category, unit) = edition.unit(no) else {
                problem(line, "产品单元 \(no) 不在 \(issued) 时施行的 \(edition.code) 版目录中", "Unit \(no) is not in the \(edition.code) catalog in force on \(issued)")
                continue
            }
            units.append(LicenseUnit(unitNo: no, categoryNo: category.categoryNo, nameZh: unit.nameZh, nameEn: unit.nameEn, route: .ordinary, since: since))
        }
        return units
    }

    /// A licence to be written, with the line of the row whose number it keeps.
    struct ImportedLicence {
        var line: ImportedRow
        var record: LicenseRecord
    }

    /// One licence per enterprise for the rows still in force (一企一证) and one per ended row; with each, the rows it replaced.
    func merge(_ rows: [ImportedRow], today: CivilDate, enterprises: [String: Enterprise],
               problem: (Int, String, String) -> Void) -> (licences: [ImportedLicence], replaced: [[ImportedRow]]) {
        var licences: [ImportedLicence] = []
        var replaced: [[ImportedRow]] = []
        func licence(_ kept: ImportedRow, _ group: [ImportedRow], status: LicenseStatus) -> ImportedLicence {
            let e = enterprises[kept.uscc]!
            var units: [LicenseUnit] = []
            for u in group.flatMap(\.units) where !units.contains(where: { $0.unitNo == u.unitNo }) { units.append(u) }
            let issued = group.map(\.issuedOn).max()!
            return ImportedLicence(line: kept, record: LicenseRecord(
                id: 0, uscc: kept.uscc, number: kept.number.description, storedStatus: status, version: 1, authority: kept.authority,
                firstIssuedOn: group.map(\.firstIssuedOn).min()!, decidedOn: issued, issuedOn: issued, validUntil: group.map(\.validUntil).min()!,
                name: e.name, domicile: e.domicile, addresses: e.productionAddresses, units: units, updatedAt: ""))
        }
        let byEnterprise = Dictionary(grouping: rows, by: \.uscc)
        for uscc in byEnterprise.keys.sorted() {
            let group = byEnterprise[uscc]!
            for ended in group where ended.validUntil < today {
                licences.append(licence(ended, [ended], status: .expired))
                replaced.append([])
            }
            let live = group.filter { $0.validUntil >= today }.sorted { ($0.firstIssuedOn, $0.line) < ($1.firstIssuedOn, $1.line) }
            guard let kept = live.first else { continue }
            let others = live.dropFirst().filter { $0.authority != kept.authority }
            for r in others {
                problem(r.line, "企业 \(uscc) 的有效许可证来自不同发证机关（\(kept.authority) 与 \(r.authority)，见第 \(kept.line) 行），无法合并为一张",
                        "Licences in force of enterprise \(uscc) come from different authorities (\(kept.authority) and \(r.authority), see line \(kept.line)): they cannot become one")
            }
            guard others.isEmpty else { continue }
            licences.append(licence(kept, live, status: .valid))
            replaced.append(Array(live.dropFirst()))
        }
        return (licences, replaced)
    }

    /// What the database already holds against the file: a number in use (now or as a former number), or an
    /// enterprise holding a licence in force.
    static func clashes(_ sql: any SQLDatabase, _ licences: [ImportedLicence], _ replaced: [[ImportedRow]]) async throws -> [ImportError.Problem] {
        let rows = licences.map(\.line) + replaced.flatMap { $0 }
        let taken = try await LicenseStore.numbersTaken(sql, rows.map(\.number.description))
        let held = try await LicenseStore.inForce(sql, usccs: licences.filter { $0.record.storedStatus == .valid }.map(\.record.uscc))
        var problems: [ImportError.Problem] = rows.filter { taken.contains($0.number.description) }.map {
            .init(line: $0.line, zh: "许可证编号 \($0.number) 已在平台上", en: "License number \($0.number) is already on the platform")
        }
        for l in licences {
            guard let number = held[l.record.uscc] else { continue }
            problems.append(.init(line: l.line.line, zh: "企业 \(l.record.uscc) 已持有有效许可证 \(number)", en: "Enterprise \(l.record.uscc) already holds license \(number) in force"))
        }
        return problems
    }
}
