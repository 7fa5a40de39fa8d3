import NiftiIO

/// The intensity image under a snapshot: the planes of the chosen slices, in real values (after `scl_slope`
/// and `scl_inter`), and the grey window.
public struct IntensityPlanes: Sendable {
    /// One plane per requested slice, in voxel order like ``StructurePlane/classes``; NaN where the image is not
    /// finite.
    public let planes: [[Float]]
    /// The 1st and 99th percentiles of the image's finite values: drawn black and white.
    public let window: (low: Double, high: Double)
}

extension Evaluator {
    /// The planes `indices` along `axis` of the intensity image `image`, which must lie on `reference`'s grid,
    /// and its 1st–99th percentile window.
    ///
    /// Two streaming passes: the first decodes every slab into a slab-sized float buffer, finds the range of the
    /// finite values and keeps the requested planes; the second fills a histogram over that range, from which the
    /// percentiles are read (nearest rank). Integer images whose range spans fewer than 2¹⁶ values get one bin
    /// per value, so their window is exact; other images get 2¹⁶ bins and a window exact to 1/65,536 of their
    /// range. Memory: one slab, the histogram and the planes.
    /// - Throws: ``EvaluationError/gridMismatch(difference:shapesDiffer:predictionPath:referencePath:)`` when the
    ///   image is on another grid (shape always, affine unless `ignoreGeometry`), or another ``EvaluationError``
    ///   when it cannot be read as a scalar volume.
    public static func intensityPlanes(
        of image: NiftiFile, onGridOf reference: NiftiFile, axis: SliceAxis, indices: [Int],
        geometryTolerance: Double = GridCheck.defaultTolerance, ignoreGeometry: Bool = false,
        slab: SlabSize = .standard
    ) throws(EvaluationError) -> IntensityPlanes {
        try checkIntensityImage(
            image, onGridOf: reference, geometryTolerance: geometryTolerance, ignoreGeometry: ignoreGeometry)
        let header = image.header
        let shape = header.spatialShape
        let sliceVoxels = shape[0] * shape[1]
        let decoder = IntensityDecoder(header: header)
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(
            capacity: slab.slices(ofVoxels: sliceVoxels) * sliceVoxels)
        defer { buffer.deallocate() }

        var range = (low: Float.infinity, high: -Float.infinity)
        var planes = PlaneCopier(shape: shape, axis: axis, indices: indices)
        try stream(image, slab: slab) { bytes, firstSlice in
            let values = UnsafeMutableBufferPointer(rebasing: buffer[0..<(bytes.count / header.dataType.bytesPerVoxel)])
            decoder.decode(bytes, into: values)
            for v in values where v.isFinite {
                if v < range.low { range.low = v }
                if v > range.high { range.high = v }
            }
            planes.add(UnsafeBufferPointer(values), firstSlice: firstSlice)
        }
        guard range.low <= range.high else {
            return IntensityPlanes(planes: planes.planes, window: (0, 1))
        }
        var histogram = IntensityHistogram(
            low: Double(range.low), high: Double(range.high),
            exactIntegers: !header.dataType.isFloatingPoint && header.scaling == nil)
        try stream(image, slab: slab) { bytes, _ in
            let values = UnsafeMutableBufferPointer(rebasing: buffer[0..<(bytes.count / header.dataType.bytesPerVoxel)])
            decoder.decode(bytes, into: values)
            histogram.add(UnsafeBufferPointer(values))
        }
        return IntensityPlanes(planes: planes.planes, window: (histogram.percentile(0.01), histogram.percentile(0.99)))
    }

