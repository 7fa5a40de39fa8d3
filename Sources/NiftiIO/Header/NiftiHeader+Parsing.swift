extension NiftiHeader {
    /// Bytes of a NIfTI-1 header.
    public static let nifti1Size = 348
    /// Bytes of a NIfTI-2 header.
    public static let nifti2Size = 540

    /// Parses and validates a header from the first bytes of a `.nii` stream or a `.hdr` file.
    ///
    /// The byte order is decided by `sizeof_hdr` (348 or 540) and must agree with `dim[0]` ∈ 1…7; both
    /// reference libraries also accept a header whose two fields disagree, but no real file needs that and it
    /// hides corruption. Everything a reader later trusts is checked here: magic, dims (≥ 1, product without
    /// overflow), datatype and bitpix, `vox_offset`, scaling.
    ///
    /// - Parameters:
    ///   - bytes: at least the header (348 or 540 bytes); more is ignored.
    ///   - path: the file name used in errors.
    /// - Throws: ``NiftiError`` naming the first problem found.
    public init(parsing bytes: UnsafeRawBufferPointer, path: String) throws(NiftiError) {
        guard bytes.count > 0 else { throw .emptyFile(path: path) }
        guard bytes.count >= 4 else {
            throw .truncatedHeader(actual: bytes.count, expected: Self.nifti1Size, path: path)
        }
        let little = Int32(littleEndian: bytes.loadUnaligned(as: Int32.self))
        let big = Int32(bigEndian: bytes.loadUnaligned(as: Int32.self))
        let byteOrder: ByteOrder
        let size: Int
        switch (little, big) {
        case (348, _): (byteOrder, size) = (.little, Self.nifti1Size)
        case (_, 348): (byteOrder, size) = (.big, Self.nifti1Size)
        case (540, _): (byteOrder, size) = (.little, Self.nifti2Size)
        case (_, 540): (byteOrder, size) = (.big, Self.nifti2Size)
        default: throw .notNifti(path: path)
        }
        guard bytes.count >= size else {
            throw .truncatedHeader(actual: bytes.count, expected: size, path: path)
        }
        let fields = HeaderFields(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<size]), byteOrder: byteOrder)
        if size == Self.nifti1Size {
            self = try Self.parseNifti1(fields, path: path)
        } else {
            self = try Self.parseNifti2(fields, path: path)
        }
        try validate(path: path)
    }

    /// Magic bytes as printable text for error messages (`"n+1\0"` → `n+1\0`).
    private static func printable(_ fields: HeaderFields, at offset: Int, count: Int) -> String {
        var text = "\""
        for i in offset..<(offset + count) {
            let byte = fields.bytes[i]
            if byte >= 0x20 && byte < 0x7F {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += byte == 0 ? "\\0" : "\\x" + String(byte, radix: 16)
            }
        }
        return text + "\""
    }

    private static func parseNifti1(_ f: HeaderFields, path: String) throws(NiftiError) -> NiftiHeader {
        let magic = (f.bytes[344], f.bytes[345], f.bytes[346], f.bytes[347])
        let isPair: Bool
        switch magic {
        case (0x6E, 0x2B, 0x31, 0): isPair = false  // "n+1\0"
        case (0x6E, 0x69, 0x31, 0): isPair = true  // "ni1\0"
        case (0x6E, 0x2B, 0x32, 0), (0x6E, 0x69, 0x32, 0):
            throw .badMagic(found: printable(f, at: 344, count: 4) + " with a NIfTI-1 sizeof_hdr", path: path)
        case (0x6E, _, _, _): throw .badMagic(found: printable(f, at: 344, count: 4), path: path)
        default:
            if magic == (0, 0, 0, 0) { throw .analyzeHeader(path: path) }
            throw .badMagic(found: printable(f, at: 344, count: 4), path: path)
        }
        let rank = f.int16(at: 40)
        try checkRank(rank, f, path: path)
        let dims = (1...rank).map { f.int16(at: 40 + 2 * $0) }
        let voxOffset = f.float32(at: 108)
        guard voxOffset.isFinite, voxOffset == voxOffset.rounded(.towardZero), voxOffset >= 0,
            voxOffset <= Double(Int32.max)
        else {
            throw .invalidField(
                name: "vox_offset", value: "\(voxOffset)", reason: "must be a whole number of bytes", path: path)
        }
        return try NiftiHeader(
            format: .nifti1, byteOrder: f.byteOrder, isPair: isPair, dim: dims,
            dataType: dataType(code: f.int16(at: 70), path: path), bitpix: f.int16(at: 72),
            qfac: f.float32(at: 76), pixdim: (1...rank).map { f.float32(at: 76 + 4 * $0) },
            voxOffset: Int(voxOffset), sclSlope: f.float32(at: 112), sclInter: f.float32(at: 116),
            qformCode: f.int16(at: 252), sformCode: f.int16(at: 254),
            quaternion: (f.float32(at: 256), f.float32(at: 260), f.float32(at: 264)),
            qoffset: (f.float32(at: 268), f.float32(at: 272), f.float32(at: 276)),
            sform: (0..<3).map { row in (0..<4).map { f.float32(at: 280 + 16 * row + 4 * $0) } },
            intentCode: f.int16(at: 68), description: f.string(at: 148, length: 80), xyztUnits: f.uint8(at: 123))
    }

    private static func parseNifti2(_ f: HeaderFields, path: String) throws(NiftiError) -> NiftiHeader {
        let magic = Array(f.bytes[4..<12])
        let isPair: Bool
        switch magic.prefix(4) {
        case [0x6E, 0x2B, 0x32, 0]: isPair = false  // "n+2\0"
        case [0x6E, 0x69, 0x32, 0]: isPair = true  // "ni2\0"
        default: throw .badMagic(found: printable(f, at: 4, count: 8), path: path)
        }
        // CR LF SUB LF detects text-mode transfers that mangled line endings.
        guard magic.suffix(4) == [0x0D, 0x0A, 0x1A, 0x0A] else {
            throw .badMagic(found: printable(f, at: 4, count: 8) + " (end-of-line check bytes damaged)", path: path)
        }
        let rank64 = f.int64(at: 16)
        guard (1...7).contains(rank64) else {
            throw .invalidField(name: "dim[0]", value: "\(rank64)", reason: "must be 1 to 7", path: path)
        }
        let rank = Int(rank64)
        let dims = (1...rank).map { Int(f.int64(at: 16 + 8 * $0)) }
        let voxOffset = f.int64(at: 168)
        guard voxOffset >= 0 else {
            throw .invalidField(name: "vox_offset", value: "\(voxOffset)", reason: "must not be negative", path: path)
        }
        return try NiftiHeader(
            format: .nifti2, byteOrder: f.byteOrder, isPair: isPair, dim: dims,
            dataType: dataType(code: f.int16(at: 12), path: path), bitpix: f.int16(at: 14),
            qfac: f.float64(at: 104), pixdim: (1...rank).map { f.float64(at: 104 + 8 * $0) },
            voxOffset: Int(voxOffset), sclSlope: f.float64(at: 176), sclInter: f.float64(at: 184),
            qformCode: f.int32(at: 344), sformCode: f.int32(at: 348),
            quaternion: (f.float64(at: 352), f.float64(at: 360), f.float64(at: 368)),
            qoffset: (f.float64(at: 376), f.float64(at: 384), f.float64(at: 392)),
            sform: (0..<3).map { row in (0..<4).map { f.float64(at: 400 + 32 * row + 8 * $0) } },
            intentCode: f.int32(at: 504), description: f.string(at: 240, length: 80),
            xyztUnits: f.int32(at: 500) & 0xFF)
    }

    /// `dim[0]` must be 1…7 in the byte order `sizeof_hdr` chose; a value that is valid only when swapped
    /// means the two fields disagree.
    private static func checkRank(_ rank: Int, _ f: HeaderFields, path: String) throws(NiftiError) {
        if (1...7).contains(rank) { return }
        let swapped = Int(Int16(truncatingIfNeeded: rank).byteSwapped)
        if (1...7).contains(swapped) { throw .inconsistentByteOrder(path: path) }
        throw .invalidField(name: "dim[0]", value: "\(rank)", reason: "must be 1 to 7", path: path)
    }

    private static func dataType(code: Int, path: String) throws(NiftiError) -> NiftiDataType {
        guard let type = NiftiDataType(rawValue: code) else { throw .unknownDataType(code: code, path: path) }
        return type
    }

    private func validate(path: String) throws(NiftiError) {
        for (axis, extent) in dim.enumerated() where extent < 1 {
            throw .invalidField(
                name: "dim[\(axis + 1)]", value: "\(extent)", reason: "every extent must be at least 1", path: path)
        }
        var count = 1
        for extent in dim {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw .voxelCountOverflow(path: path) }
            count = product
        }
        guard !count.multipliedReportingOverflow(by: dataType.bytesPerVoxel).overflow,
            !voxOffset.addingReportingOverflow(count * dataType.bytesPerVoxel).overflow
        else { throw .voxelCountOverflow(path: path) }
        guard bitpix == 8 * dataType.bytesPerVoxel else {
            throw .bitpixMismatch(
                dataType: dataType.name, bitpix: bitpix, expected: 8 * dataType.bytesPerVoxel, path: path)
        }
        let minimumOffset = isPair ? 0 : (format == .nifti1 ? Self.nifti1Size : Self.nifti2Size) + 4
        guard voxOffset >= minimumOffset else {
            throw .invalidField(
                name: "vox_offset", value: "\(voxOffset)",
                reason: "voxel data would overlap the header (minimum \(minimumOffset))", path: path)
        }
        if sclSlope.isFinite && sclSlope != 0 && !sclInter.isFinite {
            throw .invalidField(
                name: "scl_inter", value: "\(sclInter)", reason: "must be finite when scl_slope is set", path: path)
        }
        if qformCode > 0 && quaternionA == nil {
            throw .invalidField(
                name: "quatern_b/c/d", value: "\(quaternion)", reason: "not a unit quaternion", path: path)
        }
    }
}
