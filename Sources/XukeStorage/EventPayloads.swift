public import XukeDomain
public import XukeTrust

/// What each event carries: one Codable type per event type (`EventType.payloadType`), stored, fed to partners, sent to
/// webhooks and dumped as snake_case JSON. Records that already exist (an enterprise, a lab, an inspection) are their
/// own payload; the small structs below name the rest. Payloads never hold a reporter's contact or a password.
///
/// Keys are written in snake_case and read back by `Events.payloadDecoder`, which restores the capitals of ID,
/// USCC and SHA256 only: name properties `userID`, `holderUSCC`, `fileSHA256`, never `userId` or `reportURL`.
public typealias EventPayload = Codable & Sendable

/// A case after a step: what happened, without personal data beyond the enterprise.
public struct CaseEvent: EventPayload, Equatable {
    public var number: String
    public var uscc: String
    public var kind: ApplicationKind
    public var route: Route
    public var state: CaseState
    public var authority: String
    public var units: [String]
    /// For the dashboard's time to license, counted in working days from these two (absent in the oldest events).
    public var submittedOn: CivilDate?
    public var decidedOn: CivilDate?

    public init(_ c: CaseRecord) {
        number = c.number
        uscc = c.uscc
        kind = c.kind
        route = c.route
        state = c.state
        authority = c.authority
        units = c.units.map(\.unitNo)
        submittedOn = c.submittedOn
        decidedOn = c.decidedOn
    }
}

/// What the event log keeps of a lead: never the reporter's contact or words.
public struct LeadEvent: EventPayload, Equatable {
    public var number: String
    public var source: Lead.Source
    public var authority: String
    public var uscc: String?
    public var state: Lead.State
    public var cause: String?
    public var inspection: String?

    public init(_ l: Lead, inspection: String? = nil) {
        number = l.number
        source = l.source
        authority = l.authority
        uscc = l.uscc
        state = l.state
        cause = l.cause
        self.inspection = inspection
    }
}

/// An event that says no more than its type, subject and actor.
public struct NoDetails: EventPayload, Equatable { public init() {} }

public struct UserCreated: EventPayload, Equatable {
    public var username: String
    public var role: String
    public var jurisdiction: String?
    public var enterprise: String?

    public init(username: String, role: String, jurisdiction: String?, enterprise: String?) {
        (self.username, self.role, self.jurisdiction, self.enterprise) = (username, role, jurisdiction, enterprise)
    }
}

public struct TokenEvent: EventPayload, Equatable { public var tokenID: Int }

public struct CalendarImported: EventPayload, Equatable {
    public var years: [Int]
    public var days: Int
    public var source: String
}

public struct EditionPublished: EventPayload, Equatable {
    public var code: String
    public var instrument: String
    public var inForce: String
    public var categories: Int
    public var units: Int
}

public struct DraftCreated: EventPayload, Equatable {
    public var title: String
    public var base: String
    public var edition: String
    public var inForce: String
    public init(title: String, base: String, edition: String, inForce: String) {
        (self.title, self.base, self.edition, self.inForce) = (title, base, edition, inForce)
    }
}

public struct DraftChanged: EventPayload, Equatable {
    public var actions: JSONValue
    public init(actions: JSONValue) { self.actions = actions }
}

public struct ConsultationOpened: EventPayload, Equatable {
    public var consultees: JSONValue
    public var until: String
    public init(consultees: JSONValue, until: String) { (self.consultees, self.until) = (consultees, until) }
}

public struct CommentEvent: EventPayload, Equatable {
    public var comment: String
    public var organisation: String?
    public init(comment: String, organisation: String? = nil) { (self.comment, self.organisation) = (comment, organisation) }
}

public struct ReasonGiven: EventPayload, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

public struct DraftPublished: EventPayload, Equatable {
    public var edition: String
    public var logIndex: Int
    public init(edition: String, logIndex: Int) { (self.edition, self.logIndex) = (edition, logIndex) }
}

/// A catalog edition coming into force, with what it did to the licences in force.
public struct DraftInForce: EventPayload, Equatable {
    public var edition: String
    public var ended: Int
    public var narrowed: Int
    public var merged: Int
    public var delicensed: Int
    public init(edition: String, ended: Int, narrowed: Int, merged: Int, delicensed: Int) {
        (self.edition, self.ended, self.narrowed, self.merged, self.delicensed) = (edition, ended, narrowed, merged, delicensed)
    }
}

public struct RowCount: EventPayload, Equatable {
    public var rows: Int
    public init(rows: Int) { self.rows = rows }
}

