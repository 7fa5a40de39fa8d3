import Foundation

/// Writes tiny uncompressed NIfTI-1 files for the streaming tests, in either byte order.
struct NiftiFixture {
    enum DataType {
        case uint8, int16, float32, float64

        var code: Int16 {
            switch self {
            case .uint8: 2
            case .int16: 4
            case .float32: 16
            case .float64: 64
            }
        }

        var bytesPerVoxel: Int {
            switch self {
            case .uint8: 1
            case .int16: 2
            case .float32: 4
            case .float64: 8
            }
        }
    }

    /// A fresh folder under the system's temporary directory; removed by ``removeAll()``.
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("monai-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func removeAll() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Writes `values` (x fastest, as NIfTI stores them) with `dim` = [nx, ny, nz, …] and returns the path.
    func write(
        _ name: String,
        dim: [Int],
        values: [Float],
        as dataType: DataType,
        bigEndian: Bool = false
    ) throws -> String {
        precondition(dim.reduce(1, *) == values.count)
        var header = [UInt8](repeating: 0, count: 352)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            let ordered = bigEndian ? value.bigEndian : value.littleEndian
            withUnsafeBytes(of: ordered) { header.replaceSubrange(offset..<(offset + $0.count), with: $0) }
        }
        func putFloat(_ value: Float, at offset: Int) { put(value.bitPattern, at: offset) }
        put(Int32(348), at: 0)
        put(Int16(dim.count), at: 40)
        for (i, extent) in dim.enumerated() { put(Int16(extent), at: 42 + 2 * i) }
        put(dataType.code, at: 70)
        put(Int16(8 * dataType.bytesPerVoxel), at: 72)
        for i in 0...dim.count { putFloat(1, at: 76 + 4 * i) }
        putFloat(352, at: 108)
        header.replaceSubrange(344..<348, with: Array("n+1".utf8) + [0])
        var data = Data(header)
        for value in values {
            switch dataType {
            case .uint8:
                data.append(UInt8(value))
            case .int16:
                withUnsafeBytes(of: bigEndian ? Int16(value).bigEndian : Int16(value).littleEndian) {
                    data.append(contentsOf: $0)
                }
            case .float32:
                let bits = value.bitPattern
                withUnsafeBytes(of: bigEndian ? bits.bigEndian : bits.littleEndian) { data.append(contentsOf: $0) }
            case .float64:
                let bits = Double(value).bitPattern
                withUnsafeBytes(of: bigEndian ? bits.bigEndian : bits.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        let path = folder + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }
}
