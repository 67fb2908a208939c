public import SQLKit
public import XukeDomain

/// An official document as issued: what it says (`content`, the JSON it is rendered from) and that text's SHA-256.
public struct OfficialDocument: Sendable, Codable, Equatable {
    public var id: Int
    public var number: String
    public var kind: DocumentKind
    public var applicationId: Int?
    public var licenseId: Int?
    public var uscc: String
    public var authority: String
    public var issuedOn: CivilDate
    public var content: String
    public var sha256: String
    public var actor: String
    public var createdAt: String

    public init(number: String, kind: DocumentKind, applicationId: Int?, licenseId: Int?, uscc: String, authority: String, issuedOn: CivilDate,
                content: String, sha256: String, actor: String, at: String) {
        (self.id, self.number, self.kind, self.applicationId, self.licenseId) = (0, number, kind, applicationId, licenseId)
        (self.uscc, self.authority, self.issuedOn, self.content, self.sha256, self.actor, self.createdAt) = (uscc, authority, issuedOn, content, sha256, actor, at)
    }
}

public enum DocumentStore {
    struct Row: Codable {
        var number: String
        var kind: DocumentKind
        var applicationId: Int?
        var licenseId: Int?
        var uscc: String
        var authority: String
        var issuedOn: CivilDate
        var content: String
        var sha256: String
        var actor: String
        var createdAt: String

        func document(id: Int) -> OfficialDocument {
            var d = OfficialDocument(number: number, kind: kind, applicationId: applicationId, licenseId: licenseId, uscc: uscc, authority: authority,
                                     issuedOn: issuedOn, content: content, sha256: sha256, actor: actor, at: createdAt)
            d.id = id
            return d
        }
    }

    public static func insert(_ sql: any SQLDatabase, _ d: OfficialDocument) async throws -> OfficialDocument {
        var d = d
        d.id = try await sql.insertRow(into: "documents", Row(number: d.number, kind: d.kind, applicationId: d.applicationId, licenseId: d.licenseId,
                                                             uscc: d.uscc, authority: d.authority, issuedOn: d.issuedOn, content: d.content,
                                                             sha256: d.sha256, actor: d.actor, createdAt: d.createdAt))
        return d
    }

    public static func get(_ sql: any SQLDatabase, id: Int) async throws -> OfficialDocument? {
        try await sql.row("SELECT * FROM documents WHERE id = \(bind: id)", as: Identified<Row>.self).map { $0.columns.document(id: $0.id) }
    }

    /// A case's documents, or a licence's, in the order they were issued.
    public static func list(_ sql: any SQLDatabase, applicationID: Int? = nil, licenseID: Int? = nil) async throws -> [OfficialDocument] {
        let filter: SQLQueryString = applicationID.map { "application_id = \(bind: $0)" } ?? "license_id = \(bind: licenseID ?? -1)"
        return try await sql.rows("SELECT * FROM documents WHERE \(filter) ORDER BY id", as: Identified<Row>.self).map { $0.columns.document(id: $0.id) }
    }
}
