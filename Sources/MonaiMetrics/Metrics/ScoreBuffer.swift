/// The rows a cumulative metric has recorded so far (MONAI's buffer): one row per batch item of each call.
///
/// Rows from calls with different spatial sizes mix freely; only the row length (classes scored) must stay
/// the same, as `torch.cat` requires.
///
/// The type is public only so that ``CumulativeMetric`` can require it; every member stays internal.
public struct ScoreBuffer: Sendable {
    private var scalars: [Float] = []
    private var columns: Int?

    /// Appends the rows of an `[B, C]` score tensor and returns them, as a metric's call hands them back.
    mutating func append(_ scores: Tensor) throws(MonaiError) -> Tensor {
        precondition(scores.rank == 2 && scores.shape[1] > 0, "Score rows are [B, C] with C ≥ 1")
        if let columns, columns != scores.shape[1] {
            throw .invalidInput(
                "cannot add rows of \(scores.shape[1]) classes to a buffer of \(columns)-class rows",
                path: nil
            )
        }
        columns = scores.shape[1]
        scalars += scores.scalars
        return scores
    }

    mutating func removeAll() {
        scalars = []
        columns = nil
    }

    /// The buffered rows as an `[N, C]` tensor, or `nil` when nothing was recorded.
    var scores: Tensor? {
        guard let columns else { return nil }
        return Tensor(shape: [scalars.count / columns, columns], scalars: scalars)
    }

    /// The buffered rows reduced by `reduction`.
    ///
    /// - Throws: ``MonaiError/noData`` when nothing was recorded.
    func reduced(by reduction: MetricReduction) throws(MonaiError) -> MetricAggregate {
        guard let scores else { throw .noData }
        return reduction.reduce(scores)
    }
}
