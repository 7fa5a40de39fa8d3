/// What Dice and IoU are when a label is missing from one image or both (`--empty-rule`).
///
/// | reference | prediction | `ignore` (default) | `one-zero` | `nnunet` |
/// |---|---|---|---|---|
/// | empty | empty | undefined | 1 | undefined |
/// | empty | has it | undefined | 0 | 0 |
/// | has it | any | formula | formula | formula |
///
/// `ignore` and `one-zero` are MONAI's `ignore_empty` on and off; `nnunet` is nnU-Net v2's
/// `compute_metrics`, undefined (NaN) only when tp + fp + fn = 0, so a false-positive-only label scores 0.
public enum EmptyRule: String, Sendable, CaseIterable {
    case ignore
    case oneZero = "one-zero"
    case nnunet

    /// MONAI's `ignore_empty` flag: `true` is ``ignore``, `false` ``oneZero``.
    public init(ignoreEmpty: Bool) { self = ignoreEmpty ? .ignore : .oneZero }

    /// Whether the boundary metrics leave a label the reference lacks undefined (``EmptyStructureRule``).
    ///
    /// `nnunet` follows `ignore` there: nnU-Net has no boundary metrics to copy, and a distance to a structure
    /// the reference lacks means nothing — while a label the prediction misses still scores the grid's diagonal.
    public var boundaryIgnoresEmptyReference: Bool { self != .oneZero }

    /// Dice and IoU from the counts under this rule; `nil` where undefined.
    public func diceAndIoU(tp: Int, fp: Int, fn: Int) -> (dice: Double?, iou: Double?) {
        let union = tp + fp + fn
        switch self {
        case .ignore where tp + fn == 0: return (nil, nil)
        case .nnunet where union == 0: return (nil, nil)
        case .oneZero where union == 0: return (1, 1)
        default: return (Double(2 * tp) / Double(union + tp), Double(tp) / Double(union))
        }
    }
}
