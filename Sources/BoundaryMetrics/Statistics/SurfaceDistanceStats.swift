/// The `deepmind` boundary statistics of one label (google-deepmind/surface-distance 0.1), from surfel
/// distances weighted by area.
///
/// Sums follow numpy's order (pairwise `np.sum`, sequential `np.cumsum`) so that results, percentile ties
/// included, equal the reference to the last bits in practice. When a direction is empty or its distances are
/// infinite (one mask lacks the label) the values are DeepMind's inf/NaN; apply ``EmptyStructureRule`` first.
public struct SurfaceDistanceStats: Sendable {
    private let referenceSide: Side
    private let predictionSide: Side

    /// - Parameter distances: surfel distances of one label (``BoundaryKind/surfels``).
    public init(_ distances: SurfaceDistances) {
        referenceSide = Side(distances.referenceToPrediction)
        predictionSide = Side(distances.predictionToReference)
    }

    /// Hausdorff distance: the larger of the two directed maxima (the 100th percentile).
    public var hd: Double { percentile(100) }

    /// Robust Hausdorff distance (`compute_robust_hausdorff`): per direction the first sorted distance whose
    /// cumulative area fraction reaches `p`/100, then the larger of the two. `p` in 0...100.
    public func percentile(_ p: Double) -> Double {
        max(referenceSide.percentile(p), predictionSide.percentile(p))
    }

    /// Mean average surface distance: the mean of the two directed area-weighted averages.
    public var masd: Double { (referenceSide.average + predictionSide.average) / 2 }

    /// Average symmetric surface distance: Σ a·d over both surfaces divided by Σ a over both.
    public var assd: Double {
        (referenceSide.weightedSum + predictionSide.weightedSum) / (referenceSide.total + predictionSide.total)
    }

    /// Normalised surface Dice at `tolerance` mm (`compute_surface_dice_at_tolerance`): the area of both
    /// surfaces within the tolerance of the other over the total area.
    public func nsd(tolerance: Double) -> Double {
        (referenceSide.area(within: tolerance) + predictionSide.area(within: tolerance))
            / (referenceSide.total + predictionSide.total)
    }

    /// One direction's sorted distances with their area sums.
    private struct Side: Sendable {
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
}
