/// The validated header of a NIfTI-1 or NIfTI-2 image.
///
/// Values are kept as the file stores them (NIfTI-1 float32 fields widened exactly to `Double`); derived
/// geometry (``affine``, ``spacing``) follows nibabel, the reference the project's expected values come
/// from. A `NiftiHeader` only exists for a header that passed every check in
/// ``NiftiHeader/init(parsing:path:)``.
public struct NiftiHeader: Sendable, Equatable {
    /// NIfTI-1 (348-byte header) or NIfTI-2 (540-byte header).
    public enum Format: String, Sendable {
        case nifti1
        case nifti2
    }

    public var format: Format
    public var byteOrder: ByteOrder
    /// `true` for `ni1`/`ni2` magic: the voxels live in a separate `.img` file.
    public var isPair: Bool
    /// `dim[1...dim[0]]`, every entry ≥ 1.
    public var dim: [Int]
    public var dataType: NiftiDataType
    public var bitpix: Int
    /// `pixdim[0]`: the qform handedness factor, stored as written (nibabel treats anything but -1 as +1).
    public var qfac: Double
    /// `pixdim[1...dim[0]]` as stored.
    public var pixdim: [Double]
    /// Byte offset of the first voxel in the data stream.
    public var voxOffset: Int
    /// `scl_slope` as stored (0 or non-finite means “no scaling”, see ``scaling``).
    public var sclSlope: Double
    public var sclInter: Double
    public var qformCode: Int
    public var sformCode: Int
    /// `quatern_b`, `quatern_c`, `quatern_d`.
    public var quaternion: (b: Double, c: Double, d: Double)
    /// `qoffset_x`, `qoffset_y`, `qoffset_z`.
    public var qoffset: (x: Double, y: Double, z: Double)
    /// `srow_x`, `srow_y`, `srow_z`.
    public var sform: [[Double]]
    public var intentCode: Int
    public var description: String
    /// `xyzt_units`: bits 0–2 the spatial unit (1 m, 2 mm, 3 µm, 0 unknown).
    public var xyztUnits: Int

    public static func == (lhs: NiftiHeader, rhs: NiftiHeader) -> Bool {
        lhs.format == rhs.format && lhs.byteOrder == rhs.byteOrder && lhs.isPair == rhs.isPair
            && lhs.dim == rhs.dim && lhs.dataType == rhs.dataType && lhs.bitpix == rhs.bitpix
            && lhs.qfac.bitPattern == rhs.qfac.bitPattern && lhs.pixdim == rhs.pixdim
            && lhs.voxOffset == rhs.voxOffset && lhs.sclSlope.bitPattern == rhs.sclSlope.bitPattern
            && lhs.sclInter.bitPattern == rhs.sclInter.bitPattern && lhs.qformCode == rhs.qformCode
            && lhs.sformCode == rhs.sformCode && lhs.quaternion == rhs.quaternion && lhs.qoffset == rhs.qoffset
            && lhs.sform == rhs.sform && lhs.intentCode == rhs.intentCode && lhs.description == rhs.description
            && lhs.xyztUnits == rhs.xyztUnits
    }
}

extension NiftiHeader {
    /// Linear map from stored to real values; `nil` when the stored values are the values.
    ///
    /// NIfTI says `scl_slope` = 0 means “unscaled” (old writers leave it 0); nibabel and nifti_clib also
    /// ignore a non-finite slope. A slope of 1 with an intercept of 0 is the identity too.
    public var scaling: (slope: Double, intercept: Double)? {
        guard sclSlope != 0, sclSlope.isFinite else { return nil }
        if sclSlope == 1 && sclInter == 0 { return nil }
        return (sclSlope, sclInter)
    }

    /// Number of voxels: the product of ``dim`` (checked not to overflow when parsing).
    public var voxelCount: Int { dim.reduce(1, *) }

    /// Size of the voxel data in bytes (checked not to overflow when parsing).
    public var dataByteCount: Int { voxelCount * dataType.bytesPerVoxel }

    /// The first three extents, padded with 1: (nx, ny, nz).
    public var spatialShape: [Int] { (0..<3).map { $0 < dim.count ? dim[$0] : 1 } }

    /// `dim[4]` (time or channels), 1 when absent.
    public var extent4: Int { dim.count >= 4 ? dim[3] : 1 }

    /// `dim[5]` (vector components), 1 when absent.
    public var extent5: Int { dim.count >= 5 ? dim[4] : 1 }

    /// Voxel size along x, y, z (the absolute `pixdim[1...3]`, 1 where the image has fewer axes),
    /// in the file's spatial unit.
    public var spacing: [Double] {
        (0..<3).map { $0 < pixdim.count ? abs(pixdim[$0]) : 1 }
    }

    /// Millimetres per unit of ``spacing`` from `xyzt_units`; unknown units are taken as millimetres,
    /// the convention of every tool the project compares with.
    public var millimetresPerUnit: Double {
        switch xyztUnits & 0x07 {
        case 1: 1000
        case 3: 0.001
        default: 1
        }
    }

    /// Volume of one voxel in millilitres.
    public var voxelVolumeMl: Double {
        let mm = millimetresPerUnit
        return spacing.reduce(1) { $0 * $1 * mm } / 1000
    }
}
