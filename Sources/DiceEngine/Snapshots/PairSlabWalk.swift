import NiftiIO

/// Walks a pair's slabs in codes shared by both images, with each code's snapshot slot: the stream under both
/// snapshot passes.
///
/// The same producers and shared codes as the evaluation pass (``SlabProducer``, ``SharedSlabCodes``), so a
/// snapshot reads the images exactly as the scores did, in the same bounded memory: two slabs per image plus
/// two slabs of shared codes.
struct PairSlabWalk {
    /// A code's slot: the index of its structure in the snapshot, or one of these.
    static let notShown: Int32 = -1
    /// The reference's ignore label: such voxels are left out, as they are from every count.
    static let ignored: Int32 = -2

    let prediction: NiftiFile
    let reference: NiftiFile
    /// The structures shown, in slot order, each as its labels (one for a label, the members of a region); no
    /// label may belong to two of them.
    let structures: [[Int64]]
    let ignoreLabel: Int64?
    let slab: SlabSize
    let concurrent: Bool

    /// The slot of every shared code, per image: they differ only at the ignore label, which is ``ignored`` in
    /// the reference but may be a region's member in the prediction (counted where the reference is not ignored,
    /// as in the scores).
    struct Slots {
        let prediction: UnsafeBufferPointer<Int32>
        let reference: UnsafeBufferPointer<Int32>
    }

    /// One slab of both images: shared codes, the index of its first slice, and the slots of every shared code.
    typealias Visit = (SharedSlice, _ firstSlice: Int, _ slots: Slots) -> Void

    /// Streams the pair once, calling `visit` per slab (never per voxel).
    func run(_ visit: Visit) throws(EvaluationError) {
        let formats = (try VoxelFormat(labelMapOf: prediction), try VoxelFormat(labelMapOf: reference))
        let shape = reference.header.spatialShape
        let sliceVoxels = shape[0] * shape[1]
        var codes = SharedSlabCodes(
            sliceVoxels: sliceVoxels, slabVoxels: slab.slices(ofVoxels: sliceVoxels) * sliceVoxels,
            prediction: formats.0, reference: formats.1)
        let producers = [
            try Evaluator.producer(of: prediction, format: formats.0, slab: slab, concurrent: concurrent),
            try Evaluator.producer(of: reference, format: formats.1, slab: slab, concurrent: concurrent),
        ]
        for producer in producers { producer.start() }
        defer { for producer in producers { producer.stop() } }

        var slotOfLabel: [Int64: Int32] = [:]
        for (slot, labels) in structures.enumerated() {
            for label in labels {
                precondition(slotOfLabel[label] == nil, "a label in two structures of one walk")
                slotOfLabel[label] = Int32(slot)
            }
        }
        var predictionSlots: [Int32] = []
        var referenceSlots: [Int32] = []
        var firstSlice = 0
        while let (p, r) = try SlabProducer.nextPair(producers[0], producers[1]) {
            let sliceCount = codes.translate(prediction: p, reference: r)
            // New labels only ever append codes, so the tables grow and are never rebuilt.
            for code in predictionSlots.count..<codes.codeCount {
                let label = codes.label(ofCode: code)
                let slot = label.flatMap { slotOfLabel[$0] } ?? Self.notShown
                predictionSlots.append(slot)
                referenceSlots.append(label != nil && label == ignoreLabel ? Self.ignored : slot)
            }
            predictionSlots.withUnsafeBufferPointer { prediction in
                referenceSlots.withUnsafeBufferPointer { reference in
                    visit(
                        codes.slab(prediction: p, reference: r), firstSlice,
                        Slots(prediction: prediction, reference: reference))
                }
            }
            firstSlice += sliceCount
            producers[0].release()
            producers[1].release()
        }
    }

}
