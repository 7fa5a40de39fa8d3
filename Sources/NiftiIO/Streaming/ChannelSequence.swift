/// The channels of a 4D/5D image one after another, each as its own ``SlabStream``, all on one decompressor.
///
/// For consumers that finish one channel before they need the next (per-class sums that do not mix channels),
/// this reads a `.nii.gz` once from start to end, where the lockstep streams of
/// ``NiftiFile/makeChannelSlabStreams(channels:size:)`` first inflate every channel but the last once more to
/// position their decompressors. Each channel's slabs are exactly those its lockstep stream would deliver.
///
/// Used by one thread at a time.
public final class ChannelSequence {
    public let file: NiftiFile
    /// Channels in the image.
    public let channelCount: Int
    private let size: SlabSize
    private let voxelsPerChannel: Int
    private let inflater: GzipInflater?
    /// The reader of the last stream handed out; the next one continues where it stopped.
    private var last: VoxelReader?
    /// The decompressed offset `inflater` stands at when no stream has been handed out yet.
    private let headerEnd: Int

    init(file: NiftiFile, channels: Int, size: SlabSize) throws(NiftiError) {
        let n = file.header.voxelCount / channels
        precondition(n * channels == file.header.voxelCount, "channels split the image into whole volumes")
        self.file = file
        self.channelCount = channels
        self.size = size
        self.voxelsPerChannel = n
        if file.isDataCompressed {
            let (inflater, offset) = try file.dataInflater()
            self.inflater = inflater
            headerEnd = offset
        } else {
            inflater = nil
            headerEnd = 0
        }
    }

    /// The stream of channel `channel`: channels must be asked for in ascending order; the voxels before it that
    /// earlier streams did not deliver (the rest of an unfinished channel, skipped channels) are inflated and
    /// discarded.
    public func stream(channel: Int) throws(NiftiError) -> SlabStream {
        let range = (channel * voxelsPerChannel)..<((channel + 1) * voxelsPerChannel)
        if let inflater {
            let bytesPerVoxel = file.header.dataType.bytesPerVoxel
            let offset = last.map { file.dataStart + $0.position * bytesPerVoxel } ?? headerEnd
            let start = file.dataStart + range.lowerBound * bytesPerVoxel
            precondition(start >= offset, "channels are read in ascending order")
            try VoxelReader.skip(start - offset, of: inflater, file: file)
        } else {
            precondition(last.map { $0.range.upperBound <= range.lowerBound } ?? true, "channels in ascending order")
        }
        let reader = VoxelReader(file: file, range: range, inflater: inflater)
        last = reader
        return SlabStream(reader: reader, size: size, keepsPreviousSlice: false)
    }

    /// Reads on to the end of the image, checking what follows the voxels of a gzip stream and that the file did
    /// not change: for a consumer that did not need the last channel, or stopped early.
    public func finish() throws(NiftiError) {
        if last?.range.upperBound != file.header.voxelCount {
            _ = try stream(channel: channelCount - 1)
        }
        guard let last else { return }
        while try last.next(voxels: 1 << 18) != nil {}
    }
}

extension NiftiFile {
    /// The channels (`channels` equal runs of `voxelCount / channels` voxels) one after another on one
    /// decompressor: see ``ChannelSequence``.
    ///
    /// - Precondition: `channels` divides the voxel count into whole volumes.
    public func makeChannelSequence(channels: Int, size: SlabSize) throws(NiftiError) -> ChannelSequence {
        try ChannelSequence(file: self, channels: channels, size: size)
    }
}
