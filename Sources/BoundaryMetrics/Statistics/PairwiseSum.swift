/// numpy's `np.sum` for a contiguous float64 array: pairwise summation with blocks of 128 summed by eight
/// interleaved accumulators.
///
/// DeepMind divides a sequential `np.cumsum` by this total to find the area-weighted percentile, so matching
/// its rounding exactly keeps percentile ties on the same side as the reference.
enum PairwiseSum {
    /// Σ `value(i)` for i in 0..<count, in numpy's order.
    static func sum(count: Int, _ value: (Int) -> Double) -> Double {
        split(0, count) { block($0, $1, value) }
    }

    /// Σ `value(sample)` over the first `count` samples that `runs` stand for (each run's sample repeated its
    /// count times), in numpy's order, without writing the samples out.
    ///
    /// Why: a label's boundary distances are a few values repeated many times, so nearly every block of 128
    /// lies inside one run, and its sum depends only on the value and the block's length; such a block is summed
    /// once per (value, length), not once per sample. Blocks that straddle runs are summed sample by sample.
    static func sum(runs: [SampleRun], count: Int, _ value: (DistanceSample) -> Double) -> Double {
        guard count > 0 else { return -0.0 }
        return runs.withUnsafeBufferPointer { runs in
            // The run holding the next block's first sample, and that run's first index; blocks come in order.
            var run = 0
            var runStart = 0
            var cached: [(bits: UInt64, length: Int, sum: Double)] = []
            return split(0, count) { start, length in
                while runStart + runs[run].count <= start {
                    runStart += runs[run].count
                    run += 1
                }
                if start + length <= runStart + runs[run].count {
                    let v = value(runs[run].sample)
                    if let hit = cached.first(where: { $0.bits == v.bitPattern && $0.length == length }) {
                        return hit.sum
                    }
                    let total = block(start, length) { _ in v }
                    if cached.count == 4 { cached.removeFirst() }
                    cached.append((v.bitPattern, length, total))
                    return total
                }
                // A block reads its samples in increasing order, so one cursor walks the runs it spans.
                var (at, atStart) = (run, runStart)
                return block(start, length) { i in
                    while atStart + runs[at].count <= i {
                        atStart += runs[at].count
                        at += 1
                    }
                    return value(runs[at].sample)
                }
            }
        }
    }

    /// numpy's recursion over `start..<start + n`: halves (the first a multiple of 8) down to blocks of at most
    /// 128, each summed by `blockSum(start, length)`, in increasing order of start.
    private static func split(_ start: Int, _ n: Int, _ blockSum: (Int, Int) -> Double) -> Double {
        if n <= 128 { return blockSum(start, n) }
        var half = n / 2
        half -= half % 8
        return split(start, half, blockSum) + split(start + half, n - half, blockSum)
    }

    /// One block of numpy's recursion: fewer than 8 values summed in order, else eight interleaved
    /// accumulators. Reads `v` in increasing order of index.
    @inline(__always)
    private static func block(_ start: Int, _ n: Int, _ v: (Int) -> Double) -> Double {
        if n < 8 {
            var total = -0.0
            for i in start..<(start + n) { total += v(i) }
            return total
        }
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
}
