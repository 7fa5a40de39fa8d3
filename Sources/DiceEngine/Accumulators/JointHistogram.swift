import CPlatform
import Dispatch

/// Voxel counts per (prediction code, reference code): the one-pass core every overlap score comes from.
///
/// Codes come from ``LabelCoder`` as runs (or are raw bytes for 8-bit images). While both code spaces are small
/// the counts live in a dense row-major table (`rows × columns`, both powers of two, at most ``denseLimit``
/// cells); beyond that in a hash table keyed by the code pair. Both are fed *runs* of equal pairs, so a real
/// label map costs one update per run rather than per voxel.
struct JointHistogram: ~Copyable {
    /// Cells the dense table may have (8 MiB of counters).
    static let denseLimit = 1 << 20

    private var dense: UnsafeMutablePointer<UInt64>?
    private var rows = 0
    private var columnShift = 0
    /// Counts keyed by `prediction << 32 | reference`, once the dense table would be too big.
    private var sparse: KeyTable<UInt64>?

    init() {}

    deinit {
        dense?.deallocate()
    }

    /// Makes room for codes below `predictionCodes` and `referenceCodes`: called once per slab, before
    /// ``add(prediction:reference:count:)``, so the kernels never check bounds per voxel.
    mutating func reserve(predictionCodes: Int, referenceCodes: Int) {
        if sparse != nil { return }
        let neededRows = Self.powerOfTwo(atLeast: predictionCodes)
        let neededShift = Self.powerOfTwo(atLeast: referenceCodes).trailingZeroBitCount
        if dense != nil && neededRows <= rows && neededShift <= columnShift { return }
        let newRows = max(neededRows, rows)
        let newShift = max(neededShift, columnShift)
        if newRows << newShift > Self.denseLimit {
            var table = KeyTable<UInt64>(capacity: 1 << 12)
            forEachCount { table.add($2, to: Self.pairKey($0, $1)) }
            dense?.deallocate()
            dense = nil
            sparse = .some(consume table)
            return
        }
        let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: newRows << newShift)
        grown.initialize(repeating: 0, count: newRows << newShift)
        if let dense {
            for row in 0..<rows {
                for column in 0..<(1 << columnShift) {
                    grown[row << newShift | column] = dense[row << columnShift | column]
                }
            }
            dense.deallocate()
        }
        dense = grown
        rows = newRows
        columnShift = newShift
    }

    /// Counts one slab of byte codes on both sides.
    mutating func add(predictionBytes: UnsafePointer<UInt8>, referenceBytes: UnsafePointer<UInt8>, count: Int) {
        if let dense {
            Self.countBytes(predictionBytes, referenceBytes, count: count, into: dense, shift: columnShift)
        } else {
            for i in 0..<count { bump(UInt32(predictionBytes[i]), UInt32(referenceBytes[i]), 1) }
        }
    }

    /// Counts one slab given as runs on both sides: a merge of the two run lists, one update per overlap.
    mutating func add(predictionRuns p: RunList, referenceRuns r: RunList) {
        var a = 0
        var b = 0
        var position: UInt32 = 0
        while a < p.count && b < r.count {
            let end = min(p.ends[a], r.ends[b])
            bump(p.codes[a], r.codes[b], Int(end &- position))
            position = end
            if p.ends[a] == end { a &+= 1 }
            if r.ends[b] == end { b &+= 1 }
        }
    }

    /// Counts one slab with runs on one side and byte codes on the other (e.g. a uint8 prediction against an
    /// int16 reference): within each run, equal bytes are counted together.
    mutating func add(runs: RunList, bytes: UnsafePointer<UInt8>, runsArePrediction: Bool) {
        var position = 0
        for k in 0..<runs.count {
            let code = runs.codes[k]
            let end = Int(runs.ends[k])
            while position < end {
                let byte = bytes[position]
                var next = position &+ 1
                while next < end && bytes[next] == byte { next &+= 1 }
                if runsArePrediction {
                    bump(code, UInt32(byte), next &- position)
                } else {
                    bump(UInt32(byte), code, next &- position)
                }
                position = next
            }
        }
    }

    /// Adds every cell of a byte-code table filled on another thread (see ``ByteCodeTable``).
    mutating func add(_ table: ByteCodeTable) {
        for cell in 0..<(1 << 16) where table.counts[cell] != 0 {
            bump(UInt32(cell >> 8), UInt32(cell & 0xFF), Int(table.counts[cell]))
        }
    }

    /// Adds every count of `other` (a histogram of the same two code spaces, filled by another thread).
    mutating func add(_ other: borrowing JointHistogram) {
        var rows: UInt32 = 0
        var columns: UInt32 = 0
        other.forEachCount { p, r, _ in
            rows = max(rows, p + 1)
            columns = max(columns, r + 1)
        }
        reserve(predictionCodes: Int(rows), referenceCodes: Int(columns))
        other.forEachCount { p, r, n in bump(p, r, Int(n)) }
    }

    @inline(__always)
    private mutating func bump(_ prediction: UInt32, _ reference: UInt32, _ voxels: Int) {
        if let dense {
            dense[Int(prediction) << columnShift | Int(reference)] &+= UInt64(voxels)
        } else {
            sparse?.add(UInt64(voxels), to: Self.pairKey(prediction, reference))
        }
    }

    /// Calls `body(predictionCode, referenceCode, voxels)` for every non-zero cell.
    func forEachCount(_ body: (UInt32, UInt32, UInt64) -> Void) {
        if let dense {
            for cell in 0..<(rows << columnShift) where dense[cell] != 0 {
                body(UInt32(cell >> columnShift), UInt32(cell & ((1 << columnShift) - 1)), dense[cell])
            }
        } else {
            sparse?.visit { key, count in body(UInt32(key >> 32), UInt32(truncatingIfNeeded: key), count) }
        }
    }

    @inline(__always)
    private static func pairKey(_ prediction: UInt32, _ reference: UInt32) -> UInt64 {
        UInt64(prediction) << 32 | UInt64(reference)
    }

    /// Byte codes on both sides, as runs of equal pairs (`segscore_count_byte_pairs`: a label map's long runs
    /// are one update each). `portable` skips the AVX2 kernel, so tests check both on every machine.
    static func countBytes(
        _ predictionBytes: UnsafePointer<UInt8>, _ referenceBytes: UnsafePointer<UInt8>, count: Int,
        into table: UnsafeMutablePointer<UInt64>, shift: Int, portable: Bool = false
    ) {
        segscore_count_byte_pairs(predictionBytes, referenceBytes, count, table, Int32(shift), portable ? 1 : 0)
    }

    private static func powerOfTwo(atLeast value: Int) -> Int {
        var result = 1
        while result < value { result <<= 1 }
        return result
    }
}

