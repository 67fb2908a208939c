import XukeDomain
import XukeStorage

/// A licence as its certificate shows it; signed-in readers get links to its history, the public its declarations.
struct CertificatePage: PageModel {
    struct Address: Encodable, Sendable { var address: String }
    struct Unit: Encodable, Sendable { var no: String, zh: String, en: String, since: String, commitment: Bool }
    struct Declared: Encodable, Sendable {
        struct Standard: Encodable, Sendable { var product: String, standard: String, title: String }
        var standards: [Standard], standardsVersion: String, commitment: String, commitmentVersion: String, versions: Int
    }
    var id: Int, number: String, name: String, domicile: String, uscc: String
    var addresses: [Address], units: [Unit]
    var issuedOn: String, firstIssuedOn: String, decidedOn: String, validUntil: String, version: Int
    var authorityZh: String, statusZh: String, statusEn: String, inForce: Bool, notInForce: Bool
    var credential: CredentialBlock?
    var signedIn = false
    var declared: Declared? = nil
}

struct ProgressPage: PageModel {
    struct Found: Encodable, Sendable {
        var number: String, kind: String, route: String, state: String, authority: String, submittedOn: String
        var acceptedOn: String, decidedOn: String, issuedOn: String, stopped: Bool, deemed: String
    }
    var number: String
    var found: Found?
    var error: String?
}

/// An officer's or enterprise's work list, with its counts and filters.
struct ApplicationsPage: PageModel {
    struct Row: Encodable, Sendable { var id: Int, number: String, enterprise: String, kind: String, route: String, state: String, due: String, overdue: Bool, handler: String }
    struct Choice: Encodable, Sendable { var value: String, name: String, selected: Bool }
    var rows: [Row], none: Bool, all: Bool, overdue: Bool, nearly: Bool, open: Int, overdueCount: Int, nearlyCount: Int, canApply: Bool, next: String
    /// Officers narrow the list (`f`: the filters as typed) and export it.
    var isStaff: Bool, f: [String: String], states: [Choice], handlers: [Choice], export: String
}

struct LicenseHistoryPage: PageModel {
    struct Version: Encodable, Sendable {
        var version: Int, status: String, reason: String, at: String, name: String, validUntil: String, units: String, application: String
    }
    var id: Int, number: String, versions: [Version], events: [HistoryEntry]
}

struct InboxPage: PageModel {
    struct Item: Encodable, Sendable { var id: Int, subject: String, at: String, unread: Bool }
    var items: [Item], none: Bool
}

/// Working days taken to decide, overall and by authority, category and route.
struct StatisticsPage: PageModel {
    struct Row: Encodable, Sendable { var key: String, cases: Int, median: String, mean: String, p90: String }
    var since: String, open: Int, overdue: Int, nearlyDue: Int
    var all: [Row], byAuthority: [Row], byCategory: [Row], byRoute: [Row], none: Bool
}

/// An application with everything a party to it may see and the actions open to the reader.
struct CasePage: PageModel {
    struct Verifier: Encodable, Sendable { var id: Int, name: String }
    struct Unit: Encodable, Sendable { var no: String, name: String, commitment: Bool }
    struct Address: Encodable, Sendable { var address: String, division: String }
    struct Material: Encodable, Sendable { var position: Int, kind: String, filename: String, size: String, report: String, href: String }
    struct Correction: Encodable, Sendable { var items: [String], issuedOn: String, answeredOn: String }
    struct Stop: Encodable, Sendable { var reason: String, from: String, until: String, note: String }
    struct License: Encodable, Sendable { var id: Int, number: String }
    struct Clock: Encodable, Sendable { var step: String, deadline: String, daysLeft: Int, overdue: Bool, overdueBy: Int, stopped: Bool, estimated: Bool }
    struct Finding: Encodable, Sendable {
        struct Choice: Encodable, Sendable { var value: String, name: String, selected: Bool }
        var code: String, name: String, result: String, note: String, options: [Choice]
    }
    struct Verification: Encodable, Sendable {
        var id: Int, kind: String, state: String, due: String, rectifyBy: String, summary: String, outcome: String, team: String
        var items: [Finding], canRecord: Bool, canAssign: Bool, verifiers: [Verifier]
    }
    struct OfficerActions: Encodable, Sendable {
        var accept: Bool, correct: Bool, refuseAcceptance: Bool, assign: Bool, approve: Bool, refuse: Bool, issue: Bool, stop: Bool, resume: Bool
        var verifiers: [Verifier], reasons: [ValueName]
        var any: Bool { accept || correct || refuseAcceptance || assign || approve || refuse || issue || stop || resume }
    }
    struct ApplicantActions: Encodable, Sendable {
        var supplement: Bool, rectified: Bool, withdraw: Bool
        var any: Bool { supplement || rectified || withdraw }
    }
    var id: Int, caseID: Int, number: String, version: Int
    var error: String?
    var enterprise: String, uscc: String, kind: String, route: String, state: String, authority: String, edition: String, changes: String
    var submittedOn: String, acceptedOn: String, decidedOn: String, issuedOn: String, deemed: String, refusal: String, elapsed: String
    var verification: String, simplified: Bool
    var units: [Unit], removeUnits: String, addresses: [Address]
    var equipment: [ApplicationForm.Equipment], staff: [ApplicationForm.Staff]
    var newName: String, newDomicile: String, statement: String, commitment: String, commitmentHash: String
    var materials: [Material]
    var correction: Correction?
    var stops: [Stop], events: [HistoryEntry]
    var license: License?
    var clock: Clock?
    var verifications: [Verification] = []
    struct Document: Encodable, Sendable { var id: Int, title: String, number: String, date: String }
    /// The official documents the case's steps gave.
    var documents: [Document] = []
    var hasDocuments = false
    struct Organisation: Encodable, Sendable {
        struct Officer: Encodable, Sendable { var id: Int, name: String, selected: Bool }
        struct Signature: Encodable, Sendable { var round: Int, rank: String, signer: String, outcome: String, note: String, at: String }
        var handler: String
        var canTake: Bool, canAssign: Bool, hasHandler: Bool
        var officers: [Officer]
        var chain: String
        var hasChain: Bool
        var signatures: [Signature]
        var next: String
        /// The reader may sign the next step; `propose`: it is the first, which chooses the decision.
        var canSign: Bool, propose: Bool, canReturn: Bool
    }
    var organisation: Organisation?
    var officer: OfficerActions?
    var applicant: ApplicantActions?
}

/// The application form as typed (`v`), with its choices.
struct ApplyPage: PageModel {
    struct Item: Encodable, Sendable { var value: String, name: String, checked: Bool }
    struct Choice: Encodable, Sendable { var value: String, name: String, selected: Bool }
    var v: [String: String]
    var error: String?
    var problems: [String], kinds: [Choice], routes: [Choice], changeItems: [Item]
}
