/// The sums every metric and loss in this module is computed from, for one batch item and one class.
///
/// With p the prediction value and g the reference value of the class at a voxel, after any activation,
/// binarisation or one-hot encoding the metric asks for:
///
/// * ``intersection`` = Σ p·g, ``prediction`` = Σ p, ``reference`` = Σ g,
/// * ``predictionSquares`` = Σ p², ``referenceSquares`` = Σ g².
///
/// The sums are accumulated in `Double`. For binary inputs they are therefore exact integer counts (up to
/// 2⁵³ voxels), which is what makes ``DiceMetric`` bit-exact against MONAI; for soft inputs they avoid the
/// drift a Float32 running sum has on large volumes. Sums are additive, so the slabs of a volume, or the
/// items of a batch pooled by a loss's `batch` option, combine with `+`.
public struct OverlapSums: Sendable, Equatable {
    /// Σ p·g.
    public var intersection: Double
    /// Σ p.
    public var prediction: Double
    /// Σ g.
    public var reference: Double
    /// Σ p².
    public var predictionSquares: Double
    /// Σ g².
    public var referenceSquares: Double

    public init(
        intersection: Double = 0,
        prediction: Double = 0,
        reference: Double = 0,
        predictionSquares: Double = 0,
        referenceSquares: Double = 0
    ) {
        self.intersection = intersection
        self.prediction = prediction
        self.reference = reference
        self.predictionSquares = predictionSquares
        self.referenceSquares = referenceSquares
    }

    public static func + (lhs: OverlapSums, rhs: OverlapSums) -> OverlapSums {
        OverlapSums(
            intersection: lhs.intersection + rhs.intersection,
            prediction: lhs.prediction + rhs.prediction,
            reference: lhs.reference + rhs.reference,
            predictionSquares: lhs.predictionSquares + rhs.predictionSquares,
            referenceSquares: lhs.referenceSquares + rhs.referenceSquares
        )
    }

    public static func += (lhs: inout OverlapSums, rhs: OverlapSums) {
        lhs = lhs + rhs
    }
}
