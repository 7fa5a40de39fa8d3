import BoundaryMetrics

/// Feeds a pair's slabs, slice by slice and in codes shared by both images, to the consumers that need whole
/// slices: a ``BoundaryCollector`` (boundary metrics) and a ``LesionLabeller`` (lesion-wise metrics).
///
/// The slabs are translated once (``SharedSlabCodes``) whichever consumers are on, so overlap, boundary and
/// lesion metrics all come from the one pass over the pair.
struct SliceFeed: ~Copyable {
    private var codes: SharedSlabCodes
    /// Optional so that ``finish()`` can take it out of a value with a `deinit`.
    private var collector: BoundaryCollector?
    private var lesions: LesionLabeller?

    /// - Parameters:
    ///   - shape: the common grid (x, y, z); each at most ``SliceFeed/maximumBoundaryExtent`` with boundary kinds.
    ///   - slabVoxels: the most voxels one slab holds.
    ///   - kinds: the boundary elements to gather, if any.
    ///   - connectivity: the neighbourhood of lesions, when lesions are wanted.
    init(
        shape: [Int], slabVoxels: Int, kinds: Set<BoundaryKind>?, connectivity: LesionConnectivity?,
        prediction: VoxelFormat, reference: VoxelFormat
    ) {
        codes = SharedSlabCodes(
            sliceVoxels: shape[0] * shape[1], slabVoxels: slabVoxels, prediction: prediction, reference: reference)
        collector = kinds.map {
            BoundaryCollector(width: shape[0], height: shape[1], depth: shape[2], kinds: $0, skippedCode: 0)
        }
        lesions = connectivity.map { LesionLabeller(width: shape[0], height: shape[1], connectivity: $0) }
    }

    /// The boundary collector's limit per axis (positions are packed in 16 bits).
    static let maximumBoundaryExtent = 65_534

    /// Adds one slab of both images (whole slices, the same voxels of each): the collector takes it at once
    /// (slices inside a slab are each other's neighbours in place), the lesion labeller slice by slice.
    mutating func add(prediction p: CodedSlab, reference r: CodedSlab) {
        let slices = codes.translate(prediction: p, reference: r)
        if collector != nil {
            switch codes.slab(prediction: p, reference: r) {
            case .bytes(let ps, let rs): collector?.add(prediction: ps, reference: rs)
            case .codes(let ps, let rs): collector?.add(prediction: ps, reference: rs)
            }
        }
        guard lesions != nil else { return }
        for s in 0..<slices {
            switch codes.slice(s, prediction: p, reference: r) {
            case .bytes(let ps, let rs): lesions?.add(prediction: ps, reference: rs)
            case .codes(let ps, let rs): lesions?.add(prediction: ps, reference: rs)
            }
        }
    }

    /// The boundary elements and the lesion tables, for the consumers that were on; called once, after the last
    /// slab.
    mutating func finish() -> (boundaries: LabelBoundaries?, lesions: LesionTables?) {
        let labels = codes.labelOfCode
        var boundaries: LabelBoundaries? = nil
        if let collector = collector.take() {
            boundaries = LabelBoundaries(sets: collector.finish(), labelOfCode: labels)
        }
        return (boundaries, lesions?.finish(labelOfCode: labels))
    }
}
