import Foundation
import Testing

/// The shape docs/ARCHITECTURE.md promises: one folder per area with its service, routes that reach the database
/// only through a service, and a composition root that no area depends on.
@Suite struct ArchitectureTests {
    static let app = ErrorCatalogTests.root.appendingPathComponent("Sources/XukeApp")
    static let areas = ["Accounts": "AccountService", "Catalog": "CatalogService", "Licensing": "LicensingService",
                        "Supervision": "SupervisionService", "Duties": "DutiesService", "Institutions": "InstitutionsService",
                        "Sharing": "SharingService", "Trust": "TrustService"]

    static func swiftFiles(in folder: URL) -> [URL] {
        FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// Route groups (`*API.swift`, `*Pages.swift`) read and write through their area's service, never a store,
    /// the event log, the notifications or a transaction of their own.
    @Test func noRouteTouchesAStore() throws {
        let routes = Self.swiftFiles(in: Self.app).filter { $0.lastPathComponent.hasSuffix("API.swift") || $0.lastPathComponent.hasSuffix("Pages.swift") }
        #expect(routes.count >= 25)
        let reach = try Regex(#"\.db\b|\b[A-Z][A-Za-z]*Store\.[a-z]\w*\(|\b(Events|Notifications|LicensingReports|ShippedData)\.[a-z]\w*\(|import SQLKit"#)
        for file in routes {
            for (n, line) in try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(reach) {
                Issue.record("\(file.lastPathComponent):\(n + 1) reaches storage from a route: \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }

    /// Each area has its folder and its service type, and no area reaches for the composition root.
    @Test func eachAreaOwnsItsServiceAndNoneDependsOnTheRoot() throws {
        for (folder, service) in Self.areas {
            let files = Self.swiftFiles(in: Self.app.appendingPathComponent(folder))
            let texts = try files.map { try String(contentsOf: $0, encoding: .utf8) }
            #expect(texts.contains { $0.contains("struct \(service): ") }, "\(folder) declares no \(service)")
            for (file, text) in zip(files, texts) {
                #expect(!text.contains("AppServices"), "\(folder)/\(file.lastPathComponent) depends on the composition root")
            }
        }
    }
}
