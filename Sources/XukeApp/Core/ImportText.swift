import Foundation
import XukeDomain
#if canImport(Glibc)
import Glibc
#endif

/// The text of an uploaded CSV file, whatever a province's office saved it as: UTF-8 with or without a BOM, or
/// GB18030 (what Excel writes on a Chinese Windows). Detected, not asked: bytes that are valid UTF-8 are UTF-8
/// (Chinese text in GB18030 practically never is), anything else is converted from GB18030 by the C library's
/// iconv, and bytes that are neither are refused.
enum ImportText {
    enum Encoding: String, Sendable, Codable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with BOM"
        case gb18030 = "GB18030"
    }

    static func decode(_ data: Data) -> (text: String, encoding: Encoding)? {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if data.starts(with: bom) {
            return String(validating: data.dropFirst(3), as: UTF8.self).map { ($0, .utf8BOM) }
        }
        if let text = String(validating: data, as: UTF8.self) { return (text, .utf8) }
        return fromGB18030(data).map { ($0, .gb18030) }
    }

    static func fromGB18030(_ data: Data) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = [CChar](repeating: 0, count: data.count)
        data.withUnsafeBytes { raw in input.withUnsafeMutableBytes { $0.copyMemory(from: raw) } }
        // A GB18030 character (1, 2 or 4 bytes) is at most 4 bytes of UTF-8.
        var output = [CChar](repeating: 0, count: data.count * 2 + 16)
        let converted: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                var inLeft = inBuffer.count, outLeft = outBuffer.count
                guard iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let converted else { return nil }
        return String(validating: output[..<converted].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A CSV file an office brings in: its text decoded (`ImportText`), its heading row matched to the known columns by
/// their Chinese or English heading, and its rows. Anything that stops the file being read at all refuses it here.
struct ImportTable {
    struct Column: Sendable {
        var key: String
        var zh: String
        var required: Bool
    }

    var encoding: ImportText.Encoding
    var rows: ArraySlice<CSV.Record>
    private var places: [String: Int]

    static func read(_ data: Data, columns: [Column], maxRows: Int) throws(ImportError) -> ImportTable {
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
        var places: [String: Int] = [:]
        var problems: [ImportError.Problem] = []
        for (i, raw) in header.fields.enumerated() {
            let heading = raw.trimmingCharacters(in: .whitespaces)
            guard let column = columns.first(where: { $0.key == heading.lowercased() || $0.zh == heading }) else {
                problems.append(.init(line: header.line, zh: "未知的列“\(heading)”", en: "Unknown column “\(heading)”"))
                continue
            }
            places[column.key] = i
        }
        for column in columns where column.required && places[column.key] == nil {
            problems.append(.init(line: header.line, zh: "缺少列“\(column.zh)”", en: "Missing column “\(column.key)”"))
        }
        guard problems.isEmpty else { throw ImportError(problems: problems) }
        let rows = records.dropFirst()
        guard rows.count <= maxRows else {
            throw ImportError(problems: [.init(line: rows[rows.startIndex + maxRows].line, zh: "每个文件最多 \(maxRows) 行", en: "At most \(maxRows) rows per file")])
        }
        return ImportTable(encoding: encoding, rows: rows, places: places)
    }

    /// A row's value in a column, trimmed; empty when the column or the cell is missing.
    func field(_ record: CSV.Record, _ key: String) -> String {
        guard let i = places[key], i < record.fields.count else { return "" }
        return record.fields[i].trimmingCharacters(in: .whitespaces)
    }

    /// A day as offices write it: `2024-05-06`, what Excel shows (`2024/5/6`), or `2024年5月6日`.
    static func day(_ text: String) -> CivilDate? {
        if let d = CivilDate(text) { return d }
        let parts = text.replacingOccurrences(of: "日", with: "").split(whereSeparator: { "/年月.-".contains($0) }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 4 && $0.utf8.allSatisfy { (48...57).contains($0) } }),
              parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }
}
