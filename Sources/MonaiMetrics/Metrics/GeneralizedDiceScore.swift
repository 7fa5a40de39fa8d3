import NiftiIO

/// MONAI's `GeneralizedDiceScore` (1.6.1), buffered across calls.
///
/// Prediction and reference are one-hot channels of equal shape, multiplied as given. Per class c of item b:
/// I_c = Σ y·ŷ, den_c = Σ y + Σ ŷ, and w_c from V_c = Σ y by ``weightType``. An empty class's infinite weight
/// becomes the item's largest finite weight (1.0 when every class is empty).
///
/// **The raw shape depends on the reduction chosen here**, as in MONAI:
///
/// * `mean`, `sum`, `meanChannel`, `sumChannel`: classes are summed before the ratio,
///   score_b = 2·Σ w_c·I_c / Σ w_c·den_c, one value per item (`[B, 1]`);
/// * `none`, `meanBatch`, `sumBatch`: one ratio per class (`[B, C']`); the weights cancel, so this is plain
///   per-class Dice up to Float32 rounding of the weights.
///
/// Where the denominator is 0 the score is 1 if the prediction is empty there, else 0: **it is never NaN**.
/// An empty reference with a non-empty prediction scores 0. Arithmetic mirrors MONAI's Float32 steps, so
/// results agree to about 1e-7 relative.
public struct GeneralizedDiceScore: CumulativeMetric, OverlapMetric, Sendable {
    public let includeBackground: Bool
    /// Fixed at construction: it decides the raw shape. (MONAI ignores `aggregate(reduction=)` here too.)
    public let reduction: MetricReduction
    public let weightType: WeightType
    /// Not a MONAI option: one-hot encode a label-map reference into the prediction's channels first.
    public let toOnehotY: Bool
    public var _scores = ScoreBuffer()

    /// MONAI 1.6.1's defaults: background included, `mean` reduction (the default before 1.5.0 was
    /// `mean_batch`), square weights.
    public init(
        includeBackground: Bool = true,
        reduction: MetricReduction = .mean,
        weightType: WeightType = .square,
        toOnehotY: Bool = false
    ) {
        self.includeBackground = includeBackground
        self.reduction = reduction
        self.weightType = weightType
        self.toOnehotY = toOnehotY
    }

    /// Reduces the buffered rows with the metric's ``reduction``.
    ///
    /// There is no `not_nans`: the scores are never NaN.
    ///
    /// - Throws: ``MonaiError/noData`` when nothing was recorded.
    public func aggregate() throws(MonaiError) -> Tensor {
        try _scores.reduced(by: reduction).value
    }

    /// Whether classes are summed before the ratio (one score per item).
    var sumsOverClasses: Bool {
        switch reduction {
        case .mean, .sum, .meanChannel, .sumChannel: true
        case .none, .meanBatch, .sumBatch: false
        }
    }

    func plan(predictionChannels: Int, referenceChannels: Int) throws(MonaiError) -> OverlapPlan {
        try .channelPair(
            predictionChannels: predictionChannels,
            referenceChannels: referenceChannels,
            includeBackground: includeBackground,
            toOnehotY: toOnehotY
        )
    }

    func scoreRow(_ sums: [OverlapSums]) -> [Float] {
        let weights = weightType.weights(volumes: sums.map { Float($0.reference) }, allEmpty: 1)
        let numerators = zip(sums, weights).map { Float($0.intersection) * $1 }
        let denominators = zip(sums, weights).map { Float($0.reference + $0.prediction) * $1 }
        func ratio(_ numerator: Float, _ denominator: Float, predicted: Double) -> Float {
            denominator == 0 ? (predicted == 0 ? 1 : 0) : 2 * numerator / denominator
        }
        if sumsOverClasses {
            let predicted = sums.reduce(0) { $0 + $1.prediction }
            return [ratio(numerators.reduce(0, +), denominators.reduce(0, +), predicted: predicted)]
        }
        return sums.indices.map { ratio(numerators[$0], denominators[$0], predicted: sums[$0].prediction) }
    }
}
