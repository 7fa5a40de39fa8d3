import NiftiIO

/// Maps one image's stored voxel values to small dense codes (0, 1, 2, … in order of first appearance).
///
/// The joint histogram counts codes, not values, so its size follows the number of labels actually present,
/// whatever the datatype. How a value finds its code depends on its width:
/// - 8-bit types need no coder at all: the stored byte is its own code (see ``ChunkCodes/bytes``);
/// - 16-bit types use a 65 536-entry lookup table;
/// - 32- and 64-bit types (and floats, by bit pattern) use an open-addressing hash table, consulted once per
///   run of equal values, because real label maps are mostly long runs.
///
/// Stored values are turned into label values only at the end (``labels(path:)``): once per distinct value,
/// which is also where floats and scaled integers are checked to be whole numbers.
final class LabelCoder {
    let format: VoxelFormat
    /// Stored bit patterns by code.
    private(set) var rawValues: [UInt64] = []
    private var lookup: UnsafeMutablePointer<UInt32>?
    private var table: HashTable

    /// More distinct values than any label map has; past it the image is refused before memory grows.
    static let maximumCodes = 1 << 22

    init(format: VoxelFormat) {
        self.format = format
        self.table = HashTable()
        if format.dataType.bytesPerVoxel == 2 {
            let lookup = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << 16)
            lookup.initialize(repeating: .max, count: 1 << 16)
            self.lookup = lookup
        }
    }

    deinit {
        lookup?.deallocate()
        table.deallocate()
    }

    /// Whether stored bytes are used as codes directly.
    var usesByteCodes: Bool { format.dataType.bytesPerVoxel == 1 }

    /// Codes handed out so far (256 for byte codes, whose code space is fixed).
    var codeCount: Int { usesByteCodes ? 256 : rawValues.count }

    /// Writes the code of every voxel in `raw` to `codes`.
    ///
    /// - Throws: ``NiftiError/notALabelMap(reason:path:)`` when more than ``maximumCodes`` distinct values
    ///   appear (a continuous image, not labels).
    func encode(_ raw: UnsafeRawBufferPointer, into codes: UnsafeMutablePointer<UInt32>, path: String)
        throws(NiftiError)
    {
        let swap = format.byteOrder != .host
        switch format.dataType.bytesPerVoxel {
        case 2: encodeLookup(raw, into: codes, swap: swap)
        case 4: try encodeHashed(raw, as: UInt32.self, into: codes, swap: swap, path: path)
        case 8: try encodeHashed(raw, as: UInt64.self, into: codes, swap: swap, path: path)
        default: preconditionFailure("byte codes need no encoding")
        }
    }

    private func encodeLookup(_ raw: UnsafeRawBufferPointer, into codes: UnsafeMutablePointer<UInt32>, swap: Bool) {
        guard let lookup else { preconditionFailure("16-bit coder without a table") }
        let count = raw.count / 2
        let base = raw.baseAddress!
        for i in 0..<count {
            var value = base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
            if swap { value = value.byteSwapped }
            var code = lookup[Int(value)]
            if code == .max {
                code = UInt32(rawValues.count)
                rawValues.append(UInt64(value))
                lookup[Int(value)] = code
            }
            codes[i] = code
        }
    }

    private func encodeHashed<T: FixedWidthInteger & UnsignedInteger>(
        _ raw: UnsafeRawBufferPointer, as _: T.Type, into codes: UnsafeMutablePointer<UInt32>, swap: Bool,
        path: String
    ) throws(NiftiError) {
        let count = raw.count / MemoryLayout<T>.size
        let base = raw.baseAddress!
        var previous: T = 0
        var previousCode = UInt32.max
        for i in 0..<count {
            var value = base.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
            if swap { value = value.byteSwapped }
            if value != previous || previousCode == .max {
                previous = value
                previousCode = table.code(for: UInt64(value), next: UInt32(rawValues.count))
                if previousCode == UInt32(rawValues.count) {
                    rawValues.append(UInt64(value))
                    guard rawValues.count <= Self.maximumCodes else {
                        throw .notALabelMap(
                            reason: "more than \(Self.maximumCodes) distinct values (a continuous image?)", path: path)
                    }
                }
            }
            codes[i] = previousCode
        }
    }

    /// The label value of every code, in code order.
    ///
    /// - Parameter present: which codes actually occur (byte codes are a fixed space of 256, most unused).
    /// - Throws: ``NiftiError/notALabelMap(reason:path:)`` when a value that occurs is not a finite integer
    ///   after scaling; the message counts the distinct values to hint at a probability map.
    func labels(present: (Int) -> Bool, path: String) throws(NiftiError) -> [Int64?] {
        let raws: [UInt64] = usesByteCodes ? (0..<256).map(UInt64.init) : rawValues
        var labels = [Int64?](repeating: nil, count: raws.count)
        var distinct = 0
        var problem: LabelDecoding? = nil
        for (code, raw) in raws.enumerated() where present(code) {
            distinct += 1
            switch format.labelValue(ofRaw: raw) {
            case .label(let value): labels[code] = value
            case let failure: problem = problem == .notANumber ? problem : failure
            }
        }
        switch problem {
        case nil: return labels
        case .notANumber:
            throw .notALabelMap(reason: "NaN values", path: path)
        case .outOfRange:
            throw .notALabelMap(reason: "values beyond the 64-bit integer range", path: path)
        default:
            let hint = format.dataType.isFloatingPoint ? "; soft or probability maps must be thresholded first" : ""
            throw .notALabelMap(
                reason: "non-integral values after scaling (\(distinct) distinct values)\(hint)", path: path)
        }
    }
}

/// Open-addressing map from a 64-bit stored value to its code; grows at half load.
struct HashTable {
    private var keys: UnsafeMutablePointer<UInt64>
    private var codes: UnsafeMutablePointer<UInt32>
    private var capacity: Int
    private var count = 0

    init(capacity: Int = 1024) {
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        codes = .allocate(capacity: capacity)
        codes.initialize(repeating: .max, count: capacity)
    }

    func deallocate() {
        keys.deallocate()
        codes.deallocate()
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The code stored for `key`, or `next` after storing it.
    mutating func code(for key: UInt64, next: UInt32) -> UInt32 {
        let mask = capacity - 1
        var slot = Self.slot(key, mask)
        while codes[slot] != .max {
            if keys[slot] == key { return codes[slot] }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        codes[slot] = next
        count += 1
        if 2 * count > capacity { grow() }
        return next
    }

    private mutating func grow() {
        let (oldKeys, oldCodes, oldCapacity) = (keys, codes, capacity)
        capacity *= 2
        keys = .allocate(capacity: capacity)
        codes = .allocate(capacity: capacity)
        codes.initialize(repeating: .max, count: capacity)
        let mask = capacity - 1
        for i in 0..<oldCapacity where oldCodes[i] != .max {
            var slot = Self.slot(oldKeys[i], mask)
            while codes[slot] != .max { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            codes[slot] = oldCodes[i]
        }
        oldKeys.deallocate()
        oldCodes.deallocate()
    }
}
