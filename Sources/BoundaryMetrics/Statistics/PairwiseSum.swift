/// numpy's `np.sum` for a contiguous float64 array: pairwise summation with blocks of 128 summed by eight
/// interleaved accumulators.
///
/// DeepMind divides a sequential `np.cumsum` by this total to find the area-weighted percentile, so matching
/// its rounding exactly keeps percentile ties on the same side as the reference.
enum PairwiseSum {
    static func sum(_ values: ArraySlice<Double>) -> Double {
        values.withUnsafeBufferPointer { sum($0) }
    }

    static func sum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { sum($0) }
    }

    private static func sum(_ v: UnsafeBufferPointer<Double>) -> Double {
        let n = v.count
        if n < 8 {
            var total = -0.0
            for value in v { total += value }
            return total
        }
        if n <= 128 {
            var r = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
            var i = 8
            while i < n - n % 8 {
                r.0 += v[i]
                r.1 += v[i + 1]
                r.2 += v[i + 2]
                r.3 += v[i + 3]
                r.4 += v[i + 4]
                r.5 += v[i + 5]
                r.6 += v[i + 6]
                r.7 += v[i + 7]
                i += 8
            }
            var total = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
            while i < n {
                total += v[i]
                i += 1
            }
            return total
        }
        var half = n / 2
        half -= half % 8
        return sum(UnsafeBufferPointer(rebasing: v[0..<half])) + sum(UnsafeBufferPointer(rebasing: v[half..<n]))
    }
}
