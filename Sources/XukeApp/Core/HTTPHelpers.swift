import Hummingbird
import XukeDomain
import Foundation

/// A JSON response encoded the API's way (snake_case keys, sorted).
struct JSONReply<T: Encodable & Sendable>: ResponseGenerator {
    var value: T
    var status: HTTPResponse.Status = .ok

    init(_ value: T, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try AppJSON.responseEncoder.encode(value, from: request, context: context)
        response.status = status
        return response
    }
}

extension Request {
    func query(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    func requiredQuery(_ name: String) throws -> String {
        guard let v = query(name) else {
            throw AppError(.badRequest, code: "request.missing_parameter", zh: "缺少参数 \(name)", en: "Missing query parameter \(name)")
        }
        return v
    }

    func dateQuery(_ name: String) throws -> CivilDate? {
        guard let text = query(name) else { return nil }
        guard let d = CivilDate(text) else {
            throw AppError(.badRequest, code: "request.bad_date", zh: "参数 \(name) 应为 YYYY-MM-DD 格式的日期", en: "Parameter \(name) must be a YYYY-MM-DD date")
        }
        return d
    }

    func intQuery(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = query(name) else { return nil }
        guard let v = Int(text), range.contains(v) else {
            throw AppError(.badRequest, code: "request.bad_number", zh: "参数 \(name) 应为 \(range.lowerBound)–\(range.upperBound) 之间的整数",
                           en: "Parameter \(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    func bodyBytes(limit: Int) async throws -> ByteBuffer {
        do {
            var copy = self
            return try await copy.collectBody(upTo: limit)
        } catch {
            throw AppError(.contentTooLarge, code: "request.too_large", zh: "请求内容超过 \(limit / 1024) KiB", en: "The request body exceeds \(limit / 1024) KiB")
        }
    }

    /// Decodes a JSON body, telling the caller exactly which field is wrong.
    func json<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        guard let ct = headers[.contentType], ct.lowercased().hasPrefix("application/json") else {
            throw AppError(.unsupportedMediaType, code: "request.content_type", zh: "请求体应为 application/json", en: "The request body must be application/json")
        }
        let body = try await bodyBytes(limit: limit)
        do {
            return try AppJSON.decoder().decode(T.self, from: Data(body.readableBytesView))
        } catch let e as DecodingError {
            throw AppError.decoding(e)
        }
    }

    /// Reads a UTF-8 text body (CSV imports).
    func text(limit: Int) async throws -> String {
        let body = try await bodyBytes(limit: limit)
        guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw AppError(.unprocessableContent, code: "request.encoding", zh: "文件须为 UTF-8 编码", en: "The file must be UTF-8 encoded")
        }
        return text
    }
}

extension AppError {
    static func decoding(_ e: DecodingError) -> AppError {
        func field(_ path: [any CodingKey]) -> String {
            path.map { k in k.intValue.map { "[\($0)]" } ?? snake(k.stringValue) }.joined(separator: ".")
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            let f = field(ctx.codingPath + [key])
            return AppError(.unprocessableContent, code: "request.missing_field", zh: "缺少字段 \(f)", en: "Missing field \(f)")
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            let f = field(ctx.codingPath)
            return AppError(.unprocessableContent, code: "request.wrong_type", zh: "字段 \(f) 的类型不正确", en: "Field \(f) has the wrong type")
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                return AppError(.badRequest, code: "request.malformed_json", zh: "请求体不是合法的 JSON", en: "The request body is not valid JSON")
            }
            let f = field(ctx.codingPath)
            return AppError(.unprocessableContent, code: "request.invalid_value", zh: "字段 \(f) 的值无效", en: "Field \(f) has an invalid value")
        @unknown default:
            return AppError(.badRequest, code: "request.malformed_json", zh: "请求体不是合法的 JSON", en: "The request body is not valid JSON")
        }
    }

    static func snake(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

func csvResponse(_ text: String, filename: String) -> Response {
    Response(status: .ok, headers: [
        .contentType: "text/csv; charset=utf-8",
        .contentDisposition: "attachment; filename=\"\(filename)\"",
    ], body: .init(byteBuffer: ByteBuffer(string: text)))
}
