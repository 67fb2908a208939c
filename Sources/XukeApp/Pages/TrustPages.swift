import Foundation
import Hummingbird
import XukeDomain
import XukeStorage
import XukeTrust
import XukeQR

/// The public's pages: license query, a license's public certificate with its QR code, and verification.
struct TrustPages {
    let s: AppServices

    func t(_ key: String, _ lang: Language) -> String { s.messages.text(key, lang) }

    func register(_ router: Router<AppRequestContext>) {
        router.get("query") { request, c in
            let q = request.query("q") ?? "", unit = request.query("unit") ?? "", province = request.query("province") ?? ""
            var data: [String: Any] = ["q": q, "unit": unit, "province": province]
            if !(q.isEmpty && unit.isEmpty && province.isEmpty) {
                do {
                    try s.publicLimiter.check(c.clientAddress)
                    let rows = try await s.publicSearch(text: q, unit: unit.isEmpty ? nil : unit, province: province.isEmpty ? nil : province)
                    data["searched"] = true
                    data["rows"] = rows.map { l in
                        ["id": l.id, "number": l.number, "holder": l.holder, "uscc": l.uscc, "validUntil": l.validUntil.description,
                         "status": l.statusName.text(for: c.language),
                         "units": l.units.map { ["no": $0.no, "name": c.language == .zh ? $0.nameZh : $0.nameEn] }] as [String: Any]
                    }
                } catch let e as AppError {
                    data["error"] = e.message.text(for: c.language)
                }
            }
            return s.renderer.page("query", context: c, title: t("query.title", c.language), data)
        }

        router.get("public/licenses/{id}") { _, c in
            let id = try c.parameters.require("id", as: Int.self)
            guard let l = try await s.db.read({ try await LicensingStore.license($0, id: id) }) else { throw AppError.notFound("license \(id)") }
            var data = LicensingPages(s).certificate(l, c.language)
            data["credential"] = try await credentialBlock(l)
            return s.renderer.page("certificate", context: c, title: l.number, data)
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

    /// The QR code and links a certificate page shows, when the license holds a credential.
    func credentialBlock(_ l: LicenseRecord) async throws -> [String: Any]? {
        guard let v = try await s.db.read({ try await s.credentialView($0, l) }) else { return nil }
        return ["jws": v.jws, "svg": try s.qrCode(v.jws).svg(), "logIndex": v.logIndex as Any, "id": l.id]
    }

    func verifyPage(_ c: AppRequestContext, jws: String) async throws -> Response {
        var data: [String: Any] = ["jws": jws]
        if !jws.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try s.publicLimiter.check(c.clientAddress)
            let r = try await s.verifyCredential(jws)
            var result: [String: Any] = ["verdict": r.verdict.rawValue, "code": r.code, "reason": r.reason.text(for: c.language)]
            if let l = r.license {
                result["license"] = ["number": l.number, "version": l.version, "holder": l.holder, "uscc": l.uscc, "validUntil": l.validUntil,
                                     "authority": l.authority, "units": l.units.map { ["no": $0.no, "name": $0.name] }] as [String: Any]
            }
            data["result"] = result
        }
        return s.renderer.page("verify", context: c, title: t("verify.title", c.language), data)
    }
}
