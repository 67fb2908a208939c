import SQLKit

/// Which records a caller may see. Every query over jurisdiction-bound rows takes one, so the
/// restriction is applied in SQL and no route can forget it.
public enum Visibility: Sendable, Equatable {
    case everything
    /// Records whose division code starts with this prefix (a province, prefecture or county).
    case divisions(prefix: String)
    /// One enterprise's own records.
    case enterprise(uscc: String)
    case nothing
}

/// Division codes starting with `prefix`, as a range an index can serve (SQLite cannot use one for LIKE 'p%').
/// Codes are digits, and ':' follows '9'.
func divisionPrefix(_ column: String, _ prefix: String) -> SQLQueryString {
    "\(unsafeRaw: column) >= \(bind: prefix) AND \(unsafeRaw: column) < \(bind: prefix + ":")"
}

/// `1,2,3` for an `IN (…)` list; integers need no binding, and a long list of binds would hit driver limits.
func integerList(_ values: [Int]) -> SQLQueryString {
    SQLQueryString(values.map(String.init).joined(separator: ","))
}
