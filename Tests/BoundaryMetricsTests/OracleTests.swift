import TestSupport
import Testing

@testable import BoundaryMetrics

/// The streaming collector and the k-d tree against the brute-force oracle, on random masks: both boundary
/// kinds, several labels, anisotropic spacing, every metric, and both code widths.
struct OracleTests {
    static let spacing = Spacing(x: 0.7, y: 1.3, z: 2.1)

    /// Noise volumes (many isolated voxels) and run-heavy box volumes (which take the chunk-skipping paths),
    /// with widths that are not multiples of 8; the spread boxes lie many rows apart, beyond the row search's
    /// reach, so their distances come from the k-d tree.
    static let volumes: [(name: String, prediction: LabelVolume, reference: LabelVolume)] = {
        var result: [(String, LabelVolume, LabelVolume)] = []
        for seed in UInt64(1)...4 {
            var random = SplitMix64(seed: seed)
            result.append(("noise \(seed)", noise(13, 9, 6, &random), noise(13, 9, 6, &random)))
            result.append(("boxes \(seed)", boxes(37, 11, 7, &random), boxes(37, 11, 7, &random)))
            result.append(("spread \(seed)", boxes(19, 41, 23, &random), boxes(19, 41, 23, &random)))
            // Rows of two and a bit 32-byte chunks: the last chunk overlaps the one before it.
            result.append(("wide noise \(seed)", noise(71, 4, 3, &random), noise(71, 4, 3, &random)))
        }
        // A large boundary (~2,000 surfels) with stray voxels far off along x: the first strays walk the wide
        // rows, the rest (past the walks' budget of one per 512 boundary points) go to the tree.
        result.append(("strays", strays(shift: 1), strays(shift: 0)))
        return result
    }()

    @Test(arguments: volumes.indices)
    func collectorFindsTheOracleBoundaries(_ index: Int) {
        let (name, prediction, reference) = Self.volumes[index]
        for width in CodeWidth.allCases {
            let sets = collectBoundaries(prediction: prediction, reference: reference, width: width)
            for label in UInt32(1)...3 {
                let surfels = sets.pair(label, .surfels)
                let edges = sets.pair(label, .edgeVoxels)
                #expect(surfels.prediction == BruteForceOracle.surfels(of: prediction, label: label), "\(name)")
                #expect(surfels.reference == BruteForceOracle.surfels(of: reference, label: label), "\(name)")
                #expect(edges.prediction == BruteForceOracle.edgeVoxels(of: prediction, label: label), "\(name)")
                #expect(edges.reference == BruteForceOracle.edgeVoxels(of: reference, label: label), "\(name)")
            }
        }
    }

    @Test(arguments: volumes.indices)
    func distancesEqualAllPairs(_ index: Int) {
        let (name, prediction, reference) = Self.volumes[index]
        let sets = collectBoundaries(prediction: prediction, reference: reference)
        for kind in BoundaryKind.allCases {
            for metric in [DistanceMetric.euclidean, .chessboard, .taxicab] {
                for label in UInt32(1)...3 {
                    let pair = sets.pair(label, kind)
                    let actual = sets.distances(code: label, kind: kind, spacing: Self.spacing, metric: metric)
                    let forward = BruteForceOracle.distances(
                        from: pair.prediction,
                        to: pair.reference,
                        kind: kind,
                        spacing: Self.spacing,
                        metric: metric
                    )
                    let backward = BruteForceOracle.distances(
                        from: pair.reference,
                        to: pair.prediction,
                        kind: kind,
                        spacing: Self.spacing,
                        metric: metric
                    )
                    #expect(actual.predictionToReference == forward, "\(name) \(kind) \(metric) label \(label)")
                    #expect(actual.referenceToPrediction == backward, "\(name) \(kind) \(metric) label \(label)")
                }
            }
        }
    }

    @Test func manyLabelsAtOnceEqualOneAtATime() {
        let (_, prediction, reference) = Self.volumes[1]
        let sets = collectBoundaries(prediction: prediction, reference: reference)
        let codes = sets.codes(kind: .surfels)
        let together = sets.distances(codes: codes, kind: .surfels, spacing: Self.spacing)
        let single = codes.map { sets.distances(code: $0, kind: .surfels, spacing: Self.spacing) }
        #expect(together == single)
        #expect(codes == [1, 2, 3])
    }

