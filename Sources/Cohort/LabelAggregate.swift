import DiceEngine

/// Per-label statistics over the cases of a cohort: `aggregates.json`, `aggregates.csv` and the table `cohort`
/// prints.
///
/// For each label and each of Dice, IoU, precision and recall: ``Statistics`` over the cases (undefined
/// values counted, not averaged), plus the pooled score, computed once from the counts summed over all cases
/// (for Dice 2·ΣTP / (2·ΣTP + ΣFP + ΣFN)). Pooling weighs each case by its size and includes every case's
/// voxels, also those of cases whose own score is undefined; it is undefined only when its denominator is 0.
/// Boundary metrics, when asked for, follow with the same statistics and no pooled value (they are not sums of
/// counts). Lesion-wise metrics, when asked for, follow with the same statistics of the per-case values (a case
/// where a value is undefined counted in `nanCount`, not averaged) and, for recall, precision, F1, SQ, RQ and PQ,
/// the pooled value of the lesion counts summed over the cases (``PooledLesions``). Failed cases are left out.
package struct LabelAggregate: Sendable {
    /// One metric's statistics and pooled value.
    package struct Metric: Sendable {
        package let name: String
        package let statistics: Statistics
        package let pooled: Double?
    }

    package let label: Int64
    package let name: String?
    /// The region aggregated, when this is one (``label`` is then its index).
    package let region: Region?
    /// Counts summed over the cases.
    package let tp: Int
    package let fp: Int
    package let fn: Int
    /// With lesion-wise metrics, the lesion counts summed over the cases.
    package let lesions: PooledLesions?
    /// `dice`, `iou`, `precision`, `recall`, in that order, then the optional overlap metrics, the boundary
    /// metrics and the lesion-wise metrics as asked for (`mcc`, `hd95`…, `lesionRecall`…).
    package let metrics: [Metric]

    /// - Parameters:
    ///   - extra: the optional overlap metrics asked for, pooled under `rule`.
    ///   - boundaries: the label's boundary metrics in each case (none without boundary metrics).
    ///   - lesions: the label's lesion-wise metrics in each case (none without lesion-wise metrics).
    init(
        label: Int64, name: String?, region: Region? = nil, scores: [OverlapScores], extra: [OverlapMetric],
        rule: EmptyRule, boundaries: [BoundaryScores], lesions: [LesionScores] = []
    ) {
        self.label = label
        self.name = name
        self.region = region
        let tp = scores.reduce(0) { $0 + $1.tp }
        let fp = scores.reduce(0) { $0 + $1.fp }
        let fn = scores.reduce(0) { $0 + $1.fn }
        (self.tp, self.fp, self.fn) = (tp, fp, fn)
        func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
            denominator == 0 ? nil : Double(numerator) / Double(denominator)
        }
        var metrics = [
            Metric(name: "dice", statistics: Statistics(scores.map(\.dice)), pooled: ratio(2 * tp, 2 * tp + fp + fn)),
            Metric(name: "iou", statistics: Statistics(scores.map(\.iou)), pooled: ratio(tp, tp + fp + fn)),
            Metric(name: "precision", statistics: Statistics(scores.map(\.precision)), pooled: ratio(tp, tp + fp)),
            Metric(name: "recall", statistics: Statistics(scores.map(\.recall)), pooled: ratio(tp, tp + fn)),
        ]
        // The optional overlap metrics pool as Dice does: the metric of the summed counts.
        let summed = OverlapScores(
            label: label, tp: tp, fp: fp, fn: fn, tn: scores.reduce(0) { $0 + $1.tn }, rule: rule)
        metrics += extra.map { metric in
            Metric(
                name: metric.rawValue, statistics: Statistics(scores.map { metric.value(of: $0) }),
                pooled: metric.value(of: summed))
        }
        metrics += (boundaries.first?.values ?? []).indices.map { m in
            Metric(
                name: boundaries[0].values[m].metric.description,
                statistics: Statistics(boundaries.map { $0.values[m].value }), pooled: nil)
        }
        let pooled = lesions.isEmpty ? nil : PooledLesions(lesions)
        if let pooled {
            let perCase: [(name: String, value: (LesionScores) -> Double?, pooled: Double?)] = [
                ("lesionRecall", \.recall, pooled.recall), ("lesionPrecision", \.precision, pooled.precision),
                ("lesionF1", \.f1, pooled.f1), ("lesionFpVolumeMl", \.fpVolumeMl, nil),
                ("lesionFnVolumeMl", \.fnVolumeMl, nil), ("lesionDice", \.lesionDice, nil),
                ("lesionSq", \.sq, pooled.sq), ("lesionRq", \.rq, pooled.rq), ("lesionPq", \.pq, pooled.pq),
            ]
            metrics += perCase.map { metric in
                Metric(name: metric.name, statistics: Statistics(lesions.map(metric.value)), pooled: metric.pooled)
            }
        }
        self.lesions = pooled
        self.metrics = metrics
    }

    /// The aggregate of every label of `cohort`, then of every region.
    package static func all(_ cohort: Cohort) -> [LabelAggregate] {
        let (extra, rule) = (cohort.options.evaluation.overlapMetrics, cohort.options.evaluation.emptyRule)
        let labels = cohort.labels.enumerated().map { column, label in
            LabelAggregate(
                label: label, name: cohort.names[label], scores: cohort.scored.map { $0.scores[column] },
                extra: extra, rule: rule,
                boundaries: cohort.scored.compactMap { $0.boundaries.isEmpty ? nil : $0.boundaries[column] },
                lesions: cohort.lesions.compactMap { $0.isEmpty ? nil : $0[column] })
        }
        let regions = cohort.options.evaluation.regions.enumerated().map { index, region in
            LabelAggregate(
                label: Int64(index), name: region.name, region: region,
                scores: cohort.regionScores.map { $0[index] }, extra: extra, rule: rule,
                boundaries: cohort.regionBoundaries.compactMap { $0.isEmpty ? nil : $0[index] },
                lesions: cohort.regionLesions.compactMap { $0.isEmpty ? nil : $0[index] })
        }
        return labels + regions
    }

    /// How outputs name it: the label's value, or the region's key (`(1, 2, 3)`).
    package var key: String { region?.key ?? String(label) }

    /// The Dice statistics.
    package var dice: Metric { metrics[0] }
}
