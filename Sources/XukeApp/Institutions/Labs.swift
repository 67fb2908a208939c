import Foundation
import Hummingbird
import SQLKit
import XukeDomain
import XukeStorage

/// The testing-lab registry (docs/DOMAIN.md §2): provincial or national officers register labs with their CMA number,
/// grade and scope and record their status over time; a lab's users file its reports; an application names a
/// report by lab and number, and intake checks the lab was registered and in scope on the report's day.
extension InstitutionsService {
    /// A provincial registrar acts on labs in its own province; national officers and administrators on any.
    func checkRegistrar(_ user: User, for division: String) throws {
        try user.requireRegistrar()
        guard user.role == .administrator || Jurisdiction(divisionCode: user.jurisdiction).contains(divisionCode: division) else {
            throw AppError(.registry.otherProvince)
        }
    }

    struct ScopeInput: Decodable, Sendable {
        var unitNo: String
        var standard: String
        var from: CivilDate
        var until: CivilDate?
    }

    struct LabInput: Decodable, Sendable {
        var name: String
        var uscc: String
        var cmaNumber: String
        var grade: Int
        var divisionCode: String
        var registeredOn: CivilDate
        var scopes: [ScopeInput]
    }

    /// Checks scope entries: known units, standard numbers, dates; returns them as stored.
    func checkedScopes(_ sql: any SQLDatabase, _ input: [ScopeInput]) async throws -> ([Lab.Scope], [LocalizedText]) {
        var problems: [LocalizedText] = []
        let known = try await LabStore.knownUnits(sql, input.map(\.unitNo))
        let scopes = input.enumerated().map { n, s -> Lab.Scope in
            if !known.contains(s.unitNo) {
                problems.append(LocalizedText(zh: "检验范围第\(n + 1)项：目录中没有产品单元“\(s.unitNo)”", en: "Scope entry \(n + 1): no catalog unit “\(s.unitNo)”"))
            }
            let standard = StandardNumber.normalized(clipped(s.standard, max: 60))
            if standard == nil {
                problems.append(LocalizedText(zh: "检验范围第\(n + 1)项：标准编号“\(s.standard)”格式不正确", en: "Scope entry \(n + 1): “\(s.standard)” is not a standard number"))
            }
            return Lab.Scope(unitNo: s.unitNo, standard: standard ?? s.standard, from: s.from, until: s.until)
        }
        return (scopes, problems)
    }

    func registerLab(_ input: LabInput, by user: User) async throws -> Lab {
        try user.requireRegistrar()
        let name = clipped(input.name, max: 200), cma = clipped(input.cmaNumber, max: 20)
        return try await db.write { sql in
            var problems: [LocalizedText] = []
            if name.isEmpty { problems.append(LocalizedText(zh: "请填写检验机构名称", en: "Name the lab")) }
            do throws(DomainError) { _ = try USCC(input.uscc) } catch { problems.append(Messages.shared.error(error.code, error.args)) }
            if division(input.divisionCode) == nil {
                problems.append(LocalizedText(zh: "行政区划代码\(input.divisionCode)不存在", en: "No division \(input.divisionCode)"))
            } else {
                try checkRegistrar(user, for: input.divisionCode)
            }
            if input.scopes.isEmpty { problems.append(LocalizedText(zh: "请至少登记一项检验范围", en: "Register at least one scope entry")) }
            let (scopes, scopeProblems) = try await checkedScopes(sql, input.scopes)
            problems += scopeProblems + Lab.problems(cmaNumber: cma, grade: input.grade, scopes: scopes)
            try refuseIf(problems, code: .lab.invalidRegistration)
            // Checked after the rest, so a duplicate is named as such and not hidden among other problems.
            if try await LabStore.cmaTaken(sql, cma) {
                throw AppError(.lab.cmaTaken, ["cma": "\(cma)"])
            }
            let lab = try await LabStore.insert(sql, Lab(
                id: 0, code: "", name: name, uscc: input.uscc, cmaNumber: cma, grade: input.grade, divisionCode: input.divisionCode,
                periods: [.init(status: .registered, since: input.registeredOn, until: nil, note: "")], scopes: scopes), by: user.actor, at: clock.stamp)
            try await Events.append(sql, type: .labRegistered, subject: "lab/\(lab.code)", actor: user.actor, jurisdiction: lab.divisionCode,
                                    at: clock.stamp, payload: lab)
            return lab
        }
    }

    struct LabStatusInput: Decodable, Sendable {
        var status: Lab.Status
        var since: CivilDate
        var note: String
    }

