/// Streaming connected components of both images of a pair, all labels at once, and their overlaps.
///
/// Slices arrive in order (x fastest, then y) as codes shared by both images (see ``SharedSlabCodes``), so a
/// component of code c in the prediction and one in the reference are lesions of the same label. Each row is
/// labelled as runs against the row above and the previous slice (``ImageRuns``); the voxels a predicted and a
/// reference run share are added to the count of their (reference, prediction) component pair. Nothing is kept
/// per voxel: memory grows with components and overlapping pairs, never with the volume.
struct LesionLabeller {
    private var prediction: ImageRuns
    private var reference: ImageRuns
    /// (reference id << 32 | prediction id) → shared voxels, keyed by provisional ids.
    private var overlaps: [UInt64: Int] = [:]
    private let width: Int
    private let height: Int
    private var slices = 0

    /// - Precondition: `width` fits 31 bits (run bounds are `Int32`).
    init(width: Int, height: Int, connectivity: LesionConnectivity) {
        precondition(width > 0 && width < Int(Int32.max) && height > 0, "a slice of at most 2³¹ − 1 columns")
        self.width = width
        self.height = height
        prediction = ImageRuns(width: width, height: height, connectivity: connectivity)
        reference = ImageRuns(width: width, height: height, connectivity: connectivity)
    }

    /// Adds the next slice of both images (`width × height` shared codes each, 0 = background).
    mutating func add(prediction p: UnsafeBufferPointer<UInt8>, reference r: UnsafeBufferPointer<UInt8>) {
        addSlice(p, r)
    }

    /// Adds the next slice of both images as 32-bit shared codes.
    mutating func add(prediction p: UnsafeBufferPointer<UInt32>, reference r: UnsafeBufferPointer<UInt32>) {
        addSlice(p, r)
    }

    private mutating func addSlice<T: FixedWidthInteger & UnsignedInteger>(
        _ p: UnsafeBufferPointer<T>, _ r: UnsafeBufferPointer<T>
    ) {
        precondition(p.count == width * height && r.count == width * height, "a slice holds width × height codes")
        guard let pBase = p.baseAddress, let rBase = r.baseAddress else { return }
        prediction.beginSlice(isFirst: slices == 0)
        reference.beginSlice(isFirst: slices == 0)
        for y in 0..<height {
            let pRuns = prediction.add(row: pBase + y * width, y: y)
            let rRuns = reference.add(row: rBase + y * width, y: y)
            if !pRuns.isEmpty && !rRuns.isEmpty { countOverlaps(prediction: pRuns, reference: rRuns) }
        }
        slices += 1
    }

    /// Adds the voxels each pair of runs of one row shares (same code, overlapping x) to their pair's count.
    private mutating func countOverlaps(prediction pRuns: Range<Int>, reference rRuns: Range<Int>) {
        var j = rRuns.lowerBound
        for i in pRuns {
            let p = prediction.current[i]
            while j < rRuns.upperBound && reference.current[j].end <= p.start { j += 1 }
            var k = j
            while k < rRuns.upperBound {
                let r = reference.current[k]
                guard r.start < p.end else { break }
                if r.code == p.code {
                    let shared = Int(min(p.end, r.end) - max(p.start, r.start))
                    overlaps[UInt64(r.id) << 32 | UInt64(p.id), default: 0] += shared
                }
                k += 1
            }
        }
    }

    /// The final components of both images and their overlaps; called once, after the last slice.
    mutating func finish(labelOfCode: [Int64?]) -> LesionTables {
        let (referenceComponents, referenceIndex) = reference.forest.resolved()
        let (predictionComponents, predictionIndex) = prediction.forest.resolved()
        var pairs: [UInt64: Int] = [:]
        for (key, voxels) in overlaps {
            let r = UInt64(referenceIndex[Int(key >> 32)])
            let p = UInt64(predictionIndex[Int(key & 0xFFFF_FFFF)])
            pairs[r << 32 | p, default: 0] += voxels
        }
        // In (reference, prediction) order, not the dictionary's: its order changes with the process's hash seed,
        // and the IoU sum behind SQ would change in its last bits from run to run.
        return LesionTables(
            reference: referenceComponents, prediction: predictionComponents,
            overlaps: pairs.sorted { $0.key < $1.key }.map {
                .init(reference: Int($0.key >> 32), prediction: Int($0.key & 0xFFFF_FFFF), voxels: $0.value)
            },
            labelOfCode: labelOfCode)
    }
}

/// The components of both images of a pair (each with its shared code and size) and the voxels each
/// overlapping (reference, prediction) pair shares: everything the lesion-wise metrics are computed from.
public struct LesionTables: Sendable {
    struct Component: Sendable {
        let code: UInt32
        var voxels: Int
    }

    struct Overlap: Sendable {
        /// Indices into ``reference`` and ``prediction``.
        let reference: Int
        let prediction: Int
        let voxels: Int
    }

    let reference: [Component]
    let prediction: [Component]
    let overlaps: [Overlap]
    /// The label of every shared code (`nil` for a value that is no label).
    let labelOfCode: [Int64?]
}
