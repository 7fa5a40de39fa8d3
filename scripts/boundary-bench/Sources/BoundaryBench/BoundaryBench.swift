import BoundaryMetrics
import Foundation

/// Times the whole boundary pass on a 512×512×400 uint8 pair with 100 labels (0.8×0.8×1.5 mm): collecting
/// boundaries slice by slice, then every label's distances and statistics. The phantom is rendered slice by
/// slice (its time is excluded), so the process's peak RSS is the library's plus two slices.
///
/// Usage: `BoundaryBench [edges] [W H D]` — surfels and DeepMind statistics by default, `edges` for MONAI's
/// edge voxels and its 95th-percentile Hausdorff distance.
@main
struct BoundaryBench {
    static func main() {
        let kind: BoundaryKind = CommandLine.arguments.contains("edges") ? .edgeVoxels : .surfels
        let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
        let (width, height, depth) =
            arguments.count == 3 ? (arguments[0], arguments[1], arguments[2]) : (512, 512, 400)
        let reference = BlobPhantom(width: width, height: height, depth: depth, count: 100, seed: 7)
        let prediction = reference.perturbed(shift: 1.5, seed: 11)
        let spacing = Spacing(x: 0.8, y: 0.8, z: 1.5)
        var predictionSlice = [UInt8](repeating: 0, count: width * height)
        var referenceSlice = predictionSlice
        let clock = ContinuousClock()
        var renderTime = Duration.zero
        var collector = BoundaryCollector(
            width: width,
            height: height,
            depth: depth,
            kinds: [kind],
            skippedCode: 0
        )
        let collectStart = clock.now
        var renderCPU = 0.0
        let collectCPUStart = processCPUSeconds()
        for z in 0..<depth {
            let renderCPUStart = processCPUSeconds()
            renderTime += clock.measure {
                prediction.render(z: z, into: &predictionSlice)
                reference.render(z: z, into: &referenceSlice)
            }
            renderCPU += processCPUSeconds() - renderCPUStart
            predictionSlice.withUnsafeBufferPointer { p in
                referenceSlice.withUnsafeBufferPointer { r in collector.add(prediction: p, reference: r) }
            }
        }
        let sets = collector.finish()
        let collectTime = clock.now - collectStart - renderTime
        let collectCPU = processCPUSeconds() - collectCPUStart - renderCPU
        let collectPeak = peakResidentMiB()
        let codes = sets.codes(kind: kind)
        let distanceStart = clock.now
        let distanceCPUStart = processCPUSeconds()
        let hd95 =
            kind == .surfels
            ? sets.surfaceDistanceSummaries(codes: codes, spacing: spacing, percentiles: [95], tolerances: [1, 2])
                .map { $0.percentiles[0] }
            : sets.map(codes: codes, kind: kind, spacing: spacing) { _, distances in
                Double(MonaiBoundaryMetrics.hausdorffDistance(distances, percentile: 95, directed: false))
            }
        let distanceTime = clock.now - distanceStart
        let distanceCPU = processCPUSeconds() - distanceCPUStart
        let elements = codes.map { sets.elementCounts(code: $0, kind: kind) }.reduce(0) {
            $0 + $1.prediction + $1.reference
        }
        print("\(width)×\(height)×\(depth): \(codes.count) labels, \(elements) \(kind) (both images)")
        print("render (excluded): \(renderTime)")
        print("collect:           \(collectTime), CPU \(cpu(collectCPU)) s (peak RSS so far \(collectPeak) MiB)")
        print("distances + stats: \(distanceTime), CPU \(cpu(distanceCPU)) s")
        print("mean hd95:         \(hd95.reduce(0, +) / Double(hd95.count)) mm")
        let largest = codes.map { sets.elementCounts(code: $0, kind: kind) }.max { $0.reference < $1.reference }
        print("largest label:     \(largest.map { "\($0.prediction) + \($0.reference)" } ?? "-") elements")
        print("peak RSS:          \(peakResidentMiB()) MiB")
    }

    /// User + system CPU time of the whole process (all threads), which a loaded machine does not inflate.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    private static func cpu(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    /// VmHWM of this process in MiB (Linux).
    private static func peakResidentMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return -1 }
        return kib / 1024
    }
}
