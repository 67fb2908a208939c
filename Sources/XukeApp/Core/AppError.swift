public import Hummingbird
public import XukeDomain
import XukeStorage

/// An error with an HTTP status, a stable code and a message in both languages.
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: LocalizedText
    public var problems: [ImportError.Problem] = []
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, zh: String, en: String) {
        self.status = status
        self.code = code
        self.message = LocalizedText(zh: zh, en: en)
    }

    /// The caller is signed in, but their role may not do this.
    static let roleForbidden = AppError(.forbidden, code: "auth.forbidden", zh: "您的角色无权执行此操作", en: "Your role may not do this")

    static func notFound(_ what: String) -> AppError {
        AppError(.notFound, code: "not_found", zh: "找不到\(what)", en: "Not found: \(what)")
    }

    /// Normalises any error thrown by a handler into what the caller is told.
    static func from(_ error: any Error) -> AppError? {
        switch error {
        case let e as AppError:
            return e
        case let e as DomainError:
            let status: HTTPResponse.Status = switch e.kind {
            case .invalid: .unprocessableContent
            case .notFound: .notFound
            case .conflict: .conflict
            case .forbidden: .forbidden
            }
            var a = AppError(status, code: e.code, zh: e.message.zh, en: e.message.en)
            a.message = e.message
            return a
        case let e as ImportError:
            var a = AppError(.unprocessableContent, code: "import.invalid",
                             zh: "导入失败，\(e.problems.count)处错误，未导入任何数据", en: "Import refused: \(e.problems.count) problem(s); nothing was imported")
            a.problems = e.problems
            return a
        case let e as HTTPError:
            let code = e.status == .notFound ? "not_found" : "http.\(e.status.code)"
            switch e.status {
            case .notFound: return AppError(.notFound, code: code, zh: "页面或资源不存在", en: "No such page or resource")
            case .contentTooLarge: return AppError(.contentTooLarge, code: "request.too_large", zh: "请求内容过大", en: "The request body is too large")
            case .methodNotAllowed: return AppError(.methodNotAllowed, code: code, zh: "不支持此请求方法", en: "Method not allowed")
            default:
                if e.status.code < 500 { return AppError(e.status, code: code, zh: "请求无效", en: e.body ?? "Bad request") }
                return nil
            }
        default:
            switch ConstraintViolation.classify(error) {
            case .foreignKey?:
                return AppError(.unprocessableContent, code: ConstraintViolation.foreignKey.rawValue, zh: "请求引用了不存在的记录（如企业、单元或用户）",
                                en: "The request refers to a record that does not exist (an enterprise, unit or user, say)")
            case .unique?:
                return AppError(.conflict, code: ConstraintViolation.unique.rawValue, zh: "该记录已经存在", en: "That record already exists")
            case .check?:
                return AppError(.unprocessableContent, code: ConstraintViolation.check.rawValue, zh: "请求中有不被接受的值", en: "The request holds a value that is not accepted")
            case nil:
                guard DatabaseUnavailable.matches(error) else { return nil }
                var e = AppError(.serviceUnavailable, code: "db.unavailable", zh: "数据库暂时不可用，请稍后再试", en: "The database is unavailable for the moment; try again shortly")
                e.headers[.retryAfter] = "5"
                return e
            }
        }
    }
}
