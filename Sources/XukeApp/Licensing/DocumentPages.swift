import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import XukeTrust
import XukeQR

/// Official documents: the page (printable on A4), its PDF, the public check its QR code leads to, and the JSON.
struct DocumentPages: PageRoutes {
    let s: LicensingService
    let printer: PDFPrinter
    let blobs: any BlobStore
    let renderer: Renderer

    func register(_ router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        let group = router.group(context: SignedInContext.self)
        group.get("documents/{id}") { _, c in try await documentPage(c, id: try c.parameters.require("id", as: Int.self)) }
        // Reconsideration and litigation against a decision, recorded by the officers over its authority.
        group.post("documents/{id}/remedies") { request, c in
            let id = try c.parameters.require("id", as: Int.self)
            let f = try await Form(request, limit: 16 * 1024)
            do {
                func day(_ name: String) throws -> CivilDate? {
                    guard !f[name].isEmpty else { return nil }
                    return try CivilDate(f[name]).orThrow(AppError(.remedy.date, ["value": String(f[name].prefix(20))]))
                }
                let input = LicensingService.RemedyInput(kind: f["kind"], body: f["body"], filedOn: try day("filed_on").orThrow(AppError(.remedy.date, ["value": ""])),
                                                         outcome: f["outcome"], decidedOn: try day("decided_on"), note: f["note"])
                _ = try await s.recordRemedy(documentID: id, input, by: c.user)
                return redirect("/documents/\(id)")
            } catch {
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return try await documentPage(c, id: id, error: e.message.text(for: c.language), values: f.fields, status: e.status)
            }
        }
        group.get("documents/{id}/pdf") { _, c in
            let d = try await s.visibleDocument(id: try c.parameters.require("id", as: Int.self), user: c.user)
            let pdf = try await self.pdf(d, c.language)
            return Response(status: .ok, headers: [
                .contentType: "application/pdf", .cacheControl: "private, max-age=3600",
                .contentDisposition: "inline; filename=\"document-\(d.id)-\(c.language.rawValue).pdf\"",
            ], body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
        }
        // The QR code's address: anyone holding the paper can see it is the document on record.
        router.get("d/{id}/{digest}") { _, c in
            let d = try await s.checkDocument(id: try c.parameters.require("id", as: Int.self), digest: try c.parameters.require("digest"))
            let model = try view(d, c.language)
            return renderer.page("document-check", context: c, title: renderer.messages.text("doc.check_title", c.language), model)
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("documents/{id}") { _, c in
            JSONReply(try json(try await s.visibleDocument(id: try c.parameters.require("id", as: Int.self), user: c.user)))
        }
        signedIn.get("applications/{id}/documents") { _, c in
            JSONReply(try await s.caseDocuments(caseID: try c.parameters.require("id", as: Int.self), user: c.user).map(json))
        }
    }

    func documentPage(_ c: SignedInContext, id: Int, error: String? = nil, values: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let d = try await s.visibleDocument(id: id, user: c.user)
        var model = try view(d, c.language)
        if d.kind.givesRemedies {
            model.appeals = try await s.remedies(documentID: id, user: c.user).map {
                .init(kind: t("remedy.kind.\($0.kind)", c), body: $0.body, filed: $0.filedOn.description, outcome: t("remedy.outcome.\($0.outcome)", c),
                      decided: $0.decidedOn?.description ?? "", note: $0.note, undone: $0.undone)
            }
            model.canRecordAppeal = c.user.oversees(d.authority)
        }
        model.hasAppeals = !model.appeals.isEmpty
        model.error = error
        model.v = values
        return renderer.page("document", context: c.parent, title: "\(model.docTitle) \(d.number)", status: status, model)
    }

    struct DocumentJSON: Encodable, Sendable {
        var id: Int, number: String, kind: DocumentKind, issuedOn: CivilDate, authority: String, uscc: String
        var applicationId: Int?, licenseId: Int?, sha256: String, checkUrl: String, content: JSONValue
    }

    func json(_ d: OfficialDocument) throws -> DocumentJSON {
        DocumentJSON(id: d.id, number: d.number, kind: d.kind, issuedOn: d.issuedOn, authority: d.authority, uscc: d.uscc, applicationId: d.applicationId,
                     licenseId: d.licenseId, sha256: d.sha256, checkUrl: s.checkURL(d), content: try JSONValue.parse(Array(d.content.utf8)))
    }

    /// The PDF of a document in a language: printed once by Chromium, then kept beside the uploads.
    func pdf(_ d: OfficialDocument, _ language: Language) async throws -> Data {
        let name = "documents/\(d.sha256.prefix(2))/\(d.sha256)-\(language.rawValue).pdf"
        if let kept = try await blobs.read(name) { return kept }
        let html = renderer.standalone("document-print", language: language, try view(d, language))
        do {
            let pdf = try await printer.print(html: html)
            try await blobs.put(name, data: pdf)
            return pdf
        } catch PDFPrinter.Failure.unavailable {
            throw AppError(.document.pdfUnavailable)
        } catch PDFPrinter.Failure.busy {
            throw AppError(.document.pdfBusy)
        }
    }

    // MARK: The document as it reads

    struct Model: PageModel {
        struct Row: Encodable, Sendable { var label: String, value: String }
        var id: Int, number: String, docTitle: String, docLang: String, docLangCode: String
        var enterpriseName: String, uscc: String, authorityName: String, date: String
        var paragraphs: [String], items: [String], hasItems: Bool, table: [Row], hasTable: Bool
        var reasons: String?, remedies: String?, isCertificate: Bool
        var qr: String, checkURL: String, sha256: String, back: String
        struct RemedyRow: Encodable, Sendable { var kind: String, body: String, filed: String, outcome: String, decided: String, note: String, undone: String }
        var appeals: [RemedyRow] = [], hasAppeals = false, canRecordAppeal = false
        var error: String? = nil
        var v: [String: String] = [:]
    }

    func view(_ d: OfficialDocument, _ lang: Language) throws -> Model {
        let c = try s.content(d)
        func t(_ key: String, _ args: [String: String] = [:]) -> String { renderer.messages.text(key, lang, args) }
        let day = { (date: CivilDate?) -> String in
            guard let date else { return "—" }
            let (y, m, dd) = date.components
            return lang == .zh ? "\(y)年\(m)月\(dd)日" : date.description
        }
        let units = c.units.map { "\($0.no) \($0.name)" }.joined(separator: lang == .zh ? "、" : "; ")
        let args = ["submitted": day(c.submittedOn), "application": c.application ?? "—", "kind": c.applicationKind.map { t("kind.\($0)") } ?? "",
                    "units": units, "license": c.license ?? "—", "valid_until": day(c.validUntil), "days": c.decisionDays.map(String.init) ?? "—",
                    "measure": c.measure.map { t("doc.measure.\($0)") } ?? "", "request_by": day(c.requestBy)]
        var paragraphs = [t("doc.\(c.kind.rawValue).body", args)]
        if c.kind == .correctionNotice { paragraphs.append(t("doc.correction_notice.after")) }
        var table: [Model.Row] = []
        switch c.kind {
        case .certificate:
            table = [.init(label: t("doc.row.name"), value: c.enterpriseName), .init(label: t("doc.row.uscc"), value: c.uscc),
                     .init(label: t("doc.row.domicile"), value: c.domicile),
                     .init(label: t("doc.row.addresses"), value: c.addresses.joined(separator: "；")), .init(label: t("doc.row.units"), value: units),
                     .init(label: t("doc.row.license"), value: c.license ?? "—"), .init(label: t("doc.row.first_issued"), value: day(c.firstIssuedOn)),
                     .init(label: t("doc.row.issued"), value: day(c.date)), .init(label: t("doc.row.valid_until"), value: day(c.validUntil))]
            paragraphs = []
        case .acceptanceNotice, .grantDecision, .refusalDecision, .acceptanceRefusal:
            table = [.init(label: t("doc.row.application"), value: c.application ?? "—"), .init(label: t("doc.row.units"), value: units)]
        case .revocationDecision, .withdrawalDecision, .hearingNotice:
            table = [.init(label: t("doc.row.license"), value: c.license ?? "—"), .init(label: t("doc.row.units"), value: units)]
        case .correctionNotice:
            break
        }
        let url = s.checkURL(d)
        return Model(
            id: d.id, number: d.number, docTitle: c.kind.title.text(for: lang), docLang: lang == .zh ? "zh-CN" : "en", docLangCode: lang.rawValue,
            enterpriseName: c.enterpriseName, uscc: c.uscc, authorityName: c.authorityName, date: day(c.date),
            paragraphs: paragraphs, items: c.items, hasItems: !c.items.isEmpty, table: table, hasTable: !table.isEmpty,
            reasons: c.reasons, remedies: c.kind.givesRemedies
                ? t("doc.remedies", ["days": "\(DocumentKind.reconsiderationDays)", "months": "\(DocumentKind.litigationMonths)"]) : nil,
            isCertificate: c.kind == .certificate,
            qr: try QRCode.encode(Array(url.utf8), level: .M).svg(), checkURL: url, sha256: d.sha256,
            back: d.applicationId.map { "/applications/\($0)" } ?? d.licenseId.map { "/licenses/\($0)" } ?? "/")
    }
}
