import Foundation
import Hummingbird
import XukeDomain
import XukeStorage

/// The licensing workflow over JSON: applications, their actions, verifications, licenses, inbox, statistics.
struct LicensingAPI {
    let s: LicensingService
    let uploads: UploadService

    func register(_ api: RouterGroup<AppRequestContext>) {
        // Public: an application's stage by its number, no personal data.
        api.get("progress/{number}") { _, context in
            JSONReply(try await s.progress(number: try context.parameters.require("number")))
        }

        let signedIn = api.group(context: SignedInContext.self)
        signedIn.get("licensing/rules") { _, _ in JSONReply(try await s.rules()) }

        signedIn.get("delegations") { request, _ in JSONReply(try Page(whole: try await s.delegations(), try request.paging(standard: 200, max: 1000))) }
        signedIn.put("delegations/{province}") { request, context in
            let province = try context.parameters.require("province")
            let input = try await request.json([DelegationInput].self, limit: 64 * 1024)
            return JSONReply(try await s.setDelegations(province: province, input, by: context.user))
        }

        signedIn.post("uploads") { request, context in
            let body = try await request.bodyBytes(limit: UploadType.maxBytes)
            return JSONReply(try await uploads.store(body, by: context.user), status: .created)
        }

        signedIn.post("applications") { request, context in
            let input = try await request.json(LicensingService.SubmitInput.self, limit: 256 * 1024)
            return JSONReply(try await s.submit(input, by: context.user), status: .created)
        }
        signedIn.get("applications") { request, context in
            let urgency = try LicensingService.Urgency(rawValue: request.query("due") ?? "all").orBadRequest("due", "all, overdue, nearly_due")
            let state = try request.query("state").map { try CaseState(rawValue: $0).orBadRequest("state", CaseState.allCases.map(\.rawValue).joined(separator: ", ")) }
            let limit = try request.intQuery("limit", range: 1...200) ?? 50
            let after = try request.query("after").map { try LicensingService.workListCursor($0).orThrow(AppError(.request.cursor)) }
            let rows = try await s.workList(user: context.user, urgency: urgency, state: state, limit: limit + 1, after: after,
                                            narrowed: try LicensingService.narrowing(request, user: context.user))
            return JSONReply(Page(rows, limit: limit) { "\($0.dueOn?.description ?? "-")_\($0.id)" })
        }
        signedIn.post("applications/{id}/handler") { request, context in
            let input = try await request.json(HandlerInput.self, limit: 4096)
            return JSONReply(try await s.assignHandler(caseID: try context.parameters.require("id", as: Int.self), handlerID: input.handlerId,
                                                       reason: input.reason ?? "", by: context.user))
        }
        signedIn.post("applications/{id}/sign") { request, context in
            let input = try await request.json(SignInput.self, limit: 16 * 1024)
            let decision = try input.decision.map { try LicensingService.CaseCommand(rawValue: $0).orBadRequest("decision", "approve, refuse") }
            return JSONReply(try await s.sign(caseID: try context.parameters.require("id", as: Int.self), decision: decision, reasons: input.reasons,
                                              note: input.note, by: context.user))
        }
        signedIn.post("applications/{id}/return") { request, context in
            let input = try await request.json(SignInput.self, limit: 16 * 1024)
            return JSONReply(try await s.returnDecision(caseID: try context.parameters.require("id", as: Int.self), note: input.note ?? "", by: context.user))
        }
        signedIn.get("applications/{id}/signoffs") { _, context in
            JSONReply(try await s.organisation(caseID: try context.parameters.require("id", as: Int.self), user: context.user))
        }
        signedIn.get("licenses/{id}/hearings") { _, context in
            JSONReply(try await s.hearings(licenseID: try context.parameters.require("id", as: Int.self), user: context.user))
        }
        signedIn.post("licenses/{id}/hearings") { request, context in
            let input = try await request.json(HearingNoticeInput.self, limit: 16 * 1024)
            return JSONReply(try await s.noticeHearing(licenseID: try context.parameters.require("id", as: Int.self), measure: input.measure,
                                                       reasons: input.reasons, by: context.user), status: .created)
        }
        signedIn.post("hearings/{id}/request") { _, context in
            JSONReply(try await s.requestHearing(id: try context.parameters.require("id", as: Int.self), by: context.user))
        }
        signedIn.post("hearings/{id}/schedule") { request, context in
            let input = try await request.json(HearingScheduleInput.self, limit: 4096)
            return JSONReply(try await s.scheduleHearing(id: try context.parameters.require("id", as: Int.self), on: input.date, place: input.place, by: context.user))
        }
        signedIn.post("hearings/{id}/record") { request, context in
            let input = try await request.json(HearingRecordInput.self, limit: 64 * 1024)
            return JSONReply(try await s.recordHearing(id: try context.parameters.require("id", as: Int.self), record: input.record, by: context.user))
        }
        signedIn.get("documents/{id}/remedies") { _, context in
            JSONReply(try await s.remedies(documentID: try context.parameters.require("id", as: Int.self), user: context.user))
        }
        signedIn.post("documents/{id}/remedies") { request, context in
            let input = try await request.json(LicensingService.RemedyInput.self, limit: 16 * 1024)
            return JSONReply(try await s.recordRemedy(documentID: try context.parameters.require("id", as: Int.self), input, by: context.user), status: .created)
        }
        signedIn.get("authorities/{authority}/settings") { _, context in
            JSONReply(try await s.authoritySettings(try context.parameters.require("authority")))
        }
        signedIn.put("authorities/{authority}/settings") { request, context in
            let input = try await request.json(AuthoritySettings.self, limit: 16 * 1024)
            return JSONReply(try await s.saveAuthoritySettings(try context.parameters.require("authority"), input, by: context.user))
        }
        signedIn.get("applications/{id}") { _, context in
            JSONReply(try await s.caseView(id: try context.parameters.require("id", as: Int.self), user: context.user))
        }
        signedIn.post("applications/{id}/{action}") { request, context in
            let id = try context.parameters.require("id", as: Int.self)
            let name = try context.parameters.require("action")
            guard let command = LicensingService.CaseCommand(rawValue: name) else { throw AppError.notFound(name) }
            let input = try await request.json(LicensingService.ActionInput.self, limit: 256 * 1024)
            return JSONReply(try await s.act(caseID: id, command, input, by: context.user))
        }
        signedIn.get("applications/{id}/materials/{position}") { _, context in
            let (m, data) = try await s.material(caseID: try context.parameters.require("id", as: Int.self),
                                                 position: try context.parameters.require("position", as: Int.self), user: context.user)
            return fileResponse(data, mediaType: m.mediaType, filename: m.filename)
        }

        signedIn.get("verifications") { request, context in
            let paging = try request.paging()
            return JSONReply(Page(try await s.openVerifications(for: context.user, paging: paging), limit: paging.limit, cursor: LicensingService.verificationCursor))
        }
        signedIn.get("verifications/{id}") { _, context in
            let id = try context.parameters.require("id", as: Int.self)
            return JSONReply(try await s.visibleVerification(id: id, user: context.user))
        }
        signedIn.post("verifications/{id}/findings") { request, context in
            let input = try await request.json([LicensingService.FindingInput].self, limit: 64 * 1024)
            return JSONReply(try await s.recordFindings(verificationID: try context.parameters.require("id", as: Int.self), input, by: context.user))
        }
        signedIn.post("verifications/{id}/conclusion") { request, context in
            let input = try await request.json(LicensingService.ConclusionInput.self, limit: 64 * 1024)
            return JSONReply(try await s.conclude(verificationID: try context.parameters.require("id", as: Int.self), input, by: context.user))
        }
        signedIn.post("verifications/{id}/assign") { request, context in
            let input = try await request.json(VerifierList.self, limit: 4096)
            return JSONReply(try await s.assignFollowUp(verificationID: try context.parameters.require("id", as: Int.self),
                                                        verifiers: input.verifiers, by: context.user))
        }

        // Licences of before the platform, as CSV (UTF-8 or GB18030); ?dry_run=true checks and writes nothing.
        signedIn.post("licenses/import") { request, context in
            let dryRun = try request.query("dry_run").map { try ["true": true, "false": false][$0].orBadRequest("dry_run", "true, false") } ?? false
            let body = try await request.bodyBytes(limit: AccountService.importBodyLimit)
            let report = try await s.importLicenses(Data(body.readableBytesView), dryRun: dryRun, by: context.user)
            return JSONReply(report, status: dryRun ? .ok : .created)
        }
        signedIn.get("licenses/{id}") { _, context in
            let id = try context.parameters.require("id", as: Int.self)
            return JSONReply(try await s.visibleLicense(id: id, user: context.user))
        }
        signedIn.get("licenses/{id}/versions") { request, context in
            let id = try context.parameters.require("id", as: Int.self)
            return JSONReply(try Page(whole: try await s.licenseVersions(id: id, user: context.user), try request.paging(standard: 200, max: 1000)))
        }
        signedIn.post("licenses/{id}/revoke") { request, context in
            let input = try await request.json(Reasons.self, limit: 16 * 1024)
            return JSONReply(try await s.revokeForFalseCommitment(licenseID: try context.parameters.require("id", as: Int.self),
                                                                  note: input.reasons, by: context.user))
        }

        signedIn.get("statistics") { request, context in
            let since = try request.dateQuery("since") ?? s.clock.today.adding(months: -12)
            return JSONReply(try await s.statistics(user: context.user, since: since))
        }
        signedIn.get("me/inbox") { request, context in
            let paging = try request.paging()
            return JSONReply(Page(try await s.inbox(of: context.user, limit: paging.fetch, before: try paging.afterID()), limit: paging.limit) { "\($0.id)" })
        }
        signedIn.post("me/inbox/{id}/read") { _, context in
            let id = try context.parameters.require("id", as: Int.self)
            try await s.markRead(id, by: context.user)
            return Response(status: .noContent)
        }

        let admin = api.group(context: AdminContext.self)
        admin.put("licensing/rules") { request, context in
            let rules = try await request.json(LicensingRules.self, limit: 4096).validated()
            try await s.setRules(rules, by: context.user)
            return JSONReply(rules)
        }
        admin.post("spot-check-results") { request, _ in
            let r = try await request.json(SpotCheckInput.self, limit: 16 * 1024)
            try await s.addSpotCheckResult(uscc: r.uscc, unitNo: r.unitNo, level: r.level, passed: r.passed, checkedOn: r.checkedOn, reference: r.reference)
            // A fact recorded, with nothing to fetch back.
            return Response(status: .noContent)
        }
    }
}

