// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "xuke",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xuke", targets: ["xuke"]),
        // One Hummingbird route and nothing else: the yardstick of scripts/load-verify.
        .executable(name: "bare-hummingbird", targets: ["bare-hummingbird"]),
        // Libraries so the separate Benchmarks package can drive the same code.
        .library(name: "XukeApp", targets: ["XukeApp"]),
        .library(name: "XukeStorage", targets: ["XukeStorage"]),
        .library(name: "XukeDomain", targets: ["XukeDomain"]),
        .library(name: "XukeTrust", targets: ["XukeTrust"]),
        .library(name: "XukeQR", targets: ["XukeQR"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Already built for HummingbirdTesting; the platform uses it to deliver webhooks.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        // Already built for the two above; the mail worker's SMTP client is written on them.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Compiled in through Hummingbird; settings come from the environment, a JSON file and secret files through it.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        // Traces over OTLP/HTTP when XUKE_OTEL_ENDPOINT is set (no gRPC: the HTTP exporter needs nothing more).
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .executableTarget(name: "bare-hummingbird", dependencies: [.product(name: "Hummingbird", package: "hummingbird")], swiftSettings: swiftSettings),
        .target(
            name: "XukeDomain",
            swiftSettings: swiftSettings
        ),
        // The system zlib: status lists are ZLIB-compressed and PNG image data is too.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "XukeZlib", dependencies: ["CZlib"], swiftSettings: swiftSettings),
        // The verifiable formats (docs/FORMATS.md): canonical JSON, Merkle trees, signed notes, JWS credentials, status lists.
        .target(
            name: "XukeTrust",
            dependencies: ["XukeDomain", "XukeZlib", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // A QR Code encoder written for the platform, with SVG and PNG output.
        .target(
            name: "XukeQR",
            dependencies: ["XukeZlib"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "XukeStorage",
            dependencies: [
                "XukeDomain",
                "XukeTrust",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/reference")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "XukeApp",
            dependencies: [
                "XukeDomain",
                "XukeStorage",
                "XukeTrust",
                "XukeQR",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/messages"), .copy("Resources/static")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "xuke",
            dependencies: [
                "XukeApp",
                "XukeStorage",
                "XukeDomain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "XukeDomainTests",
            dependencies: ["XukeDomain"],
            swiftSettings: swiftSettings
        ),
        // Runs the independent tools the interop tests check against.
        .target(name: "XukeTestSupport", path: "Tests/Support", swiftSettings: swiftSettings),
        .testTarget(
            name: "XukeTrustTests",
            dependencies: ["XukeTrust", "XukeDomain", "XukeQR", "XukeZlib", "XukeTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "XukeStorageTests",
            dependencies: ["XukeStorage", "XukeDomain", "XukeZlib", .product(name: "SQLKit", package: "sql-kit"), .product(name: "Logging", package: "swift-log")],
            // A database written by an earlier release, to prove it still opens.
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "XukeAppTests",
            dependencies: [
                "XukeApp",
                "XukeStorage",
                "XukeDomain",
                "XukeTrust",
                "XukeQR",
                "XukeTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
