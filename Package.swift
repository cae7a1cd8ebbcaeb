// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "kamwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kamwatch", targets: ["kamwatch"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C boundaries: one module map each, nothing else.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // Reading the data directory into a typed, indexed Book.
        .target(
            name: "KamwatchData",
            dependencies: ["CZlib"],
            swiftSettings: strict
        ),
        // Durable, never-replacing files for the outbox (alerts and digests).
        .target(
            name: "KamwatchFiles",
            swiftSettings: strict
        ),
        // The rule language: parse, compile, evaluate; alerts and their output formats.
        .target(
            name: "KamwatchRules",
            dependencies: [
                "KamwatchData",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The only module that calls libsystemd.
        .target(
            name: "KamwatchSystemd",
            dependencies: [
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Alert state, transition log and emission bookkeeping in SQLite.
        .target(
            name: "KamwatchState",
            dependencies: [
                "KamwatchData",
                "KamwatchRules",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // Daily digest e-mails.
        .target(
            name: "KamwatchDigest",
            dependencies: [
                "KamwatchFiles",
                "KamwatchRules",
                "KamwatchState",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: strict
        ),
        // The daemon: config, watcher, evaluator, outbox, journal emission.
        .target(
            name: "KamwatchDaemon",
            dependencies: [
                "KamwatchData",
                "KamwatchFiles",
                "KamwatchRules",
                "KamwatchState",
                "KamwatchSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The command line: command definitions only.
        .executableTarget(
            name: "kamwatch",
            dependencies: [
                "KamwatchData",
                "KamwatchRules",
                "KamwatchState",
                "KamwatchDigest",
                "KamwatchDaemon",
                "KamwatchSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Test doubles shared by the test targets (never linked into the product).
        .target(
            name: "KamwatchTestSupport",
            dependencies: ["KamwatchSystemd"],
            path: "Tests/KamwatchTestSupport",
            swiftSettings: strict
        ),

        .testTarget(
            name: "KamwatchDataTests", dependencies: ["KamwatchData"], resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(name: "KamwatchFilesTests", dependencies: ["KamwatchFiles"], swiftSettings: strict),
        .testTarget(
            name: "KamwatchRulesTests", dependencies: ["KamwatchRules", "KamwatchData"], resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "KamwatchSystemdTests",
            dependencies: [
                "KamwatchSystemd", "KamwatchTestSupport", .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .testTarget(
            name: "KamwatchStateTests",
            dependencies: ["KamwatchState", "KamwatchRules", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(
            name: "KamwatchDigestTests", dependencies: ["KamwatchDigest", "KamwatchState", "KamwatchRules"],
            resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "KamwatchDaemonTests",
            dependencies: [
                "KamwatchDaemon", "KamwatchState", "KamwatchRules", "KamwatchData", "KamwatchTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        // Golden tests that run the built `kamwatch` binary.
        .testTarget(name: "KamwatchCLITests", resources: [.copy("Golden")], swiftSettings: strict),
    ]
)
