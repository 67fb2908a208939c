import Testing
import XukeDomain

@Suite struct CaseMachineTests {
    func facts(_ state: CaseState, kind: ApplicationKind = .new, route: Route = .ordinary,
               verification: VerificationNeed = .required, corrections: Int = 0, outcome: VerificationOutcome? = nil) -> CaseFacts {
        CaseFacts(kind: kind, route: route, state: state, verification: verification, corrections: corrections, lastOutcome: outcome)
    }

    func code(_ f: CaseFacts, _ a: CaseAction) -> ErrorCode? {
        do { _ = try CaseMachine.next(f, a); return nil } catch { return error.code }
    }

    @Test func onlyAnUndecidedRenewalIsGrantedBySilence() {
        #expect(code(facts(.accepted, kind: .renewal), .deemRenewal) == nil)
        #expect(code(facts(.submitted, kind: .renewal), .deemRenewal) == nil)
        #expect(code(facts(.accepted, kind: .new), .deemRenewal) == ErrorCode.cases.illegalTransition)
        // The enterprise owes something, or the verification failed: silence grants nothing.
        #expect(code(facts(.correctionRequested, kind: .renewal), .deemRenewal) == ErrorCode.cases.illegalTransition)
        #expect(code(facts(.rectification, kind: .renewal), .deemRenewal) == ErrorCode.cases.illegalTransition)
        #expect(code(facts(.verified, kind: .renewal, outcome: .fail), .deemRenewal) == ErrorCode.cases.illegalTransition)
        #expect(code(facts(.issued, kind: .renewal), .deemRenewal) == ErrorCode.cases.closed)
    }

    @Test func ordinaryRouteHappyPath() throws {
        var f = facts(.submitted)
        for (action, expected) in [(CaseAction.accept, CaseState.accepted), (.assignVerifiers(count: 3), .verification),
                                   (.concludeVerification(.rectify), .rectification), (.rectified, .verification),
                                   (.concludeVerification(.pass), .verified), (.approve, .approved), (.issue, .issued)] {
            f.state = try CaseMachine.next(f, action)
            if case .concludeVerification(let o) = action { f.lastOutcome = o }
            #expect(f.state == expected)
        }
    }

    @Test func decidingAnUnverifiedCaseIsAConflict() {
        #expect(code(facts(.accepted), .approve) == ErrorCode.cases.notVerified)
        #expect(code(facts(.submitted), .approve) == ErrorCode.cases.illegalTransition)
        #expect(code(facts(.verified, outcome: .fail), .approve) == ErrorCode.cases.verificationFailed)
        #expect(code(facts(.verified, outcome: .fail), .refuse) == nil)
    }

    @Test func commitmentRouteSkipsTheSiteVisit() throws {
        let f = facts(.accepted, route: .commitment, verification: .none)
        #expect(try CaseMachine.next(f, .approve) == .approved)
        #expect(code(f, .assignVerifiers(count: 2)) == ErrorCode.cases.noVerification)
    }

    @Test func oneCorrectionNoticeOnly() throws {
        #expect(try CaseMachine.next(facts(.submitted), .requestCorrection) == .correctionRequested)
        #expect(code(facts(.submitted, corrections: 1), .requestCorrection) == ErrorCode.cases.correctionOnce)
        #expect(try CaseMachine.next(facts(.correctionRequested), .supplement) == .submitted)
    }

    @Test func verificationTeamHasTwoToFourMembers() {
        #expect(code(facts(.accepted), .assignVerifiers(count: 1)) == ErrorCode.verification.teamSize)
        #expect(code(facts(.accepted), .assignVerifiers(count: 5)) == ErrorCode.verification.teamSize)
        #expect(code(facts(.accepted), .assignVerifiers(count: 4)) == nil)
    }

    @Test func finalStatesAcceptNothing() {
        for s in [CaseState.issued, .refused, .withdrawn] {
            #expect(code(facts(s), .withdraw) == ErrorCode.cases.closed)
        }
        #expect(code(facts(.approved), .withdraw) == ErrorCode.cases.illegalTransition)
    }

    @Test func verificationNeedFollowsKindAndRoute() {
        #expect(VerificationNeed.of(kind: .new, route: .ordinary, changes: [], simplifiedRenewal: false) == .required)
        #expect(VerificationNeed.of(kind: .new, route: .commitment, changes: [], simplifiedRenewal: false) == .none)
        #expect(VerificationNeed.of(kind: .renewal, route: .ordinary, changes: [], simplifiedRenewal: true) == .none)
        #expect(VerificationNeed.of(kind: .change, route: .ordinary, changes: [.name], simplifiedRenewal: false) == .none)
        #expect(VerificationNeed.of(kind: .change, route: .ordinary, changes: [.productionAddress], simplifiedRenewal: false) == .optional)
        #expect(VerificationNeed.of(kind: .change, route: .ordinary, changes: [.name, .addUnits], simplifiedRenewal: false) == .required)
    }
}

