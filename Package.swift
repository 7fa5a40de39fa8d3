// swift-tools-version: 6.1
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
    traits: [
        .trait(
            name: "ISAL",
            description: "Inflate .nii.gz voxel data with Intel's ISA-L (libisal-dev) instead of zlib: about 3× faster."
        )
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0")
    ],
    targets: [
        // MARK: - C interop
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        .systemLibrary(
            name: "CIsal",
            path: "Sources/CIsal",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]
        ),

        .target(name: "CPlatform"),

        // MARK: - Libraries: reader → engine → metrics → cohort → reporting
        .target(
            name: "NiftiIO",
            dependencies: ["CZlib", "CPlatform", .target(name: "CIsal", condition: .when(traits: ["ISAL"]))]
        ),
        .target(name: "BoundaryMetrics", dependencies: ["CPlatform"]),
        .target(name: "DiceEngine", dependencies: ["NiftiIO", "BoundaryMetrics", "CPlatform"]),
        .target(name: "MonaiMetrics", dependencies: ["NiftiIO", "BoundaryMetrics", "CPlatform"]),
        // The JSON and label-name documents segscore reads and writes; below Cohort, which keeps its records in JSON.
        .target(name: "Documents"),
        .target(name: "Cohort", dependencies: ["DiceEngine", "NiftiIO", "Documents"]),
        .target(name: "Reporting", dependencies: ["Cohort", "DiceEngine", "NiftiIO", "Documents"]),
        // Slice snapshots of where a pair disagrees, drawn and encoded as PNG by segscore itself.
        .target(name: "Snapshots", dependencies: ["DiceEngine", "NiftiIO", "Documents", "CZlib"]),
        // A cohort's output folder → one self-contained HTML page (SVG plots, tables, embedded snapshots).
        .target(name: "CohortReport", dependencies: ["Cohort", "Reporting", "DiceEngine", "Documents"]),

        // MARK: - Command-line front end
        .executableTarget(
            name: "SegscoreCLI",
            dependencies: [
                "NiftiIO", "BoundaryMetrics", "DiceEngine", "MonaiMetrics", "Documents", "Cohort", "Reporting",
                "Snapshots", "CohortReport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["NiftiIO", "CZlib"], path: "Tests/TestSupport"),
        .testTarget(name: "NiftiIOTests", dependencies: ["NiftiIO", "TestSupport"]),
        .testTarget(name: "DiceEngineTests", dependencies: ["DiceEngine", "NiftiIO", "TestSupport"]),
        .testTarget(name: "MonaiMetricsTests", dependencies: ["MonaiMetrics", "TestSupport"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"]),
        .testTarget(name: "CohortReportTests", dependencies: ["CohortReport", "Cohort", "TestSupport"]),
        .testTarget(
            name: "CohortTests", dependencies: ["Cohort", "Reporting", "Documents", "DiceEngine", "TestSupport"]),
        .testTarget(name: "SegscoreCLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "BoundaryMetricsTests", dependencies: ["BoundaryMetrics", "NiftiIO", "TestSupport"]),
    ]
)
