// swift-tools-version:6.0
import PackageDescription

// One direction of dependency: eyeson → App → Store → Synthetic, Feeds → EyesOnCore.
// EyesOnCore and Synthetic import nothing of Vapor or Fluent, so they build in seconds.
let package = Package(
    name: "EyesOn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "eyeson", targets: ["eyeson"]),
        // libFuzzer targets for the file readers; built by scripts/fuzz only (--sanitize=fuzzer).
        .executable(name: "eyeson-fuzz", targets: ["FeedsFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        // Already in the graph through Vapor; the store hashes the audit chain with it.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .target(
            name: "EyesOnCore",
            resources: [.copy("Resources/bank-holidays.json")]
        ),
        .target(name: "Synthetic", dependencies: ["EyesOnCore"]),
        // The record-linkage engine: pure (standard library and swift-collections only), knows
        // nothing of children or databases.
        // Optimised in debug builds too: the store's linking run trains the model when the demo
        // loads, which every app test and the browser tests do; unoptimised, that training took
        // 11 s a demo instead of a fraction of one.
        .target(name: "Linkage", dependencies: [.product(name: "Collections", package: "swift-collections")],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Readers for the agencies' file formats (CSV, XML): streaming, with row errors.
        .target(name: "Feeds", dependencies: ["EyesOnCore"]),
        .target(
            name: "Store",
            dependencies: [
                "EyesOnCore",
                "Synthetic",
                "Feeds",
                "Linkage",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "App",
            dependencies: [
                "Store",
                "EyesOnCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ]
        ),
        .executableTarget(
            name: "eyeson",
            dependencies: [
                "App",
                "Store",
                "Synthetic",
                "EyesOnCore",
                "Linkage",
                "Feeds",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FeedsFuzz",
            dependencies: ["Feeds", "EyesOnCore"],
            path: "Fuzz/FeedsFuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .testTarget(name: "EyesOnCoreTests", dependencies: ["EyesOnCore"]),
        .testTarget(name: "SyntheticTests", dependencies: ["Synthetic"]),
        .testTarget(name: "LinkageTests", dependencies: ["Linkage"]),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds", "Synthetic", "EyesOnCore"]),
        // Shared by the Store and App tests: a scratch database on each engine.
        .target(
            name: "TestSupport",
            dependencies: ["Store", .product(name: "FluentKit", package: "fluent-kit"), .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "TestSupport", "EyesOnCore", "Synthetic",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "TestSupport",
                "Store",
                "EyesOnCore",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
