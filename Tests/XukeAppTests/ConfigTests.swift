import Foundation
import Testing
@testable import XukeApp

@Suite struct ConfigTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xuke-config-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aFileFillsWhatTheEnvironmentLeaves() async throws {
        let path = try file(#"{"port": 9090, "host": "0.0.0.0", "secure-cookies": true, "trusted-proxies": ["10.0.0.0/8", "192.168.1.1"], "db-max-connections": "24", "public-url": "https://xuke.example.cn/"}"#)
        let c = try await AppConfig.load(environment: ["XUKE_CONFIG_FILE": path, "XUKE_HOST": "127.0.0.2"])
        #expect(c.port == 9090 && c.databaseMaxConnections == 24 && c.secureCookies)
        #expect(c.host == "127.0.0.2", "the environment wins")
        #expect(c.trustedProxies.count == 2)
        #expect(c.publicURL == "https://xuke.example.cn")
    }

    @Test func aBadFileIsRefusedWithTheReason() async throws {
        let misspelt = try file(#"{"databse-url": "postgres://x"}"#)
        await #expect { try await AppConfig.load(environment: ["XUKE_CONFIG_FILE": misspelt]) } throws: { ($0 as? ConfigError)?.value.contains("databse-url") == true }
        let outOfRange = try file(#"{"port": 70000}"#)
        await #expect { try await AppConfig.load(environment: ["XUKE_CONFIG_FILE": outOfRange]) } throws: { ($0 as? ConfigError)?.variable == "XUKE_PORT" }
        let notJSON = try file("port = 8080")
        await #expect(throws: ConfigError.self) { try await AppConfig.load(environment: ["XUKE_CONFIG_FILE": notJSON]) }
        await #expect(throws: ConfigError.self) { try await AppConfig.load(environment: ["XUKE_CONFIG_FILE": "/nonexistent/xuke.json"]) }
    }

    @Test func secretsComeFromFiles() async throws {
        let secret = try file("postgres://xuke:s3cret@db.example.cn/xuke\r\n")
        let c = try await AppConfig.load(environment: ["XUKE_DATABASE_URL_FILE": secret])
        #expect(c.databaseURL == "postgres://xuke:s3cret@db.example.cn/xuke")
        await #expect { try await AppConfig.load(environment: ["XUKE_DATABASE_URL_FILE": secret, "XUKE_DATABASE_URL": "postgres://other"]) }
            throws: { ($0 as? ConfigError)?.value.contains("not both") == true }
        await #expect(throws: ConfigError.self) { try await AppConfig.load(environment: ["XUKE_SMTP_URL_FILE": "/nonexistent"]) }
        let token = try file(String(repeating: "t", count: 40) + "\n")
        #expect(try await AppConfig.load(environment: ["XUKE_METRICS_TOKEN_FILE": token]).metricsToken == String(repeating: "t", count: 40))
    }

    @Test func theEnvironmentAloneStillWorks() async throws {
        let c = try await AppConfig.load(environment: ["XUKE_PORT": "8181", "XUKE_BLOBS": "database", "XUKE_MAIL_SECONDS": "0"])
        #expect(c.port == 8181 && c.blobKind == .database && c.mailSeconds == 0)
        let defaults = try await AppConfig.load(environment: [:])
        #expect(defaults.port == 8080 && defaults.blobKind == .directory)
    }
}
