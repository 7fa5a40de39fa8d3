/// The voxel spacing of the three axes in mm, in array axis order (x, y, z as NIfTI stores them).
public struct Spacing: Sendable, Hashable {
    /// mm between voxel centres along x (NIfTI `pixdim[1]`).
    public var x: Double
    /// mm along y (`pixdim[2]`).
    public var y: Double
    /// mm along z (`pixdim[3]`).
    public var z: Double

    /// The spacing `x × y × z` mm.
    public init(x: Double, y: Double, z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// From `[sx, sy, sz]`, e.g. `NiftiHeader.spacing`.
    public init(_ values: [Double]) {
        precondition(values.count == 3, "three spacing values")
        self.init(x: values[0], y: values[1], z: values[2])
    }
}
