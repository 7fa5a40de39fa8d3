import Dispatch

/// Gathers, in one streaming pass over a prediction/reference pair of label-code volumes, the boundary elements
/// (DeepMind surfels and/or MONAI edge voxels) of every code in both images.
///
/// The volume arrives one z-slice at a time. The collector keeps only the previous two slices of each image
/// (surfels need z − 1 and z; edge voxels of slice z need z − 1 and z + 1, so they are emitted one slice late),
/// so memory grows with the surface area, never with the volume. The two images are scanned concurrently, one
/// per core. It is `~Copyable` because it owns those raw slice buffers and frees them in `deinit`; a copy
/// would have to duplicate or share them.
///
/// Codes are dense small integers assigned by the caller (the engine maps them back to label values); lists
/// are indexed by code, so the hot loops never hash. Blocks and voxels whose neighbourhood holds one code only
/// are skipped a machine word at a time.
///
/// ```swift
/// var collector = BoundaryCollector(width: nx, height: ny, depth: nz, kinds: [.surfels], skippedCode: 0)
/// for z in 0..<nz { collector.add(prediction: predictionSlice(z), reference: referenceSlice(z)) }
/// let sets = collector.finish()
/// let codes = sets.codes(kind: .surfels)  // codes present in either image
/// let summaries = sets.surfaceDistanceSummaries(
///     codes: codes, spacing: Spacing(header.spacing), percentiles: [95], tolerances: [1, 2])
/// // Per code: EmptyStructureRule.outcome(…) from sets.elementCounts(code:kind:) decides whether to report
/// // the summary, null, or the fixed diagonal/NSD values; a code absent from both images is not listed.
/// ```
public struct BoundaryCollector: ~Copyable {
    /// Voxels per row (x, the fastest axis).
    public let width: Int
    /// Rows per slice (y).
    public let height: Int
    /// Slices (z), the number of ``add(prediction:reference:)`` calls before ``finish()``.
    public let depth: Int
    /// The code of voxels that belong to no structure (background); never collected.
    public let skippedCode: UInt32?
    private let kinds: Set<BoundaryKind>
    private let vectorRows: Bool

    /// The slice index the next ``add(prediction:reference:)`` receives.
    private var nextSlice = 0
    /// Bytes per code of the slices seen so far (0 before the first slice); the element type may not change.
    private var elementSize = 0
    private var prediction: ImageScan
    private var reference: ImageScan

    /// Creates a collector for a `width × height × depth` pair.
    ///
    /// - Parameters:
    ///   - width: voxels per row (x, the fastest axis); at most 65 534, so positions fit 16 bits.
    ///   - height: rows per slice (y); at most 65 534.
    ///   - depth: slices (z); at most 65 534.
    ///   - kinds: which boundary elements to gather.
    ///   - skippedCode: the background code, never collected; `nil` collects every code.
    public init(width: Int, height: Int, depth: Int, kinds: Set<BoundaryKind>, skippedCode: UInt32?) {
        self.init(width: width, height: height, depth: depth, kinds: kinds, skippedCode: skippedCode, vectorRows: true)
    }

    /// - Parameter vectorRows: test byte-code rows with the AVX2 row test where the CPU has it; `false` keeps the
    ///   portable loop, which the tests compare with it on machines that have both.
    init(
        width: Int, height: Int, depth: Int, kinds: Set<BoundaryKind>, skippedCode: UInt32?, vectorRows: Bool
    ) {
        precondition(width > 0 && height > 0 && depth > 0, "empty volume")
        precondition(width < 65_535 && height < 65_535 && depth < 65_535, "extent above 65 534 voxels")
        self.width = width
        self.height = height
        self.depth = depth
        self.skippedCode = skippedCode
        self.kinds = kinds
        self.vectorRows = vectorRows
        let capacity = width * height * MemoryLayout<UInt32>.size
        prediction = ImageScan(role: .prediction, byteCount: capacity)
        reference = ImageScan(role: .reference, byteCount: capacity)
    }

    deinit {
        prediction.history.deallocate()
        reference.history.deallocate()
    }

    /// Adds the next slices of both images (one or more whole slices, `width * height` codes each, x fastest).
    ///
    /// Pass a whole slab at once when there is one: slices inside it are read in place as each other's
    /// neighbours, so only the last ones are copied for the next call (and the two images meet once per call).
    public mutating func add(prediction: UnsafeBufferPointer<UInt32>, reference: UnsafeBufferPointer<UInt32>) {
        addSlices(prediction: prediction, reference: reference)
    }

    /// ``add(prediction:reference:)`` with 8-bit codes (the common uint8 label map, no widening copy).
    public mutating func add(prediction: UnsafeBufferPointer<UInt8>, reference: UnsafeBufferPointer<UInt8>) {
        addSlices(prediction: prediction, reference: reference)
    }

