import NiftiIO

/// How many voxels hold each value, computed the slow, obvious way: the test oracle for everything that
/// interprets voxels.
///
/// Bytes come from ``VoxelReader`` in whatever chunk size the test picks; this type decodes them itself
/// (datatype, byte order, `scl_slope`/`scl_inter` in `Double`, exactly as numpy does for the expected
/// values). Integer files without scaling stay integers, so 64-bit labels above 2^53 are counted exactly.
/// Runs of equal raw voxels are counted before any decoding, which keeps debug builds fast on real masks.
public struct VoxelCensus: Equatable, Sendable {
    /// Voxels per finite integral value, keyed by the value in decimal (`"-3"`, `"18446744073709551615"`).
    public var counts: [String: Int] = [:]
    /// Voxels whose value is NaN or infinite.
    public var nonFinite = 0
    /// Voxels whose finite value has a fractional part.
    public var nonIntegral = 0
    /// Distinct finite values (integral or not).
    public var distinctValues = 0

    /// A datatype that holds no plain numbers was asked for.
    public struct NotNumeric: Error {
        public var dataType: NiftiDataType
    }

    /// Reads `range` (every voxel by default) of `file` in chunks of at most `chunkBytes` and counts values.
    public init(of file: NiftiFile, range: Range<Int>? = nil, chunkBytes: Int) throws {
        let header = file.header
        guard header.dataType.isNumeric else { throw NotNumeric(dataType: header.dataType) }
        var histogram = RawHistogram(width: header.dataType.bytesPerVoxel)
        let reader = try file.makeVoxelReaders(ranges: [range ?? 0..<header.voxelCount])[0]
        while let chunk = try reader.next(voxels: max(1, chunkBytes / header.dataType.bytesPerVoxel)) {
            histogram.add(chunk)
        }
        var finite = Set<UInt64>()
        for (pattern, count) in histogram.finish() {
            switch Self.value(of: pattern, header: header) {
            case .integer(let key):
                counts[key, default: 0] += count
                finite.insert(pattern)
            case .real(let value):
                if !value.isFinite {
                    nonFinite += count
                } else if value.rounded(.towardZero) != value {
                    nonIntegral += count
                    finite.insert((value + 0).bitPattern)  // + 0 folds -0 into 0, as numpy.unique does
                } else {
                    counts[Self.integerKey(value), default: 0] += count
                    finite.insert((value + 0).bitPattern)  // + 0 folds -0 into 0, as numpy.unique does
                }
            }
        }
        distinctValues = finite.count
    }

    /// Total voxels counted.
    public var voxelCount: Int { counts.values.reduce(0, +) + nonFinite + nonIntegral }

    private enum Value {
        case integer(String)
        case real(Double)
    }

    /// Decodes one raw voxel, `pattern` holding its bytes as loaded on this (little-endian) host.
    private static func value(of pattern: UInt64, header: NiftiHeader) -> Value {
        let width = header.dataType.bytesPerVoxel
        let bits = header.byteOrder == ByteOrder.host ? pattern : pattern.byteSwapped >> (64 - 8 * width)
        let stored: Value
        let asDouble: Double
        switch header.dataType {
        case .uint8, .uint16, .uint32, .uint64:
            stored = .integer(String(bits))
            asDouble = Double(bits)
        case .int8:
            asDouble = Double(Int8(truncatingIfNeeded: bits))
            stored = .integer(String(Int8(truncatingIfNeeded: bits)))
        case .int16:
            asDouble = Double(Int16(truncatingIfNeeded: bits))
            stored = .integer(String(Int16(truncatingIfNeeded: bits)))
        case .int32:
            asDouble = Double(Int32(truncatingIfNeeded: bits))
            stored = .integer(String(Int32(truncatingIfNeeded: bits)))
        case .int64:
            asDouble = Double(Int64(bitPattern: bits))
            stored = .integer(String(Int64(bitPattern: bits)))
        case .float32:
            asDouble = Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
            stored = .real(asDouble)
        case .float64:
            asDouble = Double(bitPattern: bits)
            stored = .real(asDouble)
        default:
            preconditionFailure("checked isNumeric before decoding")
        }
        guard let scaling = header.scaling else { return stored }
        return .real(asDouble * scaling.slope + scaling.intercept)
    }

    /// The decimal key of an integral `Double`, as Python's `str(int(x))` writes it.
    private static func integerKey(_ value: Double) -> String {
        if let exact = Int64(exactly: value) { return String(exact) }
        if let exact = UInt64(exactly: value) { return String(exact) }
        return String(value)
    }
}

/// Counts raw voxel bit patterns, one run of equal voxels at a time.
private struct RawHistogram {
    let width: Int
    private var counts: [UInt64: Int] = [:]
    private var bytes = [Int](repeating: 0, count: 256)
    private var pattern: UInt64 = 0
    private var length = 0

    init(width: Int) { self.width = width }

    mutating func add(_ chunk: UnsafeRawBufferPointer) {
        switch width {
        case 1:
            for byte in chunk { bytes[Int(byte)] += 1 }
        case 2:
            for i in 0..<(chunk.count / 2) {
                count(UInt64(chunk.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)))
            }
        case 4:
            for i in 0..<(chunk.count / 4) {
                count(UInt64(chunk.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)))
            }
        default:
            precondition(width == 8, "numeric voxels are 1, 2, 4 or 8 bytes")
            for i in 0..<(chunk.count / 8) {
                count(chunk.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
            }
        }
    }

    private mutating func count(_ value: UInt64) {
        if value != pattern {
            if length > 0 { counts[pattern, default: 0] += length }
            pattern = value
            length = 0
        }
        length &+= 1
    }

    mutating func finish() -> [UInt64: Int] {
        if length > 0 { counts[pattern, default: 0] += length }
        length = 0
        for (byte, n) in bytes.enumerated() where n > 0 { counts[UInt64(byte), default: 0] += n }
        return counts
    }
}
