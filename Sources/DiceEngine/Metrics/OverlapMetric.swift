/// An overlap metric reported only when `--metrics` names it, beside Dice, IoU, precision and recall (always
/// reported). All follow from a label's counts (P = tp + fp predicted voxels, R = tp + fn reference voxels).
public enum OverlapMetric: String, Sendable, CaseIterable {
    /// tn / (tn + fp); undefined when tn + fp = 0.
    case specificity
    /// False-positive rate fp / (fp + tn) = 1 − specificity; undefined when fp + tn = 0.
    case fpr
    /// False-negative rate fn / (tp + fn) = 1 − recall; undefined when R = 0.
    case fnr
    /// Volume similarity 1 − |P − R| / (P + R); undefined, 1 or 0 exactly where Dice is (the empty rule).
    case vs
    /// Relative volume difference (P − R) / R, signed (over-segmentation positive); undefined when R = 0.
    case rvd
    /// Matthews correlation (tp·tn − fp·fn) / √((tp+fp)(tp+fn)(tn+fp)(tn+fn)); undefined when a factor is 0.
    case mcc

    /// The metric's value for `s`, `nil` where undefined.
    public func value(of s: OverlapScores) -> Double? {
        let (tp, fp, fn, tn) = (Double(s.tp), Double(s.fp), Double(s.fn), Double(s.tn))
        let (p, r) = (tp + fp, tp + fn)
        switch self {
        case .specificity: return tn + fp == 0 ? nil : tn / (tn + fp)
        case .fpr: return fp + tn == 0 ? nil : fp / (fp + tn)
        case .fnr: return r == 0 ? nil : fn / r
        case .vs:
            guard let dice = s.dice else { return nil }
            return p + r == 0 ? dice : 1 - abs(p - r) / (p + r)
        case .rvd: return r == 0 ? nil : (p - r) / r
        case .mcc:
            let denominator = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)).squareRoot()
            return denominator == 0 ? nil : (tp * tn - fp * fn) / denominator
        }
    }
}
