#if canImport(Glibc)
    import Glibc
#endif

/// The per-voxel loops, over channel-major Float32 slabs.
///
/// Each kernel is one flat loop over `count` contiguous values with no calls but `expf`, so the compiler can
/// vectorise the comparisons and keep the running sums in registers.
enum SlabKernels {
    /// x ← 1 / (1 + e^−x).
    static func sigmoid(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            values[i] = 1 / (1 + expf(-values[i]))
        }
    }

    /// Softmax across `channels` slabs at each voxel, in place: e^(x − max) / Σ e^(x − max).
    ///
    /// - Parameters:
    ///   - base: the first channel's slab; channel c starts at `base + c * stride`.
    ///   - maximum, total: scratch slabs of at least `count` values.
    static func softmax(
        _ base: UnsafeMutablePointer<Float>,
        channels: Int,
        stride: Int,
        count: Int,
        maximum: UnsafeMutablePointer<Float>,
        total: UnsafeMutablePointer<Float>
    ) {
        maximum.update(from: base, count: count)
        for c in 1..<channels {
            let x = base + c * stride
            for i in 0..<count where x[i] > maximum[i] {
                maximum[i] = x[i]
            }
        }
        total.update(repeating: 0, count: count)
        for c in 0..<channels {
            let x = base + c * stride
            for i in 0..<count {
                x[i] = expf(x[i] - maximum[i])
                total[i] += x[i]
            }
        }
        for c in 0..<channels {
            let x = base + c * stride
            for i in 0..<count {
                x[i] /= total[i]
            }
        }
    }

    /// x ← 1 where x ≠ 0 (NaN included, as `bool()` does), else 0.
    static func binarizeNonZero(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            values[i] = values[i] != 0 ? 1 : 0
        }
    }

    /// out ← 1 where the value equals `label` exactly, else 0.
    static func indicator(
        of label: Float,
        in values: UnsafePointer<Float>,
        count: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        for i in 0..<count {
            out[i] = values[i] == label ? 1 : 0
        }
    }

    /// Truncates labels toward zero as `one_hot`'s int64 cast does, checking they index one of `classCount`
    /// classes.
    ///
    /// - Returns: the first value outside `0..<classCount` (NaN included), or `nil` when all are valid.
    static func truncateLabels(_ values: UnsafeMutablePointer<Float>, count: Int, classCount: Int) -> Float? {
        // trunc(v) ∈ 0..<n  ⇔  −1 < v < n; the comparisons are false for NaN.
        let upper = Float(classCount)
        var allValid = true
        for i in 0..<count {
            let v = values[i]
            allValid = allValid && v > -1 && v < upper
            values[i] = v.rounded(.towardZero)
        }
        if allValid { return nil }
        return (0..<count).lazy.map { values[$0] }.first { !($0 >= 0 && $0 < upper) } ?? .nan
    }

    /// Σ p·g, Σ p, Σ g, Σ p², Σ g² in `Double` (each product of two Floats is exact in `Double`).
    static func sums(_ p: UnsafePointer<Float>, _ g: UnsafePointer<Float>, count: Int) -> OverlapSums {
        var pg = 0.0
        var ps = 0.0
        var gs = 0.0
        var pp = 0.0
        var gg = 0.0
        for i in 0..<count {
            let pv = Double(p[i])
            let gv = Double(g[i])
            pg += pv * gv
            ps += pv
            gs += gv
            pp += pv * pv
            gg += gv * gv
        }
        return OverlapSums(
            intersection: pg,
            prediction: ps,
            reference: gs,
            predictionSquares: pp,
            referenceSquares: gg
        )
    }
}
