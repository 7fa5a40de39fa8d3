import NiftiIO

/// MONAI's `DiceLoss` (1.6.1): a soft Dice (or Jaccard) loss per item and class.
///
/// The input is used as given after the activation (no binarisation). With p the input and g the target
/// after the steps of ``LossInputs`` (sigmoid, softmax, one-hot, background), and sums over the spatial axes
/// (plus the batch axis with ``batch``):
///
/// * Dice: L = 1 − (2·Σpg + nr) / (Σp + Σg + dr);
/// * ``jaccard``: L = 1 − (2·Σpg + nr) / (2·(Σp + Σg − Σpg) + dr), IoU with the smoothing terms halved;
/// * ``squaredPred`` replaces Σp + Σg by Σp² + Σg².
///
/// There is no NaN path. With the default nr = dr = 1e-5, an empty target and an empty prediction give
/// L = 0, and an empty target with prediction mass m gives 1 − 1e-5 / (m + 1e-5) ≈ 1. ``weight`` multiplies
/// L[b, c] by w_c before the reduction and the mean is **not** renormalised by Σw; weights are ignored when
/// a single class is scored. Sums are taken in `Double` (MONAI: float32 cascaded sums), so results agree
/// with MONAI to about 1e-6 relative.
public struct DiceLoss: OverlapLoss, Sendable {
    public var includeBackground: Bool { _inputs.includeBackground }
    /// One-hot encode a one-channel label-map target into the input's C classes (ignored when C = 1).
    public var toOnehotY: Bool { _inputs.toOnehotY }
    public var sigmoid: Bool { _inputs.sigmoid }
    /// Softmax over the channels (ignored when C = 1).
    public var softmax: Bool { _inputs.softmax }
    public let squaredPred: Bool
    public let jaccard: Bool
    public let reduction: LossReduction
    public let smoothNr: Double
    public let smoothDr: Double
    /// Sum over the batch too, giving one loss per class.
    public let batch: Bool
    /// Per-class weights, one per scored class, or a single value used for every class.
    public let weight: [Double]?
    /// The options shared with the other Dice loss; the four public input flags read them.
    public let _inputs: LossInputs

    /// MONAI's defaults.
    ///
    /// - Throws: ``MonaiError/invalidOption(_:)`` for `sigmoid` with `softmax`, or a negative weight.
    public init(
        includeBackground: Bool = true,
        toOnehotY: Bool = false,
        sigmoid: Bool = false,
        softmax: Bool = false,
        squaredPred: Bool = false,
        jaccard: Bool = false,
        reduction: LossReduction = .mean,
        smoothNr: Double = 1e-5,
        smoothDr: Double = 1e-5,
        batch: Bool = false,
        weight: [Double]? = nil
    ) throws(MonaiError) {
        _inputs = try LossInputs(
            includeBackground: includeBackground,
            toOnehotY: toOnehotY,
            sigmoid: sigmoid,
            softmax: softmax
        ).validated()
        if let weight, weight.isEmpty || weight.contains(where: { !($0 >= 0) }) {
            throw .invalidOption("class weights must be non-negative numbers, got \(weight)")
        }
        self.squaredPred = squaredPred
        self.jaccard = jaccard
        self.reduction = reduction
        self.smoothNr = smoothNr
        self.smoothDr = smoothDr
        self.batch = batch
        self.weight = weight
    }

    public func _output(_ sums: BatchSums) throws(MonaiError) -> LossOutput {
        let classes = sums.items[0].count
        let weights = try classWeights(classes: classes)
        let rows = sums.rows(pooled: batch)
        let values = rows.flatMap { row in zip(row, weights).map { Float(loss($0) * $1) } }
        let shape = batch ? [classes] : [rows.count, classes]
        return LossOutput(
            unreduced: Tensor(shape: shape, scalars: values),
            reduction: reduction,
            spatialRank: sums.spatialRank
        )
    }

    private func classWeights(classes: Int) throws(MonaiError) -> [Double] {
        guard let weight, classes > 1 else { return Array(repeating: 1, count: classes) }
        if weight.count == 1 { return Array(repeating: weight[0], count: classes) }
        guard weight.count == classes else {
            throw .invalidOption("\(weight.count) class weights for \(classes) scored classes")
        }
        return weight
    }

    private func loss(_ s: OverlapSums) -> Double {
        let total = squaredPred ? s.predictionSquares + s.referenceSquares : s.prediction + s.reference
        let denominator = jaccard ? 2 * (total - s.intersection) : total
        return 1 - (2 * s.intersection + smoothNr) / (denominator + smoothDr)
    }
}
