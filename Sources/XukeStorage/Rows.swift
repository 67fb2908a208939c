public import SQLKit
import XukeDomain

extension SQLDatabase {
    /// Rows decoded into a `Decodable` whose properties are the columns in camelCase: one place for the
    /// snake_case mapping every store relies on.
    func rows<T: Decodable>(_ query: SQLQueryString, as type: T.Type) async throws -> [T] {
        try await raw(query).all(decoding: T.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    func row<T: Decodable>(_ query: SQLQueryString, as type: T.Type) async throws -> T? {
        try await raw(query).first(decoding: T.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}

/// How a store's row type meets its table: its camelCase properties name the snake_case columns, once, for SQLKit's
/// encoder (insert, update) and decoder (reads); a nil writes NULL, so an update clears what the record no longer has.
enum RowCoding {
    static let encoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)
}

extension SQLDatabase {
    /// Inserts a row type's columns and answers the new row's id.
    func insertRow(into table: String, _ row: some Encodable) async throws -> Int {
        let inserted = try await insert(into: table).model(row, with: RowCoding.encoder).returning("id").first()
        guard let id = try inserted?.decode(column: "id", as: Int.self) else { throw StorageError.corruptRow("\(table).id") }
        return id
    }

    /// Writes a row type's columns over row `id` if its `version` is still `expected`: false when someone changed
    /// the row first.
    func updateRow(_ table: String, _ row: some Encodable & Sendable, id: Int, expected version: Int) async throws -> Bool {
        try await updateRow(table, row) { $0.where("id", .equal, id).where("version", .equal, version) }
    }

    /// Writes a row type's columns over the rows `filter` picks; false when it picked none. Only a constant comes
    /// back, not the row: the caller has it already.
    func updateRow(_ table: String, _ row: some Encodable & Sendable, filter: (SQLUpdateBuilder) -> SQLUpdateBuilder) async throws -> Bool {
        let update = try self.update(table).set(model: row, with: RowCoding.encoder)
        return try await filter(update).returning(SQLLiteral.numeric("1")).first() != nil
    }
}

/// A row as read: the database's id beside the row type's columns.
struct Identified<Columns: Decodable>: Decodable {
    enum Keys: String, CodingKey { case id }
    var id: Int
    var columns: Columns

    init(from decoder: any Decoder) throws {
        id = try decoder.container(keyedBy: Keys.self).decode(Int.self, forKey: .id)
        columns = try Columns(from: decoder)
    }

    static func of(_ row: any SQLRow) throws -> Identified {
        try row.decode(model: Identified.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}

extension SQLRow {
    /// A stored day ("yyyy-MM-dd" text); anything else in the column is a corrupt row.
    func day(_ column: String) throws -> CivilDate {
        let text = try decode(column: column, as: String.self)
        guard let day = CivilDate(text) else { throw StorageError.corruptRow("\(column): \(text.prefix(20))") }
        return day
    }

    /// A stored day that may be absent (NULL, or the empty text older rows hold).
    func dayIfPresent(_ column: String) throws -> CivilDate? {
        guard let text = try decode(column: column, as: String?.self), !text.isEmpty else { return nil }
        guard let day = CivilDate(text) else { throw StorageError.corruptRow("\(column): \(text.prefix(20))") }
        return day
    }
}
