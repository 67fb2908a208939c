// The error codes of catalog (see ErrorCode). Their sentences are in Resources/messages under error.<code>.

public struct CatalogErrors: Sendable {
    public let unitFormat = ErrorCode("catalog.unit_format", 400)
}

public struct DraftErrors: Sendable {
    public let addCategory = ErrorCode("draft.add_category", 422)
    public let answer = ErrorCode("draft.answer", 422)
    public let answered = ErrorCode("draft.answered", 409)
    public let base = ErrorCode("draft.base", 422)
    public let cccDate = ErrorCode("draft.ccc_date", 422)
    public let comment = ErrorCode("draft.comment", 422)
    public let commentLate = ErrorCode("draft.comment_late", 422)
    public let commentsOpen = ErrorCode("draft.comments_open", 409)
    public let commentsUntilAfterToday = ErrorCode("draft.comments_until", 422, variant: "after_today")
    public let commentsUntilBeforeInForce = ErrorCode("draft.comments_until", 422, variant: "before_in_force")
    public let commentsUntilMissing = ErrorCode("draft.comments_until", 422, variant: "missing")
    public let concurrentChange = ErrorCode("draft.concurrent_change", 409)
    public let consulteeLine = ErrorCode("draft.consultee_line", 422)
    public let consultees = ErrorCode("draft.consultees", 422)
    public let delegateLevel = ErrorCode("draft.delegate_level", 422)
    public let editionCode = ErrorCode("draft.edition_code", 422)
    public let editionExists = ErrorCode("draft.edition_exists", 409)
    public let empty = ErrorCode("draft.empty", 422)
    public let final = ErrorCode("draft.final", 409)
    public let inForceAfterToday = ErrorCode("draft.in_force", 422, variant: "after_today")
    public let inForcePassed = ErrorCode("draft.in_force", 422, variant: "passed")
    public let inForceMissing = ErrorCode("draft.in_force", 422, variant: "missing")
    public let instrument = ErrorCode("draft.instrument", 422)
    public let line = ErrorCode("draft.line", 422)
    public let mergeTargetIntoAnother = ErrorCode("draft.merge_target", 422, variant: "into_another")
    public let mergeTargetTaken = ErrorCode("draft.merge_target", 422, variant: "taken")
    public let notConsulted = ErrorCode("draft.not_consulted", 422)
    public let notConsultingNotOut = ErrorCode("draft.not_consulting", 409, variant: "not_out")
    public let notConsultingPublish = ErrorCode("draft.not_consulting", 409, variant: "publish")
    public let notDraftingFixed = ErrorCode("draft.not_drafting", 409, variant: "fixed")
    public let notDraftingAlreadyOut = ErrorCode("draft.not_drafting", 409, variant: "already_out")
    public let reason = ErrorCode("draft.reason", 422)
    public let title = ErrorCode("draft.title", 422)
    public let tooMany = ErrorCode("draft.too_many", 422)
    public let twiceAdded = ErrorCode("draft.twice", 422, variant: "added")
    public let twiceTaken = ErrorCode("draft.twice", 422, variant: "taken")
    public let unanswered = ErrorCode("draft.unanswered", 409)
    public let unitExists = ErrorCode("draft.unit_exists", 422)
    public let unitName = ErrorCode("draft.unit_name", 422)
    public let unitNo = ErrorCode("draft.unit_no", 422)
    public let unknownSubject = ErrorCode("draft.unknown_subject", 422)
}

public struct DivisionErrors: Sendable {
    public let unknown = ErrorCode("division.unknown", 422)
}

public struct DelegationErrors: Sendable {
    public let provinceOnly = ErrorCode("delegation.province_only", 403)
}

public struct RoutingErrors: Sendable {
    public let mixedAuthorities = ErrorCode("routing.mixed_authorities", 422)
    public let movedToCcc = ErrorCode("routing.moved_to_ccc", 422)
    public let noEdition = ErrorCode("routing.no_edition", 422)
    public let notLicensed = ErrorCode("routing.not_licensed", 422)
}

public struct CalendarErrors: Sendable {
    public let empty = ErrorCode("calendar.empty", 422)
    public let range = ErrorCode("calendar.range", 400)
}

public struct DashboardErrors: Sendable {
    public let province = ErrorCode("dashboard.province", 400)
}

public struct SpotCheckErrors: Sendable {
    public let level = ErrorCode("spot_check.level", 422)
}

extension ErrorCode {
    public static let catalog = CatalogErrors()
    public static let draft = DraftErrors()
    public static let division = DivisionErrors()
    public static let delegation = DelegationErrors()
    public static let routing = RoutingErrors()
    public static let calendar = CalendarErrors()
    public static let dashboard = DashboardErrors()
    public static let spotCheck = SpotCheckErrors()

    /// The areas of catalog, for listing every code.
    static let catalogAreas: [any Sendable] = [catalog, draft, division, delegation, routing, calendar, dashboard, spotCheck]
}
