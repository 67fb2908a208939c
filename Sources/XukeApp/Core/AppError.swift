public import Hummingbird
public import XukeDomain
import XukeStorage

/// An error as the caller is told it: a code from the catalog (which fixes the HTTP status), the values its
/// sentence names, and for refused imports and forms the problems found. The sentence itself comes from the
/// message catalog in the caller's language.
public struct AppError: Error, Sendable {
    /// The code and the values its sentence names.
    public var error: DomainError
    public var problems: [ImportError.Problem] = []
    public var headers: HTTPFields = [:]

    public init(_ error: DomainError) { self.error = error }

    public init(_ code: ErrorCode, _ args: [String: String] = [:]) { self.init(DomainError(code, args)) }

    public init(_ code: ErrorCode, localized args: [String: LocalizedText]) { self.init(DomainError(code, localized: args)) }

    public var code: ErrorCode { error.code }
    public var args: [String: LocalizedText] { error.args }

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code.status) }

    /// The sentence in both languages.
    public var message: LocalizedText { Messages.shared.error(code, args) }

    /// The caller is signed in, but their role may not do this.
    static let roleForbidden = AppError(.auth.forbidden)

    static func notFound(_ what: String) -> AppError {
        AppError(.general.notFound, ["what": "\(what)"])
    }

    /// Normalises any error thrown by a handler into what the caller is told.
    static func from(_ error: any Error) -> AppError? {
        switch error {
        case let e as AppError:
            return e
        case let e as DomainError:
            return AppError(e)
        case let e as ImportError:
            var a = AppError(.imports.invalid, ["problems_count": "\(e.problems.count)"])
            a.problems = e.problems
            return a
        case let e as HTTPError:
            switch e.status {
            case .notFound: return AppError(.general.noSuchPage)
            case .contentTooLarge: return AppError(.request.tooLargePlain)
            case .methodNotAllowed: return AppError(.http.methodNotAllowed)
            default:
                guard e.status.code < 500 else { return nil }
                return AppError(.http.other(e.status.code), localized: ["detail": LocalizedText(zh: "请求无效", en: e.body ?? "Bad request")])
            }
        default:
            switch ConstraintViolation.classify(error) {
            case let violation?:
                return AppError(violation.code)
            case nil:
                guard DatabaseUnavailable.matches(error) else { return nil }
                var e = AppError(.db.unavailable)
                e.headers[.retryAfter] = "5"
                return e
            }
        }
    }
}

/// Refuses input with every problem found in it, not just the first; the code's sentence names the thing refused.
func refuseIf(_ problems: [LocalizedText], code: ErrorCode = .application.incomplete) throws {
    guard !problems.isEmpty else { return }
    var e = AppError(code, localized: ["count": LocalizedText(zh: "\(problems.count)", en: "\(problems.count)"),
                                       "problems": LocalizedText(zh: problems.map(\.zh).joined(separator: "；"),
                                                                 en: problems.map(\.en).joined(separator: "; "))])
    e.problems = problems.enumerated().map { ImportError.Problem(line: $0.offset + 1, zh: $0.element.zh, en: $0.element.en) }
    throw e
}
