import NiftiIO

/// MONAI's `DiceMetric` (1.6.1): per-class Dice of each batch item, buffered across calls.
///
/// For batch item b, with n = ``numClasses`` ?? the prediction's channel count:
///
/// * **Classes scored:** c = first ..< n, where first is 0 with ``includeBackground`` and 1 without; when
///   n == 1, only label 1 is scored and ``includeBackground`` has no effect.
/// * **Prediction mask P:** a one-channel prediction is a label map, P = (y_pred == c) compared exactly, so a
///   one-channel probability map only counts voxels equal to 1.0. A multi-channel prediction is binarised as
///   P = (y_pred[c] ≠ 0): **any non-zero value is foreground**, including 0.001, negatives and every voxel of
///   a softmax output. Apply argmax yourself first.
/// * **Reference G:** a one-channel reference is a label map, G = (y == c); a multi-channel reference is used
///   as numbers, G = y[c], not binarised.
/// * **Score**, with I = Σ G over P: if Σ G > 0, D = 2·I / (Σ G + |P|); otherwise, with ``ignoreEmpty``,
///   D = NaN (the class is left out of means); otherwise 1.0 when Σ G + |P| ≤ 0 and 0.0 when the prediction
///   is not empty. There is no smoothing term.
///
/// With binary inputs I, Σ G and |P| are exact integer counts, and D is computed as
/// `Float(2·I) / Float(ΣG + |P|)`, bit for bit what MONAI returns. ``soft`` selects MONAI ≤ 1.1's soft Dice
/// instead. Prediction and reference must have the same spatial shape.
public struct DiceMetric: CumulativeMetric, OverlapMetric, Sendable {
    public let includeBackground: Bool
    /// The reduction ``aggregate(reduction:)`` applies unless given another.
    public let reduction: MetricReduction
    public let ignoreEmpty: Bool
    /// The number of classes n; `nil` takes the prediction's channel count.
    ///
    /// Needed to score more than label 1 of a label-map prediction.
    public let numClasses: Int?
    /// The most classes one call may score: MONAI one-hot encodes them all (memory and time grow with
    /// classes × voxels), and no label map has more structures than this.
    public static let maximumClasses = 1 << 14
    /// MONAI ≤ 1.1's soft Dice instead of today's binarised one.
    ///
    /// A multi-channel prediction enters the formula with its raw values, 2·Σp·g / (Σp + Σg), instead of being
    /// binarised. Old tutorials' numbers (≈ 0.2825 on `torch.rand` outputs) come from this; MONAI ≥ 1.2
    /// binarises. One-channel predictions are label maps either way.
    public let soft: Bool
    public var _scores = ScoreBuffer()

    /// MONAI's defaults: background included, `mean` reduction, empty references ignored.
    ///
    /// - Throws: ``MonaiError/invalidOption(_:)`` when `numClasses` is below 1 or above ``maximumClasses``.
    public init(
        includeBackground: Bool = true,
        reduction: MetricReduction = .mean,
        ignoreEmpty: Bool = true,
        numClasses: Int? = nil,
        soft: Bool = false
    ) throws(MonaiError) {
        if let numClasses, numClasses < 1 { throw .invalidOption("num_classes must be at least 1, got \(numClasses)") }
        if let numClasses, numClasses > Self.maximumClasses {
            throw .invalidOption(
                "num_classes \(numClasses) is beyond the \(Self.maximumClasses) classes segscore scores "
                    + "(each class is one pass over the voxels)")
        }
        self.includeBackground = includeBackground
        self.reduction = reduction
        self.ignoreEmpty = ignoreEmpty
        self.numClasses = numClasses
        self.soft = soft
    }

    /// Reduces the buffered rows with `reduction` (default: the metric's ``reduction``).
    ///
    /// - Throws: ``MonaiError/noData`` when nothing was recorded.
    public func aggregate(reduction: MetricReduction? = nil) throws(MonaiError) -> MetricAggregate {
        try _scores.reduced(by: reduction ?? self.reduction)
    }

    func plan(predictionChannels: Int, referenceChannels: Int) throws(MonaiError) -> OverlapPlan {
        let n = numClasses ?? predictionChannels
        let classes = n > 1 ? Array((includeBackground ? 0 : 1)..<n) : [1]
        let prediction: OverlapPlan.PredictionEncoding =
            predictionChannels == 1 ? .labelMap : soft ? .channels(.none) : .nonZero
        return OverlapPlan(
            prediction: prediction,
            reference: referenceChannels == 1 ? .labelMap : .channels,
            classes: classes,
            predictionChannels: predictionChannels,
            referenceChannels: referenceChannels
        )
    }

    func scoreRow(_ sums: [OverlapSums]) -> [Float] {
        sums.map { s in
            if s.reference > 0 { return Float(2 * s.intersection) / Float(s.reference + s.prediction) }
            if ignoreEmpty { return .nan }
            return s.reference + s.prediction <= 0 ? 1 : 0
        }
    }
}
