/// Why a NIfTI file could not be read.
///
/// Every case names the file, and ``description`` is one sentence in the form `<what>: <path>` so the
/// command-line tool can print it after `segscore: error:` unchanged. This is the module's only error type.
public enum NiftiError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed (`open`, `fstat`, `mmap`), with the C `errno`.
    case io(call: String, errno: Int32, path: String)
    /// The file has no bytes at all.
    case emptyFile(path: String)
    /// Fewer bytes than a NIfTI header needs.
    case truncatedHeader(actual: Int, expected: Int, path: String)
    /// `sizeof_hdr` is neither 348 nor 540 in either byte order.
    case notNifti(path: String)
    /// A 348/540-byte header whose magic string is not NIfTI's.
    case badMagic(found: String, path: String)
    /// A 348-byte header without NIfTI magic: ANALYZE 7.5, whose orientation cannot be trusted.
    case analyzeHeader(path: String)
    /// `sizeof_hdr` and `dim[0]` disagree on the byte order.
    case inconsistentByteOrder(path: String)
    /// A header field has a value no valid file can have.
    case invalidField(name: String, value: String, reason: String, path: String)
    /// The product of the dimensions (or its size in bytes) does not fit in 64 bits.
    case voxelCountOverflow(path: String)
    /// A datatype code that NIfTI does not define (or BINARY, which it forbids).
    case unknownDataType(code: Int, path: String)
    /// A datatype NIfTI defines but that holds no plain numbers (complex, RGB, float128).
    case unsupportedDataType(name: String, code: Int, path: String)
    /// `bitpix` is not 8 × the datatype's byte size; the datatype is trusted by no one here.
    case bitpixMismatch(dataType: String, bitpix: Int, expected: Int, path: String)
    /// A `.hdr` whose data file (`.img`, `.img.gz`) does not exist.
    case missingImageFile(path: String)
    /// The voxel data end before `dim` says they should.
    case truncatedData(expectedBytes: Int, actualBytes: Int, path: String)
    /// Bytes follow the voxel data (uncompressed file, or inside the gzip stream); in a gzip stream only the
    /// first of them are counted (`exact` false), since inflating the rest would only confirm the refusal.
    case trailingData(bytes: Int, exact: Bool, path: String)
    /// The path names a FIFO, a device, a socket or a folder: nothing a NIfTI file can be, and opening or
    /// mapping it could block or read forever.
    case notARegularFile(kind: String, path: String)
    /// The file shrank while it was being read (another process truncated or rewrote it).
    case fileChanged(path: String)
    /// A file named `.gz` whose bytes are not gzip.
    case notGzip(path: String)
    /// zlib rejected the stream (bad block, CRC or length check).
    case corruptGzip(message: String, path: String)
    /// The gzip stream ends before its last member does.
    case truncatedGzip(path: String)
    /// Bytes after the last gzip member that are neither zero padding nor another member.
    case trailingGarbage(offset: Int, path: String)

    /// The path of the file the error is about.
    public var path: String {
        switch self {
        case .io(_, _, let path), .emptyFile(let path), .truncatedHeader(_, _, let path), .notNifti(let path),
            .badMagic(_, let path), .analyzeHeader(let path), .inconsistentByteOrder(let path),
            .invalidField(_, _, _, let path), .voxelCountOverflow(let path), .unknownDataType(_, let path),
            .unsupportedDataType(_, _, let path), .bitpixMismatch(_, _, _, let path), .missingImageFile(let path),
            .truncatedData(_, _, let path), .trailingData(_, _, let path), .notARegularFile(_, let path),
            .fileChanged(let path), .notGzip(let path),
            .corruptGzip(_, let path), .truncatedGzip(let path), .trailingGarbage(_, let path):
            return path
        }
    }

    /// What went wrong, without the path.
    public var what: String {
        switch self {
        case .io(let call, let errno, _):
            return "\(call) failed (\(String(cString: strerror(errno))))"
        case .emptyFile:
            return "empty file (0 bytes)"
        case .truncatedHeader(let actual, let expected, _):
            // Under 4 bytes not even `sizeof_hdr` can be read: nothing says this was meant to be NIfTI.
            return actual < 4
                ? "not a NIfTI file (\(actual) bytes, shorter than any header)"
                : "truncated header (\(actual) of \(expected) bytes)"
        case .notNifti:
            return "not a NIfTI file (sizeof_hdr is neither 348 nor 540)"
        case .badMagic(let found, _):
            return "bad NIfTI magic \(found)"
        case .analyzeHeader:
            return "ANALYZE 7.5 header (no NIfTI magic) is not supported: its orientation is unreliable"
        case .inconsistentByteOrder:
            return "inconsistent byte order (sizeof_hdr and dim[0] disagree)"
        case .invalidField(let name, let value, let reason, _):
            return "invalid \(name) = \(value): \(reason)"
        case .voxelCountOverflow:
            return "voxel count overflows (dimensions too large)"
        case .unknownDataType(let code, _):
            return "unknown datatype code \(code)"
        case .unsupportedDataType(let name, let code, _):
            return "unsupported datatype \(name) (\(code))"
        case .bitpixMismatch(let dataType, let bitpix, let expected, _):
            return "bitpix \(bitpix) does not match datatype \(dataType) (expected \(expected))"
        case .missingImageFile:
            return "image file (.img) for this header is missing"
        case .truncatedData(let expected, let actual, _):
            return "voxel data truncated (\(actual) of \(expected) bytes)"
        case .trailingData(let bytes, let exact, _):
            return exact
                ? "\(bytes) unexpected bytes after the voxel data"
                : "unexpected bytes after the voxel data (\(bytes) or more)"
        case .notARegularFile(let kind, _):
            return "not a regular file (\(kind))"
        case .fileChanged:
            return "the file shrank while it was being read (is another program still writing it?)"
        case .notGzip:
            return "not a gzip file despite its .gz name"
        case .corruptGzip(let message, _):
            return "corrupt gzip stream (\(message))"
        case .truncatedGzip:
            return "truncated gzip stream"
        case .trailingGarbage(let offset, _):
            return "trailing garbage after gzip member at offset \(offset)"
        }
    }

    public var description: String { "\(what): \(path)" }
}

#if canImport(Glibc)
    import Glibc
#endif
