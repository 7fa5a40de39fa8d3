import NiftiIO

@testable import BoundaryMetrics

/// A small label volume held whole in memory (tests only; the library never holds a volume), x fastest.
struct LabelVolume: Sendable {
    let width: Int
    let height: Int
    let depth: Int
    var labels: [UInt32]

    init(width: Int, height: Int, depth: Int, labels: [UInt32]? = nil) {
        self.width = width
        self.height = height
        self.depth = depth
        self.labels = labels ?? [UInt32](repeating: 0, count: width * height * depth)
    }

    /// Reads a uint8 or int16 (non-negative) little-endian label map.
    init(path: String) throws {
        let file = try NiftiFile(path: path)
        let shape = file.header.spatialShape
        self.init(width: shape[0], height: shape[1], depth: shape[2])
        let stream = try file.makeSlabStream()
        var values: [UInt32] = []
        values.reserveCapacity(labels.count)
        while let chunk = try stream.next()?.bytes {
            switch file.header.dataType {
            case .uint8:
                values += chunk.map { UInt32($0) }
            case .int16:
                for i in 0..<(chunk.count / 2) {
                    let value = Int16(littleEndian: chunk.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))
                    values.append(UInt32(value))
                }
            default:
                throw UnsupportedType(dataType: file.header.dataType)
            }
        }
        labels = values
    }

    struct UnsupportedType: Error {
        let dataType: NiftiDataType
    }

    subscript(x: Int, y: Int, z: Int) -> UInt32 {
        get { labels[x + width * (y + height * z)] }
        set { labels[x + width * (y + height * z)] = newValue }
    }

    /// The distinct non-zero labels, ascending.
    var foregroundLabels: [UInt32] { Set(labels).subtracting([0]).sorted() }
}

/// How the tests feed a pair to the collector.
enum CodeWidth: Sendable, CaseIterable {
    /// Bytes, rows tested by the AVX2 row test where the CPU has it.
    case uint8
    /// Bytes, rows tested by the portable loop (what a CPU without AVX2 runs).
    case uint8Portable
    case uint32
}

/// Streams `prediction` and `reference` a few slices at a time through a ``BoundaryCollector``, codes = labels.
func collectBoundaries(
    prediction: LabelVolume,
    reference: LabelVolume,
    kinds: Set<BoundaryKind> = [.surfels, .edgeVoxels],
    width codeWidth: CodeWidth = .uint8
) -> BoundarySets {
    var collector = BoundaryCollector(
        width: prediction.width,
        height: prediction.height,
        depth: prediction.depth,
        kinds: kinds,
        skippedCode: 0,
        vectorRows: codeWidth != .uint8Portable
    )
    let sliceCount = prediction.width * prediction.height
    // Runs of one, two and three slices per call, as slabs arrive: neighbours inside a call and across calls.
    var z = 0
    while z < prediction.depth {
        let slices = min(z % 3 + 1, prediction.depth - z)
        let range = (z * sliceCount)..<((z + slices) * sliceCount)
        z += slices
        switch codeWidth {
        case .uint8, .uint8Portable:
            let p = prediction.labels[range].map { UInt8($0) }
            let r = reference.labels[range].map { UInt8($0) }
            p.withUnsafeBufferPointer { p in
                r.withUnsafeBufferPointer { r in collector.add(prediction: p, reference: r) }
            }
        case .uint32:
            let p = Array(prediction.labels[range])
            let r = Array(reference.labels[range])
            p.withUnsafeBufferPointer { p in
                r.withUnsafeBufferPointer { r in collector.add(prediction: p, reference: r) }
            }
        }
    }
    return collector.finish()
}
