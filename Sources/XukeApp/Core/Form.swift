import Hummingbird
import Foundation

/// An `application/x-www-form-urlencoded` body as a dictionary. Repeated names (check boxes) keep the last value
/// in `fields`, and all of them in `all(_:)`.
struct Form {
    var fields: [String: String] = [:]
    private var repeated: [String: [String]] = [:]

    init(_ request: Request, limit: Int) async throws {
        let body = try await request.bodyBytes(limit: limit)
        for pair in String(buffer: body).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let (name, value) = (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
            fields[name] = value
            repeated[name, default: []].append(value)
        }
    }

    func all(_ name: String) -> [String] { repeated[name] ?? [] }

    subscript(_ name: String) -> String {
        (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Items typed into one box: separated by commas (ASCII or full-width), enumeration commas, spaces or new lines.
func listItems(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" || $0.isWhitespace }).map(String.init)
}

/// Runs a form post. A refusal (a client error, such as a code typed that names nothing) shows the page again with
/// its message instead of an error page; a page that itself does not exist still ends on the error page.
func formPost(_ action: () async throws -> Response, refused page: (AppError) async throws -> Response) async throws -> Response {
    do {
        return try await action()
    } catch {
        guard let e = AppError.from(error), e.status.code < 500 else { throw error }
        return try await page(e)
    }
}

/// Redirect after a successful form post, so reloading does not post again.
func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}

/// Only same-site paths may be redirect targets. The target is parsed as a URL reference and refused unless it is
/// a path alone; characters browsers drop or reinterpret in a Location (controls, spaces, backslashes) are refused
/// before parsing, since "/\t/evil.example" reaches the browser as "//evil.example".
func safeNext(_ next: String) -> String {
    guard next.utf8.count <= 2048, next.hasPrefix("/"),
          !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace || $0 == "\\" }),
          let c = URLComponents(string: next), c.scheme == nil, c.host == nil, c.user == nil, c.password == nil, c.port == nil,
          c.percentEncodedPath.hasPrefix("/"), !c.percentEncodedPath.hasPrefix("//"),
          let target = c.string, target.hasPrefix("/"), !target.hasPrefix("//") else { return "/" }
    return target
}
