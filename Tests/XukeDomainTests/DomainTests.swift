import Testing
@testable import XukeDomain

@Suite struct USCCTests {
    @Test(arguments: ["91110108MA83JN2N13", "91310115MA11X9522T", "91440300MAHTRKJH63"])
    func validCodes(_ code: String) throws {
        #expect(try USCC(code).value == code)
    }

    @Test func wrongCheckCharacterNamesTheExpectedOne() {
        #expect(throws: DomainError.self) { try USCC("91350100M000100Y4Z") }
        do {
            _ = try USCC("91350100M000100Y4Z")
        } catch {
            #expect(error.code == ErrorCode.uscc.check)
            #expect(error.args["expected"] == LocalizedText(zh: "3", en: "3"))
        }
        #expect(throws: DomainError.self) { try USCC("91310115MA1H8R7C6D") }
    }

    @Test func lengthAndAlphabet() {
        #expect(throws: DomainError.self) { try USCC("9111010") }
        #expect(throws: DomainError.self) { try USCC("91110108MA83JN2NI3") }
        #expect(throws: DomainError.self) { try USCC("91110108ma83jn2n13") }
    }

    @Test func completingMakesValidCodes() throws {
        let u = try #require(USCC.completing("91350100M000100Y4"))
        #expect(u.value == "91350100M000100Y43")
        #expect(u.divisionCode == "350100")
    }
}

@Suite struct CivilDateTests {
    @Test func roundTripAndWeekday() throws {
        let d = try #require(CivilDate("2024-02-29"))
        #expect(d.description == "2024-02-29")
        #expect(d.isoWeekday == 4)
        #expect(CivilDate("2023-02-29") == nil)
        #expect(CivilDate("2024-2-01") == nil)
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate("2026-11-21")!.isoWeekday == 6)
    }
}

@Suite struct CSVTests {
    @Test func quotesBOMAndLineNumbers() throws {
        let text = "\u{FEFF}a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",z\n"
        let r = try CSV.parse(text)
        #expect(r.count == 3)
        #expect(r[0].fields == ["a", "b"])
        #expect(r[1].fields == ["x,1", "say \"hi\""])
        #expect(r[2].line == 4)
        #expect(r[2].fields == ["multi\nline", "z"])
        #expect(try CSV.parse(CSV.write(r.map(\.fields), bom: true)).map(\.fields) == r.map(\.fields))
    }

    @Test func unbalancedQuoteIsAnError() {
        #expect(throws: CSV.SyntaxError.self) { try CSV.parse("a,\"b\n") }
    }
}

@Suite struct CatalogTests {
    static let header = CatalogCSV.header.joined(separator: ",")
    static let row2019 = "2019,国发〔2019〕19号,2019-09-12,02,水泥,Cement,0201,水泥,Cement,national,no,confirmed"
    static let row2024 = "2024,国发〔2024〕11号,2024-09-25,02,水泥,Cement,0201,水泥,Cement,provincial,unconfirmed,confirmed"

    @Test func parsesEditionsAndExportsRoundTrip() throws {
        let editions = try CatalogCSV.parse([Self.header, Self.row2019, Self.row2024].joined(separator: "\n"))
        #expect(editions.map(\.code) == ["2019", "2024"])
        let again = try CatalogCSV.parse(CatalogCSV.export(editions[1]))
        #expect(again == [editions[1]])
        #expect(CatalogCSV.export(editions[1]).hasPrefix("\u{FEFF}"))
    }

    @Test func everyBadRowIsReportedByLine() {
        let text = [Self.header, Self.row2019, "2019,国发〔2019〕19号,2019-09-12,02,水泥,Cement,0302,x,x,national,no,c",
                    "2019,国发〔2019〕19号,2019-13-01,02,水泥,Cement,0202,x,x,federal,no,c", "too,few"].joined(separator: "\n")
        do {
            _ = try CatalogCSV.parse(text)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.problems.map(\.line) == [3, 4, 4, 5])
        }
    }

    @Test func wrongHeaderIsRefused() {
        #expect(throws: ImportError.self) { try CatalogCSV.parse("edition,decision\n2019,x") }
    }

    @Test func diffAndLicensabilityFollowDelegation() throws {
        let editions = try CatalogCSV.parse([Self.header, Self.row2019, Self.row2024,
            "2024,国发〔2024〕11号,2024-09-25,14,安全帽,Safety helmets,1401,安全帽,Safety helmets,provincial,unconfirmed,x"].joined(separator: "\n"))
        let diff = EditionDiff(from: editions[0], to: editions[1])
        #expect(diff.changes.map(\.kind) == [.authorityChanged, .commitmentChanged, .added])
        let delegate = ReformAction(edition: "2020", kind: .delegate, effective: CivilDate("2020-10-01")!, instrument: "n",
                                    subjectNo: "02", subjectZh: "水泥", target: "provincial", note: "")
        let before = Licensability.evaluate(unitNo: "0201", on: CivilDate("2020-09-30")!, editions: editions, actions: [delegate])
        #expect(before.authority == .national && before.edition == "2019")
        let after = Licensability.evaluate(unitNo: "0201", on: CivilDate("2021-01-01")!, editions: editions, actions: [delegate])
        #expect(after.authority == .provincial && after.appliedActions.count == 1)
        #expect(!Licensability.evaluate(unitNo: "1401", on: CivilDate("2024-09-24")!, editions: editions, actions: []).licensable)
        #expect(Licensability.evaluate(unitNo: "1401", on: CivilDate("2024-09-25")!, editions: editions, actions: []).licensable)
        #expect(Licensability.evaluate(unitNo: "0201", on: CivilDate("2018-01-01")!, editions: editions, actions: []).edition == nil)
    }
}

