/// Gathers, in one streaming pass over a prediction/reference pair of label-code volumes, the boundary elements
/// (DeepMind surfels and/or MONAI edge voxels) of every code in both images.
///
/// The volume arrives one z-slice at a time. The collector keeps only the previous two slices of each image
/// (surfels need z − 1 and z; edge voxels of slice z need z − 1 and z + 1, so they are emitted one slice late),
/// so memory grows with the surface area, never with the volume. It is `~Copyable` because it owns those raw
/// slice buffers and frees them in `deinit`; a copy would have to duplicate or share them.
///
/// Codes are dense small integers assigned by the caller (the engine maps them back to label values); lists
/// are indexed by code, so the hot loops never hash. Blocks and voxels whose neighbourhood holds one code only
/// are skipped a machine word at a time.
public struct BoundaryCollector: ~Copyable {
    /// Voxels per row, rows per slice, slices.
    public let width: Int
    public let height: Int
    public let depth: Int
    /// The code of voxels that belong to no structure (background); never collected.
    public let skippedCode: UInt32?
    let collectsSurfels: Bool
    let collectsEdges: Bool

    /// The slice index the next ``add(prediction:reference:)`` receives.
    private(set) var nextSlice = 0
    /// Bytes per code of the slices seen so far (0 before the first slice); the element type may not change.
    private var elementSize = 0
    /// Per image: the previous slice (z − 1) and the one before (z − 2); each `sliceCapacity` bytes.
    private var predictionHistory: SliceHistory
    private var referenceHistory: SliceHistory
    private var surfels: [BoundaryPointPair] = []
    private var edges: [BoundaryPointPair] = []

    /// Creates a collector for a `width × height × depth` pair.
    ///
    /// - Parameters:
    ///   - width: voxels per row (x, the fastest axis); at most 65 534, so positions fit 16 bits.
    ///   - height: rows per slice (y); at most 65 534.
    ///   - depth: slices (z); at most 65 534.
    ///   - kinds: which boundary elements to gather.
    ///   - skippedCode: the background code, never collected; `nil` collects every code.
    public init(width: Int, height: Int, depth: Int, kinds: Set<BoundaryKind>, skippedCode: UInt32?) {
        precondition(width > 0 && height > 0 && depth > 0, "empty volume")
        precondition(width < 65_535 && height < 65_535 && depth < 65_535, "extent above 65 534 voxels")
        self.width = width
        self.height = height
        self.depth = depth
        self.skippedCode = skippedCode
        collectsSurfels = kinds.contains(.surfels)
        collectsEdges = kinds.contains(.edgeVoxels)
        let capacity = width * height * MemoryLayout<UInt32>.size
        predictionHistory = SliceHistory(byteCount: capacity)
        referenceHistory = SliceHistory(byteCount: capacity)
    }

    deinit {
        predictionHistory.deallocate()
        referenceHistory.deallocate()
    }

    /// Adds slice z = 0, 1, … of both images, `width * height` codes each, x fastest.
    public mutating func add(prediction: UnsafeBufferPointer<UInt32>, reference: UnsafeBufferPointer<UInt32>) {
        addSlice(prediction: prediction, reference: reference)
    }

    /// Adds slice z = 0, 1, … of both images as 8-bit codes (the common uint8 label map, no widening copy).
    public mutating func add(prediction: UnsafeBufferPointer<UInt8>, reference: UnsafeBufferPointer<UInt8>) {
        addSlice(prediction: prediction, reference: reference)
    }

    /// After the last slice: per code, the boundary elements of both images.
    public consuming func finish() -> BoundarySets {
        precondition(nextSlice == depth, "finish() after \(nextSlice) of \(depth) slices")
        switch elementSize {
        case 1: flushLastSlice(UInt8.self)
        default: flushLastSlice(UInt32.self)
        }
        return BoundarySets(
            width: width,
            height: height,
            depth: depth,
            surfels: collectsSurfels ? surfels : nil,
            edges: collectsEdges ? edges : nil
        )
    }

    private mutating func addSlice<T: FixedWidthInteger & UnsignedInteger>(
        prediction: UnsafeBufferPointer<T>,
        reference: UnsafeBufferPointer<T>
    ) {
        let count = width * height
        precondition(prediction.count == count && reference.count == count, "a slice holds width × height codes")
        precondition(nextSlice < depth, "more than \(depth) slices")
        precondition(elementSize == 0 || elementSize == MemoryLayout<T>.size, "the code type changed mid-volume")
        guard let predictionBase = prediction.baseAddress, let referenceBase = reference.baseAddress else { return }
        elementSize = MemoryLayout<T>.size
        let kernel = BoundaryKernel<T>(width: width, height: height, skippedCode: skippedCode)
        let z = nextSlice
        for role in [ImageRole.prediction, .reference] {
            let current = role == .prediction ? predictionBase : referenceBase
            let history = role == .prediction ? predictionHistory : referenceHistory
            let previous = z >= 1 ? history.previous(as: T.self) : nil
            if collectsSurfels {
                kernel.emitSurfelLayer(lower: previous, upper: current, gz: z, role: role, into: &surfels)
            }
            if collectsEdges, let center = previous {
                let below = z >= 2 ? history.beforePrevious(as: T.self) : nil
                kernel.emitEdgeSlice(below: below, center: center, above: current, z: z - 1, role: role, into: &edges)
            }
        }
        predictionHistory.push(predictionBase, count: count)
        referenceHistory.push(referenceBase, count: count)
        nextSlice += 1
    }

    /// Emits what the slice beyond the volume closes: the top surfel layer and the last slice's edge voxels.
    private mutating func flushLastSlice<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) {
        let kernel = BoundaryKernel<T>(width: width, height: height, skippedCode: skippedCode)
        for role in [ImageRole.prediction, .reference] {
            let history = role == .prediction ? predictionHistory : referenceHistory
            let previous = history.previous(as: T.self)
            if collectsSurfels {
                kernel.emitSurfelLayer(lower: previous, upper: nil, gz: depth, role: role, into: &surfels)
            }
            if collectsEdges {
                let below = depth >= 2 ? history.beforePrevious(as: T.self) : nil
                kernel.emitEdgeSlice(below: below, center: previous, above: nil, z: depth - 1, role: role, into: &edges)
            }
        }
    }
}

/// The last two slices of one image, in two raw buffers that swap roles as slices arrive.
private struct SliceHistory {
    private var newest: UnsafeMutableRawPointer
    private var older: UnsafeMutableRawPointer

    init(byteCount: Int) {
        newest = .allocate(byteCount: byteCount, alignment: 8)
        older = .allocate(byteCount: byteCount, alignment: 8)
    }

    func deallocate() {
        newest.deallocate()
        older.deallocate()
    }

    func previous<T>(as _: T.Type) -> UnsafePointer<T> { UnsafePointer(newest.assumingMemoryBound(to: T.self)) }
    func beforePrevious<T>(as _: T.Type) -> UnsafePointer<T> { UnsafePointer(older.assumingMemoryBound(to: T.self)) }

    /// Copies `slice` in as the newest slice; the previous newest becomes the older one.
    mutating func push<T>(_ slice: UnsafePointer<T>, count: Int) {
        swap(&newest, &older)
        newest.bindMemory(to: T.self, capacity: count).update(from: slice, count: count)
    }
}
