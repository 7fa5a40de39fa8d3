import NiftiIO

/// How one image's stored voxels turn into label values: datatype, byte order and scaling, checked once.
///
/// Label maps must be a single 3D volume of a plain numeric type. Floats (and scaled integers) are accepted
/// because real label files use them, but every value must come out a finite integer; that is checked once per
/// *distinct* stored value (see ``LabelCoder``), never per voxel.
public struct VoxelFormat: Sendable, Equatable {
    public let dataType: NiftiDataType
    public let byteOrder: ByteOrder
    /// `(slope, intercept)` applied to stored values, `nil` for none.
    public let scaling: Scaling?

    public struct Scaling: Sendable, Equatable {
        public let slope: Double
        public let intercept: Double
    }

    /// The format of `file`'s voxels, refusing anything that cannot hold labels.
    ///
    /// - Throws: ``EvaluationError/notALabelMap(reason:path:)`` for complex/RGB/float128 data, and
    ///   ``EvaluationError/notAVolume(reason:path:)`` for time series and vector images.
    public init(labelMapOf file: NiftiFile) throws(EvaluationError) {
        let header = file.header
        guard header.dataType.isNumeric else {
            throw .notALabelMap(
                reason: "unsupported datatype \(header.dataType.name) (\(header.dataType.rawValue)) for a label map",
                path: file.path)
        }
        try Self.requireVolume(header, path: file.path)
        self.dataType = header.dataType
        self.byteOrder = header.byteOrder
        self.scaling = header.scaling.map { Scaling(slope: $0.slope, intercept: $0.intercept) }
    }

    /// Refuses images whose axes beyond the third are not all 1 (a 3D volume saved as 4D is fine).
    public static func requireVolume(_ header: NiftiHeader, path: String) throws(EvaluationError) {
        let extra = header.dim.dropFirst(3)
        guard extra.allSatisfy({ $0 == 1 }) else {
            let shape = header.dim.map(String.init).joined(separator: "×")
            let kind =
                header.extent4 > 1 && extra.dropFirst().allSatisfy({ $0 == 1 })
                ? "time series with \(header.extent4) volumes" : "vector/multi-channel image"
            throw .notAVolume(reason: "\(kind) (\(shape)) is not a label volume", path: path)
        }
    }

    /// The label value of a stored bit pattern (zero-extended to 64 bits), or why it is not one.
    func labelValue(ofRaw bits: UInt64) -> LabelDecoding {
        let stored: Double
        var exact: Int64? = nil
        switch dataType {
        case .uint8: exact = Int64(UInt8(truncatingIfNeeded: bits))
        case .int8: exact = Int64(Int8(bitPattern: UInt8(truncatingIfNeeded: bits)))
        case .uint16: exact = Int64(UInt16(truncatingIfNeeded: bits))
        case .int16: exact = Int64(Int16(bitPattern: UInt16(truncatingIfNeeded: bits)))
        case .uint32: exact = Int64(UInt32(truncatingIfNeeded: bits))
        case .int32: exact = Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .int64: exact = Int64(bitPattern: bits)
        case .uint64:
            guard bits <= UInt64(Int64.max) else { return .outOfRange }
            exact = Int64(bits)
        case .float32:
            stored = Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
            return Self.integral(scaled(stored))
        case .float64:
            stored = Double(bitPattern: bits)
            return Self.integral(scaled(stored))
        default: return .nonIntegral
        }
        guard let exact else { return .nonIntegral }
        if scaling == nil { return .label(exact) }
        return Self.integral(scaled(Double(exact)))
    }

    private func scaled(_ value: Double) -> Double {
        guard let scaling else { return value }
        return scaling.slope * value + scaling.intercept
    }

    private static func integral(_ value: Double) -> LabelDecoding {
        if value.isNaN { return .notANumber }
        if value.isInfinite { return .infinite }
        guard value == value.rounded() else { return .nonIntegral }
        guard abs(value) < 9.2e18 else { return .outOfRange }
        return .label(Int64(value))
    }
}

/// The result of reading one stored value as a label.
enum LabelDecoding: Equatable {
    case label(Int64)
    case nonIntegral
    case notANumber
    case infinite
    case outOfRange
}
