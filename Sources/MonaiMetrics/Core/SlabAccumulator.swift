/// Accumulates the ``OverlapSums`` of one prediction/reference pair (one batch item), one slab of voxels at a
/// time, in memory bounded by the slab.
///
/// A caller fills the first `count` values of every ``predictionSlab(_:set:)`` and ``referenceSlab(_:set:)`` (the
/// same voxels of each channel, as Float32), then calls ``accumulate(count:set:)``. There are two sets of slabs,
/// so that one can be filled (on another thread) while the other is accumulated; the sums are added slab after
/// slab in the caller's order either way. The in-memory tensors copy into the
/// slabs and the NIfTI streams decode into them, so both paths run the same kernels and give identical sums.
/// Activations and binarisation happen in place inside the slab, per voxel; a label-map reference is compared
/// with each class on the fly, so no one-hot array is ever built.
final class SlabAccumulator {
    /// Voxels per slab: 32 Ki voxels × (C + C_ref + 2) × 4 bytes, about 1 MiB for five channels.
    static let defaultCapacity = 1 << 15

    let plan: OverlapPlan
    /// The most voxels one call of ``accumulate(count:)`` takes.
    let capacity: Int
    /// The sums so far, one per class of ``OverlapPlan/classes``.
    private(set) var sums: [OverlapSums]
    private let prediction: UnsafeMutablePointer<Float>
    private let reference: UnsafeMutablePointer<Float>
    private let predictionScratch: UnsafeMutablePointer<Float>
    private let referenceScratch: UnsafeMutablePointer<Float>

    init(plan: OverlapPlan, capacity: Int = SlabAccumulator.defaultCapacity) {
        precondition(capacity > 0)
        self.plan = plan
        self.capacity = capacity
        self.sums = Array(repeating: OverlapSums(), count: plan.classes.count)
        prediction = .allocate(capacity: 2 * plan.predictionChannels * capacity)
        reference = .allocate(capacity: 2 * plan.referenceChannels * capacity)
        predictionScratch = .allocate(capacity: capacity)
        referenceScratch = .allocate(capacity: capacity)
    }

    deinit {
        prediction.deallocate()
        reference.deallocate()
        predictionScratch.deallocate()
        referenceScratch.deallocate()
    }

    /// Where the caller writes a slab of prediction channel `channel` (``capacity`` values), in set 0 or 1.
    func predictionSlab(_ channel: Int, set: Int = 0) -> UnsafeMutablePointer<Float> {
        precondition(channel >= 0 && channel < plan.predictionChannels && set & 1 == set)
        return prediction + (set * plan.predictionChannels + channel) * capacity
    }

    /// Where the caller writes a slab of reference channel `channel` (``capacity`` values), in set 0 or 1.
    func referenceSlab(_ channel: Int, set: Int = 0) -> UnsafeMutablePointer<Float> {
        precondition(channel >= 0 && channel < plan.referenceChannels && set & 1 == set)
        return reference + (set * plan.referenceChannels + channel) * capacity
    }

    /// Adds the first `count` voxels of the slabs of `set` to ``sums``.
    ///
    /// - Throws: ``MonaiError/labelOutOfRange(value:classCount:path:)`` (without a path) when the plan one-hot
    ///   encodes the reference and a label does not index a class.
    func accumulate(count: Int, set: Int = 0) throws(MonaiError) {
        precondition(count >= 0 && count <= capacity)
        if case .channels(.softmax) = plan.prediction {
            SlabKernels.softmax(
                predictionSlab(0, set: set),
                channels: plan.predictionChannels,
                stride: capacity,
                count: count,
                maximum: predictionScratch,
                total: referenceScratch
            )
        }
        try truncateReference(count: count, set: set)
        for k in plan.classes.indices {
            add(classIndex: k, count: count, set: set)
        }
    }

    /// Whether each class's sums depend on its own prediction channel alone (every plan but softmax), so that
    /// classes can be accumulated one after another with ``accumulate(count:classIndex:)``.
    var classesAreSeparable: Bool {
        if case .channels(.softmax) = plan.prediction { return false }
        return true
    }

    /// Adds the first `count` voxels of class `k`'s slabs alone (``plan``'s `classes[k]`): its prediction channel
    /// (channel 0 of a label map) and its reference channel (channel 0 of a label map). Gives exactly the sums
    /// ``accumulate(count:)`` adds for that class, with the same kernels in the same order.
    ///
    /// - Precondition: ``classesAreSeparable``.
    /// - Throws: as ``accumulate(count:)``.
    func accumulate(count: Int, classIndex k: Int) throws(MonaiError) {
        precondition(count >= 0 && count <= capacity && classesAreSeparable)
        try truncateReference(count: count)
        add(classIndex: k, count: count)
    }

    /// MONAI's `one_hot` truncates a label-map reference toward zero and refuses labels outside the classes.
    private func truncateReference(count: Int, set: Int = 0) throws(MonaiError) {
        if case .oneHot(let classCount) = plan.reference,
            let bad = SlabKernels.truncateLabels(referenceSlab(0, set: set), count: count, classCount: classCount)
        {
            throw .labelOutOfRange(value: bad, classCount: classCount, path: nil)
        }
    }

    /// The per-channel activation of class `k`'s prediction channel, then its sums.
    private func add(classIndex k: Int, count: Int, set: Int = 0) {
        let c = plan.classes[k]
        switch plan.prediction {
        case .channels(.none), .channels(.softmax), .labelMap:
            break
        case .channels(.sigmoid):
            SlabKernels.sigmoid(predictionSlab(c, set: set), count: count)
        case .nonZero:
            SlabKernels.binarizeNonZero(predictionSlab(c, set: set), count: count)
        }
        let p: UnsafePointer<Float>
        if plan.prediction == .labelMap {
            SlabKernels.indicator(
                of: Float(c),
                in: predictionSlab(0, set: set),
                count: count,
                into: predictionScratch
            )
            p = UnsafePointer(predictionScratch)
        } else {
            p = UnsafePointer(predictionSlab(c, set: set))
        }
        let g: UnsafePointer<Float>
        if plan.reference == .channels {
            g = UnsafePointer(referenceSlab(c, set: set))
        } else {
            SlabKernels.indicator(
                of: Float(c),
                in: referenceSlab(0, set: set),
                count: count,
                into: referenceScratch
            )
            g = UnsafePointer(referenceScratch)
        }
        sums[k] += SlabKernels.sums(p, g, count: count)
    }
}
