// The error codes of accounts (see ErrorCode). Their sentences are in Resources/messages under error.<code>.

public struct AuthErrors: Sendable {
    public let badToken = ErrorCode("auth.bad_token", 401)
    public let forbidden = ErrorCode("auth.forbidden", 403)
    public let invalid = ErrorCode("auth.invalid", 401)
    public let outsideJurisdiction = ErrorCode("auth.outside_jurisdiction", 403)
    public let required = ErrorCode("auth.required", 401)
    public let throttled = ErrorCode("auth.throttled", 429)
}

public struct UserErrors: Sendable {
    public let agencyElsewhere = ErrorCode("user.agency_elsewhere", 422)
    public let displayName = ErrorCode("user.display_name", 422)
    public let enterpriseRequired = ErrorCode("user.enterprise_required", 422)
    public let enterpriseUnknown = ErrorCode("user.enterprise_unknown", 422)
    public let exists = ErrorCode("user.exists", 409)
    public let notFound = ErrorCode("user.not_found", 404)
    public let password = ErrorCode("user.password", 422)
    public let passwordMismatch = ErrorCode("user.password_mismatch", 422)
    public let resetUnusable = ErrorCode("user.reset_unusable", 404)
    public let role = ErrorCode("user.role", 422)
    public let `self` = ErrorCode("user.self", 422)
    public let username = ErrorCode("user.username", 422)
}

public struct TokenErrors: Sendable {
    public let name = ErrorCode("token.name", 422)
    public let notFound = ErrorCode("token.not_found", 404)
}

public struct MailErrors: Sendable {
    public let address = ErrorCode("mail.address", 422)
    public let confirmationUnusable = ErrorCode("mail.confirmation_unusable", 404)
    public let notDead = ErrorCode("mail.not_dead", 409)
    public let notFound = ErrorCode("mail.not_found", 404)
    public let tooMany = ErrorCode("mail.too_many", 429)
}

public struct RegistrationErrors: Sendable {
    public let enterpriseName = ErrorCode("registration.enterprise_name", 422)
    public let enterpriseUnregistered = ErrorCode("registration.enterprise_unregistered", 409)
    public let legalRepresentative = ErrorCode("registration.legal_representative", 422)
    public let licenceMissing = ErrorCode("registration.licence_missing", 422)
    public let licenceTooLarge = ErrorCode("registration.licence_too_large", 413)
    public let linkUnusable = ErrorCode("registration.link_unusable", 404)
    public let login = ErrorCode("registration.login", 422)
    public let notEnterpriseAdmin = ErrorCode("registration.not_enterprise_admin", 403)
    public let notFound = ErrorCode("registration.not_found", 404)
    public let notWaiting = ErrorCode("registration.not_waiting", 409)
    public let reason = ErrorCode("registration.reason", 422)
}

extension ErrorCode {
    public static let registration = RegistrationErrors()
    public static let auth = AuthErrors()
    public static let mail = MailErrors()
    public static let user = UserErrors()
    public static let token = TokenErrors()

    /// The areas of accounts, for listing every code.
    static let accountsAreas: [any Sendable] = [auth, user, token, mail, registration]
}
