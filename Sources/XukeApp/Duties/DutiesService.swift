import XukeDomain
import XukeStorage

/// What a licensed enterprise owes after its licence (docs/DOMAIN.md §10): yearly self-inspection reports,
/// standards declarations, recalls and accidents.
struct DutiesService: PlaceNaming, Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    let places: Places
    let notifier: Notifier
    /// A late or troubling report becomes a supervision lead.
    let supervision: SupervisionService
}
