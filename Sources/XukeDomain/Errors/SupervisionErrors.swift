// The error codes of supervision (see ErrorCode). Their sentences are in Resources/messages under error.<code>.

public struct AccidentErrors: Sendable {
    public let casualties = ErrorCode("accident.casualties", 422)
    public let details = ErrorCode("accident.details", 422)
    public let occurredAt = ErrorCode("accident.occurred_at", 422)
}

public struct DeclarationErrors: Sendable {
    public let commitmentShort = ErrorCode("declaration.commitment_short", 422)
    public let standard = ErrorCode("declaration.standard", 422)
    public let standardsEmpty = ErrorCode("declaration.standards_empty", 422)
}

public struct DelicensedErrors: Sendable {
    public let category = ErrorCode("delicensed.category", 422)
}

public struct DrawErrors: Sendable {
    public let malformed = ErrorCode("draw.malformed", 409)
    public let duplicateId = ErrorCode("draw.duplicate_id", 409)
    public let done = ErrorCode("draw.done", 409)
    public let noBeaconPlanState = ErrorCode("draw.no_beacon", 409, variant: "plan_state")
    public let noBeaconPlain = ErrorCode("draw.no_beacon", 409, variant: "plain")
    public let notYet = ErrorCode("draw.not_yet", 404)
    public let secretFormat = ErrorCode("draw.secret_format", 422)
    public let secretMismatch = ErrorCode("draw.secret_mismatch", 422)
}

public struct DutyErrors: Sendable {
    public let concurrent = ErrorCode("duty.concurrent", 409)
    public let enterpriseOnly = ErrorCode("duty.enterprise_only", 403)
}

public struct EnforcementErrors: Sendable {
    public let cause = ErrorCode("enforcement.cause", 422)
    public let closed = ErrorCode("enforcement.closed", 409)
    public let dueDays = ErrorCode("enforcement.due_days", 422)
    public let licenseCause = ErrorCode("enforcement.license_cause", 422)
    public let note = ErrorCode("enforcement.note", 422)
    public let outcome = ErrorCode("enforcement.outcome", 422)
    public let recheck = ErrorCode("enforcement.recheck", 422)
}

public struct EvidenceErrors: Sendable {
    public let file = ErrorCode("evidence.file", 422)
    public let filename = ErrorCode("evidence.filename", 422)
    public let upload = ErrorCode("evidence.upload", 422)
}

public struct InspectionErrors: Sendable {
    public let findings = ErrorCode("inspection.findings", 422)
    public let labPending = ErrorCode("inspection.lab_pending", 409)
    public let labResult = ErrorCode("inspection.lab_result", 422)
    public let notCommitment = ErrorCode("inspection.not_commitment", 422)
    public let notConcluded = ErrorCode("inspection.not_concluded", 409)
    public let notQualified = ErrorCode("inspection.not_qualified", 422)
    public let notYours = ErrorCode("inspection.not_yours", 403)
    public let outcome = ErrorCode("inspection.outcome", 422)
    public let outcomeContradicts = ErrorCode("inspection.outcome_contradicts", 422)
    public let published = ErrorCode("inspection.published", 409)
    public let recusalLastTime = ErrorCode("inspection.recusal_last_time", 422)
    public let recusalSameCounty = ErrorCode("inspection.recusal_same_county", 422)
    public let samples = ErrorCode("inspection.samples", 422)
    public let stateVisit = ErrorCode("inspection.state", 409, variant: "visit")
    public let stateConclude = ErrorCode("inspection.state", 409, variant: "conclude")
    public let stateEvidence = ErrorCode("inspection.state", 409, variant: "evidence")
    public let summary = ErrorCode("inspection.summary", 422)
    public let teamSize = ErrorCode("inspection.team_size", 422)
    public let unknownInspector = ErrorCode("inspection.unknown_inspector", 422)
    public let visitDate = ErrorCode("inspection.visit_date", 422)
    public let visitedOn = ErrorCode("inspection.visited_on", 422)
}

public struct InspectorErrors: Sendable {
    public let capacity = ErrorCode("inspector.capacity", 422)
    public let category = ErrorCode("inspector.category", 422)
    public let county = ErrorCode("inspector.county", 422)
    public let notYours = ErrorCode("inspector.not_yours", 403)
    public let user = ErrorCode("inspector.user", 422)
}

