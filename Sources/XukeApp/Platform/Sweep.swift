import Foundation
import XukeDomain
import XukeStorage
import SQLKit

/// What the law lets happen by itself when a deadline passes: deemed acceptance, deemed renewal, expiry; and the
/// reminders of duties falling due.
/// Run by the server every hour, by `xuke sweep` and by the admin API; running it twice does nothing more.
extension AppServices {
    public struct SweepReport: Codable, Sendable, Equatable {
        public var deemedAccepted: [String] = []
        public var deemedRenewed: [String] = []
        public var expired: [String] = []
        /// Enterprises reminded of a yearly self-inspection report.
        public var reminded: [String] = []
        /// Enterprises moved from the abnormal-operation list to the serious-violation list.
        public var movedToSerious: [String] = []
        /// Review bodies reminded of their yearly report.
        public var reviewReminded: [String] = []
        /// Catalog drafts whose edition came into force: licenses and makers moved on.
        public var reformsApplied: [String] = []
        /// Spot-check plans whose secret was not revealed in time.
        public var plansForfeited: [String] = []
    }

    public func sweep() async throws -> SweepReport {
        var report = SweepReport()
        (report.deemedAccepted, report.deemedRenewed, report.expired) = try await licensing.applyDeadlines()
        // Each duty in its own transaction: a failure in one leaves the licensing deadlines above, and the others, done.
        report.reminded = try await db.write { try await duties.remindSelfReports($0) }
        report.movedToSerious = try await db.write { try await institutions.moveLongAbnormal($0) }
        report.reviewReminded = try await db.write { try await institutions.remindReviewReports($0) }
        report.reformsApplied = try await catalog.applyCatalogReforms()
        report.plansForfeited = try await supervision.forfeitUnrevealedPlans()
        try await db.write { try await UserStore.purgeThrottle($0, before: clock.seconds - 86_400) }
        return report
    }
}
