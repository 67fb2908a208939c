// The error codes of trust (see ErrorCode). Their sentences are in Resources/messages under error.<code>.

public struct CredentialErrors: Sendable {
    public let `none` = ErrorCode("credential.none", 404)
}

public struct LogErrors: Sendable {
    public let empty = ErrorCode("log.empty", 400)
    public let entryTooLarge = ErrorCode("log.entry_too_large", 422)
    public let index = ErrorCode("log.index", 400)
}

public struct KeyErrors: Sendable {
    public let notActive = ErrorCode("key.not_active", 404)
}

public struct StatusErrors: Sendable {
    public let unknownList = ErrorCode("status.unknown_list", 404)
}

extension ErrorCode {
    public static let credential = CredentialErrors()
    public static let log = LogErrors()
    public static let key = KeyErrors()
    public static let status = StatusErrors()

    /// The areas of trust, for listing every code.
    static let trustAreas: [any Sendable] = [credential, log, key, status]
}
