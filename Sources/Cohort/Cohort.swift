import DiceEngine
import Documents

/// The results of a cohort run (or of one shard of it): the inputs, the options and one record per case.
///
/// Every output file is a function of this value alone, which is why a merged or resumed run writes exactly
/// the bytes a single fresh run does.
package struct Cohort: Sendable {
    package let version: String
    package let options: CohortOptions
    package let names: LabelNames
    package let inputs: CohortInputs
    /// The shard this result covers, or `nil` for the whole cohort.
    package let shard: Shard?
    /// One record per evaluated case, sorted by case name.
    package let records: [CaseRecord]
    /// The labels every output reports, ascending: the `--labels` list, or every label selected in any case.
    package let labels: [Int64]
    /// The cases with counts, their scores for each of ``labels`` and, with boundary metrics, their boundary
    /// metrics for each of ``labels`` (else none); failed cases are not here.
    package let scored: [(record: CaseRecord, scores: [OverlapScores], boundaries: [BoundaryScores])]
    /// The scores of the options' regions in each case of ``scored``, in the same order.
    package let regionScores: [[OverlapScores]]
    /// The boundary metrics of the options' regions in each case of ``scored`` (each empty without boundary
    /// metrics), in the same order.
    package let regionBoundaries: [[BoundaryScores]]
    /// With lesion-wise metrics, those of each case of ``scored`` for each of ``labels`` (a label the case lacks
    /// has no lesion on either side); without them, an empty list per case.
    package let lesions: [[LesionScores]]
    /// The lesion-wise metrics of the options' regions in each case of ``scored`` (each empty without lesion-wise
    /// metrics), in the same order.
    package let regionLesions: [[LesionScores]]

    package init(
        version: String, options: CohortOptions, names: LabelNames, inputs: CohortInputs, shard: Shard?,
        records: [CaseRecord]
    ) {
        self.version = version
        self.options = options
        self.names = names
        self.inputs = inputs
        self.shard = shard
        self.records = records.sorted { CohortInputs.precedes($0.name, $1.name) }
        let withCounts = self.records.filter(\.hasCounts)
        if options.evaluation.selection.labels != nil {
            labels = options.evaluation.selection.labels(present: [])
        } else {
            labels = Set(withCounts.flatMap { $0.counts.map(\.label) }).sorted()
        }
        let labels = labels
        scored = withCounts.map { record in
            let byLabel = Dictionary(uniqueKeysWithValues: record.counts.map { ($0.label, $0) })
            // A label this case lacks (found only in other cases) is absent from both of its images.
            let scores = labels.map { label in
                let counts = byLabel[label] ?? LabelCounts(label: label, tp: 0, fp: 0, fn: 0, tn: record.voxels)
                return OverlapScores(counts, rule: options.evaluation.emptyRule)
            }
            return (record, scores, Self.boundaries(of: record, labels: labels, options: options))
        }
        regionScores = withCounts.map { record in
            record.regionCounts.map { OverlapScores($0, rule: options.evaluation.emptyRule) }
        }
        regionBoundaries = withCounts.map(\.regionBoundaries)
        lesions = withCounts.map { record in
            guard options.evaluation.lesions != nil else { return [] }
            let byLabel = Dictionary(record.lesions.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
            return labels.map { byLabel[$0] ?? .absent(label: $0) }
        }
        regionLesions = withCounts.map(\.regionLesions)
    }

    /// `record`'s boundary metrics for each of `labels`; a label it lacks is absent from both of its images and
    /// follows the empty rule.
    private static func boundaries(
        of record: CaseRecord, labels: [Int64], options: CohortOptions
    ) -> [BoundaryScores] {
        guard let boundary = options.evaluation.boundary else { return [] }
        let byLabel = Dictionary(record.boundaries.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        return labels.compactMap { label in
            // Absent from both images the rule never uses the diagonal (0 mm, NSD 1, or undefined).
            byLabel[label]
                ?? BoundaryScores.unmeasured(
                    label: label, predictionHasLabel: false, referenceHasLabel: false, options: boundary,
                    ignoreEmpty: options.evaluation.emptyRule.boundaryIgnoresEmptyReference,
                    emptyDistanceMm: 0)
        }
    }

    /// The cases a run with these inputs, options and shard evaluates, in order.
    package static func cases(
        of inputs: CohortInputs, missing: MissingPredictionPolicy, shard: Shard?
    ) -> [CohortInputs.Case] {
        let all = inputs.evaluated(missing: missing)
        return shard?.select(all) ?? all
    }

    /// The cases that could not be scored.
    package var failures: [CaseRecord] { records.filter { $0.status == .failed } }
}
