import NiftiIO

/// Whether two images share a voxel grid: same shape and voxel-to-world affines that agree.
///
/// Comparing shapes alone is the classic silent error: a mask stored LAS and the same mask stored RAS have the
/// same shape but mirrored voxels (naive Dice 0.98 where the truth is 1.0). So the affines (nibabel's best
/// affine of each file) must agree entry by entry within a tolerance in millimetres; float32 qform/sform
/// rounding differs by ~1e-6, hence a default of 1e-4.
public struct GridCheck: Sendable {
    /// The first difference found, in words (`"shape 60×55×52 vs 60×55×51"`), or `nil` when the grids agree.
    public let mismatch: String?
    /// Largest absolute difference between the two affines.
    public let maxAffineDifference: Double
    /// Whether the shapes agree (a voxel-by-voxel comparison is at least possible).
    public let sameShape: Bool

    public static let defaultTolerance = 1e-4

    public init(prediction: NiftiHeader, reference: NiftiHeader, tolerance: Double = defaultTolerance) {
        let p = prediction.affine
        let r = reference.affine
        var worst = 0.0
        var worstAt = (0, 0)
        for row in 0..<3 {
            for column in 0..<4 {
                let difference = abs(p[row][column] - r[row][column])
                if difference > worst || difference.isNaN {
                    worst = difference
                    worstAt = (row, column)
                }
            }
        }
        maxAffineDifference = worst
        sameShape = prediction.spatialShape == reference.spatialShape && prediction.voxelCount == reference.voxelCount
        if !sameShape {
            mismatch =
                "shape \(Self.shape(prediction.dim)) vs \(Self.shape(reference.dim))"
        } else if !(worst <= tolerance) {
            let (row, column) = worstAt
            mismatch =
                "affine[\(row)][\(column)] \(p[row][column]) vs \(r[row][column]) (differs by \(worst) mm, "
                + "tolerance \(tolerance)); prediction \(Self.orientation(p)) from \(prediction.affineSource), "
                + "reference \(Self.orientation(r)) from \(reference.affineSource)"
        } else {
            mismatch = nil
        }
    }

    /// Why `header`'s affine cannot locate its voxels (a NaN or infinite entry), or `nil` when it can.
    public static func unusableGeometry(_ header: NiftiHeader) -> String? {
        guard header.affine.joined().contains(where: { !$0.isFinite }) else { return nil }
        return "the affine (from \(header.affineSource)) has NaN or infinite entries; pixdim "
            + "\(header.pixdim.dropFirst().prefix(3).map { "\($0)" }.joined(separator: ", "))"
    }

    private static func shape(_ dim: [Int]) -> String { dim.map(String.init).joined(separator: "×") }

    /// Axis codes of an affine, e.g. `RAS` or `LIA`: for each voxel axis, the world direction it mostly points.
    static func orientation(_ affine: [[Double]]) -> String {
        let letters = [("L", "R"), ("P", "A"), ("I", "S")]
        return (0..<3).map { column in
            let components = (0..<3).map { affine[$0][column] }
            let axis = (0..<3).max { abs(components[$0]) < abs(components[$1]) } ?? column
            return components[axis] >= 0 ? letters[axis].1 : letters[axis].0
        }.joined()
    }
}
