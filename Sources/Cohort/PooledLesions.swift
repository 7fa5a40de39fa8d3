import DiceEngine

/// One label's lesion counts summed over the cases of a cohort, and the scores of the sums: the pooled lesion
/// metrics of `aggregates.*`.
///
/// As pooled Dice does for voxels, pooling counts every lesion of every case once, so a case with many lesions
/// weighs more and a case whose own F1 is undefined (no lesion on either side) adds nothing. The null rules are
/// those of one case (``LesionScores``) applied to the sums: recall without reference lesions, precision without
/// predicted ones, F1, RQ and PQ without either, SQ without a match.
package struct PooledLesions: Sendable, Equatable {
    package let reference: Int
    package let prediction: Int
    package let tp: Int
    package let fn: Int
    package let fp: Int
    package let pqTp: Int
    package let pqFp: Int
    package let pqFn: Int
    /// The IoU of every match, summed: Σ sq · pqTp over the cases.
    package let matchedIoU: Double

    package init(_ cases: [LesionScores]) {
        func sum(_ value: (LesionScores) -> Int) -> Int { cases.reduce(0) { $0 + value($1) } }
        reference = sum(\.reference)
        prediction = sum(\.prediction)
        tp = sum(\.tp)
        fn = sum(\.fn)
        fp = sum(\.fp)
        pqTp = sum(\.pqTp)
        pqFp = sum(\.pqFp)
        pqFn = sum(\.pqFn)
        matchedIoU = Statistics.pairwiseSum(cases.map { ($0.sq ?? 0) * Double($0.pqTp) })
    }

    /// ΣTP / Σref.
    package var recall: Double? { reference == 0 ? nil : Double(tp) / Double(reference) }
    /// (Σpred − ΣFP) / Σpred.
    package var precision: Double? { prediction == 0 ? nil : Double(prediction - fp) / Double(prediction) }

    /// 2·precision·recall / (precision + recall) of the sums; 0 when only one side has lesions.
    package var f1: Double? {
        guard reference > 0 || prediction > 0 else { return nil }
        guard let recall, let precision, recall + precision > 0 else { return 0 }
        return 2 * precision * recall / (precision + recall)
    }

    /// The mean IoU of all matches of all cases.
    package var sq: Double? { pqTp == 0 ? nil : matchedIoU / Double(pqTp) }

    /// ΣpqTp / (ΣpqTp + ΣpqFp/2 + ΣpqFn/2).
    package var rq: Double? {
        guard reference > 0 || prediction > 0 else { return nil }
        return Double(pqTp) / (Double(pqTp) + Double(pqFp) / 2 + Double(pqFn) / 2)
    }

    /// SQ·RQ of the sums, 0 without a match: the panoptic quality of the whole cohort as one image.
    package var pq: Double? { rq.map { rq in sq.map { $0 * rq } ?? 0 } }
}
