/// Label codes shared by both images of a pair: a structure must carry one code in the prediction and the
/// reference for the slice consumers (boundaries, lesions), while each image's ``LabelCoder`` numbers its own
/// stored values.
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

/// Whole x–y slices of both images in shared codes: the stored bytes of two unscaled uint8 images, else 32-bit codes.
enum SharedSlice {
    case bytes(prediction: UnsafeBufferPointer<UInt8>, reference: UnsafeBufferPointer<UInt8>)
    case codes(prediction: UnsafeBufferPointer<UInt32>, reference: UnsafeBufferPointer<UInt32>)
}

/// Translates a pair's slabs into codes shared by both images, slice by slice, for the consumers of whole slices.
///
/// Two unscaled uint8 images (the common label map) are used as stored: their bytes are their labels. Anything
/// else is translated into shared 32-bit codes, a run at a time for run-coded images, into two slab-sized
/// buffers, once per slab whatever the number of consumers: the only per-voxel write they add to the pass.
struct SharedSlabCodes: ~Copyable {
    private var shared = SharedLabelCodes()
    private let formats: (prediction: VoxelFormat, reference: VoxelFormat)
    /// Per image: its coder's code → shared code (256 entries for byte-coded images, growing for the others).
    private var predictionCodes: [UInt32] = []
    private var referenceCodes: [UInt32] = []
    private let bytesAreLabels: Bool
    private let sliceVoxels: Int
    private let predictionSlab: UnsafeMutableBufferPointer<UInt32>
    private let referenceSlab: UnsafeMutableBufferPointer<UInt32>

    /// - Parameters:
    ///   - sliceVoxels: voxels per x–y slice.
    ///   - slabVoxels: the most voxels one slab holds.
    init(sliceVoxels: Int, slabVoxels: Int, prediction: VoxelFormat, reference: VoxelFormat) {
        formats = (prediction, reference)
        self.sliceVoxels = sliceVoxels
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

    /// The label of every shared code.
    var labelOfCode: [Int64?] { bytesAreLabels ? (0..<256).map { Int64?(Int64($0)) } : shared.labelOfCode }

    /// The shared codes handed out so far.
    var codeCount: Int { bytesAreLabels ? 256 : shared.labelOfCode.count }

    /// The label of shared code `code` (below ``codeCount``), `nil` for a value that is no label.
    func label(ofCode code: Int) -> Int64? { bytesAreLabels ? Int64(code) : shared.labelOfCode[code] }

    /// Translates one slab of both images (whole slices, the same voxels of each); returns its slice count.
    mutating func translate(prediction p: CodedSlab, reference r: CodedSlab) -> Int {
        for raw in p.newRawValues {
            predictionCodes.append(shared.code(for: formats.prediction.labelValue(ofRaw: raw)))
        }
        for raw in r.newRawValues {
            referenceCodes.append(shared.code(for: formats.reference.labelValue(ofRaw: raw)))
        }
        if !bytesAreLabels {
            Self.expand(p, through: predictionCodes, into: predictionSlab)
            Self.expand(r, through: referenceCodes, into: referenceSlab)
        }
        return p.voxels / sliceVoxels
    }

    /// The whole slab last translated (`p` and `r` being that slab).
    func slab(prediction p: CodedSlab, reference r: CodedSlab) -> SharedSlice {
        if bytesAreLabels, case .bytes(let pb) = p.storage, case .bytes(let rb) = r.storage {
            return .bytes(
                prediction: UnsafeBufferPointer(start: pb, count: p.voxels),
                reference: UnsafeBufferPointer(start: rb, count: r.voxels))
        }
        return .codes(
            prediction: UnsafeBufferPointer(rebasing: predictionSlab[..<p.voxels]),
            reference: UnsafeBufferPointer(rebasing: referenceSlab[..<r.voxels]))
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
