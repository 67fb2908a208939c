import Hummingbird
import XukeDomain

/// Routes that act across areas.
struct PlatformAPI {
    let s: AppServices

    func register(_ api: RouterGroup<AppRequestContext>) {
        // The deadline sweep on demand (it also runs on its timer).
        api.group(context: AdminContext.self).post("admin/sweep") { _, _ in JSONReply(try await s.sweep()) }
    }
}
