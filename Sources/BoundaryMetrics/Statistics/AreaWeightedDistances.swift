/// One direction's area-weighted distances, sorted, with the sums DeepMind's statistics divide by.
///
/// Held as runs of equal samples: a label's distances are a few lattice values repeated many times, and every
/// statistic here can step over a run at once while keeping numpy's summation order (see ``PairwiseSum``).
struct AreaWeightedDistances: Sendable {
    /// The sorted samples, as runs of equal ones.
    let runs: [SampleRun]
    /// `np.sum(areas)`.
    let total: Double
    /// `np.sum(distances * areas)`.
    let weightedSum: Double

    init(_ directed: DirectedDistances) {
        var runs: [SampleRun] = []
        for sample in directed.samples {
            if let last = runs.last, last.sample == sample {
                runs[runs.count - 1].count += 1
            } else {
                runs.append(SampleRun(sample: sample, count: 1))
            }
        }
        self.init(runs: runs)
    }

    /// - Parameter runs: sorted by distance, ties by weight, as ``RepeatedSampleSort`` gives them.
    init(runs: [SampleRun]) {
        self.runs = runs
        let count = runs.reduce(0) { $0 + $1.count }
        total = PairwiseSum.sum(runs: runs, count: count) { $0.weight }
        weightedSum = PairwiseSum.sum(runs: runs, count: count) { $0.distance * $0.weight }
    }

    var average: Double { weightedSum / total }

    func percentile(_ p: Double) -> Double {
        guard let last = runs.last else { return .infinity }
        let target = p / 100
        // np.searchsorted(np.cumsum(areas) / total, target), side "left": the first fraction ≥ target. The
        // fractions never decrease (areas are not negative, rounding is monotone), so the first run whose last
        // fraction reaches the target holds the first sample that does: its distance is the answer. The sum
        // itself must still add one area at a time, as np.cumsum rounds.
        var running = 0.0
        for run in runs {
            let weight = run.sample.weight
            for _ in 0..<run.count { running += weight }
            if running / total >= target { return run.sample.distance }
        }
        return last.sample.distance
    }

    func area(within tolerance: Double) -> Double {
        // Sorted ascending: the selected areas are a prefix, summed as np.sum sums the masked copy.
        var count = 0
        for run in runs where run.sample.distance <= tolerance { count += run.count }
        return PairwiseSum.sum(runs: runs, count: count) { $0.weight }
    }
}
