/// How a metric's buffered `[N, C]` scores are reduced by `aggregate()` (MONAI's `MetricReduction`).
///
/// NaN marks a score that is not defined (for example Dice with an empty reference and `ignoreEmpty`). Every
/// mode except ``none`` excludes NaN from means and counts it as 0 in sums; a mean over no valid entry is
/// **0.0, not NaN**. Arithmetic is Float32 (sum, then divide), as in MONAI.
///
/// | mode | value | shape | `notNans` |
/// |---|---|---|---|
/// | ``none`` | the scores, NaN kept | `[N, C]` | 1 where not NaN |
/// | ``mean`` | two-stage: each row's mean over its valid entries, then the mean of the rows that had one | `[1]` | rows with a valid entry |
/// | ``sum`` | sum of the valid entries | `[]` | valid entries |
/// | ``meanBatch`` | per class, mean over rows | `[C]` | per class |
/// | ``sumBatch`` | per class, sum over rows | `[C]` | per class |
/// | ``meanChannel`` | per row, mean over classes | `[N]` | per row |
/// | ``sumChannel`` | per row, sum over classes | `[N]` | per row |
///
/// ``mean`` is not the flat mean of the valid entries: rows `[1, NaN]` and `[0.6667, 0.8]` give
/// (1 + 0.7333) / 2 = 0.8667, where the flat mean would be 0.8222.
public enum MetricReduction: String, Sendable, CaseIterable {
    case none
    case mean
    case sum
    case meanBatch = "mean_batch"
    case sumBatch = "sum_batch"
    case meanChannel = "mean_channel"
    case sumChannel = "sum_channel"

    /// Reduces an `[N, C]` score matrix (MONAI's `do_metric_reduction`).
    ///
    /// - Precondition: `scores` has rank 2 and at least one column.
    public func reduce(_ scores: Tensor) -> MetricAggregate {
        precondition(scores.rank == 2 && scores.shape[1] >= 1, "Metric scores are [N, C ≥ 1], got \(scores.shape)")
        let (rows, columns) = (scores.shape[0], scores.shape[1])
        let values = scores.scalars
        let valid = values.map { $0.isNaN ? Float(0) : 1 }
        let zeroed = values.map { $0.isNaN ? Float(0) : $0 }

        func rowTotals(_ data: [Float]) -> [Float] {
            (0..<rows).map { r in data[(r * columns)..<((r + 1) * columns)].reduce(0, +) }
        }
        func columnTotals(_ data: [Float]) -> [Float] {
            (0..<columns).map { c in stride(from: c, to: data.count, by: columns).reduce(0) { $0 + data[$1] } }
        }
        func means(_ totals: [Float], _ counts: [Float]) -> [Float] {
            zip(totals, counts).map { $1 > 0 ? $0 / $1 : 0 }
        }

        switch self {
        case .none:
            return MetricAggregate(value: scores, notNans: Tensor(shape: scores.shape, scalars: valid))
        case .mean:
            let counts = rowTotals(valid)
            let rowMeans = means(rowTotals(zeroed), counts)
            let contributing = Float(counts.filter { $0 > 0 }.count)
            let mean = contributing > 0 ? rowMeans.reduce(0, +) / contributing : 0
            return MetricAggregate(value: Tensor(shape: [1], scalars: [mean]), notNans: Tensor(scalar: contributing))
        case .sum:
            return MetricAggregate(
                value: Tensor(scalar: zeroed.reduce(0, +)),
                notNans: Tensor(scalar: valid.reduce(0, +))
            )
        case .meanBatch, .sumBatch:
            let counts = columnTotals(valid)
            let totals = columnTotals(zeroed)
            let value = self == .meanBatch ? means(totals, counts) : totals
            return MetricAggregate(
                value: Tensor(shape: [columns], scalars: value),
                notNans: Tensor(shape: [columns], scalars: counts)
            )
        case .meanChannel, .sumChannel:
            let counts = rowTotals(valid)
            let totals = rowTotals(zeroed)
            let value = self == .meanChannel ? means(totals, counts) : totals
            return MetricAggregate(
                value: Tensor(shape: [rows], scalars: value),
                notNans: Tensor(shape: [rows], scalars: counts)
            )
        }
    }
}

/// The result of a metric's `aggregate()`: the reduced value and how many entries were not NaN.
public struct MetricAggregate: Sendable, Equatable {
    /// The reduced scores, shaped as the ``MetricReduction`` table says.
    public var value: Tensor
    /// MONAI's `not_nans` (counts stored as floats), shaped like the value except for ``MetricReduction/mean``,
    /// whose count is a scalar.
    public var notNans: Tensor
}
