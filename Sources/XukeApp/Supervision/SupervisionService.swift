import XukeDomain
import XukeStorage

/// Supervision after licensing (docs/DOMAIN.md §9): double-random spot-check plans and their draws, inspections
/// announced or not, results and objections, enforcement, leads from the public and from other areas.
struct SupervisionService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    let uploads: UploadService
    /// Plan steps and inspection results go to the public log.
    let transparency: Transparency
    /// Enforcement suspends and revokes licences through licensing's own steps.
    let licensing: LicensingService
}
