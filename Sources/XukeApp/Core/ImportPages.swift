import Foundation
import Hummingbird
import HTTPTypes
import XukeDomain

/// An officers' import page (enterprises, licences): a CSV file, a dry run that says what would happen, and a
/// refusal listing every bad line in the page's language. Messages come from `<kind>.title`, `.lead`, `.would`
/// and `.done`; `run` checks (and unless it is a dry run, imports) and answers what happened in the page's language.
struct ImportPages: PageRoutes {
    let renderer: Renderer
    let path: String
    let kind: String
    let columns: [ImportTable.Column]
    /// Notes under the columns: how values are written.
    var notes: [String] = []
    let run: @Sendable (Data, Bool, SignedInContext) async throws -> (values: [String: String], outcome: [String])

    func register(_ group: RouterGroup<SignedInContext>) {
        group.get(RouterPath(path)) { _, c in
            try c.require(.administrator, .officer)
            return page(c, Model(dryRun: true))
        }
        group.post(RouterPath(path)) { request, c in
            try c.require(.administrator, .officer)
            let form = try await Multipart.form(request, c.parent)
            let dryRun = form?.parts.first { $0.name == "dry_run" }?.text == "1"
            guard let part = form?.file("file") else {
                return page(c, Model(dryRun: dryRun, error: t("import.no_file", c)), status: .unprocessableContent)
            }
            do {
                var (values, outcome) = try await run(Data(part.data), dryRun, c)
                values["file"] = part.filename ?? ""
                let notice = renderer.messages.text("\(kind).\(dryRun ? "would" : "done")", c.language, values)
                return page(c, Model(dryRun: dryRun, notice: notice, outcome: outcome))
            } catch let e as ImportError {
                let problems = e.problems.map { Model.Problem(line: $0.line, message: $0.message.text(for: c.language)) }
                let error = renderer.messages.text("import.refused", c.language, ["n": "\(problems.count)", "file": part.filename ?? ""])
                return page(c, Model(dryRun: dryRun, error: error, problems: problems), status: .unprocessableContent)
            }
        }
    }

    struct Model: PageModel {
        struct Problem: Encodable, Sendable { var line: Int, message: String }
        struct Column: Encodable, Sendable { var zh: String, key: String, required: Bool }
        var dryRun: Bool
        var notice: String?
        var error: String?
        var outcome: [String] = []
        var problems: [Problem] = []
        var title = "", lead = "", action = ""
        var columns: [Column] = []
        var notes: [String] = []
        var hasProblems = false, hasOutcome = false, hasNotes = false
    }

    func page(_ c: SignedInContext, _ model: Model, status: HTTPResponse.Status = .ok) -> Response {
        var model = model
        model.title = t("\(kind).title", c)
        model.lead = t("\(kind).lead", c)
        model.action = "/" + path
        model.columns = columns.map { .init(zh: $0.zh, key: $0.key, required: $0.required) }
        model.notes = notes.map { t($0, c) }
        model.hasProblems = !model.problems.isEmpty
        model.hasOutcome = !model.outcome.isEmpty
        model.hasNotes = !model.notes.isEmpty
        return renderer.page("import", context: c.parent, title: model.title, status: status, model)
    }
}
