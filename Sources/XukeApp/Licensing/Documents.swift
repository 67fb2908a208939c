import Foundation
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

/// What an official document says, as issued: stored as canonical JSON beside its SHA-256 and rendered from it, so
/// the page, the print, the PDF and the public check all show the same thing.
struct DocumentContent: Codable, Sendable, Equatable {
    struct Unit: Codable, Sendable, Equatable { var no: String; var name: String }
    var kind: DocumentKind
    var number: String
    var date: CivilDate
    var authority: String
    var authorityName: String
    var uscc: String
    var enterpriseName: String
    var domicile: String
    var application: String?
    var applicationKind: String?
    var submittedOn: CivilDate?
    var units: [Unit] = []
    /// What a correction notice asks for, all at once.
    var items: [String] = []
    /// Why, for a refusal or a revocation.
    var reasons: String?
    var license: String?
    var firstIssuedOn: CivilDate?
    var validUntil: CivilDate?
    var addresses: [String] = []
    /// Working days the authority takes from acceptance (a notice of acceptance says when to expect the decision).
    var decisionDays: Int?
    /// A hearing notice: the measure intended (`revocation`, `withdrawal`) and the last day to ask for a hearing.
    var measure: String?
    var requestBy: CivilDate?
    /// The licence's version the document speaks of (a revocation: the version that ended it).
    var licenseVersion: Int?

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()
}

extension LicensingService {
    /// The short name documents of an authority are numbered under: 国 for national, the province's abbreviation, or
    /// that and the division's own name below a province (`粤深圳`).
    func documentIssuer(_ authority: String) -> String {
        guard let abbr = provinceAbbreviation(authority: authority) else { return "国" }
        guard !authority.hasSuffix("0000"), let d = division(authority) else { return abbr }
        return abbr + (d.nameZh.hasSuffix("市") ? String(d.nameZh.dropLast()) : d.nameZh)
    }

    /// Issues a document in the caller's transaction: numbered in its authority's sequence for the kind and year,
    /// stored with the SHA-256 of exactly what it says.
    @discardableResult
    func issueDocument(_ sql: any SQLDatabase, _ kind: DocumentKind, authority: String, uscc: String, application: CaseRecord?, license: LicenseRecord?,
                       reasons: String? = nil, items: [String] = [], measure: String? = nil, requestBy: CivilDate? = nil,
                       actor: User?) async throws -> OfficialDocument {
        let today = clock.today
        let prefix = DocumentKind.number(authorityShort: documentIssuer(authority), kind: kind, year: today.year, serial: 0).dropLast(6)
        let number = DocumentKind.number(authorityShort: documentIssuer(authority), kind: kind, year: today.year,
                                         serial: try await SettingsStore.nextSerial(sql, "document:\(prefix)"))
        let e = try await EnterpriseStore.get(sql, uscc: uscc, visibility: .everything)
        var content = DocumentContent(kind: kind, number: number, date: today, authority: authority, authorityName: authorityName(authority),
                                      uscc: uscc, enterpriseName: license?.name ?? e?.name ?? uscc, domicile: license?.domicile ?? e?.domicile ?? "",
                                      items: items, reasons: reasons, measure: measure, requestBy: requestBy)
        if let c = application {
            content.application = c.number
            content.applicationKind = c.kind.rawValue
            content.submittedOn = c.submittedOn
            content.units = c.units.map { .init(no: $0.unitNo, name: $0.nameZh) }
            if kind == .acceptanceNotice { content.decisionDays = try await rules(sql, authority: c.authority).decisionDays }
        }
        if let l = license {
            content.license = l.number
            content.licenseVersion = l.version
            content.firstIssuedOn = l.firstIssuedOn
            content.validUntil = l.validUntil
            content.addresses = l.addresses.map(\.address)
            content.units = l.units.map { .init(no: $0.unitNo, name: $0.nameZh) }
        }
        let text = String(decoding: try DocumentContent.encoder.encode(content), as: UTF8.self)
        return try await DocumentStore.insert(sql, OfficialDocument(
            number: number, kind: kind, applicationId: application?.id, licenseId: license?.id, uscc: uscc, authority: authority, issuedOn: today,
            content: text, sha256: sha256Hex(Data(text.utf8)), actor: actor?.actor ?? "system", at: clock.stamp))
    }

    /// The document a case step gives, if the law gives it one.
    func documentFor(_ command: CaseCommand) -> DocumentKind? {
        switch command {
        case .accept: .acceptanceNotice
        case .requestCorrection: .correctionNotice
        case .refuseAcceptance: .acceptanceRefusal
        case .refuse: .refusalDecision
        case .approve: .grantDecision
        default: nil
        }
    }

    // MARK: Reading

    /// Who may read a document: the enterprise it is addressed to, the officers over its authority, and administrators.
    func visibleDocument(id: Int, user: User) async throws -> OfficialDocument {
        guard let d = try await db.read({ try await DocumentStore.get($0, id: id) }), mayRead(d, user) else { throw AppError(.document.notFound) }
        return d
    }

    func caseDocuments(caseID: Int, user: User) async throws -> [OfficialDocument] {
        _ = try await db.read { try await CaseStore.visible($0, id: caseID, scope: caseScope(user)) }.orNotFound("application \(caseID)")
        return try await db.read { try await DocumentStore.list($0, applicationID: caseID) }.filter { mayRead($0, user) }
    }

    /// The one rule of who reads a document: the enterprise it is addressed to, the officers over its authority, and
    /// administrators (a case's verifiers see the case, not its decisions).
    func mayRead(_ d: OfficialDocument, _ user: User) -> Bool {
        user.role == .administrator || (user.role == .enterprise && user.enterpriseUSCC == d.uscc) || user.oversees(d.authority)
    }

    /// The public check a document's QR code leads to: the document, if the digest printed with it is its own.
    func checkDocument(id: Int, digest: String) async throws -> OfficialDocument {
        guard digest.count == 16, digest.allSatisfy(\.isHexDigit),
              let d = try await db.read({ try await DocumentStore.get($0, id: id) }), d.sha256.hasPrefix(digest.lowercased())
        else { throw AppError(.document.notGenuine) }
        return d
    }

    /// Where a document's QR code points: its public check, with the first 64 bits of its digest.
    func checkURL(_ d: OfficialDocument) -> String { "\(config.effectivePublicURL)/d/\(d.id)/\(d.sha256.prefix(16))" }

    func content(_ d: OfficialDocument) throws -> DocumentContent {
        guard sha256Hex(Data(d.content.utf8)) == d.sha256, let c = try? DocumentContent.decoder.decode(DocumentContent.self, from: Data(d.content.utf8)) else {
            throw AppError(.document.damaged, ["number": d.number])
        }
        return c
    }
}
