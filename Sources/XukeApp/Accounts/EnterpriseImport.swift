import Foundation
import XukeDomain
import XukeStorage
import HTTPTypes

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
    static let enterpriseColumns: [(key: String, zh: String, required: Bool)] = [
        ("uscc", "统一社会信用代码", true), ("name", "企业名称", true), ("domicile", "住所", true),
        ("division_code", "住所行政区划代码", true), ("legal_representative", "法定代表人", true),
        ("contact_name", "联系人", false), ("contact_phone", "联系电话", false),
        ("production_address", "生产地址", false), ("production_division_code", "生产地址行政区划代码", false),
    ]

    /// Rows per file: a province's register fits many times over.
    static let maxImportRows = 200_000
    /// Bytes per file: 200,000 rows of a few hundred bytes.
    static let importBodyLimit = 64 * 1024 * 1024

    func importEnterprises(_ data: Data, dryRun: Bool, by user: User, actor: String? = nil) async throws -> ImportReport {
        guard [.administrator, .officer].contains(user.role) else { throw AppError(.auth.forbidden) }
        guard let (text, encoding) = ImportText.decode(data) else {
            throw ImportError(problems: [.init(line: 1, zh: "文件既不是 UTF-8 也不是 GB18030 编码", en: "The file is neither UTF-8 nor GB18030 text")])
        }
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch {
            throw ImportError(problems: [.init(line: error.line, zh: "CSV 格式错误（引号未闭合或位置不对）", en: "Malformed CSV (a quote not closed or misplaced)")])
        }
        guard let header = records.first else {
            throw ImportError(problems: [.init(line: 1, zh: "文件为空", en: "The file is empty")])
        }
        let columns = try Self.columns(header)
        let rows = records.dropFirst()
        guard rows.count <= Self.maxImportRows else {
            throw ImportError(problems: [.init(line: rows[rows.startIndex + Self.maxImportRows].line,
                                               zh: "每个文件最多 \(Self.maxImportRows) 行", en: "At most \(Self.maxImportRows) rows per file")])
        }
        var problems: [ImportError.Problem] = []
        var enterprises: [(line: Int, enterprise: Enterprise)] = []
        var seen: [String: Int] = [:]
        for record in rows {
            func field(_ key: String) -> String {
                guard let i = columns[key], i < record.fields.count else { return "" }
                return record.fields[i].trimmingCharacters(in: .whitespaces)
            }
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
        let registered = try await db.read { try await EnterpriseStore.registered($0, usccs: enterprises.map(\.enterprise.uscc.value)) }
        for (line, e) in enterprises where registered.contains(e.uscc.value) {
            problems.append(.init(line: line, zh: "企业 \(e.uscc) 已登记", en: "Enterprise \(e.uscc) is already registered"))
        }
        guard problems.isEmpty else { throw ImportError(problems: problems.sorted { $0.line < $1.line }) }
        if !dryRun {
            let stamp = clock.stamp
            try await db.write { sql in
                for (_, e) in enterprises { try await EnterpriseStore.create(sql, e, actor: actor ?? user.actor, at: stamp) }
            }
        }
        return ImportReport(encoding: encoding, rows: rows.count, imported: dryRun ? 0 : enterprises.count, dryRun: dryRun)
    }

    /// Where each column is, from the heading row; unknown or missing required headings refuse the file.
    static func columns(_ header: CSV.Record) throws -> [String: Int] {
        var found: [String: Int] = [:]
        var problems: [ImportError.Problem] = []
        for (i, raw) in header.fields.enumerated() {
            let heading = raw.trimmingCharacters(in: .whitespaces)
            guard let column = enterpriseColumns.first(where: { $0.key == heading.lowercased() || $0.zh == heading }) else {
                problems.append(.init(line: header.line, zh: "未知的列“\(heading)”", en: "Unknown column “\(heading)”"))
                continue
            }
            found[column.key] = i
        }
        for column in enterpriseColumns where column.required && found[column.key] == nil {
            problems.append(.init(line: header.line, zh: "缺少列“\(column.zh)”", en: "Missing column “\(column.key)”"))
        }
        guard problems.isEmpty else { throw ImportError(problems: problems) }
        return found
    }
}