    /// After the last slice: per code, the boundary elements of both images.
    public consuming func finish() -> BoundarySets {
        precondition(nextSlice == depth, "finish() after \(nextSlice) of \(depth) slices")
        let (depth, kinds) = (depth, kinds)
        if elementSize == 1 {
            let kernel = kernel(UInt8.self)
            bothImages { $0.add(UInt8.self, slices: nil, count: 1, z: depth, kernel: kernel, kinds: kinds) }
        } else {
            let kernel = kernel(UInt32.self)
            bothImages { $0.add(UInt32.self, slices: nil, count: 1, z: depth, kernel: kernel, kinds: kinds) }
        }
        func pairs(_ kind: BoundaryKind) -> [PackedPointPair]? {
            guard kinds.contains(kind) else { return nil }
            let p = kind == .surfels ? prediction.surfels : prediction.edges
            let r = kind == .surfels ? reference.surfels : reference.edges
            return (0..<max(p.count, r.count)).map { code in
                PackedPointPair(
                    prediction: code < p.count ? p[code] : PackedPointList(),
                    reference: code < r.count ? r[code] : PackedPointList()
                )
            }
        }
        return BoundarySets(
            width: width,
            height: height,
            depth: depth,
            surfels: pairs(.surfels),
            edges: pairs(.edgeVoxels)
        )
    }

    private mutating func addSlices<T: FixedWidthInteger & UnsignedInteger & Sendable>(
        prediction predictionSlice: UnsafeBufferPointer<T>,
        reference referenceSlice: UnsafeBufferPointer<T>
    ) {
        let area = width * height
        let count = predictionSlice.count / area
        precondition(
            predictionSlice.count == count * area && referenceSlice.count == count * area && count > 0,
            "whole slices of width × height codes, the same in both images"
        )
        precondition(nextSlice + count <= depth, "more than \(depth) slices")
        precondition(elementSize == 0 || elementSize == MemoryLayout<T>.size, "the code type changed mid-volume")
        guard let predictionBase = predictionSlice.baseAddress, let referenceBase = referenceSlice.baseAddress
        else { return }
        elementSize = MemoryLayout<T>.size
        let kernel = kernel(T.self)
        let (z, kinds) = (nextSlice, kinds)
        nonisolated(unsafe) let slices = (predictionBase, referenceBase)
        bothImages { scan in
            let slice = scan.role == .prediction ? slices.0 : slices.1
            scan.add(T.self, slices: slice, count: count, z: z, kernel: kernel, kinds: kinds)
        }
        nextSlice += count
    }

    private func kernel<T: FixedWidthInteger & UnsignedInteger & Sendable>(_: T.Type) -> BoundaryKernel<T> {
        BoundaryKernel<T>(width: width, height: height, skippedCode: skippedCode, vectorRows: vectorRows)
    }

    /// Runs `body` on the prediction's and the reference's scan state concurrently (they share nothing).
    private mutating func bothImages(_ body: @Sendable (inout ImageScan) -> Void) {
        withUnsafeMutablePointer(to: &prediction) { prediction in
            withUnsafeMutablePointer(to: &reference) { reference in
                nonisolated(unsafe) let scans = (prediction, reference)
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    body(&(index == 0 ? scans.0 : scans.1).pointee)
                }
            }
        }
    }
}

/// Which of the two images of a pair a scan reads.
private enum ImageRole: Sendable {
    case prediction, reference
}

/// The scan state of one image: its last two slices and the boundary elements found so far, by code.
private struct ImageScan {
    let role: ImageRole
    var history: SliceHistory
    var surfels: [PackedPointList] = []
    var edges: [PackedPointList] = []

    init(role: ImageRole, byteCount: Int) {
        self.role = role
        history = SliceHistory(byteCount: byteCount)
    }

    /// Emits what slices `z ..< z + count` complete (per slice z′ the surfel layer at grid z′ and the edge
    /// voxels of slice z′ − 1), reading earlier slices of the same call in place, then keeps the last one (two
    /// when edge voxels, which look two slices back, are collected); `slices == nil` (with `count` 1) is the
    /// outside beyond the last slice.
    mutating func add<T: FixedWidthInteger & UnsignedInteger & Sendable>(
        _: T.Type,
        slices: UnsafePointer<T>?,
        count: Int,
        z first: Int,
        kernel: BoundaryKernel<T>,
        kinds: Set<BoundaryKind>
    ) {
        let area = kernel.width * kernel.height
        /// Slice `z` (at least `first − 2`): in this call's slices or in the history.
        func slice(_ z: Int) -> UnsafePointer<T>? {
            if z < 0 { return nil }
            if z >= first { return slices.map { $0 + (z - first) * area } }
            return z == first - 1 ? history.previous(as: T.self) : history.beforePrevious(as: T.self)
        }
        for z in first..<(first + count) {
            let upper = slice(z)
            if kinds.contains(.surfels) {
                kernel.emitSurfelLayer(lower: slice(z - 1), upper: upper, gz: z, into: &surfels)
            }
            if kinds.contains(.edgeVoxels), let center = slice(z - 1) {
                kernel.emitEdgeSlice(below: slice(z - 2), center: center, above: upper, z: z - 1, into: &edges)
            }
        }
        guard let slices else { return }
        if count >= 2 && kinds.contains(.edgeVoxels) { history.push(slices + (count - 2) * area, count: area) }
        history.push(slices + (count - 1) * area, count: area)
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
