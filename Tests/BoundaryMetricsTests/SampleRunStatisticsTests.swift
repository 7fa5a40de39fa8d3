import TestSupport
import Testing

@testable import BoundaryMetrics

/// The statistics read from runs of equal samples against the same statistics over the samples written out:
/// equal bit for bit, since numpy's summation order and rounding are what make them match the reference.
struct SampleRunStatisticsTests {
    /// Sorted runs of a few lattice-like distances and surfel-like areas, long and short, some shorter than a
    /// block of 8 and some longer than several blocks of 128, so blocks both lie inside runs and straddle them.
    static func randomRuns(_ seed: UInt64) -> [SampleRun] {
        var random = SplitMix64(seed: seed)
        let distances = [0, 0.7, 1.3, 1.4764823060233401, 2.1, 2.5, 9.75].map { $0 * Double(seed) }
        let weights = [0.25, 0.4330127018922193, 0.5, 0.7071067811865476, 1.1]
        var runs: [SampleRun] = []
        for distance in distances {
            for weight in weights where random.next() % 3 != 0 {
                let count = random.next() % 4 == 0 ? Int(random.next() % 7) + 1 : Int(random.next() % 900) + 1
                runs.append(SampleRun(sample: DistanceSample(distance: distance, weight: weight), count: count))
            }
        }
        return runs
    }

    static func expanded(_ runs: [SampleRun]) -> [DistanceSample] {
        runs.flatMap { repeatElement($0.sample, count: $0.count) }
    }

    @Test(arguments: UInt64(1)...6)
    func pairwiseSumsOverRunsEqualSumsOverSamples(_ seed: UInt64) {
        let runs = Self.randomRuns(seed)
        let samples = Self.expanded(runs)
        var prefixes = [0, 1, 7, 8, 127, 128, 129, 1_000, samples.count - 1, samples.count]
        var random = SplitMix64(seed: seed &+ 100)
        for _ in 0..<20 { prefixes.append(Int(random.next() % UInt64(samples.count + 1))) }
        for count in prefixes where count >= 0 && count <= samples.count {
            let flat = PairwiseSum.sum(count: count) { samples[$0].distance * samples[$0].weight }
            let byRuns = PairwiseSum.sum(runs: runs, count: count) { $0.distance * $0.weight }
            #expect(flat.bitPattern == byRuns.bitPattern, "prefix \(count) of \(samples.count)")
        }
    }

    @Test(arguments: UInt64(1)...6)
    func statisticsOverRunsEqualTheSampleByScan(_ seed: UInt64) {
        let runs = Self.randomRuns(seed)
        let samples = Self.expanded(runs)
        let side = AreaWeightedDistances(runs: runs)
        let total = PairwiseSum.sum(count: samples.count) { samples[$0].weight }
        #expect(side.total.bitPattern == total.bitPattern)
        for p in [0.0, 1, 5, 50, 90, 95, 99, 99.9, 100] {
            // DeepMind's definition, one sample at a time: the first cumulative fraction that reaches p / 100.
            var running = 0.0
            var expected = samples.last?.distance ?? .infinity
            for sample in samples {
                running += sample.weight
                if running / total >= p / 100 {
                    expected = sample.distance
                    break
                }
            }
            #expect(side.percentile(p).bitPattern == expected.bitPattern, "percentile \(p)")
        }
        for tolerance in [0.0, 1, 1.4764823060233401, 2, 100] {
            let within = samples.prefix { $0.distance <= tolerance }.count
            let expected = PairwiseSum.sum(count: within) { samples[$0].weight }
            #expect(side.area(within: tolerance).bitPattern == expected.bitPattern, "tolerance \(tolerance)")
        }
    }

    @Test func runsOfSortedSamplesCountEachDistinctSample() {
        let runs = Self.randomRuns(3)
        var samples = Self.expanded(runs)
        var random = SplitMix64(seed: 9)
        samples.shuffle(using: &random)
        #expect(RepeatedSampleSort.sorted(count: samples.count) { samples[$0] } == Self.expanded(runs))
        let codes = samples.indices.map { UInt8(truncatingIfNeeded: $0 % 5) }
        let weights = [0.25, 0.4330127018922193, 0.5, 0.7071067811865476, 1.1]
        let byCode = RepeatedSampleSort.runs(
            count: samples.count, distance: { samples[$0].distance }, code: { codes[$0] },
            weight: { weights[Int($0)] })
        let expected = RepeatedSampleSort.sorted(count: samples.count) {
            DistanceSample(distance: samples[$0].distance, weight: weights[Int(codes[$0])])
        }
        #expect(Self.expanded(byCode) == expected)
    }
}
