/// A compulsory-certification (CCC) certificate (docs/DOMAIN.md §11), as a certification body reports it.
public struct CCCCertificate: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case valid, suspended, revoked, cancelled, expired
    }

    /// 16 digits.
    public var number: String
    public var holderUscc: String
    public var product: String
    public var standard: String
    /// The issuing certification body's code.
    public var body: String
    public var status: Status
    public var issuedOn: CivilDate
    public var expiresOn: CivilDate

    public init(number: String, holderUscc: String, product: String, standard: String, body: String, status: Status, issuedOn: CivilDate, expiresOn: CivilDate) {
        self.number = number
        self.holderUscc = holderUscc
        self.product = product
        self.standard = standard
        self.body = body
        self.status = status
        self.issuedOn = issuedOn
        self.expiresOn = expiresOn
    }

    /// The status a reader should see on a day: a valid certificate past its end has expired.
    public func status(on day: CivilDate) -> Status { status == .valid && expiresOn < day ? .expired : status }

    public static let header = ["number", "holder_uscc", "product", "standard", "body", "status", "issued_on", "expires_on"]

    /// Reads a certificate CSV, checking every row; any problem refuses the whole file, naming each row (up to 200).
    /// `products` are the products that moved to CCC, `bodies` the registered certification bodies' codes.
    public static func importCSV(_ text: String, products: Set<String>, bodies: Set<String>) throws(ImportError) -> [CCCCertificate] {
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch {
            throw ImportError(problems: [.init(line: error.line, zh: "第\(error.line)行引号不匹配", en: "Line \(error.line): unbalanced quotes")])
        }
        guard let head = records.first, head.fields == header else {
            throw ImportError(problems: [.init(line: 1, zh: "首行应为：" + header.joined(separator: ","), en: "The first line reads: " + header.joined(separator: ","))])
        }
        var out: [CCCCertificate] = []
        out.reserveCapacity(records.count - 1)
        var problems: [ImportError.Problem] = []
        var unlisted = 0
        var seen = Set<String>()
        seen.reserveCapacity(records.count)
        func problem(_ line: Int, _ zh: String, _ en: String) {
            if problems.count < 200 { problems.append(.init(line: line, zh: "第\(line)行：\(zh)", en: "Line \(line): \(en)")) } else { unlisted += 1 }
        }
        for r in records.dropFirst() {
            let f = r.fields
            guard f.count == header.count else { problem(r.line, "应有\(header.count)列，实际\(f.count)列", "expected \(header.count) fields, got \(f.count)"); continue }
            let number = f[0]
            if number.utf8.count != 16 || !number.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { problem(r.line, "证书编号应为16位数字", "a certificate number has 16 digits") }
            else if !seen.insert(number).inserted { problem(r.line, "证书编号\(number)在文件中重复", "certificate \(number) appears twice") }
            if (try? USCC(f[1])) == nil { problem(r.line, "统一社会信用代码“\(f[1])”无效", "“\(f[1])” is not a valid unified social credit code") }
            if !products.contains(f[2]) { problem(r.line, "“\(f[2])”不是转为强制性认证的产品", "“\(f[2])” is not a product that moved to CCC") }
            let standard = StandardNumber.normalized(f[3])
            if standard == nil { problem(r.line, "标准编号“\(f[3])”格式不正确", "“\(f[3])” is not a standard number") }
            if !bodies.contains(f[4]) { problem(r.line, "没有备案的认证机构“\(f[4])”", "no registered certification body “\(f[4])”") }
            let status = Status(rawValue: f[5])
            if status == nil { problem(r.line, "状态应为 valid、suspended、revoked、cancelled 或 expired", "the status is valid, suspended, revoked, cancelled or expired") }
            let issued = CivilDate(f[6]), expires = CivilDate(f[7])
            if issued == nil || expires == nil { problem(r.line, "日期应为 YYYY-MM-DD", "dates are YYYY-MM-DD") }
            else if let i = issued, let e = expires, e <= i { problem(r.line, "有效期截止日期应晚于发证日期", "the certificate must expire after it is issued") }
            if let standard, let status, let issued, let expires, problems.isEmpty {
                out.append(CCCCertificate(number: number, holderUscc: f[1], product: f[2], standard: standard, body: f[4], status: status, issuedOn: issued, expiresOn: expires))
            }
        }
        if records.count < 2 { problems.append(.init(line: 1, zh: "文件中没有证书", en: "The file holds no certificates")) }
        guard problems.isEmpty else {
            if unlisted > 0 { problems.append(.init(line: 0, zh: "另有\(unlisted)处问题未列出", en: "\(unlisted) more problems not listed")) }
            throw ImportError(problems: problems)
        }
        return out
    }
}