@Suite struct JurisdictionTests {
    @Test func prefixes() {
        #expect(Jurisdiction(divisionCode: "440000").contains(divisionCode: "440305"))
        #expect(!Jurisdiction(divisionCode: "440000").contains(divisionCode: "110101"))
        #expect(Jurisdiction(divisionCode: "440300").contains(divisionCode: "440305"))
        #expect(!Jurisdiction(divisionCode: "440300").contains(divisionCode: "440105"))
        #expect(Jurisdiction.national.contains(divisionCode: "650000"))
    }
}

@Suite struct RiskScoreTests {
    /// Worked by hand. 3 failures in 20 random checks: p = 0.15, z² = 3.8415, z²/n = 0.19208, so the Wilson
    /// centre is (0.15 + 0.09604) / 1.19208 = 0.20640 and the half-width 1.96 × √(0.006375 + 0.002401) / 1.19208
    /// = 0.15402: the interval is 0.05237 – 0.36042, and F = 0.36042 gives 0.40 × 36.042 = 14.417 points.
    /// 40 makers; one accident with one death is a load of 1 + 4 = 5, 12.5 per 100, s = 12.5 / 17.5 = 0.71429,
    /// 20 × 0.71429 = 14.286 points; 2 recalls are 5 per 100, s = 0.5, 7.5 points; no complaints, 0 points;
    /// 4 enforcement actions are 10 per 100, s = 10 / 15, 10 points. Score 14.417 + 14.286 + 7.5 + 0 + 10 = 46.202.
    @Test func aHandComputedExample() {
        let r = RiskScore(RiskInputs(makers: 40, checks: 20, failures: 3, accidents: 1, deaths: 1, recalls: 2, complaints: 0, enforcement: 4))
        #expect(abs(r.failureRate.lower - 0.05237) < 0.00001 && abs(r.failureRate.upper - 0.36042) < 0.00001)
        #expect(r.failureRate.rate == 0.15)
        #expect(abs(r.parts["failures"]! - 14.417) < 0.001 && abs(r.parts["accidents"]! - 14.286) < 0.001)
        #expect(r.parts["recalls"] == 7.5 && r.parts["complaints"] == 0 && abs(r.parts["enforcement"]! - 10) < 1e-9)
        #expect(abs(r.score - 46.202) < 0.001)
    }

    /// No checks means no evidence of safety (F = 1); no failures in 10 checks still leaves an upper bound of 27.8 %.
    @Test func edgesOfTheFormula() {
        let unchecked = RiskScore(RiskInputs())
        #expect(unchecked.failureRate.rate == nil && unchecked.failureRate.upper == 1 && unchecked.score == 40)
        let clean = Proportion(0, of: 10)
        #expect(clean.lower == 0 && abs(clean.upper - 0.27753) < 0.00001)
        #expect(abs(Proportion(10, of: 10).upper - 1) < 1e-12 && abs(Proportion(10, of: 10).lower - 0.72247) < 0.00001)
        #expect(RiskScore(RiskInputs(recalls: 1)).parts["recalls"] == 15, "records with no makers count in full")
        #expect(RiskScore(RiskInputs(makers: 100, checks: 1000, failures: 0)).score < 1, "many clean checks and nothing else score near zero")
    }

    /// Records count for every category and unit the maker's license covered; a check only within its category.
    @Test func recordsAreAttributedThroughLicenses() {
        var records = RiskRecords()
        records.licensed["A"] = [.init(unitNo: "1001", categoryNo: "10"), .init(unitNo: "1002", categoryNo: "10"), .init(unitNo: "0601", categoryNo: "06")]
        records.licensed["B"] = [.init(unitNo: "1001", categoryNo: "10")]
        records.checks = [("A", "10", true), ("B", "10", false), ("A", "06", false)]
        records.records = [("A", .recall), ("B", .accident(deaths: 2)), ("C", .complaint)]
        let t = records.tally()
        #expect(t.categories["10"] == RiskInputs(makers: 2, checks: 2, failures: 1, accidents: 1, deaths: 2, recalls: 1))
        #expect(t.categories["06"] == RiskInputs(makers: 1, checks: 1, recalls: 1))
        #expect(t.units["1001"] == RiskInputs(makers: 2, checks: 2, failures: 1, accidents: 1, deaths: 2, recalls: 1))
        #expect(t.units["1002"] == RiskInputs(makers: 1, checks: 1, failures: 1, recalls: 1))
        #expect(t.units["0601"] == RiskInputs(makers: 1, checks: 1, recalls: 1))
        #expect(t.unattributed == 1)
    }
}

