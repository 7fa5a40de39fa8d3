import BoundaryMetrics
import NiftiIO

/// Two 3D label maps read as MONAI one-hot encodes them: every voxel a class in `0..<numClasses`, streamed
/// slab by slab into a ``BoundaryCollector`` with the class as its code.
struct LabelMapPair {
    let prediction: ChannelImage
    let reference: ChannelImage
    let numClasses: Int

    /// The reference's voxel spacing in mm (`pixdim` in the file's unit, converted).
    var spacing: Spacing {
        let header = reference.file.header
        return Spacing(header.spacing.map { $0 * header.millimetresPerUnit })
    }

    /// - Throws: `NiftiError` for unreadable files; ``MonaiError`` for multi-channel data or a shape mismatch.
    init(predictionPath: String, referencePath: String, numClasses: Int) throws {
        prediction = try ChannelImage(path: predictionPath)
        reference = try ChannelImage(path: referencePath)
        self.numClasses = numClasses
        for image in [prediction, reference] where image.channelCount != 1 {
            throw MonaiError.invalidInput(
                "boundary metrics take label maps; this image has \(image.channelCount) channels", path: image.path)
        }
        guard prediction.spatialShape == reference.spatialShape else {
            throw MonaiError.spatialShapeMismatch(
                prediction: prediction.spatialShape, reference: reference.spatialShape, path: reference.path)
        }
        guard prediction.spatialShape.allSatisfy({ $0 <= 65_534 }) else {
            throw MonaiError.invalidInput(
                "boundary metrics take at most 65534 voxels per axis, not \(prediction.spatialShape)",
                path: prediction.path)
        }
    }

    /// The boundary elements of every class in both images, from one pass over both files.
    ///
    /// - Throws: ``MonaiError/labelOutOfRange(value:classCount:path:)`` naming the file for a value that is
    ///   not a class (MONAI's `one_hot` would fail to index it).
    func boundaries(kind: BoundaryKind, background: UInt32?, slab: SlabSize?) throws -> BoundarySets {
        let shape = prediction.spatialShape
        let slice = shape[0] * shape[1]
        let size = slab ?? SlabAccumulator.defaultSlab
        let streams = (
            try prediction.makeChannelStreams(size: size)[0], try reference.makeChannelStreams(size: size)[0]
        )
        let capacity = streams.0.slicesPerSlab * slice
        let values = (
            UnsafeMutablePointer<Float>.allocate(capacity: capacity),
            UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        )
        let codes = (
            UnsafeMutablePointer<UInt32>.allocate(capacity: capacity),
            UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        )
        defer {
            values.0.deallocate()
            values.1.deallocate()
            codes.0.deallocate()
            codes.1.deallocate()
        }
        var collector = BoundaryCollector(
            width: shape[0], height: shape[1], depth: shape[2], kinds: [kind], skippedCode: background)
        while let p = try streams.0.next() {
            guard let r = try streams.1.next() else { break }
            prediction.decoder.decode(p.bytes, into: values.0)
            reference.decoder.decode(r.bytes, into: values.1)
            try classes(values.0, count: p.voxelCount, into: codes.0, path: prediction.path)
            try classes(values.1, count: r.voxelCount, into: codes.1, path: reference.path)
            collector.add(
                prediction: UnsafeBufferPointer(start: codes.0, count: p.sliceCount * slice),
                reference: UnsafeBufferPointer(start: codes.1, count: r.sliceCount * slice))
        }
        _ = try streams.1.next()
        return collector.finish()
    }

    /// Truncates each value to its class, as MONAI's `one_hot` does (`labels.long()`), refusing one outside
    /// `0..<numClasses`.
    private func classes(
        _ values: UnsafePointer<Float>, count: Int, into codes: UnsafeMutablePointer<UInt32>, path: String
    ) throws(MonaiError) {
        // trunc(v) ∈ 0..<n  ⇔  −1 < v < n; both comparisons are false for NaN.
        let limit = Float(numClasses)
        for i in 0..<count {
            let value = values[i]
            guard value > -1 && value < limit else {
                throw .labelOutOfRange(value: value, classCount: numClasses, path: path)
            }
            codes[i] = UInt32(value.rounded(.towardZero))
        }
    }
}
