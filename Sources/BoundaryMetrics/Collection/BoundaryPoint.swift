/// One boundary element of one image: its integer grid position and, for surfels, its 2×2×2 neighbour code.
///
/// Eight bytes, so memory follows the surface area (a whole-body label with a million surfels costs 8 MB).
/// Surfel positions are block grid points `0...n` per axis (the block at `g` covers voxels `g − 1` and `g`);
/// edge voxels use voxel indices `0..<n`. Both fit `UInt16` because ``BoundaryCollector`` limits the extent.
struct BoundaryPoint: Sendable, Equatable {
    var x: UInt16
    var y: UInt16
    var z: UInt16
    /// The DeepMind neighbour code (bit `7 − (4a + 2b + c)` set when voxel offset (a, b, c) holds the label);
    /// 0 for edge voxels.
    var code: UInt8

    /// A key that orders points as the collector emits them (z, then y, then x).
    var rasterKey: UInt64 { UInt64(z) << 32 | UInt64(y) << 16 | UInt64(x) }
}

/// The boundary elements of one label in both images, each list in raster order.
struct BoundaryPointPair: Sendable {
    var prediction: [BoundaryPoint] = []
    var reference: [BoundaryPoint] = []
}
