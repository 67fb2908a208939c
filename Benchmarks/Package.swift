// swift-tools-version:6.3
// Benchmarks live in their own package so that `swift test` and CI never build the harness.
// Run: cd Benchmarks && swift package benchmark
import PackageDescription

// A path dependency is named after its directory, and a clone may use any directory name.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "xuke")

let package = Package(
    name: "XukeBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    ],
    targets: [
        .executableTarget(
            name: "XukeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "XukeApp", package: root),
                .product(name: "XukeStorage", package: root),
                .product(name: "XukeDomain", package: root),
                .product(name: "XukeTrust", package: root),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "XukeBenchmarks",
            // The harness's Benchmark type is not Sendable; the measured code is checked in its own package.
            swiftSettings: [.swiftLanguageMode(.v5)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
