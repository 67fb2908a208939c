import Hummingbird
import Mustache
import XukeDomain
import XukeStorage
import Foundation

/// Server-rendered pages: Mustache templates (re-brandable without recompiling) filled from the message catalog.
struct Renderer: Sendable {
    let library: MustacheLibrary
    let messages: Messages
    let trees: MessageTrees

    static func load(messages: Messages) async throws -> Renderer {
        guard let dir = Bundle.module.url(forResource: "templates", withExtension: nil) else { throw CocoaError(.fileNoSuchFile) }
        return Renderer(library: try await MustacheLibrary(directory: dir.path), messages: messages, trees: MessageTrees(messages))
    }

    /// Renders `template` with the common page frame: language switch, navigation, the signed-in user, CSRF token.
    func page(_ template: String, context: AppRequestContext, title: String, status: HTTPResponse.Status = .ok,
              _ data: [String: Any] = [:]) -> Response {
        let lang = context.language
        var values = data.compactMapValues(Renderer.present)
        values["t"] = trees.trees[lang] ?? [:]
        values["lang"] = lang == .zh ? "zh-CN" : "en"
        values["isZh"] = lang == .zh
        values["title"] = title
        values["csrf"] = context.csrfToken
        if let u = context.user {
            values["user"] = [
                "name": u.displayName, "username": u.username,
                "role": messages.text("role.\(u.role.rawValue)", lang),
                "isAdmin": u.role == .administrator,
                "isStaff": u.role == .administrator || u.role == .officer,
                "isOfficer": u.role == .officer, "isVerifier": u.role == .verifier, "isEnterprise": u.role == .enterprise, "isLab": u.role == .lab,
                "isAgency": u.role == .agency, "shares": u.role == .agency || u.role == .administrator,
            ] as [String: Any]
        }
        let html = library.render(values, withTemplate: template) ?? "template \(template) missing"
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.contentLanguage] = lang == .zh ? "zh-CN" : "en"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Mustache treats an `Optional` boxed in `Any` (even `nil`) and an empty string as present, so a
    /// page would print "nil" or show an empty section. Absent values are dropped before rendering, at every
    /// depth, so `{{#field}}` over text needs no flag of its own. Numbers stay present even when zero: a
    /// section over a count needs a Bool.
    static func present(_ value: Any) -> Any? {
        if let optional = value as? any OptionalValue { return optional.wrappedValue.flatMap(present) }
        if let text = value as? String { return text.isEmpty ? nil : text }
        if let dict = value as? [String: Any] { return dict.compactMapValues(present) }
        if let list = value as? [[String: Any]] { return list.map { $0.compactMapValues(present) } }
        return value
    }

    func error(_ e: AppError, context: AppRequestContext) -> Response {
        let lang = context.language
        var response = page("error", context: context, title: messages.text("error.title", lang), status: e.status, [
            "status": Int(e.status.code),
            "message": e.message.text(for: lang),
            "code": e.code,
            "problems": e.problems.map { ["line": $0.line, "message": $0.message.text(for: lang)] as [String: Any] },
        ])
        for field in e.headers { response.headers.append(field) }
        return response
    }
}

protocol OptionalValue { var wrappedValue: Any? { get } }
extension Optional: OptionalValue {
    var wrappedValue: Any? { map { $0 as Any } }
}

/// The message catalog as nested dictionaries, so templates can write `{{t.nav.catalog}}` for the key `nav.catalog`.
/// Built once; never mutated, hence safe to share.
final class MessageTrees: @unchecked Sendable {
    let trees: [Language: [String: Any]]

    init(_ messages: Messages) {
        var trees: [Language: [String: Any]] = [:]
        for (lang, flat) in messages.catalogs {
            var root: [String: Any] = [:]
            for (key, value) in flat {
                MessageTrees.insert(&root, path: key.split(separator: ".").map(String.init)[...], value: value)
            }
            trees[lang] = root
        }
        self.trees = trees
    }

    private static func insert(_ node: inout [String: Any], path: ArraySlice<String>, value: String) {
        guard let head = path.first else { return }
        if path.count == 1 {
            node[head] = value
        } else {
            var child = node[head] as? [String: Any] ?? [:]
            insert(&child, path: path.dropFirst(), value: value)
            node[head] = child
        }
    }
}
