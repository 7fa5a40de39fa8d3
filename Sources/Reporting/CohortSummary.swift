import Cohort
import DiceEngine
import Documents

/// `summary.json` in nnU-Net v2's layout, so scripts written for `nnUNetv2_evaluate_folder` read it unchanged.
///
/// ```
/// {"foreground_mean": {"Dice", "FN", "FP", "IoU", "TN", "TP", "n_pred", "n_ref"},
///  "mean": {"<label>": {…same metrics…}},
///  "metric_per_case": [{"metrics": {"<label>": {…}}, "prediction_file", "reference_file"}]}
/// ```
/// Keys are ordered as nnU-Net writes them (`json.dump(…, sort_keys=True)`), except that labels go in numeric
/// order. As in nnU-Net's `compute_metrics_on_folder`: `mean[label][metric]` is `np.nanmean` over the cases,
/// and `foreground_mean[metric]` is `np.mean` over the per-label means except label 0 — so it is `null` when a
/// label has no defined value in any case. Undefined values are written `null` (valid JSON), where nnU-Net's
/// Python writes the non-standard `NaN`.
///
/// Scores follow segscore's empty rule (``OverlapScores``), which differs from nnU-Net's in one case: nnU-Net
/// gives Dice NaN when tp + fp + fn = 0, so a label absent from the reference but predicted scores 0 there and
/// `null` here by default (`--no-ignore-empty` gives 0, but then 1 when absent from both, where nnU-Net gives NaN).
/// Failed cases are left out; they are listed in `cohort.json`.
package enum CohortSummary {
    /// The per-label metrics, in nnU-Net's (sorted) key order.
    package static let metricNames = ["Dice", "FN", "FP", "IoU", "TN", "TP", "n_pred", "n_ref"]

    package static func json(_ cohort: Cohort) -> JSONValue {
        let perCase: [JSONValue] = cohort.scored.map { record, scores in
            .object([
                ("metrics", .object(zip(cohort.labels, scores).map { (key($0), metrics($1)) })),
                ("prediction_file", .string(record.predictionFile)),
                ("reference_file", .string(record.referenceFile)),
            ])
        }
        let means = labelMeans(cohort)
        return .object([
            ("foreground_mean", object(foregroundMeans(means))),
            ("mean", .object(means.map { (key($0.label), object($0.values)) })),
            ("metric_per_case", .array(perCase)),
        ])
    }

    /// The foreground mean Dice (`foreground_mean.Dice`).
    package static func foregroundMeanDice(_ cohort: Cohort) -> Double? {
        foregroundMeans(labelMeans(cohort))[0]
    }

    /// `mean`: each metric of each label, `np.nanmean` over the cases.
    private static func labelMeans(_ cohort: Cohort) -> [(label: Int64, values: [Double?])] {
        cohort.labels.enumerated().map { column, label in
            let rows = cohort.scored.map { metricValues($0.scores[column]) }
            return (label, metricNames.indices.map { m in Statistics.nanMean(rows.map { $0[m] }) })
        }
    }

    /// `foreground_mean`: each metric, `np.mean` over the label means except label 0's — so one undefined
    /// label mean makes it undefined.
    private static func foregroundMeans(_ means: [(label: Int64, values: [Double?])]) -> [Double?] {
        let foreground = means.filter { $0.label != 0 }
        return metricNames.indices.map { m in
            let values = foreground.compactMap { $0.values[m] }
            guard !values.isEmpty, values.count == foreground.count else { return nil }
            return Statistics.pairwiseSum(values) / Double(values.count)
        }
    }

    /// nnU-Net's key for a label: its decimal value.
    private static func key(_ label: Int64) -> String { String(label) }

    private static func metrics(_ s: OverlapScores) -> JSONValue {
        .object([
            ("Dice", .number(s.dice)), ("FN", .int(s.fn)), ("FP", .int(s.fp)), ("IoU", .number(s.iou)),
            ("TN", .int(s.tn)), ("TP", .int(s.tp)), ("n_pred", .int(s.predictionVoxels)),
            ("n_ref", .int(s.referenceVoxels)),
        ])
    }

    private static func metricValues(_ s: OverlapScores) -> [Double?] {
        [
            s.dice, Double(s.fn), Double(s.fp), s.iou, Double(s.tn), Double(s.tp), Double(s.predictionVoxels),
            Double(s.referenceVoxels),
        ]
    }

    private static func object(_ values: [Double?]) -> JSONValue {
        .object(zip(metricNames, values).map { ($0, .number($1)) })
    }
}
