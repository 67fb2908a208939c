import SQLKit
import Testing
@testable import XukeStorage

/// The cached column names agree with SQLKit's own camelCase-to-snake_case conversion.
@Suite struct RowCodingTests {
    struct Named: Encodable {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        let names: [String]
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for n in names { try c.encode(1, forKey: Key(stringValue: n)) }
        }
    }

    @Test func columnNamesAreSQLKitsSnakeCase() throws {
        let names = ["id", "commitmentSha256", "sha256", "isOpen", "enterpriseUscc", "licenseId", "userIDCode", "userID",
                     "sha256Hex", "applicationsFrom", "a", "x1Y2", "verificationNeed", "publishDue", "application_id"]
        let sqlkit = try SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase).encode(Named(names: names)).map(\.0)
        #expect(names.map(RowCoding.snakeCase) == sqlkit)
        let ours = try RowCoding.encoder.encode(Named(names: names)).map(\.0)
        #expect(ours == sqlkit, "the encoder names the same columns, cached or not")
    }
}
