import CZlib
import Foundation
import NiftiIO

/// Writes small NIfTI-1 label volumes for tests, from label values the test keeps as its oracle.
///
/// Independent of the reader under test: the header is laid out by hand from the NIfTI-1 field table, and
/// values are encoded per datatype and byte order here, so a reader bug cannot cancel itself out.
public struct NiftiFixture {
    public var shape: [Int]
    public var dataType: NiftiDataType
    public var byteOrder: ByteOrder = .little
    public var slope: Float = 1
    public var intercept: Float = 0
    public init(shape: [Int], dataType: NiftiDataType, byteOrder: ByteOrder = .little) {
        self.shape = shape
        self.dataType = dataType
        self.byteOrder = byteOrder
    }

    /// Row-major 3×4 sform (sform_code 2); identity by default.
    public var sform: [[Float]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]
    public var spacing: [Float] = [1, 1, 1]

    /// Encodes integer stored values (before scaling) and writes them to `path`, gzip-compressed when asked.
    public func write(_ values: [Int64], to path: String, gzip: Bool = false) throws {
        precondition(values.count == shape.reduce(1, *))
        var bytes = header()
        for value in values { append(value, to: &bytes) }
        try Self.save(bytes, to: path, gzip: gzip)
    }

    /// Writes arbitrary floating-point values (NaN, fractions) to a float32/float64 file.
    public func write(floats values: [Double], to path: String) throws {
        precondition(dataType.isFloatingPoint && values.count == shape.reduce(1, *))
        var bytes = header()
        for value in values {
            if dataType == .float32 {
                appendRaw(Float(value).bitPattern, to: &bytes)
            } else {
                appendRaw(value.bitPattern, to: &bytes)
            }
        }
        try Self.save(bytes, to: path, gzip: false)
    }

    private static func save(_ bytes: [UInt8], to path: String, gzip: Bool) throws {
        try Data(gzip ? try Self.gzip(bytes) : bytes).write(to: URL(fileURLWithPath: path))
    }

    private func header() -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 352)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            let ordered = byteOrder == .little ? value.littleEndian : value.bigEndian
            withUnsafeBytes(of: ordered) { for (i, b) in $0.enumerated() { h[offset + i] = b } }
        }
        func putFloat(_ value: Float, at offset: Int) { put(value.bitPattern, at: offset) }
        put(Int32(348), at: 0)
        put(Int16(shape.count), at: 40)
        for (i, extent) in shape.enumerated() { put(Int16(extent), at: 42 + 2 * i) }
        put(Int16(dataType.rawValue), at: 70)
        put(Int16(8 * dataType.bytesPerVoxel), at: 72)
        putFloat(1, at: 76)
        for (i, value) in spacing.enumerated() { putFloat(value, at: 80 + 4 * i) }
        putFloat(352, at: 108)
        putFloat(slope, at: 112)
        putFloat(intercept, at: 116)
        h[123] = 2  // millimetres
        put(Int16(2), at: 254)
        for row in 0..<3 {
            for column in 0..<4 { putFloat(sform[row][column], at: 280 + 16 * row + 4 * column) }
        }
        h[344] = 0x6E
        h[345] = 0x2B
        h[346] = 0x31
        return h
    }

    private func appendRaw<T: FixedWidthInteger>(_ raw: T, to bytes: inout [UInt8]) {
        let ordered = byteOrder == .little ? raw.littleEndian : raw.bigEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    private func append(_ value: Int64, to bytes: inout [UInt8]) {
        switch dataType {
        case .uint8: appendRaw(UInt8(value), to: &bytes)
        case .int8: appendRaw(Int8(value), to: &bytes)
        case .uint16: appendRaw(UInt16(value), to: &bytes)
        case .int16: appendRaw(Int16(value), to: &bytes)
        case .uint32: appendRaw(UInt32(value), to: &bytes)
        case .int32: appendRaw(Int32(value), to: &bytes)
        case .uint64: appendRaw(UInt64(value), to: &bytes)
        case .int64: appendRaw(value, to: &bytes)
        case .float32: appendRaw(Float(value).bitPattern, to: &bytes)
        case .float64: appendRaw(Double(value).bitPattern, to: &bytes)
        default: preconditionFailure("not a label type")
        }
    }

    /// One gzip member made by zlib's deflate.
    public static func gzip(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard CZlib_deflateInit2(&stream, 6, 15 + 16) == Z_OK else { throw FixtureError.zlib }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw FixtureError.zlib }
        return Array(output.prefix(Int(stream.total_out)))
    }

    public enum FixtureError: Error { case zlib }
}

/// A fresh temporary directory, removed when the test's scope ends.
public final class TemporaryDirectory {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "segscore-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }

    /// Creates the folders `names` inside (a cohort's `p` and `r`).
    public func makeFolders(_ names: String...) throws {
        for name in names {
            try FileManager.default.createDirectory(atPath: file(name), withIntermediateDirectories: true)
        }
    }
}
