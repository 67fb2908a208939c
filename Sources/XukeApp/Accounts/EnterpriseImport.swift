import Foundation
import XukeDomain
import XukeStorage
import HTTPTypes
import SQLKit

/// A province's existing register of enterprises, brought in from CSV (`xuke import enterprises`,
/// `POST /api/v1/enterprises/import`). Every row is checked — the USCC and its check characters, the text fields,
/// the divisions, the officer's jurisdiction, duplicates in the file and enterprises already registered — and one
/// bad row refuses the whole file with every bad row named by its line. A dry run checks and writes nothing.
extension AccountService {
    struct ImportReport: Encodable, Sendable {
        var encoding: ImportText.Encoding
        var rows: Int
        /// Enterprises registered (none on a dry run).
        var imported: Int
        var dryRun: Bool
    }

    /// The columns, by their Chinese or English heading; the first five are required.
    static let enterpriseColumns: [ImportTable.Column] = [
        .init(key: "uscc", zh: "统一社会信用代码", required: true), .init(key: "name", zh: "企业名称", required: true),
        .init(key: "domicile", zh: "住所", required: true), .init(key: "division_code", zh: "住所行政区划代码", required: true),
        .init(key: "legal_representative", zh: "法定代表人", required: true), .init(key: "contact_name", zh: "联系人", required: false),
        .init(key: "contact_phone", zh: "联系电话", required: false), .init(key: "production_address", zh: "生产地址", required: false),
        .init(key: "production_division_code", zh: "生产地址行政区划代码", required: false),
    ]

    /// Rows per file: a province's register fits many times over.
    static let maxImportRows = 200_000
    /// Bytes per file: 200,000 rows of a few hundred bytes.
    static let importBodyLimit = 64 * 1024 * 1024

    func importEnterprises(_ data: Data, dryRun: Bool, by user: User, actor: String? = nil) async throws -> ImportReport {
        guard [.administrator, .officer].contains(user.role) else { throw AppError(.auth.forbidden) }
        let table = try ImportTable.read(data, columns: Self.enterpriseColumns, maxRows: Self.maxImportRows)
        var problems: [ImportError.Problem] = []
        var enterprises: [(line: Int, enterprise: Enterprise)] = []
        var seen: [String: Int] = [:]
        for record in table.rows {
            func field(_ key: String) -> String { table.field(record, key) }
            do {
                var addresses: [ProductionAddress] = []
                if !field("production_address").isEmpty || !field("production_division_code").isEmpty {
                    addresses.append(ProductionAddress(address: field("production_address"), divisionCode: field("production_division_code")))
                }
                let e = try EnterpriseInput(uscc: field("uscc"), name: field("name"), domicile: field("domicile"), divisionCode: field("division_code"),
                                            legalRepresentative: field("legal_representative"), contactName: field("contact_name"),
                                            contactPhone: field("contact_phone"), productionAddresses: addresses).enterprise()
                try e.validate { division($0) != nil }
                try checkJurisdiction(user, covers: e.divisionCode)
                if let first = seen[e.uscc.value] {
                    problems.append(.init(line: record.line, zh: "与第 \(first) 行的统一社会信用代码 \(e.uscc) 重复",
                                          en: "USCC \(e.uscc) repeats line \(first)"))
                    continue
                }
                seen[e.uscc.value] = record.line
                enterprises.append((record.line, e))
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                problems.append(.init(line: record.line, zh: e.message.zh, en: e.message.en))
            }
        }
        problems += try await db.read { try await Self.alreadyRegistered($0, enterprises) }
        guard problems.isEmpty else { throw ImportError(problems: problems.sorted { $0.line < $1.line }) }
        if !dryRun {
            let stamp = clock.stamp
            try await db.write { sql in
                // Checked again where it counts: someone may have registered one since.
                let clashes = try await Self.alreadyRegistered(sql, enterprises)
                guard clashes.isEmpty else { throw ImportError(problems: clashes) }
                try await EnterpriseStore.createMany(sql, enterprises.map(\.enterprise), actor: actor ?? user.actor, at: stamp)
            }
        }
        return ImportReport(encoding: table.encoding, rows: table.rows.count, imported: dryRun ? 0 : enterprises.count, dryRun: dryRun)
    }

    static func alreadyRegistered(_ sql: any SQLDatabase, _ enterprises: [(line: Int, enterprise: Enterprise)]) async throws -> [ImportError.Problem] {
        let registered = try await EnterpriseStore.registered(sql, usccs: enterprises.map(\.enterprise.uscc.value))
        return enterprises.filter { registered.contains($0.enterprise.uscc.value) }.map {
            .init(line: $0.line, zh: "企业 \($0.enterprise.uscc) 已登记", en: "Enterprise \($0.enterprise.uscc) is already registered")
        }
    }
}
