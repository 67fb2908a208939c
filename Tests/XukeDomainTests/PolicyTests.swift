import Testing
@testable import XukeDomain

@Suite struct RecipientsTests {
    @Test func officersOverACountyAreItsCitysAndItsProvincesToo() {
        #expect(Recipients.jurisdictionsOver(division: "440305") == ["440305", "440300", "440000"])
        // A city's own officers are its city's: each jurisdiction once.
        #expect(Recipients.jurisdictionsOver(division: "440300") == ["440300", "440000"])
        #expect(Recipients.jurisdictionsOver(division: "440000") == ["440000"])
        // Directly administered counties of a province sit under the province's "90" block.
        #expect(Recipients.jurisdictionsOver(division: "429004") == ["429004", "429000", "420000"])
    }

    @Test func aCaseIsHeardByItsOwnAuthoritysOfficers() {
        #expect(Recipients.caseOfficers(authority: Routing.national) == nil)
        #expect(Recipients.caseOfficers(authority: "440000") == "440000")
    }
}

@Suite struct CommitmentBarTests {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    @Test func aFalseCommitmentOrASeriousViolationInForceClosesTheRoute() {
        let day = d("2026-12-03")
        let false1 = CommitmentBar.Flag(kind: "false_commitment", since: d("2025-01-01"), until: nil)
        #expect(CommitmentBar.barred(flags: [false1], listedInForce: false, on: day))
        let serious = CommitmentBar.Flag(kind: "serious_violation", since: d("2026-01-01"), until: d("2026-12-03"))
        // `until` is the first day it no longer holds.
        #expect(!CommitmentBar.barred(flags: [serious], listedInForce: false, on: day))
        #expect(CommitmentBar.barred(flags: [serious], listedInForce: false, on: d("2026-12-02")))
        let future = CommitmentBar.Flag(kind: "false_commitment", since: d("2027-01-01"), until: nil)
        #expect(!CommitmentBar.barred(flags: [future], listedInForce: false, on: day))
    }

    @Test func otherFlagsDoNotButACreditListingDoes() {
        let day = d("2026-12-03")
        let other = CommitmentBar.Flag(kind: "grant_revoked", since: d("2025-01-01"), until: nil)
        #expect(!CommitmentBar.barred(flags: [other], listedInForce: false, on: day))
        #expect(CommitmentBar.barred(flags: [], listedInForce: true, on: day))
        #expect(!CommitmentBar.barred(flags: [], listedInForce: false, on: day))
    }
}

@Suite struct PlanMachineTests {
    func outcome(_ s: PlanState, _ step: PlanStep) -> String {
        do { return try PlanMachine.next(s, step).rawValue } catch { return error.code.rawValue }
    }

    /// Each step from its one state; from any other, the reason it cannot be taken.
    @Test func eachStepFromItsOneState() {
        let expected: [PlanStep: [PlanState: String]] = [
            .edit: [.draft: "draft", .announced: "plan.announced", .frozen: "plan.announced", .drawn: "plan.announced"],
            .announce: [.draft: "announced", .announced: "plan.announced", .forfeited: "plan.announced"],
            .freeze: [.draft: "plan.not_announced", .announced: "frozen", .frozen: "plan.roster_frozen", .beacon: "plan.roster_frozen",
                      .drawn: "plan.roster_frozen", .forfeited: "plan.roster_frozen"],
            .enterBeacon: [.draft: "plan.not_frozen", .announced: "plan.not_frozen", .frozen: "beacon", .beacon: "plan.beacon_entered",
                           .drawn: "plan.beacon_entered", .forfeited: "plan.not_frozen"],
            .draw: [.draft: "draw.no_beacon", .announced: "draw.no_beacon", .frozen: "draw.no_beacon", .beacon: "drawn",
                    .drawn: "draw.done", .forfeited: "plan.forfeited"],
        ]
        for (step, byState) in expected {
            for (state, result) in byState {
                #expect(outcome(state, step) == result, "\(step) from \(state)")
            }
        }
    }

    @Test func anUnrevealedSecretOrAValueThatNeverStoodForfeitsThePlan() {
        let confirm = "2026-12-05T00:00:00Z"
        #expect(PlanMachine.forfeits(.beacon, revealDue: "2026-12-04T00:00:00Z", confirmationDue: confirm, now: "2026-12-04T00:00:01Z"))
        #expect(!PlanMachine.forfeits(.beacon, revealDue: "2026-12-04T00:00:00Z", confirmationDue: confirm, now: "2026-12-04T00:00:00Z"))
        // Plans confirmed before reveal deadlines existed have none, and never forfeit.
        #expect(!PlanMachine.forfeits(.beacon, revealDue: nil, confirmationDue: confirm, now: "2030-01-01T00:00:00Z"))
        #expect(PlanMachine.forfeits(.frozen, revealDue: nil, confirmationDue: confirm, now: "2026-12-05T00:00:01Z"))
        #expect(!PlanMachine.forfeits(.frozen, revealDue: nil, confirmationDue: confirm, now: "2026-12-04T23:59:59Z"))
        for done in [PlanState.draft, .announced, .drawn, .forfeited] {
            #expect(!PlanMachine.forfeits(done, revealDue: "2000-01-01T00:00:00Z", confirmationDue: "2000-01-01T00:00:00Z", now: "2030-01-01T00:00:00Z"))
        }
    }
}

