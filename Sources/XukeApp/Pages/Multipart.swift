import Hummingbird
import Foundation

/// A `multipart/form-data` body (RFC 7578): the application form posts files with its fields.
struct Multipart {
    struct Part {
        var name: String
        var filename: String?
        var data: [UInt8]
        var text: String { String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    var parts: [Part] = []

    /// Several documents of up to 20 MiB each and the fields.
    static let maxBytes = 64 * 1024 * 1024

    static func boundary(_ contentType: String?) -> String? {
        guard let ct = contentType, ct.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for param in ct.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            }
        }
        return nil
    }

    init(_ body: ByteBuffer, boundary: String) throws {
        let bytes = Array(body.readableBytesView)
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [Int] = []
        var i = 0
        while let at = Self.find(delimiter, in: bytes, from: i) {
            starts.append(at)
            i = at + delimiter.count
        }
        guard starts.count >= 2 else {
            throw AppError(.badRequest, code: "request.multipart", zh: "表单内容格式不正确", en: "The form body is malformed")
        }
        for (a, b) in zip(starts, starts.dropFirst()) {
            // Each part: CRLF, headers, CRLF CRLF, content, CRLF, next delimiter.
            let partStart = a + delimiter.count + 2
            let partEnd = b - 2
            guard partStart < partEnd, let split = Self.find(Array("\r\n\r\n".utf8), in: bytes, from: partStart), split < partEnd else { continue }
            let headers = String(decoding: bytes[partStart..<split], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = Self.parameter("name", in: String(disposition)) else { continue }
            parts.append(Part(name: name, filename: Self.parameter("filename", in: String(disposition)), data: Array(bytes[(split + 4)..<partEnd])))
        }
    }

    /// The request's multipart form: as the CSRF check already read it, or parsed now; nil for another content type.
    static func form(_ request: Request, _ context: AppRequestContext) async throws -> Multipart? {
        if let parsed = context.multipart { return parsed }
        guard let boundary = boundary(request.headers[.contentType]) else { return nil }
        return try Multipart(try await request.bodyBytes(limit: maxBytes), boundary: boundary)
    }

    subscript(_ name: String) -> String { parts.last { $0.name == name && $0.filename == nil }?.text ?? "" }

    func all(_ name: String) -> [String] { parts.filter { $0.name == name && $0.filename == nil }.map(\.text) }

    func file(_ name: String) -> Part? { parts.first { $0.name == name && $0.filename?.isEmpty == false && !$0.data.isEmpty } }

    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let kv = piece.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == key {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
