import BoundaryMetrics
import Testing

/// Every case of `../shared/distance-golden`: surface-distance 0.1 (`surface.*`) and MONAI 1.6.1 (`monai`)
/// values, through the streaming collector, within the golden README's tolerances.
@Suite(.enabled(if: DistanceGolden.isAvailable, "../shared/distance-golden is absent: golden cases skipped"))
struct GoldenDistanceTests {
    @Test func theGoldenSetHasEveryCase() {
        #expect(DistanceGolden.cases.count == 12)
    }

    @Test(arguments: DistanceGolden.cases)
    func matchesSurfaceDistance(_ golden: GoldenDistanceCase) throws {
        let prediction = try LabelVolume(path: golden.predictionPath)
        let reference = try LabelVolume(path: golden.referencePath)
        let sets = collectBoundaries(prediction: prediction, reference: reference, kinds: [.surfels])
        let spacing = Spacing(golden.spacing)
        let diagonal = EmptyStructureRule.diagonalMm(
            width: prediction.width,
            height: prediction.height,
            depth: prediction.depth,
            spacing: spacing
        )
        #expect(isClose(diagonal, golden.diagonalMm), "diagonal of \(golden.id)")
        for (ignoreEmpty, rows) in [(true, golden.ignoreEmpty), (false, golden.noIgnoreEmpty)] {
            for (label, expected) in rows {
                let counts = sets.elementCounts(code: label, kind: .surfels)
                let outcome = EmptyStructureRule.outcome(
                    predictionHasLabel: counts.prediction > 0,
                    referenceHasLabel: counts.reference > 0,
                    ignoreEmpty: ignoreEmpty,
                    diagonalMm: diagonal
                )
                let actual: [String: Double]
                switch outcome {
                case .undefined:
                    actual = expected.mapValues { _ in .nan }
                case .fixed(let distance, let nsd):
                    actual = [
                        "hd": distance, "hd95": distance, "masd": distance, "assd": distance,
                        "nsd@1": nsd, "nsd@2": nsd,
                    ]
                case .measured:
                    let stats = SurfaceDistanceStats(sets.distances(code: label, kind: .surfels, spacing: spacing))
                    actual = [
                        "hd": stats.hd, "hd95": stats.percentile(95), "masd": stats.masd, "assd": stats.assd,
                        "nsd@1": stats.nsd(tolerance: 1), "nsd@2": stats.nsd(tolerance: 2),
                    ]
                }
                for (key, value) in expected {
                    let context = "\(golden.id) label \(label) \(key) ignoreEmpty=\(ignoreEmpty)"
                    #expect(isClose(actual[key] ?? -1, value), "\(context): \(actual[key] ?? -1) vs \(value)")
                }
            }
        }
    }

    @Test(arguments: DistanceGolden.cases)
    func matchesMonai(_ golden: GoldenDistanceCase) throws {
        let prediction = try LabelVolume(path: golden.predictionPath)
        let reference = try LabelVolume(path: golden.referencePath)
        let sets = collectBoundaries(prediction: prediction, reference: reference)
        let spacing = Spacing(golden.spacing)
        for run in golden.monaiRuns {
            let raw = (1...run.raw.count).map { channel -> Double in
                let code = UInt32(channel)
                let kind: BoundaryKind = run.useSubvoxels ? .surfels : .edgeVoxels
                let distances = sets.distances(code: code, kind: kind, spacing: spacing)
                switch run.metric {
                case "HausdorffDistanceMetric":
                    return Double(
                        MonaiBoundaryMetrics.hausdorffDistance(
                            distances,
                            percentile: run.percentile,
                            directed: run.directed
                        )
                    )
                case "SurfaceDistanceMetric":
                    return Double(MonaiBoundaryMetrics.averageSurfaceDistance(distances, symmetric: run.symmetric))
                default:
                    return Double(
                        MonaiBoundaryMetrics.surfaceDice(
                            distances,
                            threshold: run.classThresholds[channel - 1],
                            useSubvoxels: run.useSubvoxels
                        )
                    )
                }
            }
            for (channel, (actual, expected)) in zip(raw, run.raw).enumerated() {
                let context = "\(golden.id) \(run.metric) p=\(run.percentile ?? -1) directed=\(run.directed)"
                #expect(
                    isClose(actual, expected, relative: 1e-5),
                    "\(context) channel \(channel + 1): \(actual) vs \(expected)"
                )
            }
            let finite = raw.filter { !$0.isNaN }
            let aggregate = finite.isEmpty ? 0 : finite.reduce(0, +) / Double(finite.count)
            #expect(isClose(aggregate, run.aggregate, relative: 1e-5), "\(golden.id) \(run.metric) aggregate")
            #expect(Double(finite.isEmpty ? 0 : 1) == run.notNans, "\(golden.id) \(run.metric) notNans")
        }
    }
}

/// The golden README's comparison: NaN matches NaN, infinities match exactly, else relative (absolute near 0).
func isClose(_ actual: Double, _ expected: Double, relative: Double = 1e-6) -> Bool {
    if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
    if actual.isInfinite || expected.isInfinite { return actual == expected }
    return abs(actual - expected) <= max(relative * abs(expected), 1e-9)
}
