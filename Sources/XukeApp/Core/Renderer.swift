import Hummingbird
import Mustache
import XukeDomain
import XukeStorage
import Foundation

/// What a page template reads: an Encodable struct whose property names are the template's names. Encodable, so a
/// test or a JSON view can read the same model the page shows.
protocol PageModel: Encodable, Sendable {}

/// Server-rendered pages: Mustache templates (re-brandable without recompiling) filled from the message catalog.
struct Renderer: Sendable {
    let library: MustacheLibrary
    let messages: Messages
    let trees: MessageTrees

    static func load(messages: Messages) async throws -> Renderer {
        guard let dir = Bundle.module.url(forResource: "templates", withExtension: nil) else { throw CocoaError(.fileNoSuchFile) }
        return Renderer(library: try await MustacheLibrary(directory: dir.path), messages: messages, trees: MessageTrees(messages))
    }

    /// Renders `template` with the common page frame (language switch, navigation, the signed-in user, CSRF token)
    /// around the page's model.
    func page(_ template: String, context: AppRequestContext, title: String, status: HTTPResponse.Status = .ok,
              _ model: some PageModel) -> Response {
        page(template, context: context, title: title, status: status, values: Renderer.values(of: model) as? [String: Any] ?? [:])
    }

    /// A page with nothing but the frame.
    func page(_ template: String, context: AppRequestContext, title: String, status: HTTPResponse.Status = .ok) -> Response {
        page(template, context: context, title: title, status: status, values: [:])
    }

    private func page(_ template: String, context: AppRequestContext, title: String, status: HTTPResponse.Status, values data: [String: Any]) -> Response {
        let lang = context.language
        var values = data
        values["t"] = trees.trees[lang] ?? [:]
        values["lang"] = lang == .zh ? "zh-CN" : "en"
        values["isZh"] = lang == .zh
        values["title"] = title
        values["csrf"] = context.csrfToken
        if let u = context.user {
            values["user"] = Renderer.values(of: Viewer(
                name: u.displayName, username: u.username, role: messages.text("role.\(u.role.rawValue)", lang),
                isAdmin: u.role == .administrator, isStaff: u.role == .administrator || u.role == .officer,
                isOfficer: u.role == .officer, isVerifier: u.role == .verifier, isEnterprise: u.role == .enterprise, isLab: u.role == .lab,
                isAgency: u.role == .agency, shares: u.role == .agency || u.role == .administrator, isEnterpriseAdmin: u.role == .enterprise && u.enterpriseAdmin))
        }
        let html = library.render(values, withTemplate: template) ?? "template \(template) missing"
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.contentLanguage] = lang == .zh ? "zh-CN" : "en"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A template on its own, without the page frame: a document as Chromium prints it.
    func standalone(_ template: String, language: Language, _ model: some PageModel) -> String {
        var values = Renderer.values(of: model) as? [String: Any] ?? [:]
        values["t"] = trees.trees[language] ?? [:]
        values["lang"] = language == .zh ? "zh-CN" : "en"
        return library.render(values, withTemplate: template) ?? "template \(template) missing"
    }

    /// A model as the templates read it: a struct becomes a dictionary of its stored properties by name, a list a
    /// list, an enum with a raw value that value. Mustache treats an empty string as present, so a page would show
    /// an empty section: absent values (nil, "") are dropped at every depth except inside lists, and `{{#field}}`
    /// over text needs no flag of its own. Numbers stay present even when zero: a section over a count needs a Bool.
    static func values(of value: Any) -> Any? {
        switch value {
        case let optional as any OptionalValue: return optional.wrappedValue.flatMap(values)
        case let text as String: return text.isEmpty ? nil : text
        case is Bool, is Int, is Double, is Int64: return value
        case let day as CivilDate: return day.description
        case let raw as any RawRepresentable: return values(of: raw.rawValue)
        case let dict as [String: Any]: return dict.compactMapValues(values)
        // A list keeps its length: an empty cell of a table row is still a cell.
        case let list as [Any]: return list.map { values(of: $0) ?? "" }
        default:
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .struct || mirror.displayStyle == .class else { return String(describing: value) }
            var dict: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label, let v = values(of: child.value) { dict[label] = v }
            }
            return dict
        }
    }

    func error(_ e: AppError, context: AppRequestContext) -> Response {
        let lang = context.language
        struct Problem: Encodable { var line: Int; var message: String }
        struct ErrorPage: PageModel { var status: Int; var message: String; var code: String; var problems: [Problem] }
        var response = page("error", context: context, title: messages.text("error.title", lang), status: e.status,
                            ErrorPage(status: Int(e.status.code), message: e.message.text(for: lang), code: e.code.rawValue,
                                      problems: e.problems.map { Problem(line: $0.line, message: $0.message.text(for: lang)) }))
        for field in e.headers { response.headers.append(field) }
        return response
    }
}

/// The signed-in reader as the page frame shows them: name, role, and which menus they get.
struct Viewer: Encodable, Sendable {
    var name: String, username: String, role: String
    var isAdmin: Bool, isStaff: Bool, isOfficer: Bool, isVerifier: Bool, isEnterprise: Bool, isLab: Bool, isAgency: Bool, shares: Bool
    var isEnterpriseAdmin: Bool
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
