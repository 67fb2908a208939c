public import SQLKit
import Synchronization
import XukeDomain

extension SQLDatabase {
    /// Rows decoded into a `Decodable` whose properties are the columns in camelCase: one place for the
    /// snake_case mapping every store relies on.
    func rows<T: Decodable>(_ query: SQLQueryString, as type: T.Type) async throws -> [T] {
        try await raw(query).all(decoding: T.self, keyDecodingStrategy: RowCoding.decoding)
    }

    func row<T: Decodable>(_ query: SQLQueryString, as type: T.Type) async throws -> T? {
        try await raw(query).first(decoding: T.self, keyDecodingStrategy: RowCoding.decoding)
    }
}

/// How a store's row type meets its table: its camelCase properties name the snake_case columns, once, for SQLKit's
/// encoder (insert, update) and decoder (reads); a nil writes NULL, so an update clears what the record no longer has.
enum RowCoding {
    static let encoder = SQLQueryEncoder(keyEncodingStrategy: .custom(column), nilEncodingStrategy: .asNil)
    static let decoding = SQLRowDecoder.KeyDecodingStrategy.custom(column)
    static let decoder = SQLRowDecoder(keyDecodingStrategy: decoding)

    struct Column: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The column a property names (`commitmentSha256` → `commitment_sha256`), worked out once per name: SQLKit's
    /// own conversion runs on every value of every row, and costs more than reading the value.
    @Sendable static func column(_ path: [any CodingKey]) -> any CodingKey {
        let name = path.last?.stringValue ?? ""
        if let known = columns.withLock({ $0[name] }) { return known }
        let column = Column(stringValue: snakeCase(name))
        columns.withLock { $0[name] = column }
        return column
    }

    private static let columns = Mutex<[String: Column]>([:])

    /// SQLKit's conversion, for the ASCII names Swift properties have: a word starts at a capital, a run of capitals
    /// is one word but for a last one that starts the next, and each word's first letter is lower-cased
    /// (`commitmentSha256` → `commitment_sha256`; SQLKit's `userID` → `user_iD` too, hence no acronyms in row types).
    static func snakeCase(_ name: String) -> String {
        let chars = Array(name.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(chars.count + 4)
        func isUpper(_ i: Int) -> Bool { i < chars.count && chars[i] >= 65 && chars[i] <= 90 }
        func isLower(_ i: Int) -> Bool { i < chars.count && chars[i] >= 97 && chars[i] <= 122 }
        for i in chars.indices {
            let starts = i == 0 || (isUpper(i) && (!isUpper(i - 1) || isLower(i + 1)))
            if i > 0 && starts { out.append(95) }
            out.append(starts && isUpper(i) ? chars[i] + 32 : chars[i])
        }
        return String(decoding: out, as: UTF8.self)
    }
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
        try row.decode(model: Identified.self, with: RowCoding.decoder)
    }
}

/// A row that belongs to another: the owner's id (and, for an ordered list, the place in it from 1) beside the
/// row type's columns.
struct Owned<Columns: Encodable>: Encodable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    var ownerColumn: String
    var ownerID: Int
    var position: Int?
    var columns: Columns

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(ownerID, forKey: Key(stringValue: ownerColumn))
        if let position { try c.encode(position, forKey: Key(stringValue: "position")) }
        try columns.encode(to: encoder)
    }
}

extension SQLDatabase {
    /// Replaces the rows of `table` owned through `column` by `id` with `rows`; `ordered` numbers them from 1 in
    /// the list's order.
    func replaceOwned(_ table: String, _ column: String, _ id: Int, _ rows: [some Encodable], ordered: Bool) async throws {
        try await delete(from: table).where(SQLIdentifier(column), .equal, SQLBind(id)).run()
        try await insertOwned(table, column, id, rows, ordered: ordered)
    }

    /// Adds rows to `table` owned through `column` by `id`; `ordered` numbers them on from `after`.
    func insertOwned(_ table: String, _ column: String, _ id: Int, _ rows: [some Encodable], ordered: Bool, after: Int = 0) async throws {
        try await insertRows(into: table, rows.enumerated().map {
            Owned(ownerColumn: column, ownerID: id, position: ordered ? after + $0.offset + 1 : nil, columns: $0.element)
        })
    }

    /// Inserts rows of one type, a few hundred per statement: each binds every column of every row, and both
    /// databases cap the binds one statement may hold.
    func insertRows(into table: String, _ rows: [some Encodable]) async throws {
        var start = 0
        while start < rows.count {
            let end = min(start + 200, rows.count)
            try await insert(into: table).models(Array(rows[start..<end]), with: RowCoding.encoder).run()
            start = end
        }
    }
}

/// Two row types side by side in one row: a join read as the two things it joins, or a child row written with
/// its owner's key columns.
struct Pair<First, Second> {
    var first: First
    var second: Second
}

extension Pair: Decodable where First: Decodable, Second: Decodable {
    init(from decoder: any Decoder) throws {
        first = try First(from: decoder)
        second = try Second(from: decoder)
    }
}

extension Pair: Encodable where First: Encodable, Second: Encodable {
    func encode(to encoder: any Encoder) throws {
        try first.encode(to: encoder)
        try second.encode(to: encoder)
    }
}

/// Asks a query over many keys a few hundred at a time (both databases cap the binds of one statement): `query`
/// gets each batch as a list of binds to put inside `IN (…)`.
func inBatches<Row>(_ keys: [String], size: Int = 400, _ query: (SQLQueryString) async throws -> [Row]) async throws -> [Row] {
    var out: [Row] = []
    for start in stride(from: 0, to: keys.count, by: size) {
        out += try await query(keys[start..<min(start + size, keys.count)].map { SQLQueryString("\(bind: $0)") }.joined(separator: ", "))
    }
    return out
}
