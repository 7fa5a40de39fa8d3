import BoundaryMetrics
import CPlatform
import Dispatch
import NiftiIO

/// Streams images slab by slab into a joint label histogram.
///
/// Both images of a pair are decoded and counted on two threads (``PairPipeline``), or, when boundary or lesion
/// consumers need the slabs in order, decoded on one ``SlabProducer`` thread each while the calling thread feeds
/// and counts; either way a pair keeps both cores busy and memory stays at a few slabs whatever the volume size.
/// Counts are plain sums, so the result never depends on the slab size or on thread timing.
public enum Evaluator {
    /// The label confusion of `prediction` against `reference`.
    ///
    /// The caller checks geometry first (``GridCheck``); this only requires equal voxel counts.
    /// - Parameter slab: voxels per slab (whole slices, at least one).
    /// - Throws: ``EvaluationError`` for unreadable data or a file that is not a label map.
    public static func confusion(
        prediction: NiftiFile, reference: NiftiFile, slab: SlabSize = .standard,
        concurrent: Bool = hasSeveralCores
    ) throws(EvaluationError) -> LabelConfusion {
        try pass(prediction: prediction, reference: reference, slab: slab, concurrent: concurrent, boundary: nil)
            .confusion
    }

    /// The one pass over a pair: the joint label histogram and, when `boundary` names kinds, the boundary
    /// elements, and, with a `lesions` connectivity, the lesion tables, of every label (when `labelsScored`) and
    /// region, gathered from the same slabs; reference voxels of the `ignoreLabel` are outside every structure
    /// there (the histogram keeps them: the caller leaves them out of its counts).
    static func pass(
        prediction: NiftiFile, reference: NiftiFile, slab: SlabSize, concurrent: Bool,
        boundary kinds: Set<BoundaryKind>?, lesions connectivity: LesionConnectivity? = nil,
        labelsScored: Bool = true, regions: [[Int64]] = [], ignoreLabel: Int64? = nil
    ) throws(EvaluationError) -> (confusion: LabelConfusion, gathered: SliceFeed.Gathered?) {
        let predictionFormat = try VoxelFormat(labelMapOf: prediction)
        let referenceFormat = try VoxelFormat(labelMapOf: reference)
        precondition(prediction.header.voxelCount == reference.header.voxelCount, "grids checked by the caller")
        var feed: SliceFeed? = nil
        if kinds != nil || connectivity != nil {
            let shape = reference.header.spatialShape
            if kinds != nil, !shape.allSatisfy({ $0 <= SliceFeed.maximumBoundaryExtent }) {
                throw .notAVolume(
                    reason: "boundary metrics take at most \(SliceFeed.maximumBoundaryExtent) voxels per axis, not "
                        + shape.map(String.init).joined(separator: "×"),
                    path: reference.path)
            }
            let slice = shape[0] * shape[1]
            feed = SliceFeed(
                shape: shape, slabVoxels: slab.slices(ofVoxels: slice) * slice, kinds: kinds,
                connectivity: connectivity, prediction: predictionFormat, reference: referenceFormat,
                labels: labelsScored, regions: regions, ignoreLabel: ignoreLabel)
        }
        // The plain overlap pass shares its jobs between two workers (``PairPipeline``); with consumers that need
        // the slabs in order, each image has a producer thread and the calling thread counts and feeds.
        let pipelined = concurrent && feed == nil
        let producers = [
            try producer(of: prediction, format: predictionFormat, slab: slab, concurrent: concurrent && !pipelined),
            try producer(of: reference, format: referenceFormat, slab: slab, concurrent: concurrent && !pipelined),
        ]
        var histogram = JointHistogram()
        if pipelined {
            try PairPipeline(prediction: producers[0], reference: producers[1]).run(into: &histogram)
        } else {
            let bytes = predictionFormat.dataType.bytesPerVoxel == 1 && referenceFormat.dataType.bytesPerVoxel == 1
            try countInOrder(producers, into: &histogram, feed: &feed, helper: concurrent && feed != nil && bytes)
        }

        var predictionPresent = Set<UInt32>()
        var referencePresent = Set<UInt32>()
        histogram.forEachCount { p, r, _ in
            predictionPresent.insert(p)
            referencePresent.insert(r)
        }
        let predictionLabels = try producers[0].labels { predictionPresent.contains(UInt32($0)) }
        let referenceLabels = try producers[1].labels { referencePresent.contains(UInt32($0)) }
        var counts: [LabelConfusion.Pair: Int] = [:]
        histogram.forEachCount { p, r, n in
            let pair = LabelConfusion.Pair(prediction: predictionLabels[Int(p)], reference: referenceLabels[Int(r)])
            counts[pair, default: 0] += Int(n)
        }
        let confusion = LabelConfusion(voxelCount: prediction.header.voxelCount, counts: counts)
        return (confusion, feed?.finish())
    }

