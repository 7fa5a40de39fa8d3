import DiceEngine
import NiftiIO
import Reporting

extension CaseRecord {
    /// Scores one case of a cohort.
    ///
    /// A case that cannot be scored is returned as a failure, not thrown, so the other cases still run.
    static func evaluating(
        _ item: CohortInputs.Case, expectedPrediction: String, options: CohortOptions, evaluation: EvaluationOptions
    ) -> CaseRecord {
        let reference = item.reference!
        do {
            guard let prediction = item.prediction else {
                let file = try NiftiFile(path: reference)
                return CaseRecord(
                    name: item.name, missingPrediction: expectedPrediction, reference: reference,
                    referenceCounts: try Evaluator.labelCounts(
                        of: file, slab: evaluation.slab, concurrent: evaluation.decodeConcurrently),
                    voxels: file.header.voxelCount, voxelVolumeMl: file.header.voxelVolumeMl, options: options,
                    version: segscoreVersion)
            }
            let result = try Evaluator.evaluate(
                prediction: try NiftiFile(path: prediction), reference: try NiftiFile(path: reference),
                options: evaluation)
            return CaseRecord(name: item.name, evaluation: result, options: options, version: segscoreVersion)
        } catch {
            let failure =
                if case EvaluationError.gridMismatch = error {
                    Failure(kind: .geometry, reason: "\(error)")
                } else {
                    Failure(kind: .input, reason: "\(error)")
                }
            return CaseRecord(
                name: item.name, predictionFile: item.prediction ?? expectedPrediction, referenceFile: reference,
                failure: failure, options: options, version: segscoreVersion)
        }
    }
}