    @Test(arguments: volumes.indices)
    func summariesEqualTheFullStatistics(_ index: Int) {
        let (name, prediction, reference) = Self.volumes[index]
        let sets = collectBoundaries(prediction: prediction, reference: reference, kinds: [.surfels])
        let codes = sets.codes(kind: .surfels)
        let summaries = sets.surfaceDistanceSummaries(
            codes: codes,
            spacing: Self.spacing,
            percentiles: [50, 95],
            tolerances: [1, 2.5]
        )
        for (code, summary) in zip(codes, summaries) {
            let stats = SurfaceDistanceStats(sets.distances(code: code, kind: .surfels, spacing: Self.spacing))
            // Every label of these volumes is in both images, so all values are finite and compare exactly.
            #expect(summary.hd == stats.hd, "\(name) code \(code)")
            #expect(summary.percentiles == [stats.percentile(50), stats.percentile(95)], "\(name) code \(code)")
            #expect(summary.masd == stats.masd && summary.assd == stats.assd, "\(name) code \(code)")
            #expect(summary.nsd == [stats.nsd(tolerance: 1), stats.nsd(tolerance: 2.5)], "\(name) code \(code)")
        }
    }

    private static func noise(_ w: Int, _ h: Int, _ d: Int, _ random: inout SplitMix64) -> LabelVolume {
        var volume = LabelVolume(width: w, height: h, depth: d)
        for i in volume.labels.indices {
            let r = random.next() % 10
            volume.labels[i] = r < 4 ? 0 : UInt32(r % 3 + 1)
        }
        return volume
    }

    private static func strays(shift: Int) -> LabelVolume {
        var volume = LabelVolume(width: 56, height: 30, depth: 10)
        for z in 1..<9 { for y in 2..<25 { for x in (2 + shift)..<(30 + shift) { volume[x, y, z] = 1 } } }
        // 15 to 22 voxels beyond the box along x (0.7 mm each): past the row search's reach, within the wide one.
        for (x, y, z) in [(45, 5, 4), (48, 12, 5), (46, 20, 3), (50, 27, 6), (52, 28, 8), (47, 15, 2), (51, 9, 7)] {
            volume[x + shift, y, z] = 1
        }
        return volume
    }

    private static func boxes(_ w: Int, _ h: Int, _ d: Int, _ random: inout SplitMix64) -> LabelVolume {
        var volume = LabelVolume(width: w, height: h, depth: d)
        for label in UInt32(1)...3 {
            for _ in 0..<2 {
                let x0 = Int(random.next() % UInt64(w))
                let y0 = Int(random.next() % UInt64(h))
                let z0 = Int(random.next() % UInt64(d))
                let x1 = min(w, x0 + 3 + Int(random.next() % 20))
                let y1 = min(h, y0 + 2 + Int(random.next() % 6))
                let z1 = min(d, z0 + 2 + Int(random.next() % 4))
                for z in z0..<z1 { for y in y0..<y1 { for x in x0..<x1 { volume[x, y, z] = label } } }
            }
        }
        return volume
    }
}

/// The collector's only input path is slice streaming; its bookkeeping (previous slices, the late edge slice,
/// the closing layer) must not depend on the code width it is fed.
@Suite(.enabled(if: DistanceGolden.isAvailable, "../shared/distance-golden is absent"))
struct CodeWidthTests {
    @Test func uint8AndUInt32CodesGiveIdenticalBoundaries() throws {
        let golden = try #require(DistanceGolden.cases.first { $0.id == "many_labels" })
        let prediction = try LabelVolume(path: golden.predictionPath)
        let reference = try LabelVolume(path: golden.referencePath)
        let narrow = collectBoundaries(prediction: prediction, reference: reference, width: .uint8)
        let wide = collectBoundaries(prediction: prediction, reference: reference, width: .uint32)
        for kind in BoundaryKind.allCases {
            #expect(narrow.codes(kind: kind) == wide.codes(kind: kind))
            #expect(narrow.codes(kind: kind).count == 8)
            for code in narrow.codes(kind: kind) {
                let spacing = Spacing(golden.spacing)
                #expect(
                    narrow.distances(code: code, kind: kind, spacing: spacing)
                        == wide.distances(code: code, kind: kind, spacing: spacing)
                )
            }
        }
        for (a, b) in zip(narrow.surfels ?? [], wide.surfels ?? []) {
            #expect(a.unpacked() == b.unpacked())
        }
        for (a, b) in zip(narrow.edges ?? [], wide.edges ?? []) {
            #expect(a.unpacked() == b.unpacked())
        }
    }
}
