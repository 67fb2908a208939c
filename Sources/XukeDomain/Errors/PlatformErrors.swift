// The error codes of platform (see ErrorCode). Their sentences are in Resources/messages under error.<code>.

public struct GeneralErrors: Sendable {
    public let `internal` = ErrorCode("internal", 500)
    public let notFound = ErrorCode("not_found", 404)
    public let noSuchPage = ErrorCode("not_found", 404, variant: "page")
}

public struct RequestErrors: Sendable {
    public let badDate = ErrorCode("request.bad_date", 400)
    public let badNumber = ErrorCode("request.bad_number", 400)
    public let badValue = ErrorCode("request.bad_value", 400)
    public let contentTypeJson = ErrorCode("request.content_type", 415, variant: "json")
    public let cursor = ErrorCode("request.cursor", 400)
    public let contentTypeMultipart = ErrorCode("request.content_type", 415, variant: "multipart")
    public let date = ErrorCode("request.date", 422)
    public let encoding = ErrorCode("request.encoding", 422)
    public let invalidValue = ErrorCode("request.invalid_value", 422)
    public let malformedJson = ErrorCode("request.malformed_json", 400)
    public let missingFieldJws = ErrorCode("request.missing_field", 422, variant: "jws")
    public let missingFieldNamed = ErrorCode("request.missing_field", 422, variant: "named")
    public let missingParameterRange = ErrorCode("request.missing_parameter", 400, variant: "range")
    public let missingParameterNamed = ErrorCode("request.missing_parameter", 400, variant: "named")
    public let multipart = ErrorCode("request.multipart", 400)
    public let tooLargePlain = ErrorCode("request.too_large", 413, variant: "plain")
    public let tooLargeKib = ErrorCode("request.too_large", 413, variant: "kib")
    public let tooLargeSize = ErrorCode("request.too_large", 413, variant: "size")
    public let wrongType = ErrorCode("request.wrong_type", 422)
}

public struct RouteErrors: Sendable {
    public let barred = ErrorCode("route.barred", 422)
    public let commitmentKind = ErrorCode("route.commitment_kind", 422)
    public let notEligible = ErrorCode("route.not_eligible", 422)
    public let undeclared = ErrorCode("route.undeclared", 403)
}

public struct QueryErrors: Sendable {
    public let empty = ErrorCode("query.empty", 400)
    public let province = ErrorCode("query.province", 400)
    public let throttled = ErrorCode("query.throttled", 429)
    public let unit = ErrorCode("query.unit", 400)
}

public struct FormErrors: Sendable {
    public let number = ErrorCode("form.number", 422)
}

public struct CsrfErrors: Sendable {
    public let invalid = ErrorCode("csrf.invalid", 403)
}

public struct DbErrors: Sendable {
    public let reference = ErrorCode("db.reference", 422)
    public let duplicate = ErrorCode("db.duplicate", 409)
    public let invalidValue = ErrorCode("db.invalid_value", 422)
    public let unavailable = ErrorCode("db.unavailable", 503)
}

/// Refusals by the HTTP layer itself, before any handler: `http.` and the status.
public struct HttpErrors: Sendable {
    public let methodNotAllowed = ErrorCode("http.405", 405)
    /// Any other client error the HTTP layer raises, with its own words as `detail`.
    public func other(_ status: Int) -> ErrorCode { ErrorCode("http.\(status)", status, messageKey: "http.other") }
}

public struct ImportErrors: Sendable {
    public let invalid = ErrorCode("import.invalid", 422)
}

public struct DemoErrors: Sendable {
    public let notEmpty = ErrorCode("demo.not_empty", 409)
}

public struct MetricsErrors: Sendable {
    public let forbidden = ErrorCode("metrics.forbidden", 403)
}

public struct SettingsErrors: Sendable {
    public let outOfRange = ErrorCode("settings.out_of_range", 422)
}

extension ErrorCode {
    public static let general = GeneralErrors()
    public static let request = RequestErrors()
    public static let route = RouteErrors()
    public static let query = QueryErrors()
    public static let form = FormErrors()
    public static let csrf = CsrfErrors()
    public static let db = DbErrors()
    public static let http = HttpErrors()
    public static let imports = ImportErrors()
    public static let demo = DemoErrors()
    public static let settings = SettingsErrors()
    public static let metrics = MetricsErrors()

    /// The areas of platform, for listing every code.
    static let platformAreas: [any Sendable] = [general, request, route, query, form, csrf, db, http, imports, demo, settings, metrics]
}
