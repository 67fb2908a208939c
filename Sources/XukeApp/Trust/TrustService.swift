import XukeDomain
import XukeStorage

/// What anyone can check (docs/FORMATS.md): public licence query, credentials and their QR codes, verification,
/// and the audit of the public log against the database.
public struct TrustService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    let transparency: Transparency
    let verifyCache: VerifyCache
    /// Rendered QR codes by credential.
    let renders: RenderCache
}
