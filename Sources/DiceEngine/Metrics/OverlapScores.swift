/// Per-label overlap counts and the scores derived from them.
///
/// Definitions (with P the predicted voxels of the label, R the reference voxels, N all voxels):
/// - tp = |P ∩ R|, fp = |P| − tp, fn = |R| − tp, tn = N − tp − fp − fn;
/// - Dice = 2·tp / (2·tp + fp + fn), IoU = tp / (tp + fp + fn);
/// - precision = tp / |P| (`nil` when |P| = 0), recall = tp / |R| (`nil` when |R| = 0).
///
/// Empty structures follow an ``EmptyRule``. The default, `ignore` (MONAI's DiceMetric `ignore_empty`), gives a
/// label absent from the reference no Dice or IoU (`nil`, written `null`): there is nothing to find, so neither
/// 0 nor 1 is honest.
public struct OverlapScores: Sendable, Equatable {
    public let counts: LabelCounts
    public let dice: Double?
    public let iou: Double?
    public let precision: Double?
    public let recall: Double?

    public var label: Int64 { counts.label }
    public var tp: Int { counts.tp }
    public var fp: Int { counts.fp }
    public var fn: Int { counts.fn }
    public var tn: Int { counts.tn }
    public var predictionVoxels: Int { tp + fp }
    public var referenceVoxels: Int { tp + fn }

    public init(label: Int64, tp: Int, fp: Int, fn: Int, tn: Int, rule: EmptyRule) {
        self.init(LabelCounts(label: label, tp: tp, fp: fp, fn: fn, tn: tn), rule: rule)
    }

    /// MONAI's two rules by its flag (``EmptyRule/init(ignoreEmpty:)``).
    public init(label: Int64, tp: Int, fp: Int, fn: Int, tn: Int, ignoreEmpty: Bool) {
        self.init(label: label, tp: tp, fp: fp, fn: fn, tn: tn, rule: EmptyRule(ignoreEmpty: ignoreEmpty))
    }

    public init(_ counts: LabelCounts, rule: EmptyRule) {
        self.counts = counts
        let (tp, fp, fn) = (counts.tp, counts.fp, counts.fn)
        let reference = tp + fn
        let prediction = tp + fp
        (dice, iou) = rule.diceAndIoU(tp: tp, fp: fp, fn: fn)
        precision = prediction == 0 ? nil : Double(tp) / Double(prediction)
        recall = reference == 0 ? nil : Double(tp) / Double(reference)
    }
}

/// The overlap counts of one label: all a score is derived from, so also what a cohort keeps per case.
public struct LabelCounts: Sendable, Equatable {
    public let label: Int64
    public let tp: Int
    public let fp: Int
    public let fn: Int
    public let tn: Int

    public init(label: Int64, tp: Int, fp: Int, fn: Int, tn: Int) {
        self.label = label
        self.tp = tp
        self.fp = fp
        self.fn = fn
        self.tn = tn
    }
}

/// Which labels a comparison reports.
public struct LabelSelection: Sendable, Equatable {
    /// A fixed list (reported even when absent from both images), or `nil` for every non-zero label found.
    public var labels: [Int64]?
    /// Whether label 0 is scored too.
    public var includeBackground: Bool
    /// nnU-Net's ignore label (`--ignore-label`): voxels whose reference holds it are left out of every count
    /// (``LabelConfusion/ignoringReference(_:)``), and it is never scored itself.
    public var ignoreLabel: Int64?

    public init(labels: [Int64]? = nil, includeBackground: Bool = false, ignoreLabel: Int64? = nil) {
        self.labels = labels
        self.includeBackground = includeBackground
        self.ignoreLabel = ignoreLabel
    }

    /// Whether no label is scored at all (a dataset.json with regions scores only its regions, as nnU-Net does).
    var scoresNoLabel: Bool { labels?.isEmpty == true && !includeBackground }

    /// The labels to score, ascending, given those present in either image.
    public func labels(present: [Int64]) -> [Int64] {
        var chosen = Set(labels ?? present.filter { $0 != 0 })
        if includeBackground { chosen.insert(0) } else if labels == nil { chosen.remove(0) }
        if let ignoreLabel { chosen.remove(ignoreLabel) }
        return chosen.sorted()
    }
}

extension LabelConfusion {
    /// Scores for the labels `selection` picks.
    public func scores(selection: LabelSelection, rule: EmptyRule) -> [OverlapScores] {
        let totals = marginals
        return selection.labels(present: labels).map { label in
            let (prediction, reference, both) = totals[label] ?? (0, 0, 0)
            let fp = prediction - both
            let fn = reference - both
            return OverlapScores(
                label: label, tp: both, fp: fp, fn: fn, tn: voxelCount - both - fp - fn, rule: rule)
        }
    }
}

extension Sequence<OverlapScores> {
    /// Mean Dice over the labels that have one (`nil` when none does).
    public var meanDice: Double? {
        let values = compactMap(\.dice)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
