public struct ProductionAddress: Sendable, Equatable, Codable {
    public var address: String
    public var divisionCode: String

    public init(address: String, divisionCode: String) {
        self.address = address
        self.divisionCode = divisionCode
    }
}

/// An enterprise as registered with the platform.
public struct Enterprise: Sendable, Equatable, Codable {
    public var uscc: USCC
    public var name: String
    public var domicile: String
    /// The division the domicile is in; it decides which province's authority is competent.
    public var divisionCode: String
    public var legalRepresentative: String
    public var contactName: String
    public var contactPhone: String
    public var productionAddresses: [ProductionAddress]

    public init(uscc: USCC, name: String, domicile: String, divisionCode: String, legalRepresentative: String,
                contactName: String, contactPhone: String, productionAddresses: [ProductionAddress]) {
        self.uscc = uscc
        self.name = name
        self.domicile = domicile
        self.divisionCode = divisionCode
        self.legalRepresentative = legalRepresentative
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.productionAddresses = productionAddresses
    }

    public static let maxName = 100
    public static let maxAddress = 200
    public static let maxPerson = 50
    public static let maxAddresses = 20

    /// Checks lengths and shapes. Division codes are checked against the registry by the caller,
    /// which alone knows the registry; `knownDivision` answers that.
    public func validate(knownDivision: (String) -> Bool) throws(DomainError) {
        func text(_ value: String, _ field: String, _ fieldZh: String, max: Int, optional: Bool = false) throws(DomainError) {
            if value.isEmpty && !optional {
                throw DomainError(code: "enterprise.\(field).missing", zh: "\(fieldZh)不能为空", en: "\(field) is required")
            }
            if value.count > max {
                throw DomainError(code: "enterprise.\(field).too_long", zh: "\(fieldZh)不能超过\(max)个字符", en: "\(field) must be at most \(max) characters")
            }
            if value.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 32 } ?? false) }) {
                throw DomainError(code: "enterprise.\(field).control", zh: "\(fieldZh)含有控制字符或换行", en: "\(field) contains control characters or line breaks")
            }
        }
        try text(name, "name", "企业名称", max: Enterprise.maxName)
        try text(domicile, "domicile", "住所", max: Enterprise.maxAddress)
        try text(legalRepresentative, "legal_representative", "法定代表人", max: Enterprise.maxPerson)
        try text(contactName, "contact_name", "联系人", max: Enterprise.maxPerson, optional: true)
        try text(contactPhone, "contact_phone", "联系电话", max: 20, optional: true)
        if !contactPhone.allSatisfy({ $0.isASCIIDigit || $0 == "-" || $0 == "+" || $0 == " " }) {
            throw DomainError(code: "enterprise.contact_phone.format", zh: "联系电话只能包含数字、空格、+ 和 -", en: "contact_phone may contain only digits, spaces, + and -")
        }
        try division(divisionCode, knownDivision)
        if productionAddresses.count > Enterprise.maxAddresses {
            throw DomainError(code: "enterprise.production_addresses.too_many", zh: "生产地址最多\(Enterprise.maxAddresses)个", en: "at most \(Enterprise.maxAddresses) production addresses")
        }
        for a in productionAddresses {
            try text(a.address, "production_address", "生产地址", max: Enterprise.maxAddress)
            try division(a.divisionCode, knownDivision)
        }
    }

    private func division(_ code: String, _ known: (String) -> Bool) throws(DomainError) {
        guard code.count == 6, code.allSatisfy(\.isASCIIDigit), known(code) else {
            throw DomainError(code: "division.unknown", zh: "行政区划代码“\(code)”不存在", en: "unknown administrative division code “\(code)”")
        }
    }
}
