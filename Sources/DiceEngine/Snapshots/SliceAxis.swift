/// The axis a snapshot cuts along.
///
/// Slices are planes of the voxel grid, never resampled across it: axial holds the third voxel axis (k) constant,
/// coronal the second (j), sagittal the first (i). For the usual storage (i left–right, j posterior–anterior,
/// k inferior–superior, as RAS and LPS files are) these are the anatomical planes their names say.
public enum SliceAxis: String, Sendable, CaseIterable {
    case axial
    case coronal
    case sagittal

    /// The voxel axis held constant (0 = i, 1 = j, 2 = k).
    public var voxelAxis: Int {
        switch self {
        case .axial: 2
        case .coronal: 1
        case .sagittal: 0
        }
    }

    /// The voxel axes drawn across and up the tile: always the lower-numbered one across, so a plane is flipped
    /// but never transposed.
    public var planeAxes: (horizontal: Int, vertical: Int) {
        switch self {
        case .axial: (0, 1)
        case .coronal: (0, 2)
        case .sagittal: (1, 2)
        }
    }

    /// The name of the voxel index held constant, for captions (`z 45`).
    public var indexName: String { ["x", "y", "z"][voxelAxis] }
}
