// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "segscore",
    products: [
        .executable(name: "segscore", targets: ["SegscoreCLI"]),
        .library(name: "NiftiIO", targets: ["NiftiIO"]),
        .library(name: "DiceEngine", targets: ["DiceEngine"]),
        .library(name: "MonaiMetrics", targets: ["MonaiMetrics"]),
        .library(name: "BoundaryMetrics", targets: ["BoundaryMetrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // MARK: - C interop
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        .target(name: "CPlatform"),

        // MARK: - Libraries: reader → engine → metrics → reporting
        .target(name: "NiftiIO", dependencies: ["CZlib", "CPlatform"]),
        .target(name: "DiceEngine", dependencies: ["NiftiIO", "BoundaryMetrics", "CPlatform"]),
        .target(name: "MonaiMetrics", dependencies: ["NiftiIO"]),
        .target(name: "Reporting", dependencies: ["DiceEngine", "NiftiIO"]),
        .target(name: "BoundaryMetrics"),

        // MARK: - Command-line front end
        .executableTarget(
            name: "SegscoreCLI",
            dependencies: [
                "NiftiIO", "DiceEngine", "Reporting", "MonaiMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["NiftiIO", "CZlib"], path: "Tests/TestSupport"),
        .testTarget(name: "NiftiIOTests", dependencies: ["NiftiIO", "TestSupport"]),
        .testTarget(name: "DiceEngineTests", dependencies: ["DiceEngine", "NiftiIO", "TestSupport"]),
        .testTarget(name: "MonaiMetricsTests", dependencies: ["MonaiMetrics", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "DiceEngine", "TestSupport"]),
        .testTarget(name: "SegscoreCLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "BoundaryMetricsTests", dependencies: ["BoundaryMetrics", "NiftiIO", "TestSupport"]),
    ]
)
