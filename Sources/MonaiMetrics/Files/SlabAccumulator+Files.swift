import NiftiIO

extension SlabAccumulator {
    /// Streams one prediction/reference pair through an accumulator, one slab of every channel at a time.
    ///
    /// Memory stays at one slab per channel (plus a reader's chunk buffers for gzip files) whatever the volume
    /// size. A gzip file is inflated once per channel reader, each skipping to its channel's start.
    ///
    /// - Throws: `NiftiError` for unreadable data; ``MonaiError`` naming the file for a spatial mismatch or a
    ///   label out of range.
    static func sums(
        prediction: ChannelImage,
        reference: ChannelImage,
        plan: OverlapPlan,
        capacity: Int = defaultCapacity
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
        let voxels = prediction.voxelsPerChannel
        let accumulator = SlabAccumulator(plan: plan, capacity: min(capacity, voxels))
        let predictionReaders = try prediction.makeChannelReaders()
        let referenceReaders = try reference.makeChannelReaders()
        var done = 0
        while done < voxels {
            let count = min(accumulator.capacity, voxels - done)
            for (c, reader) in predictionReaders.enumerated() {
                try read(count, from: reader, of: prediction, into: accumulator.predictionSlab(c))
            }
            for (c, reader) in referenceReaders.enumerated() {
                try read(count, from: reader, of: reference, into: accumulator.referenceSlab(c))
            }
            do {
                try accumulator.accumulate(count: count)
            } catch {
                throw error.naming(reference.path)
            }
            done += count
        }
        return accumulator.sums
    }

    private static func read(
        _ count: Int,
        from reader: VoxelReader,
        of image: ChannelImage,
        into slab: UnsafeMutablePointer<Float>
    ) throws(NiftiError) {
        let bytes = count * image.file.header.dataType.bytesPerVoxel
        guard let chunk = try reader.next(maxBytes: bytes), chunk.count == bytes else {
            preconditionFailure("VoxelReader delivered a short chunk inside its range: \(image.path)")
        }
        image.decoder.decode(chunk, into: slab)
    }
}
