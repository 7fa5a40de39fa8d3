/// A NIfTI `datatype` code (header offset 70 in NIfTI-1, 12 in NIfTI-2).
///
/// Every code the standard defines is listed, so that a header can be shown for any valid file, but only the
/// ten plain numeric types can be streamed as voxels (``isNumeric``). BINARY (1) and undefined codes are
/// rejected while parsing.
public enum NiftiDataType: Int, Sendable, CaseIterable {
    case uint8 = 2
    case int16 = 4
    case int32 = 8
    case float32 = 16
    case complex64 = 32
    case float64 = 64
    case rgb24 = 128
    case int8 = 256
    case uint16 = 512
    case uint32 = 768
    case int64 = 1024
    case uint64 = 1280
    case float128 = 1536
    case complex128 = 1792
    case complex256 = 2048
    case rgba32 = 2304

    /// The name used in messages and in `header --json` (`"uint8"`, `"float32"`, …).
    public var name: String {
        switch self {
        case .uint8: "uint8"
        case .int16: "int16"
        case .int32: "int32"
        case .float32: "float32"
        case .complex64: "complex64"
        case .float64: "float64"
        case .rgb24: "rgb24"
        case .int8: "int8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .int64: "int64"
        case .uint64: "uint64"
        case .float128: "float128"
        case .complex128: "complex128"
        case .complex256: "complex256"
        case .rgba32: "rgba32"
        }
    }

    /// Bytes one voxel occupies.
    public var bytesPerVoxel: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16, .uint16: 2
        case .rgb24: 3
        case .int32, .uint32, .float32, .rgba32: 4
        case .int64, .uint64, .float64, .complex64: 8
        case .float128, .complex128: 16
        case .complex256: 32
        }
    }

    /// Whether voxels are plain integers or IEEE floats that segscore can read.
    public var isNumeric: Bool {
        switch self {
        case .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64, .uint64, .float32, .float64: true
        case .complex64, .complex128, .complex256, .rgb24, .rgba32, .float128: false
        }
    }

    /// Whether the stored values are floating point.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
}
