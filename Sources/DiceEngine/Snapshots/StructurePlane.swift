/// What one voxel of a snapshot plane is for the structure it shows.
public enum VoxelClass: UInt8, Sendable {
    /// Neither image has the structure here (or the reference holds the ignore label).
    case none = 0
    /// Both images have it.
    case truePositive = 1
    /// Only the prediction has it.
    case falsePositive = 2
    /// Only the reference has it.
    case falseNegative = 3
}

/// One structure on the slice where its two images disagree most: the content of a snapshot tile.
///
/// The plane is kept in voxel order (``SliceAxis/planeAxes``): `classes[v * width + h]` is the voxel at
/// horizontal index `h` and vertical index `v`; the renderer decides on flips. One byte per voxel of one slice,
/// so a snapshot of K structures holds K slices whatever the volume.
public struct StructurePlane: Sendable {
    /// The structure's labels: one for a label, the members of a region.
    public let labels: [Int64]
    public let axis: SliceAxis
    /// The slice's index along ``axis``.
    public let index: Int
    public let width: Int
    public let height: Int
    /// ``VoxelClass`` raw values, `width × height`, row by row.
    public let classes: [UInt8]
    /// Voxels of each class on this slice.
    public let truePositives: Int
    public let falsePositives: Int
    public let falseNegatives: Int

    /// The class of the voxel at horizontal index `h`, vertical index `v`.
    public subscript(h: Int, v: Int) -> VoxelClass {
        VoxelClass(rawValue: classes[v * width + h]) ?? .none
    }

    /// Whether neither image holds the structure anywhere: the plane is then the middle slice, all ``VoxelClass/none``.
    public let isAbsent: Bool
}
