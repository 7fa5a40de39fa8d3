import DiceEngine
import Documents
import Reporting

@testable import Cohort

/// Hand-made cohorts: cases given by their counts, so expected scores follow from the definitions directly.
enum CohortFixture {
    static func options(
        labels: [Int64]? = nil, includeBackground: Bool = false, emptyRule: EmptyRule = .ignore,
        missing: MissingPredictionPolicy = .skip
    ) -> CohortOptions {
        var evaluation = EvaluationOptions()
        evaluation.selection = LabelSelection(labels: labels, includeBackground: includeBackground)
        evaluation.emptyRule = emptyRule
        return CohortOptions(evaluation: evaluation, missing: missing)
    }

    /// A scored case of `voxels` voxels with (label, tp, fp, fn) counts; tn fills the grid.
    static func record(
        _ name: String, voxels: Int = 1000, _ counts: [(Int64, Int, Int, Int)], options: CohortOptions = options()
    ) -> CaseRecord {
        CaseRecord(
            name: name, predictionFile: "pred/\(name).nii.gz", referenceFile: "ref/\(name).nii.gz", status: .scored,
            failure: nil, voxels: voxels, predictionVoxelVolumeMl: 0.001, referenceVoxelVolumeMl: 0.001,
            counts: counts.map {
                LabelCounts(label: $0.0, tp: $0.1, fp: $0.2, fn: $0.3, tn: voxels - $0.1 - $0.2 - $0.3)
            },
            options: options, version: "test")
    }

    static func failed(_ name: String, options: CohortOptions = options()) -> CaseRecord {
        CaseRecord(
            name: name, predictionFile: "pred/\(name).nii.gz", referenceFile: "ref/\(name).nii.gz",
            failure: .init(
                kind: .geometry, reason: "voxel grids differ: shape: pred/\(name).nii.gz vs ref/\(name).nii.gz"),
            options: options, version: "test")
    }

    /// A cohort whose inputs are exactly the records' files.
    static func cohort(_ records: [CaseRecord], shard: Shard? = nil, names: LabelNames = LabelNames()) -> Cohort {
        let options = records.first?.options ?? options()
        return Cohort(
            version: "test", options: options, names: names, inputs: inputs(records.map(\.name)), shard: shard,
            records: shard.map { $0.select(records.sorted { $0.name < $1.name }) } ?? records)
    }

    static func inputs(_ names: [String]) -> CohortInputs {
        CohortInputs(
            predictionDirectory: "pred", referenceDirectory: "ref",
            cases: names.map { .init(name: $0, prediction: "pred/\($0).nii.gz", reference: "ref/\($0).nii.gz") })
    }

    /// Dice by its definition, `nil` when the reference is empty (segscore's default empty rule).
    static func dice(tp: Int, fp: Int, fn: Int) -> Double? {
        tp + fn == 0 ? nil : Double(2 * tp) / Double(2 * tp + fp + fn)
    }
}
