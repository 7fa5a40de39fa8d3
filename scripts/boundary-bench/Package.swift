// swift-tools-version: 6.0
// Manual benchmark of the BoundaryMetrics library on a synthetic TotalSegmentator-size pair (release only):
//   cd scripts/boundary-bench && swift build -c release && /usr/bin/time -v .build/release/boundary-bench
import PackageDescription

let package = Package(
    name: "boundary-bench",
    dependencies: [.package(name: "segscore", path: "../..")],
    targets: [
        .executableTarget(
            name: "BoundaryBench",
            dependencies: [.product(name: "BoundaryMetrics", package: "segscore")],
            path: "Sources/BoundaryBench"
        )
    ]
)
