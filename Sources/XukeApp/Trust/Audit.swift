import Foundation
import SQLKit
import XukeDomain
import XukeStorage
import XukeTrust

public struct AuditReport: Sendable, Codable {
    public var size: Int
    public var root: String
    public var checkpointSize: Int?
    public var problems: [String]
}

extension TrustService {
    /// Re-reads the database and checks that the log and the rows tell the same story: every leaf rebuilt
    /// from the rows it records, the stored tree and the last signed checkpoint against the leaves, and every
    /// license and credential against the last thing the log says of it.
    public func auditLog(pageSize: Int = 2000) async throws -> AuditReport {
        try await db.read { sql in
            var problems: [String] = []
            let size = try await TransparencyStore.size(sql)
            let checkpoint = try await TransparencyStore.latestCheckpoint(sql)
            var checkpointRoot: Merkle.Hash? = nil
            var tree = Merkle.Accumulator()
            var latest: [Int: LicenseRecord] = [:]
            var loggedCredentials: [Int: [Int: String]] = [:]
            let keyRows = Dictionary(uniqueKeysWithValues: try await CredentialStore.keys(sql).map { ($0.kid, $0) })
            var keysLogged = Set<String>()
            var latestInspection: [String: LogEntry] = [:]
            var latestProposal: [String: LogEntry] = [:]
            var plans: [String: PlanRecord] = [:]

            var start = 0
            while start < size {
                // Never past the size read above: entries appended meanwhile belong to a later audit.
                let page = try await TransparencyStore.entries(sql, from: start, count: min(pageSize, size - start))
                let stored = try await TransparencyStore.hashes(sql, page.map { Merkle.Node(level: 0, index: $0.index) })
                let licenseIDs = Set(page.compactMap { $0.subject.hasPrefix("license/") ? Int($0.subject.dropFirst(8)) : nil })
                let versions = try await LicenseStore.versions(sql, licenseIDs: Array(licenseIDs))
                let credentials = try await CredentialStore.shas(sql, licenseIDs: Array(licenseIDs))
                let formerNumbers = try await LicenseStore.formerNumbers(sql, licenseIDs: Array(licenseIDs))
                for (offset, e) in page.enumerated() {
                    guard e.index == start + offset else {
                        problems.append("log entry \(start + offset) is missing / 日志条目缺失")
                        continue
                    }
                    let leaf = Merkle.leafHash(e.entry)
                    if stored[Merkle.Node(level: 0, index: e.index)] != leaf {
                        problems.append("log entry \(e.index): stored leaf hash differs from its entry / 叶子哈希与条目不符")
                    }
                    tree.append(leafHash: leaf)
                    if checkpoint?.size == tree.size { checkpointRoot = tree.root }

                    let logged = try? JSONValue.parse(e.entry)
                    if e.kind.hasPrefix("license."), let id = Int(e.subject.dropFirst(8)), let version = logged?["version"]?.intValue {
                        guard let snapshot = versions[id]?[Int(version)] else {
                            problems.append("log entry \(e.index): license \(id) version \(version) has no row / 许可证版本记录缺失")
                            continue
                        }
                        let sha = logged?["credential_sha256"] != nil ? credentials[id]?[Int(version)] : nil
                        if logged?["credential_sha256"] != nil, let sha { loggedCredentials[id, default: [:]][Int(version)] = sha }
                        let replaces = e.kind == EventType.licenseImported.rawValue ? formerNumbers[id] ?? [] : []
                        let rebuilt = Transparency.licenseEntry(type: e.kind, at: e.at, snapshot, credentialSHA: sha, replaces: replaces).canonical
                        if rebuilt != e.entry {
                            problems.append("log entry \(e.index): license \(snapshot.number) version \(version) rows differ from the log / 许可证版本记录与日志不符")
                        }
                        latest[id] = snapshot
                    } else if e.kind.hasPrefix("key."), let kid = logged?["kid"]?.stringValue {
                        keysLogged.insert(kid)
                        guard let k = keyRows[kid] else {
                            problems.append("log entry \(e.index): key \(kid) has no row / 密钥记录缺失")
                            continue
                        }
                        let at = e.kind == "key.added" ? k.createdAt : (k.retiredAt ?? "")
                        if Transparency.keyEntry(e.kind, k, at: at).canonical != e.entry {
                            problems.append("log entry \(e.index): key \(kid) row differs from the log / 密钥记录与日志不符")
                        }
                    } else if e.subject.hasPrefix("inspection/") {
                        // Results can be revised after an objection: the latest entry must match the row, earlier ones are history.
                        latestInspection[String(e.subject.dropFirst(11))] = e
                    } else if e.subject.hasPrefix("plan/") {
                        let code = String(e.subject.dropFirst(5))
                        if plans[code] == nil { plans[code] = try await PlanStore.plan(sql, code: code) }
                        guard let plan = plans[code] else {
                            problems.append("log entry \(e.index): plan \(code) has no row / 抽查计划记录缺失")
                            continue
                        }
                        // A proposal a second officer replaced is history; only the latest must match the row.
                        if e.kind == EventType.planBeaconProposed.rawValue {
                            latestProposal[code] = e
                            continue
                        }
                        if SupervisionService.planLogEntry(e.kind, plan)?.canonical != e.entry {
                            problems.append("log entry \(e.index): plan \(code) row differs from the log (\(e.kind)) / 抽查计划记录与日志不符")
                        }
                    } else {
                        problems.append("log entry \(e.index): unknown kind \(e.kind) / 未知条目类型")
                    }
                }
                if page.isEmpty { break }
                start += page.count
            }

            let root = tree.root
            if size > 0, try await TransparencyStore.root(sql, size: size) != root {
                problems.append("stored tree hashes do not give the root of the entries / 存储的树哈希与条目不符")
            }
            if let checkpoint {
                do {
                    let cp = try Checkpoint.open(checkpoint.note, key: transparency.verifierKey)
                    if cp.root != checkpointRoot || cp.size != checkpoint.size {
                        problems.append("signed checkpoint at size \(checkpoint.size) does not match the entries / 已签名检查点与条目不符")
                    }
                } catch {
                    problems.append("checkpoint at size \(checkpoint.size) is not signed by the log key / 检查点签名无效")
                }
            }

            for l in try await LicenseStore.allLicenses(sql) {
                guard var logged = latest[l.id] else {
                    problems.append("licenses row \(l.id) \(l.number): not in the log / 许可证不在日志中")
                    continue
                }
                logged.updatedAt = l.updatedAt
                if logged != l {
                    problems.append("licenses row \(l.id) \(l.number): differs from the log (\(Self.differences(l, logged))) / 许可证数据行与日志不符")
                }
            }
            for c in try await CredentialStore.everything(sql) {
                if sha256Hex(Data(c.jws.utf8)) != c.sha256 || loggedCredentials[c.licenseID]?[c.version] != c.sha256 {
                    problems.append("credentials row \(c.id) (license \(c.licenseID) v\(c.version)): not the credential the log recorded / 电子证照与日志不符")
                }
                if let l = latest[c.licenseID] {
                    let expected = c.version == l.version || !(loggedCredentials[c.licenseID]?.keys.contains { $0 > c.version } ?? false)
                        ? Transparency.listStatus(l.storedStatus) : .revoked
                    if c.status != expected {
                        problems.append("credentials row \(c.id) (license \(l.number) v\(c.version)): status \(c.status) but the log implies \(expected) / 状态列表与日志不符")
                    }
                }
            }
            // Every published result against the last thing the log says of it, and nothing logged that is not published.
            let published = Dictionary(uniqueKeysWithValues: try await InspectionStore.publishedResults(sql, uscc: nil, limit: Int.max).map { ($0.inspection.number, $0) })
            for (number, e) in latestInspection.sorted(by: { $0.key < $1.key }) {
                guard let r = published[number] else {
                    problems.append("log entry \(e.index): inspection \(number) has no published row / 检查结果记录缺失")
                    continue
                }
                if SupervisionService.inspectionLogEntry(e.kind, r, at: e.at).canonical != e.entry {
                    problems.append("inspections row \(number): differs from its published result in the log / 检查结果与日志不符")
                }
            }
            for number in published.keys.sorted() where latestInspection[number] == nil {
                problems.append("inspections row \(number): published but not in the log / 检查结果已公示但不在日志中")
            }
            for (code, e) in latestProposal.sorted(by: { $0.key < $1.key }) {
                if let plan = plans[code], SupervisionService.planLogEntry(e.kind, plan)?.canonical != e.entry {
                    problems.append("log entry \(e.index): plan \(code) row differs from its latest beacon proposal / 抽查计划信标录入记录与日志不符")
                }
            }
            for k in keyRows.keys where !keysLogged.contains(k) {
                problems.append("signing_keys row \(k): not in the log / 密钥不在日志中")
            }
            return AuditReport(size: size, root: Data(root).base64EncodedString(), checkpointSize: checkpoint?.size, problems: problems)
        }
    }

    static func differences(_ row: LicenseRecord, _ logged: LicenseRecord) -> String {
        var out: [String] = []
        if row.storedStatus != logged.storedStatus { out.append("status \(row.storedStatus.rawValue), log \(logged.storedStatus.rawValue)") }
        if row.validUntil != logged.validUntil { out.append("valid_until \(row.validUntil), log \(logged.validUntil)") }
        if row.version != logged.version { out.append("version \(row.version), log \(logged.version)") }
        if row.units != logged.units { out.append("units") }
        if row.name != logged.name || row.domicile != logged.domicile || row.addresses != logged.addresses { out.append("holder details") }
        if row.number != logged.number || row.uscc != logged.uscc || row.authority != logged.authority { out.append("number/holder/authority") }
        if row.issuedOn != logged.issuedOn || row.decidedOn != logged.decidedOn || row.firstIssuedOn != logged.firstIssuedOn { out.append("dates") }
        return out.joined(separator: "; ")
    }
}
