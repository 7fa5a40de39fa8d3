/// The distances from every boundary element of one image to the nearest element of the other, sorted
/// ascending, each with its weight (the surfel area in mm², or 1 for an edge voxel).
///
/// Ties are ordered by weight, as DeepMind sorts `(distance, area)` pairs, so cumulative sums (and with them
/// the area-weighted percentile) accumulate in the reference's exact order. If the other image has no
/// boundary, every distance is `+∞` (both peers do the same); if this image has none, the lists are empty.
public struct DirectedDistances: Sendable, Equatable {
    /// Nearest-boundary distances, ascending (mm for Euclidean, voxel steps for chessboard/taxicab).
    public private(set) var distances: [Double]
    /// The weight of each distance: surfel area in mm², or 1 for an edge voxel.
    public private(set) var weights: [Double]

    /// Sorts `distances` ascending (ties by weight) together with their `weights`.
    public init(distances: [Double], weights: [Double]) {
        precondition(distances.count == weights.count, "one weight per distance")
        self.init(unsorted: zip(distances, weights).map { ($0, $1) })
    }

    /// Sorts `(distance, weight)` pairs, avoiding separate input arrays for the library's own callers.
    init(unsorted pairs: [(Double, Double)]) {
        var pairs = pairs
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        distances = pairs.map(\.0)
        weights = pairs.map(\.1)
    }

    /// The number of boundary elements of the source image.
    public var count: Int { distances.count }
    /// Whether the source image has no boundary element (it lacks the label).
    public var isEmpty: Bool { distances.isEmpty }
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