@Suite struct ShareScopeTests {
    /// The feed on SQLite selects a prefix as the range [prefix, prefix with its "." turned into "/"), so each
    /// prefix must end in "." and be plain lower-case ASCII; none is listed twice.
    @Test func prefixesEndInADotAndDoNotOverlap() throws {
        let prefixes = ShareScope.allCases.flatMap(\.eventPrefixes)
        #expect(prefixes.allSatisfy { $0.hasSuffix(".") && $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A || $0 == 0x5F || $0 == 0x2E } })
        #expect(Set(prefixes).count == prefixes.count)
        #expect(try ShareScope.parseList("licenses,credit") == [.licenses, .credit])
        #expect(throws: DomainError.self) { try ShareScope.parseList("licenses gossip") }
        #expect(throws: DomainError.self) { try ShareScope.parseList(" ") }
    }
}

@Suite struct SupervisionRateTests {
    /// Default quotas: 5% of licensed makers, 10% of de-licensed ones, twice that in high-risk strata, rounded up.
    @Test func highRiskAndDelicensedStrataGetLargerDefaultQuotas() {
        #expect(SpotCheckPlan.defaultQuota(targets: 40, kind: .licensed, risk: .normal) == 2)
        #expect(SpotCheckPlan.defaultQuota(targets: 40, kind: .licensed, risk: .high) == 4)
        #expect(SpotCheckPlan.defaultQuota(targets: 40, kind: .delicensed, risk: nil) == 4)
        #expect(SpotCheckPlan.defaultQuota(targets: 40, kind: .delicensed, risk: .high) == 8)
        #expect(SpotCheckPlan.defaultQuota(targets: 3, kind: .licensed, risk: .low) == 1, "at least one where there are targets")
        #expect(SpotCheckPlan.defaultQuota(targets: 0, kind: .licensed, risk: .high) == 0)
    }

    @Test func aJurisdictionCoversItsOwnAndLowerAuthoritiesButNationalMattersOnlyNationally() {
        #expect(Jurisdiction.national.covers(authority: Routing.national) && Jurisdiction.national.covers(authority: "440000"))
        #expect(Jurisdiction(divisionCode: "440000").covers(authority: "440305"))
        #expect(!Jurisdiction(divisionCode: "440000").covers(authority: Routing.national))
        #expect(!Jurisdiction(divisionCode: "440300").covers(authority: "440000"))
    }
}

@Suite struct SignInThrottleTests {
    let rule = SignInThrottle(freeFailures: 3, maxDelaySeconds: 60, windowSeconds: 900)

    @Test func freeFailuresThenDoublingWaitsUpToTheCap() {
        #expect((0...3).map(rule.delay(after:)) == [0, 0, 0, 0])
        #expect((4...10).map(rule.delay(after:)) == [1, 2, 4, 8, 16, 32, 60])
        #expect(rule.delay(after: 1_000_000) == 60)
    }

    @Test func anAttemptBeforeTheWaitIsOverIsRefusedAndTheWindowForgets() {
        var s = SignInThrottle.State.fresh(1000)
        for _ in 0..<4 { s = rule.failed(s, now: 1000) }
        #expect(s.failures == 4 && rule.wait(s, now: 1000) == 1 && rule.wait(s, now: 1001) == 0)
        // Past the window the count starts again.
        s = rule.failed(s, now: 1000 + 900)
        #expect(s.failures == 1 && rule.wait(s, now: 1900) == 0)
    }

    @Test func aSuccessTakesBackItsUpFrontFailure() {
        var s = SignInThrottle.State.fresh(0)
        for _ in 0..<5 { s = rule.failed(s, now: 0) }
        s = rule.succeeded(s)
        #expect(s.failures == 4 && rule.wait(s, now: 0) == 2)
        s = rule.succeeded(s)
        #expect(s.failures == 3 && rule.wait(s, now: 0) == 0)
    }
}

@Suite struct LicenseAuthorityTests {
    @Test func theHolderAndTheAuthoritiesAboveItMayChangeALicenseNobodyElse() {
        func may(_ holder: String, _ role: Role, _ j: String?) -> Bool { LicenseAuthority.mayChange(licenseHeldBy: holder, role: role, jurisdiction: j) }
        #expect(may("440000", .officer, "440000") && may("440000", .officer, nil), "the province and the nation")
        #expect(!may("440000", .officer, "440305") && !may("440000", .officer, "440300"), "not a county or prefecture below the province")
        #expect(!may("440000", .officer, "310000"), "not another province")
        #expect(may("440305", .officer, "440305") && may("440305", .officer, "440300") && may("440305", .officer, "440000"), "a delegated county bureau and those above it")
        #expect(!may("440305", .officer, "440306"), "not a neighbouring county")
        #expect(may("national", .officer, nil) && !may("national", .officer, "440000"))
        #expect(!may("440000", .administrator, nil) && !may("440000", .enterprise, nil) && !may("440000", .verifier, nil))
    }
}
