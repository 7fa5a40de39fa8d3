/// One direction's area-weighted distances, sorted, with the sums DeepMind's statistics divide by.
struct AreaWeightedDistances: Sendable {
    let samples: [DistanceSample]
    /// `np.sum(areas)`.
    let total: Double
    /// `np.sum(distances * areas)`.
    let weightedSum: Double

    init(_ directed: DirectedDistances) {
        samples = directed.samples
        let samples = samples
        total = PairwiseSum.sum(count: samples.count) { samples[$0].weight }
        weightedSum = PairwiseSum.sum(count: samples.count) { samples[$0].distance * samples[$0].weight }
    }

    var average: Double { weightedSum / total }

    func percentile(_ p: Double) -> Double {
        guard let last = samples.last else { return .infinity }
        let target = p / 100
        // np.searchsorted(np.cumsum(areas) / total, target), side "left": the first fraction ≥ target.
        // One O(n) pass per call keeps no cumulative array alive between calls.
        var running = 0.0
        for sample in samples {
            running += sample.weight
            if running / total >= target { return sample.distance }
        }
        return last.distance
    }

    func area(within tolerance: Double) -> Double {
        // Sorted ascending: the selected areas are a prefix, summed as np.sum sums the masked copy.
        var count = 0
        var high = samples.count
        while count < high {
            let middle = (count + high) / 2
            if samples[middle].distance <= tolerance { count = middle + 1 } else { high = middle }
        }
        let samples = samples
        return PairwiseSum.sum(count: count) { samples[$0].weight }
    }
}