@Suite struct RiskPolicyTests {
    @Test func problemsMakeAnEnterpriseHighRiskAndACleanRecordLow() {
        #expect(RiskPolicy.risk(.init()) == .normal)
        #expect(RiskPolicy.risk(.init(inspected: true)) == .low)
        #expect(RiskPolicy.risk(.init(inspected: true, failed: true)) == .high)
        #expect(RiskPolicy.risk(.init(accident: true)) == .high)
        #expect(RiskPolicy.risk(.init(inspected: true, listed: true)) == .high)
    }

    @Test func theRecordReachesBackTwoYears() {
        #expect(RiskPolicy.since(CivilDate("2026-12-03")!) == CivilDate("2024-12-03"))
        #expect(RiskPolicy.windowDays == 730)
    }
}

@Suite struct ApplicationBarTests {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    @Test func aRevokedGrantBarsEveryProductAWithdrawalItsOwnForThreeYears() {
        #expect(ApplicationBar.until(decidedOn: d("2026-12-03")) == d("2029-12-03"))
        let revoked = ApplicationBar(kind: .grantRevoked, units: ["0601"], until: d("2029-12-03"))
        let withdrawn = ApplicationBar(kind: .licenseWithdrawn, units: ["0601", "0602"], until: d("2029-12-03"))
        #expect(revoked.barred(["0701", "0601"]) == ["0701", "0601"])
        #expect(withdrawn.barred(["0701", "0602"]) == ["0602"])
        #expect(ApplicationBar.first([withdrawn], barring: ["0701"], on: d("2027-01-01")) == nil)
        #expect(ApplicationBar.first([withdrawn], barring: ["0602"], on: d("2027-01-01"))?.units == ["0602"])
        // The bar ends on its `until` day: three years exactly.
        #expect(ApplicationBar.first([revoked], barring: ["0701"], on: d("2029-12-02")) != nil)
        #expect(ApplicationBar.first([revoked], barring: ["0701"], on: d("2029-12-03")) == nil)
    }
}

@Suite struct VisibilityPolicyTests {
    @Test func eachRoleSeesWhatItsJurisdictionCovers() {
        #expect(Visibility.of(role: .administrator, jurisdiction: nil, enterprise: nil) == .everything)
        #expect(Visibility.of(role: .officer, jurisdiction: nil, enterprise: nil) == .everything)
        #expect(Visibility.of(role: .officer, jurisdiction: "440000", enterprise: nil) == .divisions(prefix: "44"))
        #expect(Visibility.of(role: .officer, jurisdiction: "440300", enterprise: nil) == .divisions(prefix: "4403"))
        #expect(Visibility.of(role: .enterprise, jurisdiction: nil, enterprise: "X") == .enterprise(uscc: "X"))
        #expect(Visibility.of(role: .enterprise, jurisdiction: nil, enterprise: nil) == .nothing)
        for role in [Role.verifier, .lab, .agency] { #expect(Visibility.of(role: role, jurisdiction: "440000", enterprise: "X") == .nothing) }
        let city = Visibility.divisions(prefix: "4403")
        #expect(city.admits(division: "440305", uscc: "any") && !city.admits(division: "440405", uscc: "any") && !city.admits(division: "national", uscc: "any"))
    }
}

@Suite struct SubmissionTests {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }
    func code(_ kind: ApplicationKind, _ held: Submission.Held?, on day: String = "2026-12-03") -> String? {
        do { try Submission.checkLicence(kind, held: held, rules: LicensingRules(), on: d(day)); return nil } catch { return error.code.rawValue }
    }

    /// One licence per enterprise: a new application needs none in force, every other kind needs one.
    @Test func oneLicencePerEnterprise() {
        let valid = Submission.Held(number: "粤XK06-001-00001", status: .valid, validUntil: d("2028-01-01"), units: ["0601"])
        let suspended = Submission.Held(number: "粤XK06-001-00001", status: .suspended, validUntil: d("2028-01-01"), units: ["0601"])
        let ended = Submission.Held(number: "粤XK06-001-00001", status: .revoked, validUntil: d("2028-01-01"), units: ["0601"])
        #expect(code(.new, nil) == nil && code(.new, ended) == nil)
        #expect(code(.new, valid) == "license.exists" && code(.new, suspended) == "license.exists")
        for kind in [ApplicationKind.change, .reissue, .cancellation] {
            #expect(code(kind, valid) == nil)
            #expect(code(kind, nil) == "license.none" && code(kind, ended) == "license.none")
        }
    }

