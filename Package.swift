// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "obs",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "obs", targets: ["obs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .target(name: "ObsCore"),
        .target(
            name: "ObsStorage",
            dependencies: [
                "ObsCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ObsIngest",
            dependencies: ["ObsCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(
            name: "ObsAggregate",
            dependencies: [
                "ObsCore", "ObsStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "ObsQuery", dependencies: ["ObsCore", "ObsStorage", "ObsAggregate"]),
        .target(
            name: "ObsRules",
            dependencies: [
                "ObsCore", "ObsStorage", "ObsAggregate", "ObsQuery",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ObsNotify",
            dependencies: [
                "ObsCore", "ObsStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ObsIncidents",
            dependencies: [
                "ObsCore", "ObsStorage", "ObsQuery",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ObsServer",
            dependencies: [
                "ObsCore", "ObsStorage", "ObsIngest", "ObsAggregate", "ObsQuery", "ObsRules", "ObsNotify", "ObsIncidents",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "ObsCLI",
            dependencies: [
                "ObsCore", "ObsIngest", "ObsStorage", "ObsAggregate", "ObsQuery", "ObsRules", "ObsNotify", "ObsIncidents", "ObsServer",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                // obs bench notify's webhook receiver (already linked through ObsServer).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "obs",
            dependencies: [
                "ObsServer", "ObsCLI", "ObsQuery", "ObsRules", "ObsIncidents", "ObsStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "ObsTesting",
            dependencies: [
                "ObsCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ObsCoreTests", dependencies: ["ObsCore"]),
        .testTarget(
            name: "ObsIngestTests",
            dependencies: ["ObsIngest", "ObsTesting", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(
            name: "ObsStorageTests",
            dependencies: [
                "ObsStorage", "ObsTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ObsAggregateTests", dependencies: ["ObsAggregate", "ObsStorage", "ObsTesting"]),
        .testTarget(name: "ObsQueryTests", dependencies: ["ObsQuery", "ObsAggregate", "ObsStorage", "ObsTesting"]),
        .testTarget(
            name: "ObsRulesTests",
            dependencies: [
                "ObsRules", "ObsQuery", "ObsAggregate", "ObsStorage", "ObsTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ObsNotifyTests",
            dependencies: ["ObsNotify", "ObsStorage", "ObsTesting", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "ObsServerTests",
            dependencies: [
                "ObsServer", "ObsCLI", "ObsRules", "ObsTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ObsIncidentsTests",
            dependencies: ["ObsIncidents", "ObsStorage", "ObsTesting", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "ObsTestingTests", dependencies: ["ObsTesting"]),
        .testTarget(
            name: "ObsEndToEndTests",
            dependencies: ["ObsTesting", "obs", .product(name: "Crypto", package: "swift-crypto")]
        ),
    ]
)
