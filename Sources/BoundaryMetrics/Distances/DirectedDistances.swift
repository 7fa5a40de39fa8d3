/// The distances from every boundary element of one image to the nearest element of the other, sorted
/// ascending, each with its weight (the surfel area in mm², or 1 for an edge voxel).
///
/// Ties are ordered by weight, as DeepMind sorts `(distance, area)` pairs, so cumulative sums (and with them
/// the area-weighted percentile) accumulate in the reference's exact order. If the other image has no
/// boundary, every distance is `+∞` (both peers do the same); if this image has none, the lists are empty.
public struct DirectedDistances: Sendable, Equatable {
    /// One (distance, weight) per boundary element, ascending. Kept as one array of pairs (not two arrays) so a
    /// label's distances cost 16 bytes per element, sorted in place.
    public private(set) var samples: [DistanceSample]

    /// Sorts `distances` ascending (ties by weight) together with their `weights`.
    public init(distances: [Double], weights: [Double]) {
        precondition(distances.count == weights.count, "one weight per distance")
        self.init(count: distances.count) { DistanceSample(distance: distances[$0], weight: weights[$0]) }
    }

    /// Sorts `sample(0) ..< sample(count)` by distance, ties by weight.
    init(count: Int, _ sample: (Int) -> DistanceSample) {
        self.samples = RepeatedSampleSort.sorted(count: count, sample)
    }

    /// The distances alone, ascending: mm for Euclidean, voxel steps for chessboard/taxicab. O(n) copy.
    public var distances: [Double] { samples.map(\.distance) }
    /// The weights alone, in the order of ``distances``. O(n) copy.
    public var weights: [Double] { samples.map(\.weight) }
    /// The number of boundary elements of the source image.
    public var count: Int { samples.count }
    /// Whether the source image has no boundary element (it lacks the label).
    public var isEmpty: Bool { samples.isEmpty }
}

/// One boundary element's distance to the other boundary and its weight (surfel area in mm², or 1).
public struct DistanceSample: Sendable, Equatable {
    /// The distance to the nearest element of the other boundary (`+∞` if there is none).
    public var distance: Double
    /// The surfel area in mm², or 1 for an edge voxel.
    public var weight: Double

    /// A sample of `distance` with `weight`.
    public init(distance: Double, weight: Double) {
        self.distance = distance
        self.weight = weight
    }
}

/// Both directions of one label's boundary distances.
public struct SurfaceDistances: Sendable, Equatable {
    /// From each prediction boundary element to the reference boundary.
    public var predictionToReference: DirectedDistances
    /// From each reference boundary element to the prediction boundary.
    public var referenceToPrediction: DirectedDistances

    /// Pairs two directions computed elsewhere (the library builds them in ``BoundarySets``).
    public init(predictionToReference: DirectedDistances, referenceToPrediction: DirectedDistances) {
        self.predictionToReference = predictionToReference
        self.referenceToPrediction = referenceToPrediction
    }
}
