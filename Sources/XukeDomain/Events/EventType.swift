/// Every kind of event the platform records, one name each: `area.what_happened`, in the past tense. The names are
/// stored in the events table, sent in the change feed, to webhooks and in dumps, and sharing scopes select them
/// by their area prefix. The `license.*`, `plan.*`, `draw.*` and `inspection.published`/`revised` names are also
/// the types of public log entries (docs/FORMATS.md §4) and never change. Names used before this list existed are
/// renamed in the database by migration 17 (`renamedFrom`).
public enum EventType: String, CaseIterable, Sendable, Codable {
    // Accounts
    case userCreated = "user.created"
    case userPasswordChanged = "user.password_changed"
    case userSignedIn = "user.signed_in"
    case userTokenCreated = "user.token_created"
    case userTokenRevoked = "user.token_revoked"
    case userDisabled = "user.disabled"
    case userEnabled = "user.enabled"
    case userPasswordResetIssued = "user.password_reset_issued"
    case userEmailConfirmationSent = "user.email_confirmation_sent"
    case userEmailConfirmed = "user.email_confirmed"
    case userEmailRemoved = "user.email_removed"
    case mailRetried = "mail.retried"
    case userPasswordResetRequested = "user.password_reset_requested"
    case userRankChanged = "user.rank_changed"
    case registrationSubmitted = "registration.submitted"
    case registrationConfirmed = "registration.confirmed"
    case registrationApproved = "registration.approved"
    case registrationRefused = "registration.refused"
    case enterpriseUserAdded = "enterprise.user_added"
    case enterpriseUserRemoved = "enterprise.user_removed"

    // Reference data and catalog
    case calendarImported = "calendar.imported"
    case catalogEditionPublished = "catalog.edition_published"
    case catalogReformActionRecorded = "catalog.reform_action_recorded"
    case catalogDraftCreated = "catalog_draft.created"
    case catalogDraftChanged = "catalog_draft.changed"
    case catalogDraftConsultationOpened = "catalog_draft.consultation_opened"
    case catalogDraftCommentReceived = "catalog_draft.comment_received"
    case catalogDraftCommentAnswered = "catalog_draft.comment_answered"
    case catalogDraftWithdrawn = "catalog_draft.withdrawn"
    case catalogDraftPublished = "catalog_draft.published"
    case catalogDraftInForce = "catalog_draft.in_force"
    case settingsLicensingChanged = "settings.licensing_changed"
    case settingsDelegationsChanged = "settings.delegations_changed"
    case settingsAuthorityChanged = "settings.authority_changed"

    // Enterprises and applications
    case enterpriseRegistered = "enterprise.registered"
    case enterpriseUpdated = "enterprise.updated"
    case applicationSubmitted = "application.submitted"
    case applicationAccepted = "application.accepted"
    case applicationDeemedAccepted = "application.deemed_accepted"
    case applicationCorrectionRequested = "application.correction_requested"
    case applicationSupplemented = "application.supplemented"
    case applicationVerifiersAssigned = "application.verifiers_assigned"
    case applicationVerificationPassed = "application.verification_passed"
    case applicationVerificationFailed = "application.verification_failed"
    case applicationRectificationOrdered = "application.rectification_ordered"
    case applicationRectified = "application.rectified"
    case applicationApproved = "application.approved"
    case applicationRefused = "application.refused"
    case applicationAcceptanceRefused = "application.acceptance_refused"
    case applicationAssigned = "application.assigned"
    case applicationSigned = "application.signed"
    case applicationReturned = "application.returned"
    case applicationIssued = "application.issued"
    case applicationWithdrawn = "application.withdrawn"
    case applicationClockStopped = "application.clock_stopped"
    case applicationClockResumed = "application.clock_resumed"
    case applicationDeemedRenewed = "application.deemed_renewed"
    case verificationAssigned = "verification.assigned"

    // Licences (also public log entry types)
    case licenseIssued = "license.issued"
    case licenseRenewed = "license.renewed"
    case licenseChanged = "license.changed"
    case licenseReissued = "license.reissued"
    case licenseCancelled = "license.cancelled"
    case licenseSuspended = "license.suspended"
    case licenseReinstated = "license.reinstated"
    case licenseRevoked = "license.revoked"
    case licenseExpired = "license.expired"
    case licenseFollowUpPassed = "license.follow_up_pass"
    case licenseFollowUpFailed = "license.follow_up_fail"
    /// A licence issued before the platform, brought in from the authority's records.
    case licenseImported = "license.imported"
    case hearingNotified = "hearing.notified"
    case hearingRequested = "hearing.requested"
    case hearingScheduled = "hearing.scheduled"
    case hearingHeld = "hearing.held"
    case remedyRecorded = "remedy.recorded"

    // Duties of licensed enterprises
    case declarationPublished = "declaration.published"
    case selfReportFiled = "self_report.filed"
    case selfReportFiledLate = "self_report.filed_late"
    case selfReportDueSoon = "self_report.due_soon"
    case selfReportOverdue = "self_report.overdue"
    case accidentReported = "accident.reported"
    case accidentReportedLate = "accident.reported_late"
    case recallReported = "recall.reported"
    case recallReportedLate = "recall.reported_late"
    case recallProgressReported = "recall.progress_reported"
    case recallClosed = "recall.closed"

