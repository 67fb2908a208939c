import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import XukeTrust
import XukeQR

/// The public's pages: license query, a license's public certificate with its QR code, and verification.
struct TrustPages: PageRoutes {
    let s: TrustService
    let duties: DutiesService
    let limiter: RateLimiter
    let renderer: Renderer


    func register(_ router: Router<AppRequestContext>) {
        router.get("query") { request, c in
            let q = request.query("q") ?? "", unit = request.query("unit") ?? "", province = request.query("province") ?? ""
            var data = QueryPage(q: q, unit: unit, province: province)
            if !(q.isEmpty && unit.isEmpty && province.isEmpty) {
                do {
                    try limiter.check(c.clientAddress)
                    let rows = try await s.publicSearch(text: q, unit: unit.isEmpty ? nil : unit, province: province.isEmpty ? nil : province)
                    data.searched = true
                    data.rows = rows.map { l in
                        .init(id: l.id, number: l.number, holder: l.holder, uscc: l.uscc, validUntil: l.validUntil.description,
                              status: l.statusName.text(for: c.language),
                              units: l.units.map { .init(no: $0.no, name: c.language == .zh ? $0.nameZh : $0.nameEn) })
                    }
                } catch let e as AppError {
                    data.error = e.message.text(for: c.language)
                }
            }
            return renderer.page("query", context: c, title: t("query.title", c.language), data)
        }

        router.get("public/licenses/{id}") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            let (l, credential) = try await s.licenseWithCredential(id: id)
            let declared = try await duties.publicDeclarations(uscc: l.uscc)
            var data = certificate(l, today: s.clock.today, places: s.places, credential: credential)
            // The enterprise's own public statements (docs/DOMAIN.md §9), beside the license they concern.
            data.declared = .init(
                standards: declared.standards.map { .init(product: $0.product, standard: $0.standard, title: $0.title) },
                standardsVersion: declared.standardsVersion.map { "v\($0) · \(Timestamp.chinaDay(declared.standardsPublishedAt))" } ?? "",
                commitment: declared.commitment ?? "",
                commitmentVersion: declared.commitmentVersion.map { "v\($0) · \(Timestamp.chinaDay(declared.commitmentPublishedAt))" } ?? "",
                versions: declared.history.count)
            return renderer.page("certificate", context: c, title: l.number, data)
        }

        router.get("verify") { request, c in
            let jws = request.query("jws") ?? ""
            return try await verifyPage(c, jws: jws)
        }
        router.post("verify") { request, c in
            let f = try await Form(request, limit: 32 * 1024)
            return try await verifyPage(c, jws: f["jws"])
        }
    }

    func verifyPage(_ c: AppRequestContext, jws: String) async throws -> Response {
        var data = VerifyPage(jws: jws)
        if !jws.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try limiter.check(c.clientAddress)
            let r = try await s.verifyCredential(jws)
            data.result = .init(verdict: r.verdict.rawValue, code: r.code, reason: r.reason.text(for: c.language), license: r.license)
        }
        return renderer.page("verify", context: c, title: t("verify.title", c.language), data)
    }
}

struct QueryPage: PageModel {
    struct Unit: Encodable, Sendable { var no: String, name: String }
    struct Row: Encodable, Sendable { var id: Int, number: String, holder: String, uscc: String, validUntil: String, status: String, units: [Unit] }
    var q: String, unit: String, province: String
    var searched = false
    var rows: [Row] = []
    var error: String?
}

/// The verdict on a pasted credential, with the licence it claims when its signature holds.
struct VerifyPage: PageModel {
    struct Result: Encodable, Sendable {
        var verdict: String, code: String, reason: String
        var license: TrustService.VerifyResult.Claims?
    }
    var jws: String
    var result: Result?
}
