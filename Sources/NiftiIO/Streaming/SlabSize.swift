/// How many voxels one slab holds, given once in voxels and turned into whole slices of each image.
///
/// A slab is the unit every consumer of voxels works on: the stream reads one, the engine codes and counts it,
/// the MONAI metrics decode and sum it. Whole slices keep slabs aligned with the image's storage order, so the
/// boundary metrics can see the 2×2×2 blocks that straddle two slabs through the previous slab's last slice.
/// Memory grows with the slab size; results never depend on it.
public struct SlabSize: Sendable, Equatable, CustomStringConvertible {
    /// The requested voxels per slab (at least one).
    public let voxels: Int

    /// 2²⁰ voxels: four slices of a 512×512 CT, a few MiB of buffers per image.
    public static let standard = SlabSize(voxels: 1 << 20)

    /// - Precondition: `voxels > 0` (the command line checks it).
    public init(voxels: Int) {
        precondition(voxels > 0, "a slab holds at least one voxel")
        self.voxels = voxels
    }

    /// Whole x–y slices per slab for an image whose slices hold `sliceVoxels` voxels: `voxels` rounded down,
    /// but at least one slice.
    public func slices(ofVoxels sliceVoxels: Int) -> Int {
        max(1, voxels / max(1, sliceVoxels))
    }

    public var description: String { "\(voxels) voxels" }
}