    // Supervision
    case inspectorSaved = "inspector.saved"
    case delicensedAdded = "delicensed.added"
    case planDrafted = "plan.drafted"
    case planAnnounced = "plan.announced"
    case planFrozen = "plan.frozen"
    case planBeaconProposed = "plan.beacon_proposed"
    case planBeacon = "plan.beacon"
    case planForfeited = "plan.forfeited"
    case drawPublished = "draw.published"
    case inspectionOpened = "inspection.opened"
    case unannouncedInspectionOpened = "supervision.unannounced_inspection_opened"
    case inspectionVisited = "inspection.visited"
    case inspectionEvidenceAdded = "inspection.evidence_added"
    case inspectionConcluded = "inspection.concluded"
    case inspectionPublished = "inspection.published"
    case inspectionOutcomeChanged = "inspection.outcome_changed"
    case inspectionRevised = "inspection.revised"
    case objectionFiled = "objection.filed"
    case objectionDecided = "objection.decided"
    case leadReceived = "lead.received"
    case leadRaised = "lead.raised"
    case leadInspecting = "lead.inspecting"
    case leadClosed = "lead.closed"
    case enforcementInterviewOrdered = "enforcement.interview_ordered"
    case enforcementWrittenReportOrdered = "enforcement.written_report_ordered"
    case enforcementRectificationOrdered = "enforcement.rectification_ordered"
    case enforcementSuspensionOrdered = "enforcement.suspension_ordered"
    case enforcementRevocationOrdered = "enforcement.revocation_ordered"
    case enforcementWithdrawalOrdered = "enforcement.withdrawal_ordered"
    case enforcementClosed = "enforcement.closed"

    // Institutions and credit
    case labRegistered = "lab.registered"
    case labSuspended = "lab.suspended"
    case labWithdrawn = "lab.withdrawn"
    case labScopeChanged = "lab.scope_changed"
    case reviewBodyRegistered = "review_body.registered"
    case reviewBodySuspended = "review_body.suspended"
    case reviewBodyReinstated = "review_body.reinstated"
    case reviewBodyMemberAdded = "review_body.member_added"
    case reviewBodyReportFiled = "review_body.report_filed"
    case reviewBodyReportFiledLate = "review_body.report_filed_late"
    case reviewBodyReportDueSoon = "review_body.report_due_soon"
    case reviewBodyReportOverdue = "review_body.report_overdue"
    case reviewBodyInspected = "review_body.inspected"
    case certBodyRegistered = "cert_body.registered"
    case cccImported = "ccc.imported"
    case creditListed = "credit.listed"
    case creditRepairFiled = "credit.repair_filed"
    case creditRepaired = "credit.repaired"
    case creditRepairRejected = "credit.repair_rejected"
    case creditBanned = "credit.banned"

    // Data sharing
    case agencyRegistered = "agency.registered"
    case agencyScopesChanged = "agency.scopes_changed"
    case webhookCreated = "webhook.created"
    case webhookEnabled = "webhook.enabled"
    case webhookDisabled = "webhook.disabled"

    /// The names these events were stored under before the list existed; migration 17 renames them.
    public static let renamedFrom: [String: EventType] = [
        "application.accept": .applicationAccepted,
        "application.request_correction": .applicationCorrectionRequested,
        "application.supplement": .applicationSupplemented,
        "application.assign_verifiers": .applicationVerifiersAssigned,
        "application.verification_pass": .applicationVerificationPassed,
        "application.verification_fail": .applicationVerificationFailed,
        "application.verification_rectify": .applicationRectificationOrdered,
        "application.approve": .applicationApproved,
        "application.refuse": .applicationRefused,
        "application.issue": .applicationIssued,
        "application.withdraw": .applicationWithdrawn,
        "application.stop_clock": .applicationClockStopped,
        "application.resume_clock": .applicationClockResumed,
        "recall.progress": .recallProgressReported,
        "inspection.evidence": .inspectionEvidenceAdded,
        "enforcement.interview": .enforcementInterviewOrdered,
        "enforcement.written_report": .enforcementWrittenReportOrdered,
        "enforcement.rectification": .enforcementRectificationOrdered,
        "enforcement.suspension": .enforcementSuspensionOrdered,
        "enforcement.revocation": .enforcementRevocationOrdered,
        "enforcement.withdrawal": .enforcementWithdrawalOrdered,
    ]
}

extension Lab.Status {
    /// The event a lab's move into this status records.
    public var event: EventType {
        switch self {
        case .registered: .labRegistered
        case .suspended: .labSuspended
        case .withdrawn: .labWithdrawn
        }
    }
}

extension VerificationOutcome {
    /// The event a site verification of an application with this outcome records.
    public var applicationEvent: EventType {
        switch self {
        case .pass: .applicationVerificationPassed
        case .fail: .applicationVerificationFailed
        case .rectify: .applicationRectificationOrdered
        }
    }
}
