/// The documents the law gives the steps of a licence (docs/DOMAIN.md §5–§8): notices and decisions in a case, the
/// certificate, and the decisions that end a licence. Each refusal and each decision that takes something away tells
/// the applicant of administrative reconsideration (60 days) and litigation (6 months).
public enum DocumentKind: String, Sendable, Codable, CaseIterable {
    case acceptanceNotice = "acceptance_notice"
    case correctionNotice = "correction_notice"
    case acceptanceRefusal = "acceptance_refusal"
    case grantDecision = "grant_decision"
    case refusalDecision = "refusal_decision"
    case revocationDecision = "revocation_decision"
    case withdrawalDecision = "withdrawal_decision"
    /// 听证告知书: the holder may ask for a hearing before its licence is revoked or withdrawn.
    case hearingNotice = "hearing_notice"
    case certificate

    public var title: LocalizedText {
        switch self {
        case .acceptanceNotice: LocalizedText(zh: "行政许可受理通知书", en: "Notice of acceptance")
        case .correctionNotice: LocalizedText(zh: "补正材料通知书", en: "Notice to complete the application")
        case .acceptanceRefusal: LocalizedText(zh: "不予受理决定书", en: "Decision not to accept the application")
        case .grantDecision: LocalizedText(zh: "准予行政许可决定书", en: "Decision to grant the licence")
        case .refusalDecision: LocalizedText(zh: "不予行政许可决定书", en: "Decision to refuse the licence")
        case .revocationDecision: LocalizedText(zh: "撤销行政许可决定书", en: "Decision to revoke the licence")
        case .withdrawalDecision: LocalizedText(zh: "吊销许可证决定书", en: "Decision to withdraw the licence")
        case .hearingNotice: LocalizedText(zh: "听证告知书", en: "Notice of the right to a hearing")
        case .certificate: LocalizedText(zh: "全国工业产品生产许可证", en: "Industrial product production licence")
        }
    }

    /// The character of the document number that says what it is (`粤市监许受〔2026〕00012号`).
    public var code: String {
        switch self {
        case .acceptanceNotice: "受"
        case .correctionNotice: "补"
        case .acceptanceRefusal: "不受"
        case .grantDecision: "准"
        case .refusalDecision: "不许"
        case .revocationDecision: "撤"
        case .withdrawalDecision: "吊"
        case .hearingNotice: "听"
        case .certificate: "证"
        }
    }

    /// Whether the applicant is told of reconsideration and litigation: every document that refuses or takes away.
    public var givesRemedies: Bool { [.acceptanceRefusal, .refusalDecision, .revocationDecision, .withdrawalDecision].contains(self) }

    /// Days to apply for administrative reconsideration (行政复议法 Art. 20) and months to sue (行政诉讼法 Art. 46).
    public static let reconsiderationDays = 60
    public static let litigationMonths = 6

    /// A document number: the authority's short name, the kind, the year and a serial of that authority, kind and year.
    public static func number(authorityShort: String, kind: DocumentKind, year: Int, serial: Int) -> String {
        let digits = String(serial)
        return "\(authorityShort)市监许\(kind.code)〔\(year)〕" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "号"
    }
}
