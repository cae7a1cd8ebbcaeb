// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "kamwatch",
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
        // Byte masks of 64-byte blocks for the CSV scanner (static inline SSE2/NEON, no library).
        .systemLibrary(name: "CScan"),

        // Shared vocabulary every stage speaks: look here before writing a helper. Day, Language,
        // Severity, Alert and Evidence, number and date text, JSON text, stable hashes, durable
        // outbox files, the rules-directory lookup.
        .target(
            name: "KamwatchVocabulary",
            swiftSettings: strict
        ),
        // Reading the data directory into a typed, indexed Book.
        .target(
            name: "KamwatchData",
            dependencies: ["CScan", "CZlib", "KamwatchVocabulary"],
            swiftSettings: strict
        ),
        // The rule language: parse, compile, evaluate; alerts and their output formats.
        .target(
            name: "KamwatchRules",
            dependencies: [
                "KamwatchData",
                "KamwatchVocabulary",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The only module that calls libsystemd.
        .target(
            name: "KamwatchSystemd",
            dependencies: [
                "CSystemd",
                "KamwatchVocabulary",
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
                "KamwatchVocabulary",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // Daily digest e-mails.
        .target(
            name: "KamwatchDigest",
            dependencies: [
                "KamwatchVocabulary",
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
                "KamwatchVocabulary",
                "KamwatchRules",
                "KamwatchState",
                "KamwatchSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // What the commands do: check, rules check, data inspect, digest, run; one failure type.
        .target(
            name: "KamwatchCommands",
            dependencies: [
                "KamwatchData",
                "KamwatchRules",
                "KamwatchState",
                "KamwatchDigest",
                "KamwatchDaemon",
                "KamwatchSystemd",
                "KamwatchVocabulary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The command line: command definitions only.
        .executableTarget(
            name: "kamwatch",
            dependencies: [
                "KamwatchCommands",
                "KamwatchData",
                "KamwatchDaemon",
                "KamwatchRules",
                "KamwatchVocabulary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            name: "KamwatchDataTests", dependencies: ["KamwatchData", "KamwatchVocabulary"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(name: "KamwatchVocabularyTests", dependencies: ["KamwatchVocabulary"], swiftSettings: strict),
        .testTarget(
            name: "KamwatchRulesTests", dependencies: ["KamwatchRules", "KamwatchData", "KamwatchVocabulary"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "KamwatchSystemdTests",
            dependencies: [
                "KamwatchSystemd", "KamwatchTestSupport", .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .testTarget(
            name: "KamwatchStateTests",
            dependencies: [
                "KamwatchState", "KamwatchData", "KamwatchRules", "KamwatchVocabulary",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "KamwatchDigestTests",
            dependencies: [
                "KamwatchDigest", "KamwatchState", "KamwatchRules", "KamwatchVocabulary",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "KamwatchDaemonTests",
            dependencies: [
                "KamwatchDaemon", "KamwatchState", "KamwatchRules", "KamwatchData", "KamwatchTestSupport",
                "KamwatchVocabulary",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        .testTarget(
            name: "KamwatchCommandsTests",
            dependencies: [
                "KamwatchCommands", "KamwatchData", "KamwatchDigest", "KamwatchRules", "KamwatchState",
                "KamwatchVocabulary",
            ],
            swiftSettings: strict),
        // Golden tests that run the built `kamwatch` binary.
        .testTarget(name: "KamwatchCLITests", resources: [.copy("Golden")], swiftSettings: strict),
    ]
)
