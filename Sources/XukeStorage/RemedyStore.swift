public import SQLKit
public import XukeDomain

/// A hearing before a licence is revoked or withdrawn (行政处罚法 Art. 63–64).
public struct Hearing: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Told of the right; may ask until `requestBy`.
        case notified
        case requested
        case scheduled
        case held
        /// The holder did not ask in time.
        case waived
        /// The measure was taken (or dropped) after it.
        case decided
    }
    public var id: Int
    public var licenseID: Int
    public var uscc: String
    public var authority: String
    /// `revocation` or `withdrawal`.
    public var measure: String
    public var reasons: String
    public var noticeID: Int?
    public var notifiedOn: CivilDate
    public var requestBy: CivilDate
    public var state: State
    public var requestedOn: CivilDate?
    public var scheduledFor: CivilDate?
    public var place: String
    public var heldOn: CivilDate?
    public var record: String
    public var decidedOn: CivilDate?
    public var version: Int
    public var createdAt: String

    /// A hearing notice as it is sent.
    public init(licenseID: Int, uscc: String, authority: String, measure: String, reasons: String, noticeID: Int?, notifiedOn: CivilDate,
                requestBy: CivilDate, at: String) {
        (self.id, self.licenseID, self.uscc, self.authority, self.measure, self.reasons) = (0, licenseID, uscc, authority, measure, reasons)
        (self.noticeID, self.notifiedOn, self.requestBy, self.state) = (noticeID, notifiedOn, requestBy, .notified)
        (self.requestedOn, self.scheduledFor, self.place, self.heldOn, self.record, self.decidedOn) = (nil, nil, "", nil, "", nil)
        (self.version, self.createdAt) = (1, at)
    }

    init(id: Int, licenseID: Int, uscc: String, authority: String, measure: String, reasons: String, noticeID: Int?, notifiedOn: CivilDate,
         requestBy: CivilDate, state: State, requestedOn: CivilDate?, scheduledFor: CivilDate?, place: String, heldOn: CivilDate?, record: String,
         decidedOn: CivilDate?, version: Int, createdAt: String) {
        self.init(licenseID: licenseID, uscc: uscc, authority: authority, measure: measure, reasons: reasons, noticeID: noticeID, notifiedOn: notifiedOn,
                  requestBy: requestBy, at: createdAt)
        (self.id, self.state, self.requestedOn, self.scheduledFor, self.place) = (id, state, requestedOn, scheduledFor, place)
        (self.heldOn, self.record, self.decidedOn, self.version) = (heldOn, record, decidedOn, version)
    }

    /// Days a held or waived hearing stands for the measure it was about: after that the procedure is stale, the
    /// measure needs a new notice, and a new one may be sent.
    public static let standsForDays = 90

    /// The last day the measure may be taken on this hearing.
    public var standsUntil: CivilDate { (heldOn ?? requestBy).adding(days: Self.standsForDays) }

    /// Whether the procedure is still under way or usable on `today` (and so blocks a second notice).
    public func isOpen(on today: CivilDate) -> Bool { state != .decided && today <= standsUntil }

    /// The state as of `today`: a notice nobody answered in time is waived.
    public func state(on today: CivilDate) -> State { state == .notified && today > requestBy ? .waived : state }
}

/// Administrative reconsideration (60 days) or litigation (6 months) against a decision, and what came of it.
public struct Remedy: Sendable, Codable, Equatable {
    public var id: Int
    public var documentID: Int
    /// `reconsideration` or `litigation`.
    public var kind: String
    /// The reviewing government or the court.
    public var body: String
    public var filedOn: CivilDate
    /// `pending`, `upheld` or `reversed`.
    public var outcome: String
    public var decidedOn: CivilDate?
    public var note: String
    /// What a reversal undid (empty otherwise).
    public var undone: String
    public var recordedBy: Int
    public var at: String
}

public enum RemedyStore {
    struct HearingRow: Codable {
        var licenseId: Int; var uscc: String; var authority: String; var measure: String; var reasons: String; var noticeId: Int?
        var notifiedOn: CivilDate; var requestBy: CivilDate; var state: Hearing.State; var requestedOn: CivilDate?; var scheduledFor: CivilDate?
        var place: String; var heldOn: CivilDate?; var record: String; var decidedOn: CivilDate?; var version: Int; var createdAt: String

