// The error codes of sharing (see ErrorCode). Their sentences are in Resources/messages under error.<code>.

public struct FeedErrors: Sendable {
    public let cursor = ErrorCode("feed.cursor", 422)
}

public struct SharingErrors: Sendable {
    public let agency = ErrorCode("sharing.agency", 422)
    public let noScope = ErrorCode("sharing.no_scope", 422)
    public let scope = ErrorCode("sharing.scope", 422)
    public let scopeDenied = ErrorCode("sharing.scope_denied", 403)
    public let sector = ErrorCode("sharing.sector", 422)
}

public struct WebhookErrors: Sendable {
    public let address = ErrorCode("webhook.address", 422)
    public let redeliveryFailed = ErrorCode("webhook.redelivery_failed", 502)
    public let url = ErrorCode("webhook.url", 422)
}

extension ErrorCode {
    public static let feed = FeedErrors()
    public static let sharing = SharingErrors()
    public static let webhook = WebhookErrors()

    /// The areas of sharing, for listing every code.
    static let sharingAreas: [any Sendable] = [feed, sharing, webhook]
}
