import XukeDomain
import XukeStorage

/// Data shared both ways (docs/DOMAIN.md §12): agency clients and their scopes, the event feed, webhooks and the
/// daily public dumps.
struct SharingService: Sendable {
    let db: Database
    let clock: PlatformClock
    let config: AppConfig
    /// An agency client is an account of its own.
    let accounts: AccountService
}
