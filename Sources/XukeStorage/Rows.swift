public import SQLKit

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
