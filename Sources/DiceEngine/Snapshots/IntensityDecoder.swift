import NiftiIO

/// Turns an image's stored voxels into real values (`scl_slope` · stored + `scl_inter`) as floats, a slab at a
/// time into a reused buffer: enough precision to place a voxel in a grey window.
struct IntensityDecoder {
    let dataType: NiftiDataType
    let swapsBytes: Bool
    let scaling: (slope: Float, intercept: Float)?

    init(header: NiftiHeader) {
        precondition(header.dataType.isNumeric, "checked by the caller")
        dataType = header.dataType
        swapsBytes = header.byteOrder != .host
        scaling = header.scaling.map { (Float($0.slope), Float($0.intercept)) }
    }

    /// Decodes `raw` (whole voxels) into `out`, which holds one float per voxel.
    func decode(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>) {
        let swap = swapsBytes
        switch dataType {
        case .uint8:
            for i in out.indices { out[i] = Float(raw.load(fromByteOffset: i, as: UInt8.self)) }
        case .int8:
            for i in out.indices { out[i] = Float(raw.load(fromByteOffset: i, as: Int8.self)) }
        case .uint16:
            for i in out.indices { out[i] = Float(Self.word(raw, i, UInt16.self, swap)) }
        case .int16:
            for i in out.indices { out[i] = Float(Int16(bitPattern: Self.word(raw, i, UInt16.self, swap))) }
        case .uint32:
            for i in out.indices { out[i] = Float(Self.word(raw, i, UInt32.self, swap)) }
        case .int32:
            for i in out.indices { out[i] = Float(Int32(bitPattern: Self.word(raw, i, UInt32.self, swap))) }
        case .uint64:
            for i in out.indices { out[i] = Float(Self.word(raw, i, UInt64.self, swap)) }
        case .int64:
            for i in out.indices { out[i] = Float(Int64(bitPattern: Self.word(raw, i, UInt64.self, swap))) }
        case .float32:
            for i in out.indices { out[i] = Float(bitPattern: Self.word(raw, i, UInt32.self, swap)) }
        case .float64:
            for i in out.indices { out[i] = Float(Double(bitPattern: Self.word(raw, i, UInt64.self, swap))) }
        default:
            preconditionFailure("only numeric types are decoded")
        }
        if let (slope, intercept) = scaling {
            for i in out.indices { out[i] = out[i] * slope + intercept }
        }
    }

    /// Voxel `i` of `raw` as stored bits in host order.
    @inline(__always)
    private static func word<T: FixedWidthInteger>(
        _ raw: UnsafeRawBufferPointer, _ i: Int, _: T.Type, _ swap: Bool
    ) -> T {
        let stored = raw.loadUnaligned(fromByteOffset: i &* MemoryLayout<T>.size, as: T.self)
        return swap ? stored.byteSwapped : stored
    }
}
