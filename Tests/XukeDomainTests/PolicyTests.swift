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