    /// A new status from a day on: the open period ends there. Periods never overlap, and a withdrawal is final.
    func changeLabStatus(code: String, _ input: LabStatusInput, by user: User) async throws -> Lab {
        try user.requireRegistrar()
        let note = clipped(input.note, max: 2000)
        guard !note.isEmpty else { throw AppError(.lab.note) }
        return try await db.write { sql in
            guard let lab = try await LabStore.lab(sql, code: code) else { throw AppError.notFound("lab \(code)") }
            try checkRegistrar(user, for: lab.divisionCode)
            guard let open = lab.periods.last, open.until == nil else {
                throw AppError(.lab.noOpenPeriod)
            }
            guard open.status != .withdrawn else {
                throw AppError(.lab.withdrawn)
            }
            guard input.status != open.status else {
                throw AppError(.lab.sameStatus)
            }
            guard input.since > open.since else {
                throw AppError(.lab.overlap, ["since": "\(open.since)"])
            }
            guard try await LabStore.closePeriod(sql, labID: lab.id, since: open.since, on: input.since) else { throw AppError(.duty.concurrent) }
            try await LabStore.addPeriod(sql, labID: lab.id, .init(status: input.status, since: input.since, until: nil, note: note), by: user.actor, at: clock.stamp)
            let changed = try await LabStore.lab(sql, id: lab.id).orThrow("labs \(lab.id)")
            try await Events.append(sql, type: input.status.event, subject: "lab/\(lab.code)", actor: user.actor, jurisdiction: lab.divisionCode,
                                    at: clock.stamp, payload: changed)
            return changed
        }
    }

    /// Widens (or, with `until`, narrows) a lab's scope; entries never overlap for the same unit and standard.
    func addLabScopes(code: String, _ input: [ScopeInput], by user: User) async throws -> Lab {
        try user.requireRegistrar()
        return try await db.write { sql in
            guard let lab = try await LabStore.lab(sql, code: code) else { throw AppError.notFound("lab \(code)") }
            try checkRegistrar(user, for: lab.divisionCode)
            let (scopes, problems) = try await checkedScopes(sql, input)
            try refuseIf(problems + Lab.problems(cmaNumber: lab.cmaNumber, grade: lab.grade, scopes: lab.scopes + scopes),
                         code: .lab.invalidScope)
            try await LabStore.addScopes(sql, labID: lab.id, scopes)
            let changed = try await LabStore.lab(sql, id: lab.id).orThrow("labs \(lab.id)")
            try await Events.append(sql, type: .labScopeChanged, subject: "lab/\(lab.code)", actor: user.actor, jurisdiction: lab.divisionCode,
                                    at: clock.stamp, payload: changed)
            return changed
        }
    }

    func addLabMember(code: String, userID: Int, by user: User) async throws {
        try user.requireRegistrar()
        try await db.write { sql in
            guard let lab = try await LabStore.lab(sql, code: code) else { throw AppError.notFound("lab \(code)") }
            try checkRegistrar(user, for: lab.divisionCode)
            guard let member = try await UserStore.get(sql, id: userID), member.role == .lab else {
                throw AppError(.lab.memberRole)
            }
            if let current = try await LabStore.labID(sql, member: member.id), current != lab.id {
                throw AppError(.lab.memberElsewhere)
            }
            try await LabStore.addMember(sql, userID: member.id, labID: lab.id)
        }
    }

    struct LabReportInput: Decodable, Sendable {
        var reportNo: String
        var uscc: String
        var units: [String]
        var issuedOn: CivilDate
        var conclusion: String
        var sha256: String
    }

    /// A lab user files one of the lab's reports: bound to the lab, to the file they uploaded, to the enterprise.
    func fileTestReport(_ input: LabReportInput, by user: User) async throws -> TestReport {
        guard user.role == .lab else { throw AppError(.report.labOnly) }
        let number = clipped(input.reportNo, max: 60)
        guard !number.isEmpty, !input.units.isEmpty, ["pass", "fail"].contains(input.conclusion), input.issuedOn <= clock.today else {
            throw AppError(.report.invalidFields)
        }
        return try await db.write { sql in
            guard let labID = try await LabStore.labID(sql, member: user.id), let lab = try await LabStore.lab(sql, id: labID) else {
                throw AppError(.report.noLab)
            }
            // A suspended or withdrawn lab files nothing, not even reports dated from before.
            guard lab.status(on: clock.today) == .registered else {
                throw AppError(.report.labNotRegistered)
            }
            _ = try USCC(input.uscc)
            guard try await UploadStore.isUploadOwner(sql, sha256: input.sha256, userID: user.id) else {
                throw AppError(.report.upload)
            }
            let report = TestReport(id: 0, labId: labID, reportNo: number, uscc: input.uscc, units: input.units.sorted(),
                                    issuedOn: input.issuedOn, conclusion: input.conclusion, sha256: input.sha256, filedBy: user.actor, filedAt: clock.stamp)
            guard try await LabStore.insertReport(sql, report) else {
                throw AppError(.report.exists, ["number": "\(number)"])
            }
            return try await LabStore.report(sql, labID: labID, reportNo: number).orThrow("test_reports")
        }
    }

}