public struct RepairEvent: EventPayload, Equatable {
    public var repair: Int
    public init(repair: Int) { self.repair = repair }
}

public struct MemberAdded: EventPayload, Equatable {
    public var user: Int
    public init(user: Int) { self.user = user }
}

public struct ReviewReportFiled: EventPayload, Equatable {
    public var year: Int
    public init(year: Int) { self.year = year }
}

public struct ReviewInspected: EventPayload, Equatable {
    public var year: String
    public var result: String
    public init(year: String, result: String) { (self.year, self.result) = (year, result) }
}

/// A yearly report falling due or overdue (the year as text for review bodies, as it always was).
public struct ReviewReportReminder: EventPayload, Equatable {
    public var year: String
    public var dueOn: CivilDate
    public init(year: String, dueOn: CivilDate) { (self.year, self.dueOn) = (year, dueOn) }
}

public struct SelfReportReminder: EventPayload, Equatable {
    public var year: Int
    public var dueOn: CivilDate
    public init(year: Int, dueOn: CivilDate) { (self.year, self.dueOn) = (year, dueOn) }
}

public struct AgencyRegistered: EventPayload, Equatable {
    public var agency: String
    public var sector: String
    public var scopes: String
    public init(agency: String, sector: String, scopes: String) { (self.agency, self.sector, self.scopes) = (agency, sector, scopes) }
}

public struct ScopesChanged: EventPayload, Equatable {
    public var scopes: String
    public init(scopes: String) { self.scopes = scopes }
}

public struct WebhookCreated: EventPayload, Equatable {
    public var url: String
    public var scopes: String
    public init(url: String, scopes: String) { (self.url, self.scopes) = (url, scopes) }
}

public struct WebhookSwitched: EventPayload, Equatable {
    public var position: String
    public init(position: String) { self.position = position }
}

public struct VerifiersAssigned: EventPayload, Equatable {
    public var members: [Int]
    public init(members: [Int]) { self.members = members }
}

public struct InspectionVisited: EventPayload, Equatable {
    public var visitedOn: CivilDate
    public init(visitedOn: CivilDate) { self.visitedOn = visitedOn }
}

/// A check's conclusion; origin and category are absent from the oldest events.
public struct InspectionConcluded: EventPayload, Equatable {
    public var outcome: String
    public var origin: String?
    public var category: String?
    public init(outcome: String, origin: String?, category: String?) { (self.outcome, self.origin, self.category) = (outcome, origin, category) }
}

/// An upheld objection changing a concluded check's outcome.
public struct OutcomeChanged: EventPayload, Equatable {
    public var from: String
    public var to: String
    public var origin: String
    public var category: String
    public var concludedOn: CivilDate?
    public init(from: String, to: String, origin: String, category: String, concludedOn: CivilDate?) {
        (self.from, self.to, self.origin, self.category, self.concludedOn) = (from, to, origin, category, concludedOn)
    }
}

public struct EvidenceAdded: EventPayload, Equatable {
    public var sha256: String
    public var filename: String
    public init(sha256: String, filename: String) { (self.sha256, self.filename) = (sha256, filename) }
}

/// A step also written to the public log: the entry as logged and its index (docs/FORMATS.md §4).
public struct LoggedStep: EventPayload, Equatable {
    public var entry: JSONValue
    public var logIndex: Int
    public init(entry: JSONValue, logIndex: Int) { (self.entry, self.logIndex) = (entry, logIndex) }
}

