/// numpy's `np.sum` for a contiguous float64 array: pairwise summation with blocks of 128 summed by eight
/// interleaved accumulators.
///
/// DeepMind divides a sequential `np.cumsum` by this total to find the area-weighted percentile, so matching
/// its rounding exactly keeps percentile ties on the same side as the reference.
enum PairwiseSum {
    /// Σ `value(i)` for i in 0..<count, in numpy's order.
    static func sum(count: Int, _ value: (Int) -> Double) -> Double {
        sum(0, count, value)
    }

    private static func sum(_ start: Int, _ n: Int, _ v: (Int) -> Double) -> Double {
        if n < 8 {
            var total = -0.0
            for i in start..<(start + n) { total += v(i) }
            return total
        }
        if n <= 128 {
            var r = (
                v(start), v(start + 1), v(start + 2), v(start + 3), v(start + 4), v(start + 5), v(start + 6),
                v(start + 7)
            )
            var i = 8
            while i < n - n % 8 {
                let k = start + i
                r.0 += v(k)
                r.1 += v(k + 1)
                r.2 += v(k + 2)
                r.3 += v(k + 3)
                r.4 += v(k + 4)
                r.5 += v(k + 5)
                r.6 += v(k + 6)
                r.7 += v(k + 7)
                i += 8
            }
            var total = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
            while i < n {
                total += v(start + i)
                i += 1
            }
            return total
        }
        var half = n / 2
        half -= half % 8
        return sum(start, half, v) + sum(start + half, n - half, v)
    }
}