@Suite struct LicenseRulesTests {
    @Test func numberFormat() {
        #expect(LicenseNumber(province: "粤", industry: "13", product: "006", serial: 123).description == "(粤)XK13-006-00123")
        #expect(LicenseNumber(province: nil, industry: "01", product: "001", serial: 7).description == "XK01-001-00007")
        #expect(LicenseNumber.provisionalCode(unitNo: "1003") == "10-003")
        #expect(LicenseNumber.codes("13-006")! == ("13", "006"))
        #expect(LicenseNumber.codes("13-06") == nil)
    }

    @Test func validityAndRenewalWindow() throws {
        let rules = LicensingRules()
        let decided = CivilDate("2024-02-29")!
        #expect(rules.validUntil(decidedOn: decided) == CivilDate("2029-02-27")!)
        let until = CivilDate("2026-12-31")!
        #expect(rules.renewalOpens(validUntil: until) == CivilDate("2026-06-30")!)
        try rules.checkRenewal(on: CivilDate("2026-06-30")!, validUntil: until)
        try rules.checkRenewal(on: until, validUntil: until)
        #expect(throws: DomainError.self) { try rules.checkRenewal(on: CivilDate("2026-06-29")!, validUntil: until) }
        #expect(throws: DomainError.self) { try rules.checkRenewal(on: CivilDate("2027-01-01")!, validUntil: until) }
        #expect(LicenseStatus.valid.on(CivilDate("2027-01-01")!, validUntil: until) == .expired)
        #expect(LicenseStatus.revoked.on(CivilDate("2027-01-01")!, validUntil: until) == .revoked)
    }

    @Test func monthsClampToTheMonthEnd() {
        #expect(CivilDate("2026-08-31")!.adding(months: -6) == CivilDate("2026-02-28")!)
        #expect(CivilDate("2026-01-31")!.adding(months: 1) == CivilDate("2026-02-28")!)
        #expect(CivilDate("2026-03-15")!.adding(months: -15) == CivilDate("2024-12-15")!)
    }

    @Test func settingsOutOfRangeAreRefused() {
        var rules = LicensingRules()
        rules.decisionDays = 0
        #expect(throws: DomainError.self) { try rules.validated() }
    }
}

@Suite struct StatutoryClockTests {
    // National Day 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked.
    let calendar = WorkCalendar(overrides: [
        CivilDate("2025-09-28")!: .workday, CivilDate("2025-10-01")!: .holiday, CivilDate("2025-10-02")!: .holiday,
        CivilDate("2025-10-03")!: .holiday, CivilDate("2025-10-06")!: .holiday, CivilDate("2025-10-07")!: .holiday,
        CivilDate("2025-10-08")!: .holiday, CivilDate("2025-10-11")!: .workday,
    ], coveredYears: [2025])

    @Test func acceptanceLimitAcrossNationalDay() {
        // Friday 26 September + 5 working days: Sun 28 (make-up), Mon 29, Tue 30, Thu 9, Fri 10 October.
        let clock = StatutoryClock(start: CivilDate("2025-09-26")!, limit: 5)
        let due = clock.deadline(today: CivilDate("2025-09-26")!, calendar: calendar)
        #expect(due.date == CivilDate("2025-10-10")!)
        #expect(!due.estimated)
        #expect(clock.daysLeft(today: CivilDate("2025-09-30")!, calendar: calendar).days == 2)
        #expect(clock.daysLeft(today: CivilDate("2025-10-11")!, calendar: calendar).days == -1)
    }

    @Test func stoppedDaysExtendTheDeadline() {
        // Stopped for testing from Mon 29 September until it resumed on Thu 9 October: 2 working days not counted.
        let stop = ClockStop(reason: .testing, from: CivilDate("2025-09-29")!, until: CivilDate("2025-10-09")!)
        let clock = StatutoryClock(start: CivilDate("2025-09-26")!, limit: 5, stops: [stop])
        #expect(clock.stoppedDays(today: CivilDate("2025-10-20")!, calendar: calendar) == 2)
        // 5 + 2 working days: 28 Sep, 29, 30, 9 Oct, 10, Saturday 11 (make-up), Monday 13.
        #expect(clock.deadline(today: CivilDate("2025-10-20")!, calendar: calendar).date == CivilDate("2025-10-13")!)
        let open = StatutoryClock(start: CivilDate("2025-09-26")!, limit: 5,
                                  stops: [ClockStop(reason: .hearing, from: CivilDate("2025-09-29")!, until: nil)])
        #expect(open.isStopped(today: CivilDate("2025-09-30")!))
        #expect(open.stoppedDays(today: CivilDate("2025-09-30")!, calendar: calendar) == 2)
    }
}

