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
