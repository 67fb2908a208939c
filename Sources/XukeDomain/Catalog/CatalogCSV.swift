/// The catalog's exchange format: the columns of the shipped `catalog.csv`, one row per unit.
public enum CatalogCSV {
    public static let header = ["edition", "decision", "in_force", "category_no", "category_zh", "category_en",
                                "unit_no", "unit_zh", "unit_en", "authority", "commitment_route", "confidence"]
    static let maxText = 200

    /// Parses and validates a whole file. Any bad row makes the whole import fail, with every problem listed.
    public static func parse(_ text: String) throws(ImportError) -> [CatalogEdition] {
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch {
            throw ImportError(problems: [.init(line: error.line, zh: "CSV 引号不匹配", en: "unbalanced quotes in CSV")])
        }
        guard let head = records.first else {
            throw ImportError(problems: [.init(line: 1, zh: "文件为空", en: "the file is empty")])
        }
        guard head.fields.map(\.trimmed) == header else {
            throw ImportError(problems: [.init(line: head.line,
                                              zh: "表头应为：\(header.joined(separator: ","))",
                                              en: "the header must be: \(header.joined(separator: ","))")])
        }
        guard records.count > 1 else {
            throw ImportError(problems: [.init(line: head.line, zh: "文件中没有数据行", en: "the file has no data rows")])
        }

        var problems: [ImportError.Problem] = []
        var editions: [String: CatalogEdition] = [:]
        var order: [String] = []
        var seenUnits: Set<String> = []

        for r in records.dropFirst() {
            func bad(_ zh: String, _ en: String) { problems.append(.init(line: r.line, zh: zh, en: en)) }
            guard r.fields.count == header.count else {
                bad("应有\(header.count)列，实际为\(r.fields.count)列", "expected \(header.count) fields, got \(r.fields.count)")
                continue
            }
            let f = r.fields.map(\.trimmed)
            let (code, decision, inForceText, catNo, catZh, catEn, unitNo, unitZh, unitEn, authText, routeText, confidence) =
                (f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11])
            var ok = true
            func check(_ cond: Bool, _ zh: String, _ en: String) { if !cond { ok = false; bad(zh, en) } }

            check(!code.isEmpty && code.count <= 16 && code.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" },
                  "版本代号“\(code)”应为1–16位字母、数字或连字符", "edition code “\(code)” must be 1–16 letters, digits or hyphens")
            let inForce = CivilDate(inForceText)
            check(inForce != nil, "施行日期“\(inForceText)”不是 YYYY-MM-DD 格式", "in_force “\(inForceText)” is not a YYYY-MM-DD date")
            check(catNo.count == 2 && catNo.allSatisfy(\.isASCIIDigit), "类别编号“\(catNo)”应为2位数字", "category_no “\(catNo)” must be 2 digits")
            check(unitNo.count == 4 && unitNo.allSatisfy(\.isASCIIDigit) && unitNo.hasPrefix(catNo),
                  "单元编号“\(unitNo)”应为4位数字且以类别编号开头", "unit_no “\(unitNo)” must be 4 digits starting with the category_no")
            for (name, value) in [("decision", decision), ("category_zh", catZh), ("category_en", catEn), ("unit_zh", unitZh), ("unit_en", unitEn)] {
                check(!value.isEmpty && value.count <= maxText, "\(name) 不能为空且不超过\(maxText)字", "\(name) must be 1–\(maxText) characters")
            }
            check(confidence.count <= maxText, "confidence 不超过\(maxText)字", "confidence must be at most \(maxText) characters")
            let authority = AuthorityLevel(rawValue: authText)
            check(authority != nil, "实施机关层级“\(authText)”应为 national、provincial、prefecture 或 county",
                  "authority “\(authText)” must be national, provincial, prefecture or county")
            let route = CommitmentEligibility(rawValue: routeText)
            check(route != nil, "告知承诺“\(routeText)”应为 yes、no 或 unconfirmed", "commitment_route “\(routeText)” must be yes, no or unconfirmed")
            if ok, !seenUnits.insert(code + "/" + unitNo).inserted {
                check(false, "版本 \(code) 中单元 \(unitNo) 重复", "unit \(unitNo) appears twice in edition \(code)")
            }
            guard ok, let inForce, let authority, let route else { continue }

            var edition = editions[code] ?? CatalogEdition(code: code, instrument: decision, inForce: inForce, categories: [])
            if editions[code] == nil { order.append(code) }
            guard edition.instrument == decision, edition.inForce == inForce else {
                bad("同一版本 \(code) 的文号或施行日期与前面的行不一致", "decision or in_force differs from earlier rows of edition \(code)")
                continue
            }
            let unit = CatalogUnit(unitNo: unitNo, nameZh: unitZh, nameEn: unitEn, authority: authority,
                                   commitmentRoute: route, confidence: confidence)
            if let i = edition.categories.firstIndex(where: { $0.categoryNo == catNo }) {
                guard edition.categories[i].nameZh == catZh, edition.categories[i].nameEn == catEn else {
                    bad("类别 \(catNo) 的名称与前面的行不一致", "category \(catNo) is named differently from earlier rows")
                    continue
                }
                edition.categories[i].units.append(unit)
            } else {
                edition.categories.append(CatalogCategory(categoryNo: catNo, nameZh: catZh, nameEn: catEn, units: [unit]))
            }
            editions[code] = edition
        }
        if !problems.isEmpty { throw ImportError(problems: problems) }
        return order.map { code in
            var e = editions[code]!
            e.categories.sort { $0.categoryNo < $1.categoryNo }
            for i in e.categories.indices { e.categories[i].units.sort { $0.unitNo < $1.unitNo } }
            return e
        }
    }

    public static func export(_ edition: CatalogEdition) -> String {
        var rows = [header]
        for c in edition.categories {
            for u in c.units {
                rows.append([edition.code, edition.instrument, edition.inForce.description, c.categoryNo, c.nameZh, c.nameEn,
                             u.unitNo, u.nameZh, u.nameEn, u.authority.rawValue, u.commitmentRoute.rawValue, u.confidence])
            }
        }
        return CSV.write(rows, bom: true)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
