import NiftiIO

extension SlabAccumulator {
    /// The file path's default slab: ``defaultCapacity`` voxels (at least one slice), small enough that the
    /// Float32 copies of every channel stay in cache.
    static let defaultSlab = SlabSize(voxels: defaultCapacity)

    /// Streams one prediction/reference pair through an accumulator, one slab of every channel at a time.
    ///
    /// Memory stays at one slab per channel (plus a stream's buffers for gzip files) whatever the volume
    /// size. A gzip file is inflated once per channel stream, each skipping to its channel's start.
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
        // Until the streams say they are done: the final call also checks that no file changed under them.
        while let count = try read(predictionStreams[0], of: prediction, into: accumulator.predictionSlab(0)) {
            for (c, stream) in predictionStreams.enumerated().dropFirst() {
                try read(stream, of: prediction, into: accumulator.predictionSlab(c))
            }
            for (c, stream) in referenceStreams.enumerated() {
                try read(stream, of: reference, into: accumulator.referenceSlab(c))
            }
            do {
                try accumulator.accumulate(count: count)
            } catch {
                throw error.naming(reference.path)
            }
        }
        _ = try referenceStreams[0].next()
        return accumulator.sums
    }

    /// Decodes the next slab of `stream` into `values`; returns its voxel count, or `nil` at the end.
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
}
