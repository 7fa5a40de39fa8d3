import DiceEngine
import NiftiIO

/// How a plane of voxels becomes a tile of square pixels: its size, the voxel under each pixel, and the flips
/// that orient it.
///
/// Pixels are square in millimetres, so the tile has the slice's true aspect ratio whatever the spacing: the
/// pixel size starts at the finer of the two in-plane spacings, is enlarged so that no side exceeds
/// ``largestSide`` pixels, or divided by a whole factor so that small grids grow towards ``smallestSide``.
/// Each pixel shows the voxel its centre falls in (nearest neighbour).
///
/// Orientation follows the radiological convention, from the reference's affine: each in-plane voxel axis is
/// flipped, never transposed, so that across the tile runs towards the patient's left (or posterior, or
/// inferior) and up the tile towards anterior (or superior, or right), by the world axis the voxel axis mostly
/// follows. An RAS or LPS axial slice thus shows the patient's left on the right and anterior at the top; a
/// sagittal one anterior on the left and superior at the top.
struct TileGeometry {
    static let largestSide = 512
    static let smallestSide = 256

    /// Voxels across and up the plane (``SliceAxis/planeAxes``).
    let voxels: (across: Int, up: Int)
    let width: Int
    let height: Int
    private let columnVoxel: [Int]
    private let rowVoxel: [Int]

    init(header: NiftiHeader, axis: SliceAxis) {
        let (h, v) = axis.planeAxes
        let shape = header.spatialShape
        voxels = (shape[h], shape[v])
        let usable = { (mm: Double) in mm.isFinite && mm > 0 ? mm : 1 }
        let spacing = (usable(header.spacing[h]), usable(header.spacing[v]))
        let extent = (Double(voxels.across) * spacing.0, Double(voxels.up) * spacing.1)
        var pixel = min(spacing.0, spacing.1)
        let longest = max(extent.0, extent.1)
        if longest / pixel > Double(Self.largestSide) {
            pixel = longest / Double(Self.largestSide)
        } else {
            pixel /= Double(max(1, Self.smallestSide / max(1, Int((longest / pixel).rounded()))))
        }
        width = max(1, Int((extent.0 / pixel).rounded()))
        height = max(1, Int((extent.1 / pixel).rounded()))
        let affine = header.affine
        let (across, up) = voxels
        columnVoxel = (0..<width).map { u in
            let voxel = min(across - 1, Int((Double(u) + 0.5) * pixel / spacing.0))
            return Self.pointsPositive(affine, column: h) ? across - 1 - voxel : voxel
        }
        // Row 0 is the top: the far end of the vertical axis unless that end points negative.
        rowVoxel = (0..<height).map { r in
            let voxel = min(up - 1, Int((Double(r) + 0.5) * pixel / spacing.1))
            return Self.pointsPositive(affine, column: v) ? up - 1 - voxel : voxel
        }
    }

    /// The plane index (`v * across + h`) of the voxel under pixel (`column`, `row`).
    func voxel(column: Int, row: Int) -> Int { rowVoxel[row] * voxels.across + columnVoxel[column] }

    /// Whether voxel axis `column` of `affine` mostly follows a world axis in its positive direction (towards
    /// right, anterior or superior in NIfTI's RAS+ world); a NaN affine counts as negative (no flip).
    private static func pointsPositive(_ affine: [[Double]], column: Int) -> Bool {
        let components = (0..<3).map { affine[$0][column] }
        let dominant = (0..<3).max { abs(components[$0]) < abs(components[$1]) } ?? 0
        return components[dominant] > 0
    }
}
