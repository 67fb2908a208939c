// The error codes of institutions (see ErrorCode). Their sentences are in Resources/messages under error.<code>.

public struct BanErrors: Sendable {
    public let details = ErrorCode("ban.details", 422)
    public let exists = ErrorCode("ban.exists", 409)
    public let unknownSubject = ErrorCode("ban.unknown_subject", 422)
}

public struct CccErrors: Sendable {
    public let file = ErrorCode("ccc.file", 422)
    public let query = ErrorCode("ccc.query", 400)
}

public struct CertBodyErrors: Sendable {
    public let invalid = ErrorCode("cert_body.invalid", 422)
    public let taken = ErrorCode("cert_body.taken", 409)
}

public struct CreditErrors: Sendable {
    public let alreadyListed = ErrorCode("credit.already_listed", 409)
    public let cause = ErrorCode("credit.cause", 422)
    public let details = ErrorCode("credit.details", 422)
    public let listedOn = ErrorCode("credit.listed_on", 422)
    public let notInForce = ErrorCode("credit.not_in_force", 409)
}

public struct LabErrors: Sendable {
    public let invalidRegistration = ErrorCode("lab.invalid", 422, variant: "registration")
    public let invalidScope = ErrorCode("lab.invalid", 422, variant: "scope")
    public let cmaTaken = ErrorCode("lab.cma_taken", 409)
    public let formGrade = ErrorCode("lab.form", 422, variant: "grade")
    public let formStatus = ErrorCode("lab.form", 422, variant: "status")
    public let formFirstDay = ErrorCode("lab.form", 422, variant: "first_day")
    public let formUser = ErrorCode("lab.form", 422, variant: "user")
    public let memberElsewhere = ErrorCode("lab.member_elsewhere", 409)
    public let memberRole = ErrorCode("lab.member_role", 422)
    public let noOpenPeriod = ErrorCode("lab.no_open_period", 409)
    public let note = ErrorCode("lab.note", 422)
    public let overlap = ErrorCode("lab.overlap", 422)
    public let registrarOnly = ErrorCode("lab.registrar_only", 403)
    public let sameStatus = ErrorCode("lab.same_status", 409)
    public let scopeLine = ErrorCode("lab.scope_line", 422)
    public let withdrawn = ErrorCode("lab.withdrawn", 409)
}

public struct RegistryErrors: Sendable {
    public let nationalOnly = ErrorCode("registry.national_only", 403)
    public let otherProvince = ErrorCode("registry.other_province", 403)
}

public struct RepairErrors: Sendable {
    public let decided = ErrorCode("repair.decided", 409)
    public let decision = ErrorCode("repair.decision", 422)
    public let pending = ErrorCode("repair.pending", 409)
    public let statement = ErrorCode("repair.statement", 422)
    public let tooEarly = ErrorCode("repair.too_early", 409)
}

public struct ReviewBodyErrors: Sendable {
    public let barByBan = ErrorCode("review_body.bar_by_ban", 422)
    public let barred = ErrorCode("review_body.barred", 409)
    public let concurrentChange = ErrorCode("review_body.concurrent_change", 409)
    public let findings = ErrorCode("review_body.findings", 422)
    public let future = ErrorCode("review_body.future", 422)
    public let inspected = ErrorCode("review_body.inspected", 409)
    public let memberElsewhere = ErrorCode("review_body.member_elsewhere", 409)
    public let memberRoleNotVerifier = ErrorCode("review_body.member_role", 422, variant: "not_verifier")
    public let memberRoleMissing = ErrorCode("review_body.member_role", 422, variant: "missing")
    public let membersOnly = ErrorCode("review_body.members_only", 403)
    public let name = ErrorCode("review_body.name", 422)
    public let notInGoodStanding = ErrorCode("review_body.not_in_good_standing", 422)
    public let reason = ErrorCode("review_body.reason", 422)
    public let reportExists = ErrorCode("review_body.report_exists", 409)
    public let reportShort = ErrorCode("review_body.report_short", 422)
    public let sameStatus = ErrorCode("review_body.same_status", 409)
    public let taken = ErrorCode("review_body.taken", 409)
    public let yearUnfinished = ErrorCode("review_body.year", 422, variant: "unfinished")
    public let yearInvalid = ErrorCode("review_body.year", 422, variant: "invalid")
}

extension ErrorCode {
    public static let ban = BanErrors()
    public static let ccc = CccErrors()
    public static let certBody = CertBodyErrors()
    public static let credit = CreditErrors()
    public static let lab = LabErrors()
    public static let registry = RegistryErrors()
    public static let repair = RepairErrors()
    public static let reviewBody = ReviewBodyErrors()

    /// The areas of institutions, for listing every code.
    static let institutionsAreas: [any Sendable] = [ban, ccc, certBody, credit, lab, registry, repair, reviewBody]
}
