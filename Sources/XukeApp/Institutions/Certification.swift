import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage

/// Compulsory certification (docs/DOMAIN.md §11): the certification bodies and the certificates they report for the
/// products that moved from licensing to CCC, imported as CSV (every row checked, nothing written unless all pass)
/// and open to public query.
extension InstitutionsService {
    struct CertBodyInput: Decodable, Sendable {
        var name: String
        var uscc: String
        /// The CNCA designation, e.g. CNCA-R-2002-001.
        var approvalNumber: String
    }

    func registerCertBody(_ input: CertBodyInput, by user: User) async throws -> CertBody {
        try user.requireNationalRegistrar()
        let name = clipped(input.name, max: 200), approval = clipped(input.approvalNumber, max: 40).uppercased()
        guard !name.isEmpty, approval.wholeMatch(of: /CNCA-[A-Z]-[0-9]{4}-[0-9]{3}/) != nil else {
            throw AppError(.certBody.invalid)
        }
        _ = try USCC(input.uscc)
        return try await db.write { sql in
            guard let body = try await CCCStore.insertBody(sql, name: name, uscc: input.uscc, approvalNumber: approval, by: user.actor, at: clock.stamp) else {
                throw AppError(.certBody.taken, ["approval": "\(approval)"])
            }
            try await Events.append(sql, type: .certBodyRegistered, subject: "cert_body/\(body.code ?? "")", actor: user.actor, at: clock.stamp, payload: body)
            return body
        }
    }

    struct ImportSummary: Encodable, Sendable {
        var imported: Int
        var total: Int
    }

    /// Imports a certificate CSV in one transaction: every row is checked first, and one bad row refuses the file.
    func importCertificates(_ csv: String, by user: User) async throws -> ImportSummary {
        try user.requireNationalRegistrar()
        // Checked before the write transaction opens, so a large file does not hold the write lock while it is read.
        let (products, bodies) = try await db.read { sql in
            (Set(try await CatalogStore.cccTransfers(sql).map(\.productZh)), Set(try await CCCStore.bodies(sql).compactMap(\.code)))
        }
        let certificates = try CCCCertificate.importCSV(csv, products: products, bodies: bodies)
        return try await db.write { sql in
            try await CCCStore.upsert(sql, certificates, at: clock.stamp)
            try await Events.append(sql, type: .cccImported, subject: "ccc/import", actor: user.actor, at: clock.stamp,
                                    payload: RowCount(rows: certificates.count))
            return ImportSummary(imported: certificates.count, total: try await CCCStore.count(sql))
        }
    }
}
