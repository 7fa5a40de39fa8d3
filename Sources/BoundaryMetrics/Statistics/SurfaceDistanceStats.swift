/// The `deepmind` boundary statistics of one label (google-deepmind/surface-distance 0.1), from surfel
/// distances weighted by area.
///
/// Sums follow numpy's order (pairwise `np.sum`, sequential `np.cumsum`) so that results, percentile ties
/// included, equal the reference to the last bits in practice. When a direction is empty or its distances are
/// infinite (one mask lacks the label) the values are DeepMind's inf/NaN; apply ``EmptyStructureRule`` first.
public struct SurfaceDistanceStats: Sendable {
    private let referenceSide: AreaWeightedDistances
    private let predictionSide: AreaWeightedDistances

    /// - Parameter distances: surfel distances of one label (``BoundaryKind/surfels``).
    public init(_ distances: SurfaceDistances) {
        referenceSide = AreaWeightedDistances(distances.referenceToPrediction)
        predictionSide = AreaWeightedDistances(distances.predictionToReference)
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
}
