/// Who may change a license: issue, change, renew, suspend and reinstate, revoke (撤销), withdraw (吊销), cancel,
/// or apply a catalog reform to it. One rule for every path that changes a license (docs/DOMAIN.md, "whoever
/// approves supervises"): an officer of the authority that holds the license, or of an authority above it in the
/// same chain. A license a province delegated to a prefecture or county bureau is held by that bureau, so the
/// bureau and its province (and the national authority) may act on it; a county never acts on a license its
/// province issued. Administrators keep accounts and data, not licenses.
public enum LicenseAuthority {
    /// `holder` is the license's authority: `national` or a division code.
    public static func mayChange(licenseHeldBy holder: String, role: Role, jurisdiction: String?) -> Bool {
        role == .officer && Jurisdiction(divisionCode: jurisdiction).covers(authority: holder)
    }
}
