/// Whole x–y slices of an image's voxels, a slab at a time, in bounded memory.
///
/// This is the one way voxels leave NiftiIO: the engine's counts, the MONAI sums, `header --labels` and the
/// boundary metrics all read slabs from a stream. Each slab holds whole slices in file order and in the file's
/// datatype and byte order (interpreting them is the consumer's job), and stays valid until the call *after*
/// the next one, so a producer thread can fetch slab k + 1 while its consumer still works on slab k.
///
/// With `keepsPreviousSlice`, each slab after the first also carries a copy of the previous slab's last slice:
/// a 2×2×2 block or a 6-neighbourhood that straddles two slabs needs it, and the previous slab's own memory may
/// already hold slab k + 1 by then (a gzip stream alternates between two buffers). The copies alternate the
/// same way and cost one slice per slab.
///
/// A stream is used by one thread at a time.
public final class SlabStream {
    /// The image being read.
    public let file: NiftiFile
    /// Voxels per x–y slice.
    public let voxelsPerSlice: Int
    /// Whole slices per slab (the last slab may hold fewer).
    public let slicesPerSlab: Int
    /// Slices this stream delivers in all.
    public let sliceCount: Int
    private let reader: VoxelReader
    private let sliceBytes: Int
    private var contexts: [PageBuffer]
    private var nextSlice = 0
    private var previous: UnsafeRawBufferPointer?

    /// A stream over `reader`'s range, which must hold whole slices.
    init(reader: VoxelReader, size: SlabSize, keepsPreviousSlice: Bool) {
        let header = reader.file.header
        let slice = header.spatialShape[0] * header.spatialShape[1]
        precondition(slice > 0 && reader.range.count % slice == 0, "a slab stream reads whole slices")
        self.file = reader.file
        self.reader = reader
        self.voxelsPerSlice = slice
        self.slicesPerSlab = size.slices(ofVoxels: slice)
        self.sliceCount = reader.range.count / slice
        self.sliceBytes = slice * header.dataType.bytesPerVoxel
        self.contexts =
            keepsPreviousSlice && sliceCount > 1
            ? [PageBuffer(byteCount: sliceBytes), PageBuffer(byteCount: sliceBytes)] : []
    }

    /// Whether every slice has been delivered.
    public var isAtEnd: Bool { nextSlice == sliceCount }

    /// The next slab, or `nil` after the last.
    ///
    /// - Throws: ``NiftiError`` when the data are truncated or the gzip stream is damaged; a gzip image's last
    ///   slab also checks what follows the voxels (CRC-verified trailers and zero padding only). The call that
    ///   returns `nil` still checks that the file did not shrink while the last slab was in use.
    public func next() throws(NiftiError) -> Slab? {
        guard nextSlice < sliceCount else {
            _ = try reader.next(voxels: 1)
            return nil
        }
        let count = min(slicesPerSlab, sliceCount - nextSlice)
        var context: UnsafeRawBufferPointer? = nil
        if !contexts.isEmpty, let previous {
            let copy = contexts[(nextSlice / slicesPerSlab) & 1].bytes
            copy.copyMemory(from: UnsafeRawBufferPointer(rebasing: previous[(previous.count - sliceBytes)...]))
            context = UnsafeRawBufferPointer(copy)
        }
        guard let bytes = try reader.next(voxels: count * voxelsPerSlice) else { return nil }
        let slab = Slab(
            bytes: bytes, firstSlice: nextSlice, sliceCount: count, voxelsPerSlice: voxelsPerSlice,
            previousSlice: context)
        previous = bytes
        nextSlice += count
        return slab
    }
}

/// Whole slices of one image, as stored: see ``SlabStream``.
public struct Slab {
    /// The voxels of ``sliceCount`` slices, in the file's datatype and byte order.
    public let bytes: UnsafeRawBufferPointer
    /// Index of the first slice in the stream (z within the volume or channel).
    public let firstSlice: Int
    /// Slices in this slab.
    public let sliceCount: Int
    /// Voxels per slice.
    public let voxelsPerSlice: Int
    /// The last slice of the previous slab, for streams that keep it; `nil` for the first slab.
    public let previousSlice: UnsafeRawBufferPointer?

    /// Voxels in this slab.
    public var voxelCount: Int { sliceCount * voxelsPerSlice }
}

extension NiftiFile {
    /// A stream over the whole image, slab by slab.
    public func makeSlabStream(size: SlabSize = .standard, keepsPreviousSlice: Bool = false) throws(NiftiError)
        -> SlabStream
    {
        SlabStream(
            reader: try makeVoxelReaders(ranges: [0..<header.voxelCount])[0], size: size,
            keepsPreviousSlice: keepsPreviousSlice)
    }

    /// One stream per channel (`channels` equal runs of `voxelCount / channels` voxels), for walking the
    /// channels of a 4D/5D image in lockstep.
    ///
    /// - Precondition: `channels` divides the voxel count into whole volumes.
    public func makeChannelSlabStreams(channels: Int, size: SlabSize) throws(NiftiError) -> [SlabStream] {
        let n = header.voxelCount / channels
        precondition(n * channels == header.voxelCount, "channels split the image into whole volumes")
        return try makeVoxelReaders(ranges: (0..<channels).map { ($0 * n)..<(($0 + 1) * n) })
            .map { SlabStream(reader: $0, size: size, keepsPreviousSlice: false) }
    }
}
