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
            throw AppError(.request.missingParameterNamed, ["name": "\(name)"])
        }
        return v
    }

    func dateQuery(_ name: String) throws -> CivilDate? {
        guard let text = query(name) else { return nil }
        guard let d = CivilDate(text) else {
            throw AppError(.request.badDate, ["name": "\(name)"])
        }
        return d
    }

    func intQuery(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = query(name) else { return nil }
        guard let v = Int(text), range.contains(v) else {
            throw AppError(.request.badNumber, ["name": "\(name)", "lower_bound": "\(range.lowerBound)", "upper_bound": "\(range.upperBound)"])
        }
        return v
    }

    func bodyBytes(limit: Int) async throws -> ByteBuffer {
        do {
            var copy = self
            return try await copy.collectBody(upTo: limit)
        } catch {
            throw AppError(.request.tooLargeKib, ["kib": "\(limit / 1024)"])
        }
    }

    /// Decodes a JSON body, telling the caller exactly which field is wrong.
    func json<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        guard let ct = headers[.contentType], ct.lowercased().hasPrefix("application/json") else {
            throw AppError(.request.contentTypeJson)
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
            throw AppError(.request.encoding)
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
            return AppError(.request.missingFieldNamed, ["field": "\(f)"])
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            let f = field(ctx.codingPath)
            return AppError(.request.wrongType, ["field": "\(f)"])
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                return AppError(.request.malformedJson)
            }
            let f = field(ctx.codingPath)
            return AppError(.request.invalidValue, ["field": "\(f)"])
        @unknown default:
            return AppError(.request.malformedJson)
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

/// One page of a list, the one way every JSON list pages: `items`, and `next`, the cursor to pass back as `after`
/// for the following page (absent on the last page).
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var next: String?

    init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }

    /// A page from `limit + 1` rows fetched: the extra row only says that more follow.
    init(_ rows: [Item], limit: Int, cursor: (Item) -> String) {
        items = Array(rows.prefix(limit))
        next = rows.count > limit ? items.last.map(cursor) : nil
    }

    /// A page of a short list read whole (reference data, an account's own records): the cursor is the position
    /// of the page's last item, so `after` must be a position the list has.
    init(whole list: [Item], _ paging: Paging) throws {
        var start = 0
        if let after = paging.after {
            guard let n = Int(after), (0..<list.count).contains(n) else { throw AppError(.request.cursor) }
            start = n + 1
        }
        let end = Swift.min(list.count, start + paging.limit)
        items = Array(list[start..<end])
        next = end < list.count ? String(end - 1) : nil
    }
}

extension Page {
    /// The same page with its items shown another way (the cursor still names the underlying rows).
    func map<T: Encodable & Sendable>(_ transform: (Item) -> T) -> Page<T> { Page<T>(items: items.map(transform), next: next) }
}

/// What a list request asks for: how many items, and after which one (the `next` of the page before).
struct Paging: Sendable {
    var limit: Int
    var after: String?

    /// `after` as the id a list ordered by id hands out.
    func afterID() throws -> Int? {
        try after.map { try Int($0).flatMap { $0 > 0 ? $0 : nil }.orThrow(AppError(.request.cursor)) }
    }

    /// One more than `limit`: the extra row says whether another page follows.
    var fetch: Int { limit + 1 }
}

extension Request {
    /// `limit` (1…`max`, `standard` when absent) and `after`, bounded before anything is read.
    func paging(standard: Int = 50, max: Int = 200) throws -> Paging {
        let after = query("after")
        guard (after?.utf8.count ?? 0) <= 200 else { throw AppError(.request.cursor) }
        return Paging(limit: try intQuery("limit", range: 1...max) ?? standard, after: after)
    }
}

extension Optional {
    /// The value, or the client's mistake `error` when there is none.
    func orThrow(_ error: AppError) throws(AppError) -> Wrapped {
        guard let self else { throw error }
        return self
    }
}

/// Free text as a person typed it, trimmed and cut to the length its column allows.
func clipped(_ value: String?, max: Int) -> String {
    String((value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(max))
}
