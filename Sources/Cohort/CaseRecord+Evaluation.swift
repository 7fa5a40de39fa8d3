import DiceEngine
import NiftiIO

extension CaseRecord {
    /// Scores one case of a cohort.
    ///
    /// A case that cannot be scored is returned as a failure, not thrown, so the other cases still run.
    /// - Parameter expectedPrediction: the prediction's path, or where it would be when it is missing.
    /// - Returns: the record, and every label value either image holds (none for a failure), which the
    ///   record keeps only for the labels scored.
    package static func evaluating(
        _ item: CohortInputs.Case, reference: String, expectedPrediction: String, options: CohortOptions,
        version: String
    ) -> (record: CaseRecord, found: [Int64]) {
        let evaluation = options.evaluation
        do {
            guard let prediction = item.prediction else {
                let file = try NiftiFile(path: reference)
                let counts = try Evaluator.labelCounts(
                    of: file, slab: evaluation.slab, concurrent: evaluation.decodeConcurrently)
                let lesions = try evaluation.lesions.map { lesions throws(EvaluationError) in
                    try Evaluator.lesionsAgainstEmptyPrediction(
                        of: file, options: lesions, regions: evaluation.regions,
                        ignoreLabel: evaluation.selection.ignoreLabel, slab: evaluation.slab,
                        concurrent: evaluation.decodeConcurrently)
                }
                let record = CaseRecord(
                    name: item.name, missingPrediction: expectedPrediction, reference: reference,
                    referenceCounts: counts, voxels: file.header.voxelCount, voxelVolumeMl: file.header.voxelVolumeMl,
                    emptyDistanceMm: Evaluator.emptyDistanceMm(of: file.header), referenceLesions: lesions ?? ([], []),
                    options: options, version: version)
                return (record, counts.map(\.label))
            }
            let result = try Evaluator.evaluate(
                prediction: try NiftiFile(path: prediction), reference: try NiftiFile(path: reference),
                options: evaluation)
            return (
                CaseRecord(name: item.name, evaluation: result, options: options, version: version),
                result.confusion.labels
            )
        } catch {
            let kind: Failure.Kind
            if case EvaluationError.gridMismatch = error { kind = .geometry } else { kind = .input }
            let record = CaseRecord(
                name: item.name, predictionFile: item.prediction ?? expectedPrediction, referenceFile: reference,
                failure: Failure(kind: kind, reason: "\(error)"), options: options, version: version)
            return (record, [])
        }
    }
}