    /// Checks that `image` can lie under a snapshot of `reference`'s grid: a numeric 3D volume, on the same grid
    /// by the rules a pair follows (shape always, affine within `geometryTolerance` unless `ignoreGeometry`).
    /// Reads only the headers.
    /// - Throws: ``EvaluationError/gridMismatch(difference:shapesDiffer:predictionPath:referencePath:)`` for
    ///   another grid, ``EvaluationError/notAVolume(reason:path:)`` for other data, or
    ///   ``EvaluationError/noUsableGeometry(reason:path:)``.
    public static func checkIntensityImage(
        _ image: NiftiFile, onGridOf reference: NiftiFile, geometryTolerance: Double = GridCheck.defaultTolerance,
        ignoreGeometry: Bool = false
    ) throws(EvaluationError) {
        let header = image.header
        guard header.dataType.isNumeric else {
            throw .notAVolume(
                reason: "unsupported datatype \(header.dataType.name) for an intensity image", path: image.path)
        }
        try VoxelFormat.requireVolume(header, path: image.path)
        if !ignoreGeometry, let reason = GridCheck.unusableGeometry(header) {
            throw .noUsableGeometry(reason: reason, path: image.path)
        }
        let grid = GridCheck(prediction: header, reference: reference.header, tolerance: geometryTolerance)
        if let mismatch = grid.mismatch, !ignoreGeometry || !grid.sameShape {
            throw .gridMismatch(
                difference: "image " + mismatch, shapesDiffer: !grid.sameShape, predictionPath: image.path,
                referencePath: reference.path)
        }

    }

    /// Streams `file`, handing each slab's bytes and first slice to `body` (once per slab).
    private static func stream(
        _ file: NiftiFile, slab: SlabSize, _ body: (UnsafeRawBufferPointer, Int) -> Void
    ) throws(EvaluationError) {
        do {
            let stream = try file.makeSlabStream(size: slab)
            while let next = try stream.next() { body(next.bytes, next.firstSlice) }
        } catch {
            throw .unreadable(error)
        }
    }
}

/// Copies the chosen planes out of a stream of decoded slabs.
private struct PlaneCopier {
    let shape: [Int]
    let axis: SliceAxis
    let indices: [Int]
    private(set) var planes: [[Float]]

    init(shape: [Int], axis: SliceAxis, indices: [Int]) {
        self.shape = shape
        self.axis = axis
        self.indices = indices
        let count = shape[axis.planeAxes.horizontal] * shape[axis.planeAxes.vertical]
        planes = indices.map { _ in [Float](repeating: .nan, count: count) }
    }

    mutating func add(_ values: UnsafeBufferPointer<Float>, firstSlice: Int) {
        let (nx, ny) = (shape[0], shape[1])
        for s in 0..<(values.count / (nx * ny)) {
            let z = firstSlice + s
            let base = s * nx * ny
            for (slot, index) in indices.enumerated() {
                planes[slot].withUnsafeMutableBufferPointer { plane in
                    switch axis {
                    case .axial:
                        guard z == index else { return }
                        for k in 0..<(nx * ny) { plane[k] = values[base + k] }
                    case .coronal:
                        for x in 0..<nx { plane[z * nx + x] = values[base + index * nx + x] }
                    case .sagittal:
                        for y in 0..<ny { plane[z * ny + y] = values[base + y * nx + index] }
                    }
                }
            }
        }
    }
}

/// A histogram of finite values over a known range, for percentiles by nearest rank.
struct IntensityHistogram {
    private let low: Double
    private let width: Double
    private let exact: Bool
    private var bins: [Int]
    private var total = 0

    /// - Parameter exactIntegers: the values are integers, so a range of fewer than 2¹⁶ values gets a bin each.
    init(low: Double, high: Double, exactIntegers: Bool) {
        self.low = low
        let span = high - low
        exact = exactIntegers && span < 65_536
        let count = exact ? Int(span) + 1 : 65_536
        width = exact ? 1 : max(span / Double(count), .leastNormalMagnitude)
        bins = [Int](repeating: 0, count: count)
    }

    mutating func add(_ values: UnsafeBufferPointer<Float>) {
        let last = bins.count - 1
        let (low, scale) = (low, 1 / width)
        var counted = 0
        bins.withUnsafeMutableBufferPointer { bins in
            for v in values where v.isFinite {
                // Truncation is the floor here (v ≥ low), and exact for whole values at a scale of 1.
                let bin = Int((Double(v) - low) * scale)
                bins[min(max(bin, 0), last)] &+= 1
                counted &+= 1
            }
        }
        total += counted
    }

    /// The value at rank ⌈q · n⌉ (at least 1): the value itself for exact bins, else its bin's centre.
    func percentile(_ q: Double) -> Double {
        let rank = max(1, Int((q * Double(total)).rounded(.up)))
        var seen = 0
        for (bin, count) in bins.enumerated() {
            seen += count
            if seen >= rank { return low + (Double(bin) + (exact ? 0 : 0.5)) * width }
        }
        return low + Double(bins.count) * width
    }
}