struct DelegationInput: Decodable, Sendable { var categoryNo: String; var divisionCode: String }
struct VerifierList: Decodable, Sendable { var verifiers: [Int] }
struct Reasons: Decodable, Sendable { var reasons: String }
struct SpotCheckInput: Decodable, Sendable {
    var uscc: String
    var unitNo: String
    var level: String
    var passed: Bool
    var checkedOn: CivilDate
    var reference: String
}

/// A stored document, sent as an attachment with its name in UTF-8 (RFC 6266).
func fileResponse(_ data: Data, mediaType: String, filename: String) -> Response {
    let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document"
    return Response(status: .ok, headers: [
        .contentType: mediaType,
        .contentDisposition: "attachment; filename*=UTF-8''\(encoded)",
    ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

extension Optional {
    func orBadRequest(_ name: String, _ allowed: String) throws -> Wrapped {
        guard let self else {
            throw AppError(.request.badValue, ["name": "\(name)", "allowed": "\(allowed)"])
        }
        return self
    }
}

struct HandlerInput: Decodable, Sendable {
    var handlerId: Int?
    var reason: String?
}

struct SignInput: Decodable, Sendable {
    var decision: String?
    var reasons: String?
    var note: String?
}

struct HearingNoticeInput: Decodable, Sendable {
    var measure: String
    var reasons: String
}

struct HearingScheduleInput: Decodable, Sendable {
    var date: CivilDate
    var place: String
}

struct HearingRecordInput: Decodable, Sendable {
    var record: String
}
