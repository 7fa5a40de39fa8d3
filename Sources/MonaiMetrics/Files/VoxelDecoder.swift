import NiftiIO

/// Converts raw voxel bytes of one NIfTI datatype and byte order into Float32 values.
///
/// The datatype and byte-order switch runs once per chunk; each branch is a specialised loop of
/// `loadUnaligned` + `T(littleEndian:)`/`T(bigEndian:)`. Integers wider than 24 bits and float64 values are
/// rounded to the nearest Float32, as MONAI's float32 pipeline does. `scl_slope`/`scl_inter` scaling, when the
/// header sets it, is applied in `Double` before that rounding.
struct VoxelDecoder: Sendable {
    let dataType: NiftiDataType
    let byteOrder: ByteOrder
    let scaling: (slope: Double, intercept: Double)?

    /// A decoder for `header`'s voxels.
    ///
    /// - Precondition: `header.dataType.isNumeric` (checked by ``ChannelImage``).
    init(header: NiftiHeader) {
        precondition(header.dataType.isNumeric)
        dataType = header.dataType
        byteOrder = header.byteOrder
        scaling = header.scaling
    }

    /// Decodes every voxel of `raw` (a whole number of voxels) into `out`.
    func decode(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<Float>) {
        let little = byteOrder == .little
        switch dataType {
        case .uint8: Self.integers(raw, UInt8.self, little: little, into: out)
        case .int8: Self.integers(raw, Int8.self, little: little, into: out)
        case .uint16: Self.integers(raw, UInt16.self, little: little, into: out)
        case .int16: Self.integers(raw, Int16.self, little: little, into: out)
        case .uint32: Self.integers(raw, UInt32.self, little: little, into: out)
        case .int32: Self.integers(raw, Int32.self, little: little, into: out)
        case .uint64: Self.integers(raw, UInt64.self, little: little, into: out)
        case .int64: Self.integers(raw, Int64.self, little: little, into: out)
        case .float32: Self.float32(raw, little: little, into: out)
        case .float64: Self.float64(raw, little: little, into: out)
        case .complex64, .complex128, .complex256, .rgb24, .rgba32, .float128:
            preconditionFailure("\(dataType.name) voxels are not numbers")
        }
        if let scaling {
            for i in 0..<(raw.count / dataType.bytesPerVoxel) {
                out[i] = Float(Double(out[i]) * scaling.slope + scaling.intercept)
            }
        }
    }

    private static func integers<T: FixedWidthInteger>(
        _ raw: UnsafeRawBufferPointer,
        _: T.Type,
        little: Bool,
        into out: UnsafeMutablePointer<Float>
    ) {
        let size = MemoryLayout<T>.size
        let count = raw.count / size
        if little {
            for i in 0..<count {
                out[i] = Float(T(littleEndian: raw.loadUnaligned(fromByteOffset: i * size, as: T.self)))
            }
        } else {
            for i in 0..<count {
                out[i] = Float(T(bigEndian: raw.loadUnaligned(fromByteOffset: i * size, as: T.self)))
            }
        }
    }

    private static func float32(_ raw: UnsafeRawBufferPointer, little: Bool, into out: UnsafeMutablePointer<Float>) {
        let count = raw.count / 4
        if little {
            for i in 0..<count {
                out[i] = Float(
                    bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
                )
            }
        } else {
            for i in 0..<count {
                out[i] = Float(bitPattern: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
        }
    }

    private static func float64(_ raw: UnsafeRawBufferPointer, little: Bool, into out: UnsafeMutablePointer<Float>) {
        let count = raw.count / 8
        if little {
            for i in 0..<count {
                out[i] = Float(
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                )
            }
        } else {
            for i in 0..<count {
                out[i] = Float(
                    Double(bitPattern: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                )
            }
        }
    }
}
