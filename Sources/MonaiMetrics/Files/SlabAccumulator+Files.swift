import CPlatform
import NiftiIO

extension SlabAccumulator {
    /// The file path's default slab: ``defaultCapacity`` voxels (at least one slice), small enough that the
    /// Float32 copies of every channel stay in cache.
    static let defaultSlab = SlabSize(voxels: defaultCapacity)

    /// Streams one prediction/reference pair through an accumulator, one slab of every channel at a time.
    ///
    /// Memory stays at one slab per channel (plus a stream's buffers for gzip files) whatever the volume size.
    /// When each class's sums need only its own channels (every plan but softmax), the classes are summed one
    /// after another and a multi-channel prediction is read once from start to end (``ChannelSequence``), the
    /// next slab inflated on a second thread while this one is summed. Softmax needs every channel of a voxel at
    /// once: then one stream per channel is read in lockstep, each gzip stream positioned by a pass that inflates
    /// the channels before it, and two threads share the streams' slabs and the sums (``ChannelLockstep``).
    /// Either way the sums are added in the same order, so the results are identical to the bit.
    ///
    /// - Throws: `NiftiError` for unreadable data; ``MonaiError`` naming the file for a spatial mismatch or a
    ///   label out of range.
    static func sums(
        prediction: ChannelImage,
        reference: ChannelImage,
        plan: OverlapPlan,
        slab: SlabSize = defaultSlab
    ) throws -> [OverlapSums] {
        precondition(
            plan.predictionChannels == prediction.channelCount && plan.referenceChannels == reference.channelCount
        )
        guard prediction.spatialShape == reference.spatialShape else {
            throw MonaiError.spatialShapeMismatch(
                prediction: prediction.spatialShape,
                reference: reference.spatialShape,
                path: reference.path
            )
        }
        let slice = prediction.spatialShape[0] * prediction.spatialShape[1]
        let capacity = min(slab.slices(ofVoxels: slice) * slice, prediction.voxelsPerChannel)
        let accumulator = SlabAccumulator(plan: plan, capacity: capacity)
        let concurrent = hasSeveralCores
        if accumulator.classesAreSeparable && prediction.channelCount > 1 {
            try sumClassByClass(
                prediction: prediction, reference: reference, into: accumulator, slab: slab, concurrent: concurrent)
        } else {
            try sumInLockstep(
                prediction: prediction, reference: reference, into: accumulator, slab: slab, concurrent: concurrent)
        }
        return accumulator.sums
    }

    /// One class after another: the prediction's channels in file order on one decompressor, whose next slab a
    /// second thread inflates while this one decodes and sums; the reference is read again for every class
    /// (a label map costs far less to inflate than a channel of values).
    private static func sumClassByClass(
        prediction: ChannelImage,
        reference: ChannelImage,
        into accumulator: SlabAccumulator,
        slab: SlabSize,
        concurrent: Bool
    ) throws {
        let plan = accumulator.plan
        let channels = try prediction.file.makeChannelSequence(channels: prediction.channelCount, size: slab)
        let references =
            plan.reference == .channels
            ? try reference.file.makeChannelSequence(channels: reference.channelCount, size: slab) : nil
        for (k, c) in plan.classes.enumerated() {
            let stream = try channels.stream(channel: c)
            let referenceStream =
                try references?.stream(channel: c) ?? reference.makeChannelStreams(size: slab)[0]
            let worker = concurrent ? SlabWorker { () throws(NiftiError) in try stream.next() } : nil
            defer { worker?.stop() }
            worker?.request()
            while true {
                // The worker's slab stays valid until its call after next, so it may fetch one more meanwhile.
                let next: Slab?
                if let worker {
                    next = try worker.collect()
                    if next != nil { worker.request() }
                } else {
                    next = try stream.next()
                }
                guard let next else { break }
                prediction.decoder.decode(next.bytes, into: accumulator.predictionSlab(c))
                try read(
                    referenceStream, of: reference, into: accumulator.referenceSlab(plan.reference == .channels ? c : 0)
                )
                do {
                    try accumulator.accumulate(count: next.voxelCount, classIndex: k)
                } catch {
                    throw error.naming(reference.path)
                }
            }
            _ = try referenceStream.next()
        }
        try channels.finish()
        try references?.finish()
    }

    /// Every channel's slab at once, one stream per channel in lockstep (softmax mixes the channels of a voxel),
    /// the streams' jobs and the sums shared by two threads when there is a core for the second
    /// (``ChannelLockstep``).
    private static func sumInLockstep(
        prediction: ChannelImage,
        reference: ChannelImage,
        into accumulator: SlabAccumulator,
        slab: SlabSize,
        concurrent: Bool
    ) throws {
        let lockstep = ChannelLockstep(
            prediction: try prediction.makeChannelStreams(size: slab), predictionDecoder: prediction.decoder,
            reference: try reference.makeChannelStreams(size: slab), referenceDecoder: reference.decoder,
            accumulator: accumulator)
        do {
            try lockstep.run(concurrent: concurrent)
        } catch let error as MonaiError {
            throw error.naming(reference.path)
        }
    }

    /// Decodes the next slab of `stream` into `values`; `nil` at the end.
    @discardableResult
    private static func read(
        _ stream: SlabStream,
        of image: ChannelImage,
        into values: UnsafeMutablePointer<Float>
    ) throws(NiftiError) -> Int? {
        guard let slab = try stream.next() else { return nil }
        image.decoder.decode(slab.bytes, into: values)
        return slab.voxelCount
    }

    /// Whether a second thread would have a core of its own: more than one of this process's CPUs is free of
    /// other running tasks (see DiceEngine's `Evaluator.hasSeveralCores`).
    private static var hasSeveralCores: Bool { segscore_free_cpus() > 1 }
}
