public import SQLKit
public import XukeDomain
import Foundation

/// JSON kept in columns: sorted keys, snake_case, read back by `decode`; and the small readers every store uses.
public enum StoredJSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    /// Stored JSON: sorted keys, snake_case; read back by `decode`.
    public static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String, _ what: String) throws -> T {
        do { return try decoder.decode(type, from: Data(text.utf8)) } catch { throw StorageError.corruptRow(what) }
    }

}

extension Optional {
    public func orThrow(_ what: String) throws -> Wrapped {
        guard let self else { throw StorageError.corruptRow(what) }
        return self
    }
}