@Suite struct ApplicationFormTests {
    @Test func newApplicationListsEverythingMissing() {
        let problems = ApplicationForm().problems(kind: .new, changes: [])
        #expect(problems.count == 4)
        #expect(problems.contains { $0.en.contains("units") })
    }

    @Test func changeNeedsTheNewValues() {
        let form = ApplicationForm(units: ["10x1"])
        let problems = form.problems(kind: .change, changes: [.name, .addUnits])
        #expect(problems.contains { $0.en == "Give the new enterprise name" })
        #expect(problems.contains { $0.en.contains("4 digits") })
    }

    @Test func uploadTypeComesFromTheBytes() {
        #expect(UploadType.sniff(Array("%PDF-1.7\n".utf8)) == .pdf)
        #expect(UploadType.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(UploadType.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(UploadType.sniff(Array("<html>".utf8)) == nil)
        #expect(UploadType.sniff([UInt8]()) == nil)
    }
}

@Suite struct RoutingTests {
    func unit(_ no: String, _ level: AuthorityLevel, commitment: CommitmentEligibility = .no) -> CatalogUnit {
        CatalogUnit(unitNo: no, nameZh: no, nameEn: no, authority: level, commitmentRoute: commitment, confidence: "test")
    }

    var editions: [CatalogEdition] {
        [
            CatalogEdition(code: "2019", instrument: "", inForce: CivilDate("2019-09-12")!, categories: [
                CatalogCategory(categoryNo: "01", nameZh: "钢筋", nameEn: "Bars", units: [unit("0101", .national)]),
                CatalogCategory(categoryNo: "06", nameZh: "电线电缆", nameEn: "Cables", units: [unit("0601", .provincial)]),
                CatalogCategory(categoryNo: "10", nameZh: "食品相关", nameEn: "Food contact", units: [unit("1001", .provincial, commitment: .yes)]),
            ]),
            CatalogEdition(code: "2024", instrument: "", inForce: CivilDate("2024-09-25")!, categories: [
                CatalogCategory(categoryNo: "06", nameZh: "电线电缆", nameEn: "Cables", units: [unit("0601", .provincial)]),
            ]),
        ]
    }

    let delegations = [Routing.Delegation(province: "440000", categoryNo: "06", divisionCode: "440300")]

    func route(_ units: [String], on date: String, actions: [ReformAction] = [], delegationAllowed: Bool = true) throws(DomainError) -> Routing.Decision {
        try Routing.route(units: units, enterpriseDivision: "440305", on: CivilDate(date)!, editions: editions, actions: actions,
                          delegations: delegations, delegationBelowProvince: delegationAllowed)
    }

    func code(_ body: () throws -> Routing.Decision) -> ErrorCode? {
        do { _ = try body(); return nil } catch let e as DomainError { return e.code } catch { return ErrorCode(rawValue: "\(error)") }
    }

    @Test func levelComesFromTheEditionInForce() throws {
        #expect(try route(["0101"], on: "2020-01-02").authority == Routing.national)
        #expect(try route(["1001"], on: "2020-01-02", delegationAllowed: false).authority == "440000")
        #expect(try route(["1001"], on: "2020-01-02").commitmentEligible)
        #expect(code { try route(["0101", "0601"], on: "2020-01-02") } == ErrorCode.routing.mixedAuthorities)
        #expect(try route(["0601"], on: "2025-01-02").edition == "2024")
    }

    @Test func aProvinceDelegatesOnlyWhereTheEditionAllows() throws {
        // Shenzhen's bureau handles cables for enterprises in Shenzhen while delegation is allowed.
        #expect(try route(["0601"], on: "2020-01-02").authority == "440300")
        #expect(try route(["0601"], on: "2025-01-02", delegationAllowed: false).authority == "440000")
        // A category the province did not delegate stays with the province.
        #expect(try route(["1001"], on: "2020-01-02").authority == "440000")
    }

    @Test func refusalsPointToCCCOrSayNoLicenseIsNeeded() {
        let moved = ReformAction(edition: "2024", kind: .moveToCCC, effective: CivilDate("2021-01-01")!, instrument: "test 2020",
                                 subjectNo: "1001", subjectZh: "食品相关", target: "CCC", note: "")
        #expect(code { try route(["1001"], on: "2022-01-02", actions: [moved]) } == ErrorCode.routing.movedToCcc)
        #expect(code { try route(["1001"], on: "2025-01-02") } == ErrorCode.routing.notLicensed)
        #expect(code { try route(["0601"], on: "2010-01-01") } == ErrorCode.routing.noEdition)
    }
}