extension EventType {
    /// The payload each event type carries.
    public var payloadType: any EventPayload.Type {
        switch self {
        case .userCreated: UserCreated.self
        case .userPasswordChanged, .userSignedIn, .userDisabled, .userEnabled, .userPasswordResetIssued,
             .userEmailConfirmationSent, .userEmailConfirmed, .userEmailRemoved, .mailRetried, .userPasswordResetRequested: NoDetails.self
        case .registrationSubmitted, .registrationConfirmed, .registrationApproved, .registrationRefused: RegistrationEvent.self
        case .enterpriseUserAdded, .enterpriseUserRemoved: UserCreated.self
        case .userRankChanged: RankChanged.self
        case .hearingNotified, .hearingRequested, .hearingScheduled, .hearingHeld: Hearing.self
        case .remedyRecorded: Remedy.self
        case .settingsAuthorityChanged: AuthoritySettings.self
        case .applicationAssigned, .applicationSigned, .applicationReturned: CaseEvent.self
        case .userTokenCreated, .userTokenRevoked: TokenEvent.self
        case .calendarImported: CalendarImported.self
        case .catalogEditionPublished: EditionPublished.self
        case .catalogReformActionRecorded: ReformAction.self
        case .catalogDraftCreated: DraftCreated.self
        case .catalogDraftChanged: DraftChanged.self
        case .catalogDraftConsultationOpened: ConsultationOpened.self
        case .catalogDraftCommentReceived, .catalogDraftCommentAnswered: CommentEvent.self
        case .catalogDraftWithdrawn, .reviewBodySuspended, .reviewBodyReinstated: ReasonGiven.self
        case .catalogDraftPublished: DraftPublished.self
        case .catalogDraftInForce: DraftInForce.self
        case .settingsLicensingChanged: LicensingRules.self
        case .settingsDelegationsChanged: [Routing.Delegation].self
        case .enterpriseRegistered, .enterpriseUpdated: Enterprise.self
        case .applicationSubmitted, .applicationAccepted, .applicationDeemedAccepted, .applicationCorrectionRequested,
             .applicationSupplemented, .applicationVerifiersAssigned, .applicationVerificationPassed,
             .applicationVerificationFailed, .applicationRectificationOrdered, .applicationRectified, .applicationApproved,
             .applicationRefused, .applicationAcceptanceRefused, .applicationIssued, .applicationWithdrawn, .applicationClockStopped,
             .applicationClockResumed, .applicationDeemedRenewed: CaseEvent.self
        case .verificationAssigned: VerifiersAssigned.self
        // A licence event is its public log entry with the log index and the case that caused it.
        case .licenseIssued, .licenseRenewed, .licenseChanged, .licenseReissued, .licenseCancelled, .licenseSuspended,
             .licenseReinstated, .licenseRevoked, .licenseExpired, .licenseFollowUpPassed, .licenseFollowUpFailed,
             .licenseImported: JSONValue.self
        case .declarationPublished: Declaration.self
        case .selfReportFiled, .selfReportFiledLate: SelfReport.self
        case .selfReportDueSoon, .selfReportOverdue: SelfReportReminder.self
        case .accidentReported, .accidentReportedLate: AccidentReport.self
        case .recallReported, .recallReportedLate, .recallProgressReported, .recallClosed: Recall.self
        case .inspectorSaved: InspectorRecord.self
        case .delicensedAdded: TargetStore.Delicensed.self
        case .planDrafted: SpotCheckPlan.self
        case .planAnnounced, .planFrozen, .planBeaconProposed, .planBeacon, .planForfeited, .drawPublished,
             .inspectionPublished, .inspectionRevised: LoggedStep.self
        case .inspectionOpened, .unannouncedInspectionOpened: InspectionRecord.self
        case .inspectionVisited: InspectionVisited.self
        case .inspectionEvidenceAdded: EvidenceAdded.self
        case .inspectionConcluded: InspectionConcluded.self
        case .inspectionOutcomeChanged: OutcomeChanged.self
        case .objectionFiled, .objectionDecided: InspectionStore.Objection.self
        case .leadReceived, .leadRaised, .leadInspecting, .leadClosed: LeadEvent.self
        case .enforcementInterviewOrdered, .enforcementWrittenReportOrdered, .enforcementRectificationOrdered,
             .enforcementSuspensionOrdered, .enforcementRevocationOrdered, .enforcementWithdrawalOrdered,
             .enforcementClosed: EnforcementRecord.self
        case .labRegistered, .labSuspended, .labWithdrawn, .labScopeChanged: Lab.self
        case .reviewBodyRegistered: ReviewBody.self
        case .reviewBodyMemberAdded: MemberAdded.self
        case .reviewBodyReportFiled, .reviewBodyReportFiledLate: ReviewReportFiled.self
        case .reviewBodyReportDueSoon, .reviewBodyReportOverdue: ReviewReportReminder.self
        case .reviewBodyInspected: ReviewInspected.self
        case .certBodyRegistered: CertBody.self
        case .cccImported: RowCount.self
        case .creditListed: CreditEntry.self
        case .creditRepairFiled, .creditRepaired, .creditRepairRejected: RepairEvent.self
        case .creditBanned: Ban.self
        case .agencyRegistered: AgencyRegistered.self
        case .agencyScopesChanged: ScopesChanged.self
        case .webhookCreated: WebhookCreated.self
        case .webhookEnabled, .webhookDisabled: WebhookSwitched.self
        }
    }
}