public struct LeadErrors: Sendable {
    public let closed = ErrorCode("lead.closed", 409)
    public let contact = ErrorCode("lead.contact", 422)
    public let details = ErrorCode("lead.details", 422)
    public let division = ErrorCode("lead.division", 422)
    public let inspectionOpen = ErrorCode("lead.inspection_open", 409)
    public let otherEnterprise = ErrorCode("lead.other_enterprise", 422)
    public let reply = ErrorCode("lead.reply", 422)
    public let source = ErrorCode("lead.source", 422)
    public let taken = ErrorCode("lead.taken", 409)
    public let unknownCode = ErrorCode("lead.unknown_code", 404)
}

public struct ObjectionErrors: Sendable {
    public let decisionMissing = ErrorCode("objection.decision", 422, variant: "missing")
    public let decisionNotOpen = ErrorCode("objection.decision", 409, variant: "not_open")
    public let enterpriseOnly = ErrorCode("objection.enterprise_only", 403)
    public let noResult = ErrorCode("objection.no_result", 409)
    public let note = ErrorCode("objection.note", 422)
    public let pending = ErrorCode("objection.pending", 409)
    public let reason = ErrorCode("objection.reason", 422)
    public let tooLate = ErrorCode("objection.too_late", 409)
}

public struct PlanErrors: Sendable {
    public let invalid = ErrorCode("plan.invalid", 422)
    public let announced = ErrorCode("plan.announced", 409)
    public let beaconEntered = ErrorCode("plan.beacon_entered", 409)
    public let beaconNotYet = ErrorCode("plan.beacon_not_yet", 409)
    public let beaconPassed = ErrorCode("plan.beacon_passed", 409)
    public let beaconSecondOfficer = ErrorCode("plan.beacon_second_officer", 409)
    public let beaconValueDrand = ErrorCode("plan.beacon_value", 422, variant: "drand")
    public let beaconValueLottery = ErrorCode("plan.beacon_value", 422, variant: "lottery")
    public let codeTaken = ErrorCode("plan.code_taken", 409)
    public let concurrentChange = ErrorCode("plan.concurrent_change", 409)
    public let forfeited = ErrorCode("plan.forfeited", 409)
    public let formStratum = ErrorCode("plan.form", 422, variant: "stratum")
    public let formItem = ErrorCode("plan.form", 422, variant: "item")
    public let formNumbers = ErrorCode("plan.form", 422, variant: "numbers")
    public let notAnnounced = ErrorCode("plan.not_announced", 409)
    public let notFrozen = ErrorCode("plan.not_frozen", 409)
    public let notYours = ErrorCode("plan.not_yours", 403)
    public let rosterFrozen = ErrorCode("plan.roster_frozen", 409)
    public let tooFewInspectors = ErrorCode("plan.too_few_inspectors", 409)
}

public struct RecallErrors: Sendable {
    public let closed = ErrorCode("recall.closed", 409)
    public let decidedOn = ErrorCode("recall.decided_on", 422)
    public let details = ErrorCode("recall.details", 422)
    public let note = ErrorCode("recall.note", 422)
    public let recovered = ErrorCode("recall.recovered", 422)
}

public struct SelfReportErrors: Sendable {
    public let exists = ErrorCode("self_report.exists", 409)
    public let figures = ErrorCode("self_report.figures", 422)
    public let notLicensed = ErrorCode("self_report.not_licensed", 422)
    public let statements = ErrorCode("self_report.statements", 422)
    public let year = ErrorCode("self_report.year", 422)
}

public struct SupervisionErrors: Sendable {
    public let officerOnly = ErrorCode("supervision.officer_only", 403)
    public let outsideJurisdiction = ErrorCode("supervision.outside_jurisdiction", 403)
}

extension ErrorCode {
    public static let accident = AccidentErrors()
    public static let declaration = DeclarationErrors()
    public static let delicensed = DelicensedErrors()
    public static let draw = DrawErrors()
    public static let duty = DutyErrors()
    public static let enforcement = EnforcementErrors()
    public static let evidence = EvidenceErrors()
    public static let inspection = InspectionErrors()
    public static let inspector = InspectorErrors()
    public static let lead = LeadErrors()
    public static let objection = ObjectionErrors()
    public static let plan = PlanErrors()
    public static let recall = RecallErrors()
    public static let selfReport = SelfReportErrors()
    public static let supervision = SupervisionErrors()

    /// The areas of supervision, for listing every code.
    static let supervisionAreas: [any Sendable] = [accident, declaration, delicensed, draw, duty, enforcement, evidence, inspection, inspector, lead, objection, plan, recall, selfReport, supervision]
}
