import NiftiIO

/// Maps one image's stored voxel values to small dense codes (0, 1, 2, … in order of first appearance).
///
/// The joint histogram counts codes, not values, so its size follows the number of labels actually present,
/// whatever the datatype. How a value finds its code depends on its width:
/// - 8-bit types need no coder at all: the stored byte is its own code (see ``ChunkCodes/bytes``);
/// - 16-bit types use a 65 536-entry lookup table;
/// - 32- and 64-bit types (and floats, by bit pattern) use an open-addressing hash table.
/// Either is consulted once per *run* of equal values (``encodeRuns(_:into:path:)``), because real label maps
/// are mostly long runs.
///
/// Stored values are turned into label values only at the end (``labels(path:)``): once per distinct value,
/// which is also where floats and scaled integers are checked to be whole numbers.
final class LabelCoder {
    let format: VoxelFormat
    /// Stored bit patterns by code.
    private(set) var rawValues: [UInt64] = []
    private var lookup: UnsafeMutablePointer<UInt32>?
    private var table = KeyTable<UInt32>()

    /// More distinct values than any label map has (the largest atlases have ~60,000 labels); past it the
    /// image is refused as an intensity image, after a few MiB of codes rather than one per voxel.
    static let maximumCodes = 1 << 18

    init(format: VoxelFormat) {
        self.format = format
        if format.dataType.bytesPerVoxel == 2 {
            let lookup = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << 16)
            lookup.initialize(repeating: .max, count: 1 << 16)
            self.lookup = lookup
        }
    }

    deinit {
        lookup?.deallocate()
    }

    /// Whether stored bytes are used as codes directly.
    var usesByteCodes: Bool { format.dataType.bytesPerVoxel == 1 }

    /// Codes handed out so far (256 for byte codes, whose code space is fixed).
    var codeCount: Int { usesByteCodes ? 256 : rawValues.count }

    /// Encodes `raw` as runs of equal stored values: run k has code `runs.codes[k]` and ends before voxel
    /// `runs.ends[k]` of the chunk.
    ///
    /// Runs are found by comparing stored bits (eight bytes at a time while a run lasts), so a label map costs
    /// one lookup per run, and the consumer's work follows the number of runs rather than of voxels.
    /// - Returns: the number of runs.
    /// - Throws: ``NotALabelMap`` when more than ``maximumCodes`` distinct values appear (a continuous image,
    ///   not labels).
    func encodeRuns(_ raw: UnsafeRawBufferPointer, into runs: RunBuffer) throws(NotALabelMap) -> Int {
        switch format.dataType.bytesPerVoxel {
        case 2: try scanRuns(raw, as: UInt16.self, replicate: 0x0001_0001_0001_0001, into: runs)
        case 4: try scanRuns(raw, as: UInt32.self, replicate: 0x0000_0001_0000_0001, into: runs)
        case 8: try scanRuns(raw, as: UInt64.self, replicate: 1, into: runs)
        default: preconditionFailure("byte codes need no encoding")
        }
    }

    private func scanRuns<T: FixedWidthInteger & UnsignedInteger>(
        _ raw: UnsafeRawBufferPointer, as _: T.Type, replicate: UInt64, into runs: RunBuffer
    ) throws(NotALabelMap) -> Int {
        let size = MemoryLayout<T>.size
        let perWord = 8 / size
        let count = raw.count / size
        guard let base = raw.baseAddress else { return 0 }
        let swap = format.byteOrder != .host
        var runCount = 0
        var i = 0
        while i < count {
            let stored = base.loadUnaligned(fromByteOffset: i &* size, as: T.self)
            // Equal values have equal bits in either byte order, so runs are found before any swapping.
            let pattern = UInt64(truncatingIfNeeded: stored) &* replicate
            var j = i &+ 1
            // Long runs: 32 bytes per step (four words OR-ed into one test), then word by word.
            while j &+ 4 &* perWord <= count {
                let at = base + j &* size
                let differs =
                    (at.loadUnaligned(as: UInt64.self) ^ pattern)
                    | (at.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ pattern)
                    | (at.loadUnaligned(fromByteOffset: 16, as: UInt64.self) ^ pattern)
                    | (at.loadUnaligned(fromByteOffset: 24, as: UInt64.self) ^ pattern)
                if differs != 0 { break }
                j &+= 4 &* perWord
            }
            while j &+ perWord <= count && base.loadUnaligned(fromByteOffset: j &* size, as: UInt64.self) == pattern {
                j &+= perWord
            }
            while j < count && base.loadUnaligned(fromByteOffset: j &* size, as: T.self) == stored { j &+= 1 }
            if runCount == runs.capacity { runs.grow() }
            runs.codes[runCount] = try code(of: swap ? stored.byteSwapped : stored)
            runs.ends[runCount] = UInt32(truncatingIfNeeded: j)
            runCount &+= 1
            i = j
        }
        return runCount
    }

    /// The code of a stored value (in host byte order), handing out the next one on first sight.
    @inline(__always)
    private func code<T: FixedWidthInteger & UnsignedInteger>(of value: T) throws(NotALabelMap) -> UInt32 {
        if let lookup {
            let code = lookup[Int(truncatingIfNeeded: value)]
            if code != .max { return code }
            let next = UInt32(rawValues.count)
            lookup[Int(truncatingIfNeeded: value)] = next
            rawValues.append(UInt64(truncatingIfNeeded: value))
            return next
        }
        let next = UInt32(rawValues.count)
        let (code, inserted) = table.value(for: UInt64(truncatingIfNeeded: value), inserting: next)
        if inserted {
            rawValues.append(UInt64(truncatingIfNeeded: value))
            guard rawValues.count <= Self.maximumCodes else {
                throw NotALabelMap(
                    reason: "more than \(Self.maximumCodes) distinct values — is this an intensity image?")
            }
        }
        return code
    }

    /// The label value of every code, in code order.
    ///
    /// - Parameter present: which codes actually occur (byte codes are a fixed space of 256, most unused).
    /// - Throws: ``NotALabelMap`` when a value that occurs is not a finite integer after scaling; the message
    ///   counts the distinct values to hint at a probability map.
    func labels(present: (Int) -> Bool) throws(NotALabelMap) -> [Int64?] {
        let raws: [UInt64] = usesByteCodes ? (0..<256).map(UInt64.init) : rawValues
        var labels = [Int64?](repeating: nil, count: raws.count)
        var distinct = 0
        var zeros: (positive: Bool, negative: Bool) = (false, false)
        let negativeZeroBits: UInt64 = format.dataType == .float32 ? 0x8000_0000 : 0x8000_0000_0000_0000
        var problem: LabelDecoding? = nil
        for (code, raw) in raws.enumerated() where present(code) {
            distinct += 1
            if format.dataType.isFloatingPoint {
                if raw == 0 { zeros.positive = true } else if raw == negativeZeroBits { zeros.negative = true }
            }
            switch format.labelValue(ofRaw: raw) {
            case .label(let value): labels[code] = value
            case let failure: problem = problem == .notANumber ? problem : failure
            }
        }
        // −0.0 and +0.0 are two bit patterns, so two codes, but one value.
        if zeros.positive && zeros.negative { distinct -= 1 }
        switch problem {
        case nil: return labels
        case .notANumber:
            throw NotALabelMap(reason: "NaN values")
        case .infinite:
            throw NotALabelMap(reason: "infinite values")
        case .outOfRange:
            throw NotALabelMap(reason: "values beyond the 64-bit integer range")
        default:
            let hint = format.dataType.isFloatingPoint ? "; soft or probability maps must be thresholded first" : ""
            throw NotALabelMap(reason: "non-integral values after scaling (\(distinct) distinct values)\(hint)")
        }
    }
}

/// Runs of codes for one slab: `codes[k]` covers the voxels from `ends[k − 1]` (0 for the first) up to `ends[k]`.
///
/// Starts small and doubles when a slab has more runs than it holds, so memory follows the image's run count
/// (a real label map has far fewer runs than voxels) and never exceeds one entry per voxel.
final class RunBuffer {
    private(set) var codes: UnsafeMutablePointer<UInt32>
    private(set) var ends: UnsafeMutablePointer<UInt32>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        codes = .allocate(capacity: self.capacity)
        ends = .allocate(capacity: self.capacity)
    }

    deinit {
        codes.deallocate()
        ends.deallocate()
    }

    func grow() {
        let (oldCodes, oldEnds) = (codes, ends)
        codes = .allocate(capacity: 2 * capacity)
        ends = .allocate(capacity: 2 * capacity)
        codes.update(from: oldCodes, count: capacity)
        ends.update(from: oldEnds, count: capacity)
        oldCodes.deallocate()
        oldEnds.deallocate()
        capacity *= 2
    }
}
