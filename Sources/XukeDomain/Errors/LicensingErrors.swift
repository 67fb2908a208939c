// The error codes of licensing (see ErrorCode). Their sentences are in Resources/messages under error.<code>.

public struct ApplicationErrors: Sendable {
    public let incomplete = ErrorCode("application.incomplete", 422)
    public let barred = ErrorCode("application.barred", 409)
    public let enterpriseOnly = ErrorCode("application.enterprise_only", 403)
    public let kind = ErrorCode("application.kind", 422)
    public let openCase = ErrorCode("application.open_case", 409)
}

public struct CaseErrors: Sendable {
    public let applicantOnly = ErrorCode("case.applicant_only", 403)
    public let closed = ErrorCode("case.closed", 409)
    public let concurrentChange = ErrorCode("case.concurrent_change", 409)
    public let correctionOnce = ErrorCode("case.correction_once", 409)
    public let illegalTransition = ErrorCode("case.illegal_transition", 409)
    public let noVerification = ErrorCode("case.no_verification", 409)
    public let notVerified = ErrorCode("case.not_verified", 409)
    public let notYourAuthority = ErrorCode("case.not_your_authority", 403)
    public let verificationFailed = ErrorCode("case.verification_failed", 409)
}

public struct ChangeErrors: Sendable {
    public let noUnitsLeft = ErrorCode("change.no_units_left", 422)
}

public struct ClockErrors: Sendable {
    public let cannotStop = ErrorCode("clock.cannot_stop", 409)
    public let notStopped = ErrorCode("clock.not_stopped", 409)
    public let reason = ErrorCode("clock.reason", 422)
}

public struct CorrectionErrors: Sendable {
    public let empty = ErrorCode("correction.empty", 422)
    public let items = ErrorCode("correction.items", 422)
}

public struct EnterpriseErrors: Sendable {
    public let name = EnterpriseFieldErrors("name")
    public let domicile = EnterpriseFieldErrors("domicile")
    public let legalRepresentative = EnterpriseFieldErrors("legal_representative")
    public let contactName = EnterpriseFieldErrors("contact_name")
    public let contactPhone = EnterpriseFieldErrors("contact_phone")
    public let productionAddress = EnterpriseFieldErrors("production_address")
    public let contactPhoneFormat = ErrorCode("enterprise.contact_phone.format", 422)
    public let exists = ErrorCode("enterprise.exists", 409)
    public let productionAddressesTooMany = ErrorCode("enterprise.production_addresses.too_many", 422)
    public let usccImmutable = ErrorCode("enterprise.uscc_immutable", 422)
}

/// The three ways a text field of an enterprise can be refused: `enterprise.<field>.missing` and so on.
public struct EnterpriseFieldErrors: Sendable {
    public let missing: ErrorCode
    public let tooLong: ErrorCode
    public let control: ErrorCode

    init(_ field: String) {
        missing = ErrorCode("enterprise.\(field).missing", 422)
        tooLong = ErrorCode("enterprise.\(field).too_long", 422)
        control = ErrorCode("enterprise.\(field).control", 422)
    }
}

public struct LicenseErrors: Sendable {
    public let concurrentChange = ErrorCode("license.concurrent_change", 409)
    public let existsIssue = ErrorCode("license.exists", 409, variant: "issue")
    public let existsApply = ErrorCode("license.exists", 409, variant: "apply")
    public let noneHeld = ErrorCode("license.none", 409, variant: "held")
    public let noneApplication = ErrorCode("license.none", 422, variant: "application")
    public let notInForceEnded = ErrorCode("license.not_in_force", 409, variant: "ended")
    public let notInForceMeasure = ErrorCode("license.not_in_force", 409, variant: "measure")
    public let notSuspended = ErrorCode("license.not_suspended", 409)
    public let notYourAuthority = ErrorCode("license.not_your_authority", 403)
}

public struct ProgressErrors: Sendable {
    public let notFound = ErrorCode("progress.not_found", 404)
}

public struct RefusalErrors: Sendable {
    public let reasons = ErrorCode("refusal.reasons", 422)
}

public struct RenewalErrors: Sendable {
    public let expired = ErrorCode("renewal.expired", 422)
    public let simplifiedClosed = ErrorCode("renewal.simplified_closed", 422)
    public let simplifiedCredit = ErrorCode("renewal.simplified_credit", 422)
    public let simplifiedUnit = ErrorCode("renewal.simplified_unit", 422)
    public let tooEarly = ErrorCode("renewal.too_early", 422)
}

public struct ReportErrors: Sendable {
    public let exists = ErrorCode("report.exists", 409)
    public let file = ErrorCode("report.file", 422)
    public let invalidFields = ErrorCode("report.invalid", 422, variant: "fields")
    public let invalidIssueDate = ErrorCode("report.invalid", 422, variant: "issue_date")
    public let labNotRegistered = ErrorCode("report.lab_not_registered", 403)
    public let labOnly = ErrorCode("report.lab_only", 403)
    public let noLab = ErrorCode("report.no_lab", 403)
    public let upload = ErrorCode("report.upload", 422)
}

public struct RevocationErrors: Sendable {
    public let noCommitment = ErrorCode("revocation.no_commitment", 422)
    public let reasons = ErrorCode("revocation.reasons", 422)
}

public struct UploadErrors: Sendable {
    public let empty = ErrorCode("upload.empty", 422)
    public let missing = ErrorCode("upload.missing", 500)
    public let role = ErrorCode("upload.role", 403)
    public let type = ErrorCode("upload.type", 415)
}

