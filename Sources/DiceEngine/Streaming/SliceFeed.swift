import BoundaryMetrics

/// Feeds a pair's slabs, slice by slice and in codes shared by both images, to the consumers that need whole
/// slices: a ``BoundaryCollector`` (boundary metrics) and a ``LesionLabeller`` (lesion-wise metrics), for the
/// labels and for each region.
///
/// The slabs are translated once (``SharedSlabCodes``) whichever consumers are on, so overlap, boundary and
/// lesion metrics all come from the one pass over the pair. Regions and the ignore label reach the consumers as
/// derived slabs (``StructureSlabs``).
struct SliceFeed: ~Copyable {
    private var codes: SharedSlabCodes
    private var structures: StructureSlabs
    /// Optional so that ``finish()`` can take it out of a value with a `deinit`.
    private var collector: BoundaryCollector?
    private var lesions: LesionLabeller?
    private let regions: [RegionConsumers]

    /// - Parameters:
    ///   - shape: the common grid (x, y, z); each at most ``SliceFeed/maximumBoundaryExtent`` with boundary kinds.
    ///   - slabVoxels: the most voxels one slab holds.
    ///   - kinds: the boundary elements to gather, if any.
    ///   - connectivity: the neighbourhood of lesions, when lesions are wanted.
    ///   - labels: whether any label is scored (else only the regions are measured).
    ///   - regions: the label sets of the regions, in order.
    ///   - ignoreLabel: reference voxels with this label are left out of every structure.
    init(
        shape: [Int], slabVoxels: Int, kinds: Set<BoundaryKind>?, connectivity: LesionConnectivity?,
        prediction: VoxelFormat, reference: VoxelFormat, labels: Bool = true, regions: [[Int64]] = [],
        ignoreLabel: Int64? = nil
    ) {
        codes = SharedSlabCodes(
            sliceVoxels: shape[0] * shape[1], slabVoxels: slabVoxels, prediction: prediction, reference: reference)
        structures = StructureSlabs(regions: regions, ignoreLabel: ignoreLabel, slabVoxels: slabVoxels)
        func collector() -> BoundaryCollector? {
            kinds.map {
                BoundaryCollector(width: shape[0], height: shape[1], depth: shape[2], kinds: $0, skippedCode: 0)
            }
        }
        func labeller() -> LesionLabeller? {
            connectivity.map { LesionLabeller(width: shape[0], height: shape[1], connectivity: $0) }
        }
        if labels {
            self.collector = collector()
            lesions = labeller()
        }
        self.regions = regions.map { _ in RegionConsumers(collector: collector(), lesions: labeller()) }
    }

    /// The boundary collector's limit per axis (positions are packed in 16 bits).
    static let maximumBoundaryExtent = 65_534

    /// Adds one slab of both images (whole slices, the same voxels of each): collectors take it at once
    /// (slices inside a slab are each other's neighbours in place), lesion labellers slice by slice.
    mutating func add(prediction p: CodedSlab, reference r: CodedSlab) {
        let slices = codes.translate(prediction: p, reference: r)
        structures.learn(from: codes)
        let whole = codes.slab(prediction: p, reference: r)
        if collector != nil || lesions != nil {
            let labels = structures.labels(whole)
            switch labels {
            case .bytes(let ps, let rs): collector?.add(prediction: ps, reference: rs)
            case .codes(let ps, let rs): collector?.add(prediction: ps, reference: rs)
            }
            if lesions != nil {
                for s in 0..<slices {
                    switch labels.slice(s, of: slices) {
                    case .bytes(let ps, let rs): lesions?.add(prediction: ps, reference: rs)
                    case .codes(let ps, let rs): lesions?.add(prediction: ps, reference: rs)
                    }
                }
            }
        }
        for (k, region) in regions.enumerated() {
            let (ps, rs) = structures.region(k, of: whole)
            region.collector?.add(prediction: ps, reference: rs)
            guard region.lesions != nil else { continue }
            let area = ps.count / slices
            for s in 0..<slices {
                let range = (s * area)..<((s + 1) * area)
                region.lesions?.add(
                    prediction: UnsafeBufferPointer(rebasing: ps[range]),
                    reference: UnsafeBufferPointer(rebasing: rs[range]))
            }
        }
    }

    /// The boundary elements and the lesion tables of the labels and of each region, for the consumers that
    /// were on; called once, after the last slab. A region's tables know it as code 1, label its index.
    mutating func finish() -> Gathered {
        let labels = codes.labelOfCode
        var gathered = Gathered()
        if let collector = collector.take() {
            gathered.boundaries = LabelBoundaries(sets: collector.finish(), labelOfCode: labels)
        }
        gathered.lesions = lesions?.finish(labelOfCode: labels)
        for (k, region) in regions.enumerated() {
            let codes: [Int64?] = [nil, Int64(k)]
            if let collector = region.collector.take() {
                gathered.regionBoundaries.append(LabelBoundaries(sets: collector.finish(), labelOfCode: codes))
            }
            if let tables = region.lesions?.finish(labelOfCode: codes) { gathered.regionLesions.append(tables) }
        }
        return gathered
    }

    /// What the consumers gathered: for the labels (`nil` when off) and for each region, in order (empty when off).
    struct Gathered {
        var boundaries: LabelBoundaries?
        var lesions: LesionTables?
        var regionBoundaries: [LabelBoundaries] = []
        var regionLesions: [LesionTables] = []
    }
}

/// One region's consumers. A class because a ``BoundaryCollector`` is `~Copyable` and an array cannot hold one.
private final class RegionConsumers {
    var collector: BoundaryCollector?
    var lesions: LesionLabeller?

    init(collector: consuming BoundaryCollector?, lesions: LesionLabeller?) {
        self.collector = collector
        self.lesions = lesions
    }
}

extension SharedSlice {
    /// Slice `s` of a slab of `slices` slices.
    fileprivate func slice(_ s: Int, of slices: Int) -> SharedSlice {
        switch self {
        case .bytes(let p, let r):
            let area = p.count / slices
            let range = (s * area)..<((s + 1) * area)
            return .bytes(
                prediction: UnsafeBufferPointer(rebasing: p[range]), reference: UnsafeBufferPointer(rebasing: r[range]))
        case .codes(let p, let r):
            let area = p.count / slices
            let range = (s * area)..<((s + 1) * area)
            return .codes(
                prediction: UnsafeBufferPointer(rebasing: p[range]), reference: UnsafeBufferPointer(rebasing: r[range]))
        }
    }
}
