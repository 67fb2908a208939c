import Foundation
import SQLKit
import XukeDomain
import XukeStorage

/// What licensing reads from the registers kept by other areas: lab reports attached to an application, the
/// standing of the review bodies its verifiers belong to, and the bar it records after a revocation.
extension LicensingService {
    /// Intake's check of one test report named in an application: the lab (by code or CMA number) filed it, for this
    /// enterprise and these units, and on its date the lab was registered and in scope for each unit.
    func reportProblems(_ sql: any SQLDatabase, _ m: MaterialInput, uscc: String) async throws -> [LocalizedText] {
        let labRef = m.lab ?? "", number = m.reportNo ?? "", units = m.units ?? []
        var found = try await LabStore.lab(sql, code: labRef.uppercased())
        if found == nil { found = try await LabStore.lab(sql, cma: labRef) }
        guard let lab = found else {
            return [LocalizedText(zh: "检验报告\(m.filename)：没有备案编号或CMA证书编号为“\(labRef)”的检验机构",
                                  en: "Test report \(m.filename): no registered lab has the code or CMA number “\(labRef)”")]
        }
        guard let report = try await LabStore.report(sql, labID: lab.id, reportNo: number), report.uscc == uscc else {
            return [LocalizedText(zh: "检验报告\(m.filename)：\(lab.name)没有提交编号为\(number)的报告", en: "Test report \(m.filename): \(lab.name) filed no report \(number)")]
        }
        var problems: [LocalizedText] = []
        if report.sha256 != m.sha256 {
            problems.append(LocalizedText(zh: "检验报告\(m.filename)与\(lab.name)提交的报告\(number)不是同一文件", en: "File \(m.filename) is not the report \(number) that \(lab.name) filed"))
        }
        let covered = Set(report.units)
        if report.conclusion != "pass" {
            problems.append(LocalizedText(zh: "检验报告\(number)的结论为不合格", en: "Report \(number) concludes that the product failed"))
        }
        let missing = units.filter { !covered.contains($0) }
        if !missing.isEmpty {
            problems.append(LocalizedText(zh: "检验报告\(number)不含单元\(missing.joined(separator: "、"))", en: "Report \(number) does not cover units \(missing.joined(separator: ", "))"))
        }
        if let day = Optional(report.issuedOn) {
            if let claimed = m.reportDate, claimed != day {
                problems.append(LocalizedText(zh: "检验报告\(number)的签发日期是\(day)，不是\(claimed)", en: "Report \(number) was issued on \(day), not \(claimed)"))
            }
            problems += lab.problems(reportFor: units, on: day)
        }
        return problems
    }
    /// Verifiers of a suspended or barred body are not sent to new verifications.
    func checkReviewStanding(_ sql: any SQLDatabase, _ verifiers: [Int]) async throws {
        if let (user, body) = try await ReviewBodyStore.memberNotInGoodStanding(sql, verifiers) {
            throw AppError(.reviewBody.notInGoodStanding, ["user": "\(user)", "body": "\(body.code ?? "")"])
        }
    }

    /// The bar a revoked grant (every product) or a withdrawn license (its products) puts on new applications for
    /// three years (docs/DOMAIN.md §7). The flag names the license, whose units say what a withdrawal bars.
    func barApplications(_ sql: any SQLDatabase, after license: LicenseRecord, grantRevoked: Bool) async throws {
        let kind: ApplicationBar.Kind = grantRevoked ? .grantRevoked : .licenseWithdrawn
        try await LicensingReports.addCreditFlag(sql, uscc: license.uscc, kind: kind.rawValue, since: clock.today,
                                                 until: ApplicationBar.until(decidedOn: clock.today), note: license.number)
    }
}
