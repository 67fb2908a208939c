/// RFC 4180 CSV reading and writing, enough for the reference data and Excel round trips.
public enum CSV {
    /// A parsed record with the 1-based line number it started on, so errors can point at it.
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    public struct SyntaxError: Error, Sendable, Equatable {
        public var line: Int
    }

    /// Parses text (a leading UTF-8 BOM is dropped). Empty lines are skipped.
    public static func parse(_ text: String) throws(SyntaxError) -> [Record] {
        var records: [Record] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        var chars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        if let first = chars.next(), first != "\u{FEFF}" { pending = first }

        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty else { throw SyntaxError(line: line) }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                endRecord(); line += 1; recordLine = line
            case "\n":
                endRecord(); line += 1; recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw SyntaxError(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// Writes rows with CRLF line ends; `bom` prefixes a UTF-8 BOM so Excel reads Chinese correctly.
    public static func write(_ rows: [[String]], bom: Bool) -> String {
        var out = bom ? "\u{FEFF}" : ""
        for row in rows {
            out += row.map(quote).joined(separator: ",")
            out += "\r\n"
        }
        return out
    }

    /// Quotes a cell when its bytes need it (compared as bytes: "\r\n" or a comma followed by a combining mark are
    /// single Characters, and would slip past a Character test). A cell a spreadsheet would run as a formula
    /// (starting with = + - @, or a tab or carriage return before one) is written as text by a leading apostrophe,
    /// the neutralisation OWASP recommends; a plain number such as -5 or +86 stays a number.
    static func quote(_ field: String) -> String {
        let field = neutralised(field)
        let bytes = field.utf8
        // A leading U+FEFF would read back as the file's byte-order mark and vanish: quoted, it stays.
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) || field.unicodeScalars.first == "\u{FEFF}" else {
            return field
        }
        var quoted = "\""
        for scalar in field.unicodeScalars {
            quoted.unicodeScalars.append(scalar)
            if scalar == "\"" { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }

    public static func neutralised(_ field: String) -> String {
        guard let first = field.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13].contains(first) else {
            return field
        }
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-"), Double(field) != nil, !field.lowercased().contains("e"), !field.lowercased().contains("n") {
            return field
        }
        return "'" + field
    }
}