    /// The pass in slab order, for the consumers that need it (``SliceFeed``) and on one core: the producers run
    /// on threads of their own when they were made concurrent, and the calling thread feeds and counts. With a
    /// `helper` (8-bit codes beside a feed) a second thread counts each slab while the feed works on it, so no core
    /// idles while the calling thread scans.
    private static func countInOrder(
        _ producers: [SlabProducer], into histogram: inout JointHistogram, feed: inout SliceFeed?, helper: Bool
    ) throws(EvaluationError) {
        for producer in producers { producer.start() }
        defer { for producer in producers { producer.stop() } }
        let table = helper ? ByteCodeTable() : nil
        let tableDone = DispatchGroup()
        while let (p, r) = try SlabProducer.nextPair(producers[0], producers[1]) {
            if let table, case (.bytes(let pb), .bytes(let rb)) = (p.storage, r.storage) {
                histogram.reserve(predictionCodes: p.codeCount, referenceCodes: r.codeCount)
                table.count(prediction: pb, reference: rb, count: p.voxels, group: tableDone)
                feed?.add(prediction: p, reference: r)
                tableDone.wait()
            } else {
                feed?.add(prediction: p, reference: r)
                histogram.add(prediction: p, reference: r)
            }
            producers[0].release()
            producers[1].release()
        }
        if let table { histogram.add(table) }
    }

    /// Voxels per label value of one image: the `header --labels` audit.
    ///
    /// - Throws: ``EvaluationError`` for unreadable data or a file that is not a label map.
    public static func labelCounts(
        of file: NiftiFile, slab: SlabSize = .standard, concurrent: Bool = hasSeveralCores
    ) throws(EvaluationError) -> [(label: Int64, voxels: Int)] {
        let format = try VoxelFormat(labelMapOf: file)
        let producer = try producer(of: file, format: format, slab: slab, concurrent: concurrent)
        producer.start()
        defer { producer.stop() }
        var counts = [UInt64](repeating: 0, count: 256)
        while let slab = try producer.next() {
            if counts.count < slab.codeCount { counts += [UInt64](repeating: 0, count: slab.codeCount - counts.count) }
            counts.withUnsafeMutableBufferPointer { table in
                switch slab.storage {
                case .bytes(let codes):
                    if let base = table.baseAddress { segscore_count_bytes(codes, slab.voxels, base, 0) }
                case .runs(let runs):
                    var start: UInt32 = 0
                    for k in 0..<runs.count {
                        table[Int(runs.codes[k])] &+= UInt64(runs.ends[k] &- start)
                        start = runs.ends[k]
                    }
                }
            }
            producer.release()
        }
        let labels = try producer.labels { $0 < counts.count && counts[$0] > 0 }
        var byLabel: [Int64: Int] = [:]
        for (code, n) in counts.enumerated() where n > 0 {
            byLabel[labels[code], default: 0] += Int(n)
        }
        return byLabel.sorted { $0.key < $1.key }.map { (label: $0.key, voxels: $0.value) }
    }

    /// The CPUs this process may run on: its affinity mask, which `taskset` and batch schedulers set.
    public static let availableCores = Int(segscore_available_cpus())

    /// Whether a second thread would have a core of its own now: more than one of the available CPUs is free of
    /// other running tasks (`segscore_free_cpus`). Asked when a run starts; beside a busy neighbour on a two-core
    /// machine a pair is then read on one thread, which is faster than two taking turns on the shared core.
    public static var hasSeveralCores: Bool { segscore_free_cpus() > 1 }

    /// A producer of `file`'s coded slabs, its reader's failure as ``EvaluationError`` (also the snapshot passes').
    static func producer(
        of file: NiftiFile, format: VoxelFormat, slab: SlabSize, concurrent: Bool
    ) throws(EvaluationError) -> SlabProducer {
        do {
            return try SlabProducer(file: file, format: format, slab: slab, concurrent: concurrent)
        } catch {
            throw .unreadable(error)
        }
    }
}
