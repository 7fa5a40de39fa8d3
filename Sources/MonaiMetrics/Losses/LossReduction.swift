/// How a loss reduces its per-item (and per-class) values (MONAI's `LossReduction`).
public enum LossReduction: String, Sendable, CaseIterable {
    /// No reduction: the values keep one trailing axis of length 1 per spatial axis of the input.
    case none
    /// The mean of all values, a scalar.
    case mean
    /// The sum of all values, a scalar.
    case sum
}

/// A loss value before and after its reduction.
public struct LossOutput: Sendable, Equatable {
    /// The loss with ``LossReduction/none`` without the trailing singleton axes: `[B, C']` (DiceLoss),
    /// `[C']` (DiceLoss with `batch`), `[B, 1]` (GeneralizedDiceLoss) or `[1]` (with `batch`).
    public var unreduced: Tensor
    /// The loss with the configured reduction, in MONAI's shape: rank 0 for `mean` and `sum`; for `none`,
    /// ``unreduced`` followed by one axis of length 1 per spatial axis of the input.
    public var reduced: Tensor

    init(unreduced: Tensor, reduction: LossReduction, spatialRank: Int) {
        self.unreduced = unreduced
        let values = unreduced.scalars.map(Double.init)
        switch reduction {
        case .none:
            reduced = Tensor(
                shape: unreduced.shape + Array(repeating: 1, count: spatialRank),
                scalars: unreduced.scalars
            )
        case .mean:
            reduced = Tensor(scalar: Float(values.reduce(0, +) / Double(values.count)))
        case .sum:
            reduced = Tensor(scalar: Float(values.reduce(0, +)))
        }
    }
}
