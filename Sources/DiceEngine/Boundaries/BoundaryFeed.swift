import BoundaryMetrics

/// Label codes shared by both images of a pair: a structure must carry one code in the prediction and the
/// reference for the boundary collector, while each image's ``LabelCoder`` numbers its own stored values.
///
/// Code 0 is label 0 (background, never collected); other labels get codes as they first appear. A stored value
/// that is no label (fractional, NaN) gets a code of its own: the pass fails at its end anyway.
struct SharedLabelCodes {
    private var codeOfLabel: [Int64: UInt32] = [0: 0]
    /// The label of every shared code (`nil` for a value that is no label).
    private(set) var labelOfCode: [Int64?] = [0]

    mutating func code(for decoding: LabelDecoding) -> UInt32 {
        let next = UInt32(labelOfCode.count)
        guard case .label(let label) = decoding else {
            labelOfCode.append(nil)
            return next
        }
        if let code = codeOfLabel[label] { return code }
        codeOfLabel[label] = next
        labelOfCode.append(label)
        return next
    }
}

/// Feeds a pair's slabs, slice by slice, to a ``BoundaryCollector`` in codes shared by both images.
///
/// Two unscaled uint8 images (the common label map) go to the collector as stored: their bytes are their
/// labels. Anything else is translated into shared 32-bit codes, a run at a time for run-coded images, into two
/// slab-sized buffers: the only per-voxel write the boundary metrics add to the pass.
struct BoundaryFeed: ~Copyable {
    /// Optional only so that ``finish()`` can take it out of a value that frees buffers in `deinit`.
    private var collector: BoundaryCollector?
    private var shared = SharedLabelCodes()
    private let formats: (prediction: VoxelFormat, reference: VoxelFormat)
    /// Per image: its coder's code → shared code (256 entries for byte-coded images, growing for the others).
    private var predictionCodes: [UInt32] = []
    private var referenceCodes: [UInt32] = []
    private let bytesAreLabels: Bool
    private let predictionSlab: UnsafeMutableBufferPointer<UInt32>
    private let referenceSlab: UnsafeMutableBufferPointer<UInt32>

    /// - Parameters:
    ///   - shape: the common grid (x, y, z), each at most ``BoundaryFeed/maximumExtent``.
    ///   - slabVoxels: the most voxels one slab holds.
    init(
        shape: [Int], slabVoxels: Int, kinds: Set<BoundaryKind>, prediction: VoxelFormat, reference: VoxelFormat
    ) {
        collector = BoundaryCollector(
            width: shape[0], height: shape[1], depth: shape[2], kinds: kinds, skippedCode: 0)
        formats = (prediction, reference)
        bytesAreLabels = [prediction, reference].allSatisfy { $0.dataType == .uint8 && $0.scaling == nil }
        predictionSlab = .allocate(capacity: bytesAreLabels ? 0 : slabVoxels)
        referenceSlab = .allocate(capacity: bytesAreLabels ? 0 : slabVoxels)
        if !bytesAreLabels {
            for (format, isPrediction) in [(prediction, true), (reference, false)]
            where format.dataType.bytesPerVoxel == 1 {
                let table = (0..<256).map { shared.code(for: format.labelValue(ofRaw: UInt64($0))) }
                if isPrediction { predictionCodes = table } else { referenceCodes = table }
            }
        }
    }

    deinit {
        predictionSlab.deallocate()
        referenceSlab.deallocate()
    }

    /// The collector's limit per axis (positions are packed in 16 bits).
    static let maximumExtent = 65_534

    /// Adds one slab of both images (whole slices, the same voxels of each).
    mutating func add(prediction p: CodedSlab, reference r: CodedSlab) {
        for raw in p.newRawValues { predictionCodes.append(shared.code(for: formats.prediction.labelValue(ofRaw: raw))) }
        for raw in r.newRawValues { referenceCodes.append(shared.code(for: formats.reference.labelValue(ofRaw: raw))) }
        if bytesAreLabels, case .bytes(let pb) = p.storage, case .bytes(let rb) = r.storage {
            collector?.add(
                prediction: UnsafeBufferPointer(start: pb, count: p.voxels),
                reference: UnsafeBufferPointer(start: rb, count: r.voxels))
            return
        }
        Self.expand(p, through: predictionCodes, into: predictionSlab)
        Self.expand(r, through: referenceCodes, into: referenceSlab)
        collector?.add(
            prediction: UnsafeBufferPointer(rebasing: predictionSlab[..<p.voxels]),
            reference: UnsafeBufferPointer(rebasing: referenceSlab[..<r.voxels]))
    }

    /// The boundary elements of every shared code, and the label of each code; called once, after the last slab.
    mutating func finish() -> LabelBoundaries? {
        let labels = bytesAreLabels ? (0..<256).map { Int64?(Int64($0)) } : shared.labelOfCode
        guard let collector = collector.take() else { return nil }
        return LabelBoundaries(sets: collector.finish(), labelOfCode: labels)
    }

    /// Writes one shared code per voxel of `slab`.
    private static func expand(
        _ slab: CodedSlab, through table: [UInt32], into out: UnsafeMutableBufferPointer<UInt32>
    ) {
        table.withUnsafeBufferPointer { table in
            switch slab.storage {
            case .bytes(let bytes):
                for i in 0..<slab.voxels { out[i] = table[Int(bytes[i])] }
            case .runs(let runs):
                var start = 0
                for k in 0..<runs.count {
                    let end = Int(runs.ends[k])
                    out.baseAddress.unsafelyUnwrapped.advanced(by: start)
                        .update(repeating: table[Int(runs.codes[k])], count: end - start)
                    start = end
                }
            }
        }
    }
}

/// The boundary elements a pass found, with the label of each shared code.
public struct LabelBoundaries: Sendable {
    public let sets: BoundarySets
    let labelOfCode: [Int64?]

    /// The shared code of `label`, if either image holds it.
    func code(of label: Int64) -> UInt32? {
        labelOfCode.firstIndex(of: label).map(UInt32.init)
    }
}
