/// Reform actions as exchanged in CSV: `edition,kind,effective,instrument,subject_no,subject_zh,target,note`.
public enum ReformActionsCSV {
    public static let header = ["edition", "kind", "effective", "instrument", "subject_no", "subject_zh", "target", "note"]

    public static func parse(_ text: String) throws(ImportError) -> [ReformAction] {
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch {
            throw ImportError(problems: [.init(line: error.line, zh: "CSV 引号不匹配", en: "unbalanced quotes in CSV")])
        }
        guard let head = records.first, head.fields.map(\.trimmed) == header else {
            throw ImportError(problems: [.init(line: 1, zh: "表头应为：\(header.joined(separator: ","))",
                                              en: "the header must be: \(header.joined(separator: ","))")])
        }
        var actions: [ReformAction] = []
        var problems: [ImportError.Problem] = []
        for r in records.dropFirst() {
            guard r.fields.count == header.count else {
                problems.append(.init(line: r.line, zh: "应有\(header.count)列，实际为\(r.fields.count)列", en: "expected \(header.count) fields, got \(r.fields.count)"))
                continue
            }
            let f = r.fields.map(\.trimmed)
            guard let kind = ReformAction.Kind(rawValue: f[1]) else {
                problems.append(.init(line: r.line, zh: "改革措施类型“\(f[1])”无效", en: "unknown reform action kind “\(f[1])”"))
                continue
            }
            guard let effective = CivilDate(f[2]) else {
                problems.append(.init(line: r.line, zh: "生效日期“\(f[2])”不是 YYYY-MM-DD 格式", en: "effective “\(f[2])” is not a YYYY-MM-DD date"))
                continue
            }
            if kind == .delegate, AuthorityLevel(rawValue: f[6]) == nil {
                problems.append(.init(line: r.line, zh: "下放措施的 target 应为实施机关层级", en: "a delegate action's target must be an authority level"))
                continue
            }
            guard !f[0].isEmpty, !f[3].isEmpty, !f[5].isEmpty, f.allSatisfy({ $0.count <= 300 }) else {
                problems.append(.init(line: r.line, zh: "edition、instrument、subject_zh 不能为空，各列不超过300字",
                                      en: "edition, instrument and subject_zh are required; fields are at most 300 characters"))
                continue
            }
            actions.append(ReformAction(edition: f[0], kind: kind, effective: effective, instrument: f[3],
                                        subjectNo: f[4], subjectZh: f[5], target: f[6], note: f[7]))
        }
        if !problems.isEmpty { throw ImportError(problems: problems) }
        return actions
    }
}
