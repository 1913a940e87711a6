// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "reactor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "reactor", targets: ["reactor"]),
        .library(name: "ZooKeeper", targets: ["ZooKeeper"]),
        .library(name: "ZooKeeperTesting", targets: ["ZooKeeperTesting"]),
        .library(name: "ReactorCore", targets: ["ReactorCore"]),
        .library(name: "ReactorStore", targets: ["ReactorStore"]),
        .library(name: "ReactorAPI", targets: ["ReactorAPI"]),
        .library(name: "ReactorManager", targets: ["ReactorManager"]),
        .library(name: "DockerEngine", targets: ["DockerEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // Debian ships no pkg-config file for libzookeeper-mt, so the library is linked by name.
        .systemLibrary(
            name: "CZooKeeper",
            providers: [.apt(["libzookeeper-mt-dev"])]
        ),
        .target(
            name: "ZooKeeper",
            dependencies: [
                "CZooKeeper",
                "ProcessSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ProcessSupport",
            dependencies: ["CLinux"],
            swiftSettings: strict
        ),
        // epoll, eventfd and accept4 for the tcp balancer (glibc only: nothing to link).
        .target(name: "CLinux"),
        // Private ZooKeeper servers and processes that cannot outlive their owner: `reactor up`,
        // `reactor zookeeper run`, tests and benchmarks.
        .target(
            name: "LocalServices",
            dependencies: ["ProcessSupport"],
            swiftSettings: strict
        ),
        .target(
            name: "ZooKeeperTesting",
            dependencies: ["ZooKeeper", "LocalServices", "ProcessSupport"],
            swiftSettings: strict
        ),
        .target(
            name: "ReactorCore",
            swiftSettings: strict
        ),
        .target(
            name: "ReactorStore",
            dependencies: [
                "ZooKeeper",
                "ReactorCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ReactorAPI",
            dependencies: [
                "ReactorCore",
                "ReactorStore",
                "ZooKeeper",
                "LoadBalancers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // The Docker Engine API over its unix socket (HTTP/1.1 + JSON).
        .target(
            name: "DockerEngine",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ReactorManager",
            dependencies: [
                "DockerEngine",
                "ZooKeeper",
                "ReactorCore",
                "ReactorStore",
                "LoadBalancers",
                "ProcessSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "LoadBalancers",
            dependencies: [
                "ProcessSupport",
                "CLinux",
                "ReactorCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "reactor",
            dependencies: [
                "ZooKeeper",
                "LocalServices",
                "ReactorCore",
                "ReactorStore",
                "ReactorAPI",
                "ReactorManager",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zk-bench",
            dependencies: ["ZooKeeper", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooKeeperTests",
            dependencies: ["ZooKeeper", "ZooKeeperTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReactorCoreTests",
            dependencies: ["ReactorCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReactorStoreTests",
            dependencies: ["ReactorStore", "ReactorCore", "ZooKeeper", "ZooKeeperTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReactorAPITests",
            dependencies: [
                "ReactorAPI",
                "ReactorStore",
                "ReactorCore",
                "ZooKeeper",
                "ZooKeeperTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReactorManagerTests",
            dependencies: [
                "ReactorManager", "DockerEngine", "ReactorStore", "ReactorCore", "ZooKeeper", "ZooKeeperTesting",
                "LoadBalancers",
                "ProcessSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReactorCLITests",
            dependencies: ["ReactorStore", "ReactorCore", "ZooKeeper", "ZooKeeperTesting", "ProcessSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LoadBalancersTests",
            dependencies: [
                "LoadBalancers",
                "ZooKeeperTesting",
                "ProcessSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
