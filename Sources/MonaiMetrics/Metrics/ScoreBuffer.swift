/// The rows a cumulative metric has recorded so far (MONAI's buffer): one row per batch item of each call.
///
/// Rows from calls with different spatial sizes mix freely; only the row length (classes scored) must stay
/// the same, as `torch.cat` requires.
struct ScoreBuffer: Sendable {
    private var scalars: [Float] = []
    private var columns: Int?

    /// Appends the rows of an `[B, C]` score tensor.
    mutating func append(_ scores: Tensor) throws(MonaiError) {
        precondition(scores.rank == 2 && scores.shape[1] > 0, "Score rows are [B, C] with C ≥ 1")
        if let columns, columns != scores.shape[1] {
            throw .invalidInput(
                "cannot add rows of \(scores.shape[1]) classes to a buffer of \(columns)-class rows",
                path: nil
            )
        }
        columns = scores.shape[1]
        scalars += scores.scalars
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
}
