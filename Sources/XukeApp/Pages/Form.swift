import Hummingbird
import Foundation

/// An `application/x-www-form-urlencoded` body as a dictionary (repeated names keep the last value).
struct Form {
    var fields: [String: String] = [:]

    init(_ request: Request, limit: Int) async throws {
        let body = try await request.bodyBytes(limit: limit)
        for pair in String(buffer: body).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
    }

    subscript(_ name: String) -> String {
        (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Items typed into one box: separated by commas (ASCII or full-width), enumeration commas, spaces or new lines.
func listItems(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" || $0.isWhitespace }).map(String.init)
}

/// Redirect after a successful form post, so reloading does not post again.
func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}

/// Only same-site relative paths may be redirect targets.
func safeNext(_ next: String) -> String {
    next.hasPrefix("/") && !next.hasPrefix("//") && !next.contains("\\") ? next : "/"
}
