/// Summary statistics of a sample with undefined values, as numpy's NaN-aware functions define them.
///
/// Undefined values (`nil` or NaN: a Dice score of a label absent from the reference) are counted in
/// ``nanCount`` and otherwise left out, as `np.nanmean` does — the convention nnU-Net's `summary.json` uses.
/// Sums are numpy's pairwise sums over the values in their given (case) order, so means agree with numpy, and
/// so with nnU-Net, to the last bit:
/// - ``mean``: `np.nanmean`; ``std``: `np.nanstd` (population, ddof = 0);
/// - ``median``: `np.nanmedian` (the middle value, or the mean of the two middle values);
/// - ``q1``, ``q3``: `np.nanpercentile(x, 25 / 75)` with numpy's default `linear` method (Hyndman & Fan
///   type 7): the value at position (n − 1)·p of the sorted sample, interpolated between its neighbours.
/// Every statistic is `nil` when no value is defined.
package struct Statistics: Sendable, Equatable {
    /// Defined values.
    package let count: Int
    /// Undefined values.
    package let nanCount: Int
    package let mean: Double?
    package let std: Double?
    package let median: Double?
    package let q1: Double?
    package let q3: Double?
    package let min: Double?
    package let max: Double?

    package init(_ values: [Double?]) {
        let defined = values.compactMap { $0 }.filter { !$0.isNaN }.sorted()
        count = defined.count
        nanCount = values.count - defined.count
        guard !defined.isEmpty, let mean = Self.nanMean(values) else {
            (mean, std, median, q1, q3, min, max) = (nil, nil, nil, nil, nil, nil, nil)
            return
        }
        self.mean = mean
        let n = Double(defined.count)
        let squares = values.map { $0.flatMap { $0.isNaN ? nil : ($0 - mean) * ($0 - mean) } ?? 0 }
        std = (Self.pairwiseSum(squares) / n).squareRoot()
        let middle = defined.count / 2
        median = defined.count % 2 == 1 ? defined[middle] : (defined[middle - 1] + defined[middle]) / 2
        q1 = Self.percentile(sorted: defined, 0.25)
        q3 = Self.percentile(sorted: defined, 0.75)
        min = defined.first
        max = defined.last
    }

    /// `np.nanmean`: the mean of the defined values, `nil` when there are none.
    package static func nanMean(_ values: [Double?]) -> Double? {
        // numpy replaces undefined values by 0 and sums the whole array: the zeros change the pairwise grouping.
        let zeroed = values.map { $0.flatMap { $0.isNaN ? nil : $0 } ?? 0 }
        let count = values.count { $0.map { !$0.isNaN } ?? false }
        return count == 0 ? nil : pairwiseSum(zeroed) / Double(count)
    }

    /// numpy's summation of a float64 array (`pairwise_sum` in its `loops_utils.h.src`): sequential below 8
    /// values, eight interleaved partial sums up to 128, halves (in multiples of 8) above.
    package static func pairwiseSum(_ values: some RandomAccessCollection<Double>) -> Double {
        let n = values.count
        let start = values.startIndex
        func at(_ i: Int) -> Double { values[values.index(start, offsetBy: i)] }
        if n < 8 {
            return values.reduce(-0.0, +)
        } else if n <= 128 {
            var r = (0..<8).map(at)
            var i = 8
            while i < n - n % 8 {
                for j in 0..<8 { r[j] += at(i + j) }
                i += 8
            }
            var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n {
                sum += at(i)
                i += 1
            }
            return sum
        }
        var half = n / 2
        half -= half % 8
        let middle = values.index(start, offsetBy: half)
        return pairwiseSum(values[start..<middle]) + pairwiseSum(values[middle...])
    }

    /// numpy's `linear` percentile of a sorted, non-empty sample; `fraction` in 0...1.
    ///
    /// Interpolation is written as numpy's `_lerp` writes it (from the upper neighbour when the weight is at
    /// least ½), so results agree with numpy to the last bit.
    package static func percentile(sorted values: [Double], _ fraction: Double) -> Double {
        let position = Double(values.count - 1) * fraction
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, values.count - 1)
        let weight = position - Double(lower)
        let a = values[lower]
        let b = values[upper]
        let difference = b - a
        return weight >= 0.5 ? b - difference * (1 - weight) : a + difference * weight
    }
}
