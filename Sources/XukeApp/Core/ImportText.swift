import Foundation
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