public struct UsccErrors: Sendable {
    public let character = ErrorCode("uscc.character", 422)
    public let check = ErrorCode("uscc.check", 422)
    public let length = ErrorCode("uscc.length", 422)
}

public struct VerificationErrors: Sendable {
    public let authorityChanged = ErrorCode("verification.authority_changed", 409)
    public let findingsCount = ErrorCode("verification.findings_count", 422)
    public let findingsMissing = ErrorCode("verification.findings_missing", 422)
    public let followUpOutcome = ErrorCode("verification.follow_up_outcome", 422)
    public let membersOnly = ErrorCode("verification.members_only", 403)
    public let noNonconformity = ErrorCode("verification.no_nonconformity", 422)
    public let notOpenFindings = ErrorCode("verification.not_open", 409, variant: "findings")
    public let notOpenConclude = ErrorCode("verification.not_open", 409, variant: "conclude")
    public let notPending = ErrorCode("verification.not_pending", 409)
    public let notVerifier = ErrorCode("verification.not_verifier", 422)
    public let outcome = ErrorCode("verification.outcome", 422)
    public let passWithNonconformity = ErrorCode("verification.pass_with_nonconformity", 422)
    public let rectifyBy = ErrorCode("verification.rectify_by", 422)
    public let summary = ErrorCode("verification.summary", 422)
    public let teamSize = ErrorCode("verification.team_size", 422)
}

public struct AssignmentErrors: Sendable {
    public let closed = ErrorCode("assignment.closed", 409)
    public let notHead = ErrorCode("assignment.not_head", 403)
    public let notOfficer = ErrorCode("assignment.not_officer", 422)
    public let reason = ErrorCode("assignment.reason", 422)
    public let same = ErrorCode("assignment.same", 409)
}

public struct SignoffErrors: Sendable {
    public let decision = ErrorCode("signoff.decision", 422)
    public let noChain = ErrorCode("signoff.no_chain", 409)
    public let notHandler = ErrorCode("signoff.not_handler", 403)
    public let notOwnAuthority = ErrorCode("signoff.not_own_authority", 403)
    public let nothingToReturn = ErrorCode("signoff.nothing_to_return", 409)
    public let required = ErrorCode("signoff.required", 409)
    public let returnNote = ErrorCode("signoff.return_note", 422)
    public let twice = ErrorCode("signoff.twice", 409)
    public let wrongRank = ErrorCode("signoff.wrong_rank", 403)
}

public struct AuthoritySettingsErrors: Sendable {
    public let chain = ErrorCode("authority_settings.chain", 422)
    public let excludedUnit = ErrorCode("authority_settings.excluded_unit", 422)
    public let notDirector = ErrorCode("authority_settings.not_director", 403)
    public let number = ErrorCode("authority_settings.number", 422)
    public let unknownUnit = ErrorCode("authority_settings.unknown_unit", 422)
}

public struct HearingErrors: Sendable {
    public let date = ErrorCode("hearing.date", 422)
    public let measure = ErrorCode("hearing.measure", 422)
    public let notFound = ErrorCode("hearing.not_found", 404)
    public let notYours = ErrorCode("hearing.not_yours", 403)
    public let open = ErrorCode("hearing.open", 409)
    public let place = ErrorCode("hearing.place", 422)
    public let record = ErrorCode("hearing.record", 422)
    public let required = ErrorCode("hearing.required", 409)
    public let state = ErrorCode("hearing.state", 409)
}

public struct RemedyErrors: Sendable {
    public let body = ErrorCode("remedy.body", 422)
    public let changedSince = ErrorCode("remedy.changed_since", 409)
    public let date = ErrorCode("remedy.date", 422)
    public let decidedOn = ErrorCode("remedy.decided_on", 422)
    public let kind = ErrorCode("remedy.kind", 422)
    public let late = ErrorCode("remedy.late", 422)
    public let notAppealable = ErrorCode("remedy.not_appealable", 422)
    public let outcome = ErrorCode("remedy.outcome", 422)
}

public struct DocumentErrors: Sendable {
    public let damaged = ErrorCode("document.damaged", 500)
    public let notFound = ErrorCode("document.not_found", 404)
    public let notGenuine = ErrorCode("document.not_genuine", 404)
    public let pdfBusy = ErrorCode("document.pdf_busy", 503)
    public let pdfUnavailable = ErrorCode("document.pdf_unavailable", 503)
}

extension ErrorCode {
    public static let document = DocumentErrors()
    public static let hearing = HearingErrors()
    public static let remedy = RemedyErrors()
    public static let assignment = AssignmentErrors()
    public static let signoff = SignoffErrors()
    public static let authoritySettings = AuthoritySettingsErrors()
    public static let application = ApplicationErrors()
    public static let cases = CaseErrors()
    public static let change = ChangeErrors()
    public static let clock = ClockErrors()
    public static let correction = CorrectionErrors()
    public static let enterprise = EnterpriseErrors()
    public static let license = LicenseErrors()
    public static let progress = ProgressErrors()
    public static let refusal = RefusalErrors()
    public static let renewal = RenewalErrors()
    public static let report = ReportErrors()
    public static let revocation = RevocationErrors()
    public static let upload = UploadErrors()
    public static let uscc = UsccErrors()
    public static let verification = VerificationErrors()

    /// The areas of licensing, for listing every code.
    static let licensingAreas: [any Sendable] = [application, assignment, authoritySettings, cases, document, hearing, remedy, signoff, change, clock, correction, enterprise, license, progress, refusal, renewal, report, revocation, upload, uscc, verification]
}
