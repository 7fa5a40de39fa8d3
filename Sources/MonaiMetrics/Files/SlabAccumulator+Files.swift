import CPlatform
import NiftiIO

extension SlabAccumulator {
    /// The file path's default slab: ``defaultCapacity`` voxels (at least one slice), small enough that the
    /// Float32 copies of every channel stay in cache.
    static let defaultSlab = SlabSize(voxels: defaultCapacity)

    /// Streams one prediction/reference pair through an accumulator, one slab of every channel at a time.
    ///
    /// Memory stays at one slab per channel (plus a stream's buffers for gzip files) whatever the volume
    /// size. A gzip file is inflated once per channel stream, each skipping to its channel's start; with two
    /// cores, the later half of the prediction channels are inflated on a second thread (``ChannelSlabHelper``).
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
        let predictionStreams = try prediction.makeChannelStreams(size: slab)
        let referenceStreams = try reference.makeChannelStreams(size: slab)
        let slabVoxels = predictionStreams[0].slicesPerSlab * predictionStreams[0].voxelsPerSlice
        let accumulator = SlabAccumulator(plan: plan, capacity: min(slabVoxels, prediction.voxelsPerChannel))
        // The later half of the prediction channels go to a second thread when there is a core for it.
        let ownChannels = predictionStreams.count > 1 && hasSeveralCores ? predictionStreams.count / 2 : 0
        let helper =
            ownChannels > 0
            ? ChannelSlabHelper(
                streams: Array(predictionStreams[ownChannels...]),
                destinations: (ownChannels..<predictionStreams.count).map(accumulator.predictionSlab),
                decoder: prediction.decoder) : nil
        defer { helper?.stop() }
        let ownStreams = helper == nil ? predictionStreams[...] : predictionStreams[..<ownChannels]
        // Until the streams say they are done: the final call also checks that no file changed under them.
        while true {
            helper?.request()
            let count: Int?
            do {
                count = try read(ownStreams, of: prediction, into: accumulator.predictionSlab)
                if count != nil { try read(referenceStreams[...], of: reference, into: accumulator.referenceSlab) }
            } catch {
                _ = try? helper?.collect()
                throw error
            }
            if let helper {
                let helped = try helper.collect()
                precondition(helped == count, "channels of one image end together")
            }
            guard let count else { break }
            do {
                try accumulator.accumulate(count: count)
            } catch {
                throw error.naming(reference.path)
            }
        }
        _ = try referenceStreams[0].next()
        return accumulator.sums
    }

    /// Decodes the next slab of each stream into the values for its channel; returns the voxel count, or `nil` at
    /// the end (after the first stream, the others are not asked).
    @discardableResult
    private static func read(
        _ streams: ArraySlice<SlabStream>,
        of image: ChannelImage,
        into values: (Int) -> UnsafeMutablePointer<Float>
    ) throws(NiftiError) -> Int? {
        var count: Int? = nil
        for (channel, stream) in zip(streams.indices, streams) {
            guard let slab = try stream.next() else { return nil }
            image.decoder.decode(slab.bytes, into: values(channel))
            count = slab.voxelCount
        }
        return count
    }

    /// Whether a second thread can run beside the caller: the CPUs of this process's affinity mask, which
    /// `taskset` and batch schedulers set.
    private static let hasSeveralCores = segscore_available_cpus() > 1
}
