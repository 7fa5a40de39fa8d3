/// How the distance between two grid points is measured.
///
/// MONAI offers chessboard and taxicab through scipy's chamfer transform, which ignores the spacing, so those
/// two are in voxel steps; Euclidean distances use the spacing (mm), as both peers do.
public enum DistanceMetric: Sendable, Hashable {
    /// √Σ(Δᵢ·sᵢ)², summed in axis order in `Double` as scipy's `distance_transform_edt` does.
    case euclidean
    /// max |Δᵢ| in voxels.
    case chessboard
    /// Σ |Δᵢ| in voxels.
    case taxicab
}
