import XukeDomain
import XukeStorage

/// Who keeps the registers of institutions and the national lists.
extension User {
    /// Officers of a province or the nation, and administrators, keep the registry.
    func requireRegistrar() throws {
        guard role == .administrator || (role == .officer && (jurisdiction.map { $0.hasSuffix("0000") } ?? true)) else {
            throw AppError(.lab.registrarOnly)
        }
    }

    /// National registers (bans, CCC, catalog drafts) are kept by national officers and administrators.
    func requireNationalRegistrar() throws {
        guard role == .administrator || (role == .officer && jurisdiction == nil) else {
            throw AppError(.registry.nationalOnly)
        }
    }

    var isNationalRegistrar: Bool { (try? requireNationalRegistrar()) != nil }
}
