import SQLKit
import XukeDomain

/// The SQL condition for a visibility (XukeDomain's `Visibility`), over the columns that hold a row's division
/// and its enterprise: the same rows `Visibility.admits` admits, which `VisibilityTests` checks on both databases' SQL.
func visibilityClause(_ v: Visibility, division: String, uscc: String) -> SQLQueryString {
    switch v {
    case .everything: "1 = 1"
    case .divisions(let prefix): divisionPrefix(division, prefix)
    case .enterprise(let u): "\(unsafeRaw: uscc) = \(bind: u)"
    case .nothing: "1 = 0"
    }
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
