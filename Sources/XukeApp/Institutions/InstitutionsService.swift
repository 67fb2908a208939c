import XukeDomain
import XukeStorage

/// The institutions around licensing and the credit lists (docs/DOMAIN.md §2, §11): testing labs and their
/// reports, review bodies, CCC certification bodies and certificates, the abnormal-operation and serious-violation
/// lists with their repair.
struct InstitutionsService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    let notifier: Notifier
    /// Credit entries are kept by the supervisor of the enterprise's area.
    let supervision: SupervisionService
}
