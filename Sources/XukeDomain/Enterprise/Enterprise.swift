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
        func text(_ value: String, _ field: EnterpriseFieldErrors, max: Int, optional: Bool = false) throws(DomainError) {
            if value.isEmpty && !optional { throw DomainError(field.missing) }
            if value.count > max { throw DomainError(field.tooLong, ["max": "\(max)"]) }
            if value.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 32 } ?? false) }) {
                throw DomainError(field.control)
            }
        }
        try text(name, ErrorCode.enterprise.name, max: Enterprise.maxName)
        try text(domicile, ErrorCode.enterprise.domicile, max: Enterprise.maxAddress)
        try text(legalRepresentative, ErrorCode.enterprise.legalRepresentative, max: Enterprise.maxPerson)
        try text(contactName, ErrorCode.enterprise.contactName, max: Enterprise.maxPerson, optional: true)
        try text(contactPhone, ErrorCode.enterprise.contactPhone, max: 20, optional: true)
        if !contactPhone.allSatisfy({ $0.isASCIIDigit || $0 == "-" || $0 == "+" || $0 == " " }) {
            throw DomainError(.enterprise.contactPhoneFormat)
        }
        try division(divisionCode, knownDivision)
        if productionAddresses.count > Enterprise.maxAddresses {
            throw DomainError(.enterprise.productionAddressesTooMany, ["max_addresses": "\(Enterprise.maxAddresses)"])
        }
        for a in productionAddresses {
            try text(a.address, ErrorCode.enterprise.productionAddress, max: Enterprise.maxAddress)
            try division(a.divisionCode, knownDivision)
        }
    }

    private func division(_ code: String, _ known: (String) -> Bool) throws(DomainError) {
        guard code.count == 6, code.allSatisfy(\.isASCIIDigit), known(code) else {
            throw DomainError(.division.unknown, ["division_code": "\(code)"])
        }
    }
}