/// One slab's runs of codes (see ``RunBuffer``), as handed from a producer to the counting thread.
struct RunList {
    let codes: UnsafePointer<UInt32>
    let ends: UnsafePointer<UInt32>
    let count: Int
}

/// A 256 × 256 table of byte-code pairs that a second thread fills with each slab.
///
/// Beside boundary scans and lesion labelling, which take the slabs in order on the calling thread, counting
/// 8-bit slabs on this table's thread meanwhile uses the second core. The table is merged into the histogram
/// once, at the end.
///
/// `@unchecked Sendable`: `counts` is written only by the table's serial queue, and read by the caller only
/// after it has waited for the group of that work.
final class ByteCodeTable: @unchecked Sendable {
    let counts: UnsafeMutablePointer<UInt64>
    private let queue = DispatchQueue(label: "segscore.byte-counter")

    init() {
        counts = .allocate(capacity: 1 << 16)
        counts.initialize(repeating: 0, count: 1 << 16)
    }

    deinit { counts.deallocate() }

    /// Starts counting `count` voxels on this table's thread; `group` is left when it is done.
    func count(
        prediction: UnsafePointer<UInt8>, reference: UnsafePointer<UInt8>, count: Int, group: DispatchGroup
    ) {
        let work = PendingBytes(prediction: prediction, reference: reference, count: count)
        queue.async(group: group) { [self] in
            JointHistogram.countBytes(work.prediction, work.reference, count: work.count, into: counts, shift: 8)
        }
    }

    /// Pointers into a slab; `@unchecked Sendable` because the slab stays valid and unchanged until the caller
    /// has waited for the group.
    private struct PendingBytes: @unchecked Sendable {
        let prediction: UnsafePointer<UInt8>
        let reference: UnsafePointer<UInt8>
        let count: Int
    }
}