    @Test func aRenewalOnlyInItsWindow() {
        let expiring = Submission.Held(number: "n", status: .valid, validUntil: d("2027-03-01"), units: ["0601"])
        #expect(code(.renewal, expiring, on: "2026-12-03") == nil)
        #expect(code(.renewal, expiring, on: "2026-06-01") != nil, "too early")
        let expired = Submission.Held(number: "n", status: .expired, validUntil: d("2026-11-01"), units: ["0601"])
        #expect(code(.renewal, expired) == "renewal.expired")
    }

    @Test func theUnitsAChangeRoutesAndThoseNewToTheLicence() {
        let held = ["0601", "0602"]
        let add = Submission.units(.change, changes: [.addUnits], asked: ["0701"], removing: [], held: held)
        #expect(add.routed == ["0601", "0602", "0701"] && add.new == ["0701"] && add.problems.isEmpty)
        let remove = Submission.units(.change, changes: [.removeUnits], asked: [], removing: ["0602"], held: held)
        #expect(remove.routed == ["0601"] && remove.new.isEmpty)
        let wrong = Submission.units(.change, changes: [.addUnits, .removeUnits], asked: ["0601"], removing: ["0999"], held: held)
        #expect(wrong.problems.count == 2)
        #expect(Submission.units(.new, changes: [], asked: ["0701"], removing: [], held: []).routed == ["0701"])
        #expect(Submission.units(.renewal, changes: [], asked: [], removing: [], held: held) == (held, [], []))
    }

    @Test func theCommitmentRouteIsForNewEligibleUnitsOnly() {
        func unit(_ no: String, _ eligible: Bool) -> Routing.Unit { Routing.Unit(unitNo: no, categoryNo: "06", nameZh: "", nameEn: "", commitmentEligible: eligible) }
        let routed = [unit("0601", true), unit("0701", false)]
        func code(_ changes: Set<ChangeItem>, _ new: [String]) -> String? {
            do { try Submission.checkCommitmentRoute(changes: changes, newUnits: new, routed: routed); return nil } catch { return error.code.rawValue }
        }
        #expect(code([], ["0601"]) == nil && code([.addUnits], ["0601"]) == nil)
        #expect(code([], []) == "route.commitment_kind", "a renewal adds nothing new")
        #expect(code([.addUnits, .name], ["0601"]) == "route.commitment_kind")
        #expect(code([], ["0601", "0701"]) == "route.not_eligible")
    }

    @Test func documentsCarryALicenceAndAReportForEachUnitThatNeedsOne() {
        let today = d("2026-12-03")
        let licence = Submission.Document(kind: .businessLicense, filename: "营业执照.pdf", lab: nil, reportNo: nil, reportDate: nil, units: nil)
        func report(_ units: [String], on day: String = "2026-11-01", lab: String? = "GZ-LAB") -> Submission.Document {
            Submission.Document(kind: .testReport, filename: "r.pdf", lab: lab, reportNo: "R1", reportDate: d(day), units: units)
        }
        #expect(Submission.unitsNeedingReports(.new, newUnits: ["0601"], held: [], exempt: []) == ["0601"])
        #expect(Submission.unitsNeedingReports(.renewal, newUnits: [], held: ["0601", "0602"], exempt: ["0602"]) == ["0601"])
        #expect(Submission.documentProblems([licence, report(["0601"])], needingReports: ["0601"], on: today).isEmpty)
        #expect(Submission.documentProblems([report(["0601"])], needingReports: ["0601"], on: today).count == 1, "no business licence")
        #expect(Submission.documentProblems([licence], needingReports: ["0601", "0602"], on: today).count == 2, "a report missing per unit")
        #expect(Submission.documentProblems([licence, report(["0601"], on: "2027-01-01")], needingReports: ["0601"], on: today).count == 1, "dated later than today")
        #expect(Submission.documentProblems([licence, report(["0601"], lab: nil)], needingReports: ["0601"], on: today).count == 1, "no lab named")
        // What the registry says about a report goes beside it; a report dated in the future is not looked up.
        let found = [LocalizedText(zh: "x", en: "x")]
        #expect(Submission.documentProblems([licence, report(["0601"])], needingReports: ["0601"], on: today, registry: [1: found]) == found)
        #expect(report(["0601"]).checkable(on: today) && !report(["0601"], on: "2027-01-01").checkable(on: today) && !licence.checkable(on: today))
    }
}

@Suite struct ReminderTests {
    @Test func aYearlyDutyRemindsBeforeAndAfterItsDay() {
        let due = CivilDate(year: 2026, month: 6, day: 30)!, from = CivilDate(year: 2026, month: 6, day: 1)!
        #expect(Reminders.stage(today: CivilDate(year: 2026, month: 5, day: 31)!, due: due, from: from) == nil)
        #expect(Reminders.stage(today: from, due: due, from: from) == "due_soon")
        #expect(Reminders.stage(today: due, due: due, from: from) == "due_soon")
        #expect(Reminders.stage(today: CivilDate(year: 2026, month: 7, day: 1)!, due: due, from: from) == "overdue")
    }
}