        init(_ h: Hearing) {
            licenseId = h.licenseID; uscc = h.uscc; authority = h.authority; measure = h.measure; reasons = h.reasons; noticeId = h.noticeID
            notifiedOn = h.notifiedOn; requestBy = h.requestBy; state = h.state; requestedOn = h.requestedOn; scheduledFor = h.scheduledFor
            place = h.place; heldOn = h.heldOn; record = h.record; decidedOn = h.decidedOn; version = h.version; createdAt = h.createdAt
        }

        func hearing(id: Int) -> Hearing {
            Hearing(id: id, licenseID: licenseId, uscc: uscc, authority: authority, measure: measure, reasons: reasons, noticeID: noticeId,
                    notifiedOn: notifiedOn, requestBy: requestBy, state: state, requestedOn: requestedOn, scheduledFor: scheduledFor, place: place,
                    heldOn: heldOn, record: record, decidedOn: decidedOn, version: version, createdAt: createdAt)
        }
    }

    public static func insertHearing(_ sql: any SQLDatabase, _ h: Hearing) async throws -> Hearing {
        var h = h
        h.id = try await sql.insertRow(into: "hearings", HearingRow(h))
        return h
    }

    /// Saves a changed hearing if nobody changed it first.
    public static func updateHearing(_ sql: any SQLDatabase, _ h: Hearing) async throws -> Hearing {
        var next = h
        next.version += 1
        guard try await sql.updateRow("hearings", HearingRow(next), id: h.id, expected: h.version) else { throw DomainError(.cases.concurrentChange) }
        return next
    }

    public static func hearing(_ sql: any SQLDatabase, id: Int) async throws -> Hearing? {
        try await sql.row("SELECT * FROM hearings WHERE id = \(bind: id)", as: Identified<HearingRow>.self).map { $0.columns.hearing(id: $0.id) }
    }

    public static func hearings(_ sql: any SQLDatabase, licenseID: Int) async throws -> [Hearing] {
        try await sql.rows("SELECT * FROM hearings WHERE license_id = \(bind: licenseID) ORDER BY id", as: Identified<HearingRow>.self).map { $0.columns.hearing(id: $0.id) }
    }

    struct RemedyRow: Codable {
        var documentId: Int; var kind: String; var body: String; var filedOn: CivilDate; var outcome: String; var decidedOn: CivilDate?
        var note: String; var undone: String; var recordedBy: Int; var at: String
    }

    public static func insertRemedy(_ sql: any SQLDatabase, documentID: Int, kind: String, body: String, filedOn: CivilDate, outcome: String,
                                    decidedOn: CivilDate?, note: String, undone: String, by userID: Int, at: String) async throws -> Remedy {
        let row = RemedyRow(documentId: documentID, kind: kind, body: body, filedOn: filedOn, outcome: outcome, decidedOn: decidedOn, note: note,
                            undone: undone, recordedBy: userID, at: at)
        let id = try await sql.insertRow(into: "remedies", row)
        return Remedy(id: id, documentID: documentID, kind: kind, body: body, filedOn: filedOn, outcome: outcome, decidedOn: decidedOn, note: note,
                      undone: undone, recordedBy: userID, at: at)
    }

    public static func remedies(_ sql: any SQLDatabase, documentID: Int) async throws -> [Remedy] {
        try await sql.rows("SELECT * FROM remedies WHERE document_id = \(bind: documentID) ORDER BY id", as: Identified<RemedyRow>.self).map {
            let r = $0.columns
            return Remedy(id: $0.id, documentID: r.documentId, kind: r.kind, body: r.body, filedOn: r.filedOn, outcome: r.outcome, decidedOn: r.decidedOn,
                          note: r.note, undone: r.undone, recordedBy: r.recordedBy, at: r.at)
        }
    }

    /// Ends, as never in force, the bars a decision of `day` on licence `number` put on its enterprise, and the false
    /// commitment it recorded (its reversal).
    public static func voidFlags(_ sql: any SQLDatabase, uscc: String, number: String, since day: CivilDate) async throws {
        try await sql.raw("""
            UPDATE credit_flags SET until = \(bind: day.adding(days: -1).description)
            WHERE uscc = \(bind: uscc) AND since = \(bind: day.description)
              AND ((kind IN ('grant_revoked', 'license_withdrawn') AND note = \(bind: number)) OR kind = 'false_commitment')
            """).run()
    }
}
