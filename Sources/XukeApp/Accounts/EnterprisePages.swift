import Hummingbird
import XukeDomain
import XukeStorage
import Foundation

struct EnterprisePages: PageRoutes {
    let s: AccountService
    let renderer: Renderer


    func divisionName(_ code: String) -> String {
        guard let d = s.division(code) else { return code }
        var names = [d.nameZh]
        var parent = d.parentCode
        while let p = parent, let pd = s.division(p) {
            names.insert(pd.nameZh, at: 0)
            parent = pd.parentCode
        }
        return names.joined(separator: " ")
    }

    static let addressSlots = 3

    func register(_ router: Router<AppRequestContext>) {
        let group = router.group(context: SignedInContext.self)
        group.get("enterprises") { request, c in
            let q = String((request.query("q") ?? "").prefix(100))
            let page = try request.intQuery("page", range: 1...10_000) ?? 1
            let rows = try await s.enterprises(matching: q, for: c.user, limit: 51, offset: (page - 1) * 50)
            return renderer.page("enterprises", context: c.parent, title: t("enterprises.title", c), EnterprisesPage(
                q: q, results: rows.prefix(50).map { .init(uscc: $0.uscc, name: $0.name, division: divisionName($0.divisionCode)) },
                none: rows.isEmpty, canRegister: c.user.role == .administrator || c.user.role == .officer,
                next: rows.count > 50 ? "/enterprises?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&page=\(page + 1)" : ""))
        }
        ImportPages(renderer: renderer, path: "enterprises/import", kind: "enterprise_import", columns: AccountService.enterpriseColumns) { data, dryRun, c in
            let r = try await s.importEnterprises(data, dryRun: dryRun, by: c.user)
            return (["rows": "\(r.rows)", "encoding": r.encoding.rawValue], [])
        }.register(group)
        group.get("enterprises/new") { request, c in
            try requireStaff(c)
            // A registration waiting for an enterprise not yet in the register links here with what the applicant gave.
            let given = ["uscc", "name", "legal_representative"].compactMap { key in request.query(key).map { (key, String($0.prefix(100))) } }
            return form(c, values: Dictionary(uniqueKeysWithValues: given), error: nil)
        }
        group.post("enterprises") { request, c in
            try requireStaff(c)
            let f = try await Form(request, limit: 64 * 1024)
            var addresses: [ProductionAddress] = []
            for i in 1...EnterprisePages.addressSlots where !f["address_\(i)"].isEmpty || !f["address_division_\(i)"].isEmpty {
                addresses.append(ProductionAddress(address: f["address_\(i)"], divisionCode: f["address_division_\(i)"]))
            }
            let input = AccountService.EnterpriseInput(uscc: f["uscc"], name: f["name"], domicile: f["domicile"], divisionCode: f["division_code"],
                                                    legalRepresentative: f["legal_representative"], contactName: f["contact_name"],
                                                    contactPhone: f["contact_phone"], productionAddresses: addresses)
            do {
                let e = try await s.registerEnterprise(input, by: c.user)
                return redirect("/enterprises/\(e.uscc)")
            } catch {
                // Show the form again with everything the officer typed, and what is wrong.
                guard let e = AppError.from(error), e.status.code < 500 else { throw error }
                return form(c, values: f.fields, error: e.message.text(for: c.language), status: e.status)
            }
        }
        group.get("enterprises/{uscc}") { _, c in
            let uscc = try c.parameters.require("uscc")
            let e = try await s.enterprise(uscc, for: c.user)
            let (events, actors) = try await s.enterpriseHistory(uscc)
            return renderer.page("enterprise", context: c.parent, title: e.name, EnterprisePage(
                uscc: e.uscc.value, name: e.name, domicile: e.domicile, division: divisionName(e.divisionCode),
                divisionCode: e.divisionCode, legalRepresentative: e.legalRepresentative,
                contactName: e.contactName.isEmpty ? "—" : e.contactName, contactPhone: e.contactPhone.isEmpty ? "—" : e.contactPhone,
                addresses: e.productionAddresses.map { .init(address: $0.address, division: divisionName($0.divisionCode)) },
                noAddresses: e.productionAddresses.isEmpty, bodyCheckWarning: !e.uscc.bodyCodeCheckPasses,
                events: events.map { .init(type: t("event.\($0.type)", c), at: Timestamp.chinaMinute($0.at), actor: actors[$0.actor] ?? $0.actor) }))
        }
    }

    func requireStaff(_ c: SignedInContext) throws {
        try c.require(.administrator, .officer)
    }

    func form(_ c: SignedInContext, values: [String: String], error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let slots = (1...EnterprisePages.addressSlots).map { i in
            EnterpriseFormPage.Slot(i: i, address: values["address_\(i)"] ?? "", division: values["address_division_\(i)"] ?? "")
        }
        return renderer.page("enterprise_form", context: c.parent, title: t("enterprise_form.title", c), status: status,
                             EnterpriseFormPage(v: values, error: error, slots: slots,
                                                jurisdiction: c.user.jurisdiction.map(divisionName) ?? t("jurisdiction.national", c)))
    }
}

struct EnterprisesPage: PageModel {
    struct Result: Encodable, Sendable { var uscc: String, name: String, division: String }
    var q: String, results: [Result], none: Bool, canRegister: Bool, next: String
}

struct EnterprisePage: PageModel {
    struct Address: Encodable, Sendable { var address: String, division: String }
    var uscc: String, name: String, domicile: String, division: String, divisionCode: String, legalRepresentative: String
    var contactName: String, contactPhone: String
    var addresses: [Address], noAddresses: Bool, bodyCheckWarning: Bool
    var events: [HistoryEntry]
}

/// The form as typed (`v`), so a refused form comes back with everything in it.
struct EnterpriseFormPage: PageModel {
    struct Slot: Encodable, Sendable { var i: Int, address: String, division: String }
    var v: [String: String]
    var error: String?
    var slots: [Slot]
    var jurisdiction: String
}

