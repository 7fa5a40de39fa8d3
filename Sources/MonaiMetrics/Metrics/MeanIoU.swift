import NiftiIO

/// MONAI's `MeanIoU` (1.6.1): per-class intersection over union of each batch item, buffered across calls.
///
/// Prediction and reference are one-hot channels of equal shape; **values are not binarised** (unlike
/// ``DiceMetric``), so soft values give a soft IoU. With I = Σ y·ŷ and U = Σ y + Σ ŷ − I:
///
/// * with ``ignoreEmpty`` (default): IoU = I/U when Σ y > 0, else **NaN** (left out of means);
/// * without: IoU = I/U when U > 0, else **1.0**, so an empty reference with a non-empty prediction gives 0.
///
/// Background removal drops channel 0 only when there is more than one channel. Binary inputs give exact
/// integer I and U and a bit-exact Float32 ratio.
public struct MeanIoU: CumulativeMetric, OverlapMetric, Sendable {
    public let includeBackground: Bool
    public let reduction: MetricReduction
    public let ignoreEmpty: Bool
    /// Not a MONAI option: one-hot encode a label-map reference into the prediction's channels first, as
    /// `oneHot(y, numClasses: C)` would.
    public let toOnehotY: Bool
    public var _scores = ScoreBuffer()

    /// MONAI's defaults: background included, `mean` reduction, empty references ignored.
    public init(
        includeBackground: Bool = true,
        reduction: MetricReduction = .mean,
        ignoreEmpty: Bool = true,
        toOnehotY: Bool = false
    ) {
        self.includeBackground = includeBackground
        self.reduction = reduction
        self.ignoreEmpty = ignoreEmpty
        self.toOnehotY = toOnehotY
    }

    /// Reduces the buffered rows with `reduction` (default: the metric's ``reduction``).
    ///
    /// - Throws: ``MonaiError/noData`` when nothing was recorded.
    public func aggregate(reduction: MetricReduction? = nil) throws(MonaiError) -> MetricAggregate {
        try _scores.reduced(by: reduction ?? self.reduction)
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
        sums.map { s in
            let union = s.reference + s.prediction - s.intersection
            if ignoreEmpty { return s.reference > 0 ? Float(s.intersection) / Float(union) : .nan }
            return union > 0 ? Float(s.intersection) / Float(union) : 1
        }
    }
}
