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
/// order, followed by the regions (keyed as nnU-Net keys them, `"(1, 2, 3)"`) in the order given. As in
/// nnU-Net's `compute_metrics_on_folder`: `mean[label][metric]` is `np.nanmean` over the cases, and
/// `foreground_mean[metric]` is `np.mean` over the per-label (and region) means except label 0. nnU-Net's is
/// NaN when a label has no defined value in any case; segscore's skips such labels (and `cohort` says which)
/// unless a dataset.json fixes the labels, as it does for nnU-Net. Undefined values are written `null` (valid
/// JSON), where nnU-Net's Python writes the non-standard `NaN`.
///
/// Scores follow the cohort's empty rule (``EmptyRule``); nnU-Net's is `--empty-rule nnunet`.
/// Failed cases are left out; they are listed in `cohort.json`.
///
/// With boundary metrics (`cohort --metrics hd95,nsd …`) every metrics object also holds them, named in upper
/// case as nnU-Net names its metrics (`HD`, `HD95`, `MASD`, `ASSD`, `NSD`) and sorted in among nnU-Net's keys;
/// readers of nnU-Net's layout see only extra keys. Lesion-wise metrics (`--metrics lesions`) add `LesionF1`,
/// `LesionDice`, `PQ`, `FPVolume` and `FNVolume` (mL) the same way (``LesionMetric``); a region has neither
/// kind, so its keys are absent per case and `null` in `mean`.
package enum CohortSummary {
    /// nnU-Net's per-label metrics, in its (sorted) key order.
    package static let metricNames = ["Dice", "FN", "FP", "IoU", "TN", "TP", "n_pred", "n_ref"]

    /// The file: strict JSON indented by 2, or with `--nnunet-compatible` exactly what nnU-Net's
    /// `save_summary_json` writes (``JSONValue/renderedAsPythonJSON()``: indent 4, keys sorted as strings —
    /// `"1", "10", "2"` —, bare `NaN`, Python's float spelling, no final newline).
    package static func text(_ cohort: Cohort) -> String {
        cohort.options.nnunetCompatible
            ? json(cohort).renderedAsPythonJSON() : json(cohort).rendered(pretty: true) + "\n"
    }

    package static func json(_ cohort: Cohort) -> JSONValue {
        let regions = cohort.options.evaluation.regions
        let perCase: [JSONValue] = cohort.scored.indices.map { row in
            let (record, scores, boundaries) = cohort.scored[row]
            let lesions = cohort.lesions[row]
            let (regionScores, regionBoundaries) = (cohort.regionScores[row], cohort.regionBoundaries[row])
            let regionLesions = cohort.regionLesions[row]
            let labelEntries = scores.indices.map { column in
                let entries = metrics(
                    scores[column], boundaries.isEmpty ? nil : boundaries[column],
                    lesions.isEmpty ? nil : lesions[column])
                return (key(cohort.labels[column]), JSONValue.object(entries.map { ($0.key, $0.value) }))
            }
            let regionEntries = zip(regions, regionScores).enumerated().map { index, item in
                let boundary = regionBoundaries.isEmpty ? nil : regionBoundaries[index]
                let lesion = regionLesions.isEmpty ? nil : regionLesions[index]
                return (item.0.key, JSONValue.object(metrics(item.1, boundary, lesion).map { ($0.key, $0.value) }))
            }
            return .object([
                ("metrics", .object(labelEntries + regionEntries)),
                ("prediction_file", .string(record.predictionFile)),
                ("reference_file", .string(record.referenceFile)),
            ])
        }
        let means = labelMeans(cohort)
        let names = metricKeys(cohort)
        func object(_ values: [Double?]) -> JSONValue { .object(zip(names, values).map { ($0, .number($1)) }) }
        return .object([
            ("foreground_mean", object(foregroundMeans(means, count: names.count, skipUndefined: skips(cohort)))),
            ("mean", .object(means.map { ($0.key, object($0.values)) })),
            ("metric_per_case", .array(perCase)),
        ])
    }

    /// The foreground mean Dice (`foreground_mean.Dice`).
    package static func foregroundMeanDice(_ cohort: Cohort) -> Double? {
        let names = metricKeys(cohort)
        let means = foregroundMeans(labelMeans(cohort), count: names.count, skipUndefined: skips(cohort))
        return names.firstIndex(of: "Dice").flatMap { means[$0] }
    }

    /// The labels and regions `foreground_mean.Dice` leaves out because no case gives them a Dice (a label only
    /// a prediction holds, under the default empty rule); none when nnU-Net's rule applies (see ``skips(_:)``).
    package static func skippedInForegroundMean(_ cohort: Cohort) -> [String] {
        guard skips(cohort), let dice = metricKeys(cohort).firstIndex(of: "Dice") else { return [] }
        return labelMeans(cohort).filter { $0.key != "0" && $0.values[dice] == nil }.map(\.key)
    }

    /// Whether `foreground_mean` skips labels without a value: yes, unless a dataset.json fixes the labels, as
    /// it does for nnU-Net (or `--nnunet-compatible` asks for its numbers), whose `np.mean` makes one such label
    /// undefine the whole mean. A label found only in
    /// a stray prediction voxel would otherwise hide the cohort's foreground mean.
    private static func skips(_ cohort: Cohort) -> Bool {
        cohort.names.dataset == nil && !cohort.options.nnunetCompatible
    }

    /// Every metric's key, sorted: nnU-Net's, the boundary metrics' and the lesion-wise metrics'.
    private static func metricKeys(_ cohort: Cohort) -> [String] {
        let lesions = cohort.options.evaluation.lesions == nil ? [] : LesionMetric.allCases.map(\.summaryKey)
        return (metricNames + (cohort.options.evaluation.boundary?.metrics ?? []).map(\.summaryKey) + lesions)
            .sorted(by: precedes)
    }

    /// `mean`: each metric of each label, then of each region, `np.nanmean` over the cases (in
    /// ``metricKeys(_:)`` order).
    private static func labelMeans(_ cohort: Cohort) -> [(key: String, values: [Double?])] {
        let keys = metricKeys(cohort)
        let labels = cohort.labels.enumerated().map { column, label in
            let rows = zip(cohort.scored, cohort.lesions).map { scored, lesions in
                metrics(
                    scored.scores[column], scored.boundaries.isEmpty ? nil : scored.boundaries[column],
                    lesions.isEmpty ? nil : lesions[column]
                ).map(\.mean)
            }
            return (key(label), keys.indices.map { m in Statistics.nanMean(rows.map { $0[m] }) })
        }
        let regions = cohort.options.evaluation.regions.enumerated().map { index, region in
            let rows = cohort.regionScores.indices.map { row in
                let (boundaries, lesions) = (cohort.regionBoundaries[row], cohort.regionLesions[row])
                let entries = metrics(
                    cohort.regionScores[row][index], boundaries.isEmpty ? nil : boundaries[index],
                    lesions.isEmpty ? nil : lesions[index])
                return Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.mean) })
            }
            return (region.key, keys.map { key in Statistics.nanMean(rows.map { $0[key] ?? nil }) })
        }
        return labels + regions
    }

    /// `foreground_mean`: each of `count` metrics, `np.mean` over the label and region means except label 0's —
    /// so one undefined mean makes it undefined, unless `skipUndefined` leaves such means out.
    private static func foregroundMeans(
        _ means: [(key: String, values: [Double?])], count: Int, skipUndefined: Bool
    ) -> [Double?] {
        let foreground = means.filter { $0.key != "0" }
        return (0..<count).map { m in
            let values = foreground.compactMap { $0.values[m] }
            guard !values.isEmpty, skipUndefined || values.count == foreground.count else { return nil }
            return Statistics.pairwiseSum(values) / Double(values.count)
        }
    }

    /// nnU-Net's key for a label: its decimal value.
    private static func key(_ label: Int64) -> String { String(label) }

    /// One case's metrics of one label in ``metricKeys(_:)`` order: as written per case (counts as integers),
    /// and as averaged.
    private static func metrics(
        _ s: OverlapScores, _ boundary: BoundaryScores?, _ lesions: LesionScores?
    ) -> [(key: String, value: JSONValue, mean: Double?)] {
        func count(_ key: String, _ value: Int) -> (key: String, value: JSONValue, mean: Double?) {
            (key, .int(value), Double(value))
        }
        var entries: [(key: String, value: JSONValue, mean: Double?)] = [
            ("Dice", .number(s.dice), s.dice), count("FN", s.fn), count("FP", s.fp), ("IoU", .number(s.iou), s.iou),
            count("TN", s.tn), count("TP", s.tp), count("n_pred", s.predictionVoxels),
            count("n_ref", s.referenceVoxels),
        ]
        entries += boundary?.values.map { ($0.metric.summaryKey, .number($0.value), $0.value) } ?? []
        if let lesions {
            entries += LesionMetric.allCases.map { metric in
                let value = metric.value(of: lesions)
                return (metric.summaryKey, .number(value), value)
            }
        }
        return entries.sorted { precedes($0.key, $1.key) }
    }

    /// Python's `sort_keys` order: by code point.
    private static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }
}
