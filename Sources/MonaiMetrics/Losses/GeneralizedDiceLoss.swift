import NiftiIO

/// MONAI's `GeneralizedDiceLoss` (1.6.1): one weighted soft Dice loss per item over all its classes.
///
/// Inputs go through the same steps as ``DiceLoss`` (sigmoid, softmax, one-hot, background). Per class:
/// I_c = Σpg, den_c = Σp + Σg, and w_c from the reference volume V_c = Σg by ``wType``. Then
/// L = 1 − (2·Σ_c w_c·I_c + nr) / (Σ_c w_c·den_c + dr).
///
/// An empty class has an infinite weight, which becomes the item's largest finite weight; when every class
/// is empty all weights are 0 and **L = 1 − nr/dr = 0 even for a non-empty prediction**. With ``batch`` the
/// volumes and sums are pooled over the batch first, giving a single loss.
public struct GeneralizedDiceLoss: OverlapLoss, Sendable {
    public var includeBackground: Bool { _inputs.includeBackground }
    public var toOnehotY: Bool { _inputs.toOnehotY }
    public var sigmoid: Bool { _inputs.sigmoid }
    public var softmax: Bool { _inputs.softmax }
    public let wType: WeightType
    public let reduction: LossReduction
    public let smoothNr: Double
    public let smoothDr: Double
    public let batch: Bool
    /// The options shared with the other Dice loss; the four public input flags read them.
    public let _inputs: LossInputs

    /// MONAI's defaults (square weights, nr = dr = 1e-5).
    ///
    /// - Throws: ``MonaiError/invalidOption(_:)`` for `sigmoid` with `softmax`.
    public init(
        includeBackground: Bool = true,
        toOnehotY: Bool = false,
        sigmoid: Bool = false,
        softmax: Bool = false,
        wType: WeightType = .square,
        reduction: LossReduction = .mean,
        smoothNr: Double = 1e-5,
        smoothDr: Double = 1e-5,
        batch: Bool = false
    ) throws(MonaiError) {
        _inputs = try LossInputs(
            includeBackground: includeBackground,
            toOnehotY: toOnehotY,
            sigmoid: sigmoid,
            softmax: softmax
        ).validated()
        self.wType = wType
        self.reduction = reduction
        self.smoothNr = smoothNr
        self.smoothDr = smoothDr
        self.batch = batch
    }

    public func _output(_ sums: BatchSums) -> LossOutput {
        let rows = sums.rows(pooled: batch)
        let values = rows.map { Float(loss($0)) }
        return LossOutput(
            unreduced: Tensor(shape: batch ? [1] : [rows.count, 1], scalars: values),
            reduction: reduction,
            spatialRank: sums.spatialRank
        )
    }

    private func loss(_ classes: [OverlapSums]) -> Double {
        let weights = wType.weights(volumes: classes.map(\.reference), allEmpty: 0)
        var numerator = 0.0
        var denominator = 0.0
        for (s, w) in zip(classes, weights) {
            numerator += w * s.intersection
            denominator += w * (s.prediction + s.reference)
        }
        return 1 - (2 * numerator + smoothNr) / (denominator + smoothDr)
    }
}
