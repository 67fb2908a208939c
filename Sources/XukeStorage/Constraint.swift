public import XukeDomain
import SQLiteNIO
import PostgresNIO
import AsyncKit
import NIOCore
import NIOPosix

/// A database constraint a request broke: a reference to something that does not exist, a second row where one
/// is allowed, or a value a check refuses. These are the client's mistakes (a 4xx), whichever database said so.
public enum ConstraintViolation: Sendable {
    case foreignKey
    case unique
    case check

    public var code: ErrorCode {
        switch self {
        case .foreignKey: .db.reference
        case .unique: .db.duplicate
        case .check: .db.invalidValue
        }
    }

    public static func classify(_ error: any Error) -> ConstraintViolation? {
        if let e = error as? SQLiteError {
            // Without extended result codes SQLite says which constraint in the message.
            let text = e.message.uppercased()
            guard e.reason == .constraint || text.contains("CONSTRAINT FAILED") else { return nil }
            // A missing required value is the server's own mistake, never the client's.
            if text.contains("NOT NULL") { return nil }
            if text.contains("FOREIGN KEY") { return .foreignKey }
            if text.contains("UNIQUE") || text.contains("PRIMARY KEY") { return .unique }
            return .check
        }
        if let e = error as? PSQLError, let state = e.serverInfo?[.sqlState] {
            switch state {
            case "23503": return .foreignKey
            case "23505": return .unique
            case "23514", "23P01": return .check
            // Class 22, data exceptions: a value the column cannot hold (a NUL character in text, a number out of range).
            case let s where s.hasPrefix("22"): return .check
            default: return nil
            }
        }
        return nil
    }
}

/// The database cannot be reached or is not accepting work (stopped, restarting, out of connections): the answer
/// is 503 with Retry-After, and the server keeps going; the pool opens new connections once the database is back.
public enum DatabaseUnavailable {
    public static func matches(_ error: any Error) -> Bool {
        if let e = error as? PSQLError {
            if [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed].contains(e.code) { return true }
            // Class 08 (connection exception) and 57P (operator intervention: shutting down, starting up).
            if let state = e.serverInfo?[.sqlState], state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" { return true }
            return false
        }
        if error is ConnectionPoolTimeoutError || error is ConnectionLost || error is LeaseTimeout { return true }
        if let e = error as? ConnectionPoolError, case .shutdown = e { return true }
        if error is ChannelError || error is NIOConnectionError { return true }
        if let e = error as? SQLiteError, e.reason == .busy || e.reason == .locked { return true }
        return false
    }
}
