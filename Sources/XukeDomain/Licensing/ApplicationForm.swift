/// The structured application form (申请书), and what each kind of application must carry.
public struct ApplicationForm: Sendable, Codable, Equatable {
    public struct Equipment: Sendable, Codable, Equatable {
        public var name: String
        public var model: String
        public var quantity: Int
        public init(name: String, model: String, quantity: Int) {
            self.name = name
            self.model = model
            self.quantity = quantity
        }
    }

    public struct Staff: Sendable, Codable, Equatable {
        public var name: String
        public var role: String
        public var qualification: String
        public init(name: String, role: String, qualification: String) {
            self.name = name
            self.role = role
            self.qualification = qualification
        }
    }

    /// Units applied for (new), added (change) or held (renewal).
    public var units: [String]
    /// Units given up (change: remove units).
    public var removeUnits: [String]
    public var productionAddresses: [ProductionAddress]
    public var keyEquipment: [Equipment]
    public var qualityStaff: [Staff]
    /// Change of name or domicile: the new value.
    public var newName: String?
    public var newDomicile: String?
    /// Change of production conditions; reason for a reissue or a cancellation.
    public var statement: String?

    public init(units: [String] = [], removeUnits: [String] = [], productionAddresses: [ProductionAddress] = [],
                keyEquipment: [Equipment] = [], qualityStaff: [Staff] = [], newName: String? = nil,
                newDomicile: String? = nil, statement: String? = nil) {
        self.units = units
        self.removeUnits = removeUnits
        self.productionAddresses = productionAddresses
        self.keyEquipment = keyEquipment
        self.qualityStaff = qualityStaff
        self.newName = newName
        self.newDomicile = newDomicile
        self.statement = statement
    }

    /// Lists absent from the submitted form are empty: a cancellation need not send an empty equipment list.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        units = try c.decodeIfPresent([String].self, forKey: .units) ?? []
        removeUnits = try c.decodeIfPresent([String].self, forKey: .removeUnits) ?? []
        productionAddresses = try c.decodeIfPresent([ProductionAddress].self, forKey: .productionAddresses) ?? []
        keyEquipment = try c.decodeIfPresent([Equipment].self, forKey: .keyEquipment) ?? []
        qualityStaff = try c.decodeIfPresent([Staff].self, forKey: .qualityStaff) ?? []
        newName = try c.decodeIfPresent(String.self, forKey: .newName)
        newDomicile = try c.decodeIfPresent(String.self, forKey: .newDomicile)
        statement = try c.decodeIfPresent(String.self, forKey: .statement)
    }

    /// Every problem with the form for this kind of application, so the applicant hears all of them at once.
    public func problems(kind: ApplicationKind, changes: Set<ChangeItem>) -> [LocalizedText] {
        var out: [LocalizedText] = []
        func need(_ ok: Bool, _ zh: String, _ en: String) { if !ok { out.append(LocalizedText(zh: zh, en: en)) } }
        func tooLong(_ text: String?, _ max: Int, _ field: String, _ fieldEn: String) {
            if let text, text.count > max { out.append(LocalizedText(zh: "\(field)超过\(max)字", en: "\(fieldEn) is longer than \(max) characters")) }
        }
        for u in units + removeUnits where !(u.count == 4 && u.allSatisfy { $0.isASCII && $0.isNumber }) {
            out.append(LocalizedText(zh: "单元编号“\(u)”应为4位数字", en: "Unit number “\(u)” must have 4 digits"))
        }
        need(Set(units).count == units.count, "申请单元有重复", "A unit is listed twice")
        need(units.count <= 50 && removeUnits.count <= 50, "单元不得超过50个", "At most 50 units")
        need(productionAddresses.count <= 20, "生产地址不得超过20个", "At most 20 production addresses")
        need(keyEquipment.count <= 200, "关键设备不得超过200项", "At most 200 items of key equipment")
        need(qualityStaff.count <= 100, "质量人员不得超过100名", "At most 100 quality staff")
        for a in productionAddresses {
            need(a.address.contains { !$0.isWhitespace } && a.address.count <= 200,
                 "生产地址须填写且不超过200字", "Each production address must be filled in, at most 200 characters")
        }
        for e in keyEquipment {
            need(!e.name.isEmpty && e.name.count <= 100 && e.model.count <= 100, "设备名称须填写，名称和型号不超过100字",
                 "Each piece of equipment needs a name; name and model at most 100 characters")
            need((1...10_000).contains(e.quantity), "设备数量应在1到10000之间", "Equipment quantity must be between 1 and 10000")
        }
        for p in qualityStaff {
            need(!p.name.isEmpty && p.name.count <= 50 && p.role.count <= 50 && p.qualification.count <= 100,
                 "质量人员须填写姓名，姓名和岗位不超过50字", "Each quality staff member needs a name; name and role at most 50 characters")
        }
        tooLong(newName, 100, "新名称", "The new name")
        tooLong(newDomicile, 200, "新住所", "The new domicile")
        tooLong(statement, 2000, "说明", "The statement")

        switch kind {
        case .new:
            need(!units.isEmpty, "请选择申请的产品单元", "Choose the product units applied for")
            need(!productionAddresses.isEmpty, "请填写生产地址", "Give at least one production address")
            need(!keyEquipment.isEmpty, "请填写关键生产设备", "List the key production equipment")
            need(!qualityStaff.isEmpty, "请填写质量管理人员", "List the quality staff")
        case .renewal:
            need(!productionAddresses.isEmpty, "请填写生产地址", "Give at least one production address")
        case .change:
            need(!changes.isEmpty, "请选择变更事项", "Choose what changes")
            if changes.contains(.name) { need(!(newName ?? "").isEmpty, "请填写变更后的企业名称", "Give the new enterprise name") }
            if changes.contains(.domicile) { need(!(newDomicile ?? "").isEmpty, "请填写变更后的住所", "Give the new domicile") }
            if changes.contains(.productionAddress) { need(!productionAddresses.isEmpty, "请填写变更后的生产地址", "Give the new production addresses") }
            if changes.contains(.addUnits) { need(!units.isEmpty, "请选择增加的产品单元", "Choose the units to add") }
            if changes.contains(.removeUnits) { need(!removeUnits.isEmpty, "请选择减少的产品单元", "Choose the units to remove") }
            if changes.contains(.conditions) { need(!(statement ?? "").isEmpty, "请说明生产条件的变化", "Describe the change in production conditions") }
        case .reissue, .cancellation:
            need(!(statement ?? "").isEmpty, "请说明理由", "Give the reason")
        }
        return out
    }
}

/// Kinds of uploaded material. The commitment letter itself is text, stored verbatim with its hash.
public enum MaterialKind: String, Sendable, Codable, CaseIterable {
    case businessLicense = "business_license"
    case testReport = "test_report"
    /// A scan of the signed form or letter, or anything else the applicant adds.
    case other
}

/// A file's type, judged from its first bytes and never from the name or the client's header.
public enum UploadType: String, Sendable, Codable {
    case pdf = "application/pdf"
    case jpeg = "image/jpeg"
    case png = "image/png"

    public static let maxBytes = 20 * 1024 * 1024

    public static func sniff(_ bytes: some Collection<UInt8>) -> UploadType? {
        let head = Array(bytes.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        return nil
    }
}
