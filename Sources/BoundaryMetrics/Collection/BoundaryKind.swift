/// Which boundary elements a ``BoundaryCollector`` gathers; each definition of a boundary metric needs one.
public enum BoundaryKind: Sendable, Hashable, CaseIterable {
    /// DeepMind surface elements: every 2×2×2 voxel block (constant-outside padding) whose neighbour code is
    /// neither 0 nor 255 for a label, placed at the block's grid point and weighted by its marching-cubes area.
    /// Used by the `deepmind` definition and by MONAI's `use_subvoxels` surface Dice.
    case surfels
    /// MONAI edge voxels: voxels of a label with at least one 6-neighbour that is not that label (voxels on the
    /// volume's faces included), i.e. `mask XOR binary_erosion(mask)` with scipy's cross and border value 0.
    case edgeVoxels
}
