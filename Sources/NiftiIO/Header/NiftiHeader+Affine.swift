extension NiftiHeader {
    /// The voxel-to-world matrix (4×4, row-major) exactly as nibabel's `get_best_affine` picks it.
    ///
    /// 1. `sform_code` > 0: the three `srow` rows.
    /// 2. else `qform_code` > 0: the quaternion rotation scaled by |pixdim| (z also by qfac) plus `qoffset`.
    /// 3. else nibabel's fallback: diag(-sx, sy, sz) with the origin at the volume centre (the ANALYZE
    ///    convention; *not* the spec's “method 1”).
    public var affine: [[Double]] {
        if sformCode > 0 {
            return sform + [[0, 0, 0, 1]]
        }
        if qformCode > 0 {
            return qformAffine
        }
        return fallbackAffine
    }

    /// Which matrix ``affine`` came from: `"sform"`, `"qform"` or `"fallback"`.
    public var affineSource: String {
        sformCode > 0 ? "sform" : qformCode > 0 ? "qform" : "fallback"
    }

    /// The quaternion's scalar part `a = sqrt(1 − b² − c² − d²)`, or `nil` when b² + c² + d² exceeds 1 by more
    /// than float32 rounding (nibabel's threshold, 3 × float32 epsilon), which makes the qform invalid.
    var quaternionA: Double? {
        let (b, c, d) = quaternion
        let w2 = 1 - (b * b + c * c + d * d)
        if w2 >= 0 { return w2.squareRoot() }
        let threshold = 3 * Double(Float.ulpOfOne)
        return -w2 < threshold ? 0 : nil
    }

    private var qformAffine: [[Double]] {
        let (b, c, d) = quaternion
        let a = quaternionA ?? 0
        let n = a * a + b * b + c * c + d * d
        var rotation: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        if n > 1e-12 {
            let s = 2 / n
            let (x, y, z) = (b * s, c * s, d * s)
            let (wx, wy, wz) = (a * x, a * y, a * z)
            let (xx, xy, xz) = (b * x, b * y, b * z)
            let (yy, yz, zz) = (c * y, c * z, d * z)
            rotation = [
                [1 - (yy + zz), xy - wz, xz + wy],
                [xy + wz, 1 - (xx + zz), yz - wx],
                [xz - wy, yz + wx, 1 - (xx + yy)],
            ]
        }
        var zooms = spacing
        zooms[2] *= qfac < 0 ? -1 : 1
        let offset = [qoffset.x, qoffset.y, qoffset.z]
        return (0..<3).map { row in
            (0..<3).map { rotation[row][$0] * zooms[$0] } + [offset[row]]
        } + [[0, 0, 0, 1]]
    }

    private var fallbackAffine: [[Double]] {
        let shape = spatialShape
        var zooms = (0..<3).map { $0 < pixdim.count ? pixdim[$0] : 1 }
        zooms[0] *= -1
        return (0..<3).map { row in
            (0..<3).map { $0 == row ? zooms[row] : 0 } + [-Double(shape[row] - 1) / 2 * zooms[row]]
        } + [[0, 0, 0, 1]]
    }
}
