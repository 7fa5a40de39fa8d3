import NiftiIO

/// A NIfTI image seen as MONAI sees a channel-first array: C channels of N = nx·ny·nz voxels.
///
/// * A 3D image is one channel: a label map, or a single probability or logit channel.
/// * Channel data are stored as `dim[5] = C` with `dim[4] = 1` (nibabel's `(x, y, z, 1, C)`), or as
///   `dim[4] = C`. Either way channel c is the voxel range `c·N ..< (c+1)·N`, so each channel is streamed by
///   its own ``SlabStream``: all of them in lockstep, or one after another (see
///   ``SlabAccumulator/sums(prediction:reference:plan:slab:)``).
/// * An image with both `dim[4]` and `dim[5]` above 1, or any of `dim[6…7]` above 1, is refused.
struct ChannelImage {
    let file: NiftiFile
    let channelCount: Int
    /// (nx, ny, nz).
    let spatialShape: [Int]
    let decoder: VoxelDecoder

    /// Opens `path` and checks its layout.
    ///
    /// - Throws: `NiftiError` when the file cannot be read; ``MonaiError/invalidInput(_:path:)`` for a layout
    ///   or datatype that is not channel data.
    init(path: String) throws {
        let file = try NiftiFile(path: path)
        let header = file.header
        guard header.dataType.isNumeric else {
            throw MonaiError.invalidInput("\(header.dataType.name) voxels are not numbers", path: path)
        }
        guard header.extent4 == 1 || header.extent5 == 1, header.dim.dropFirst(5).allSatisfy({ $0 == 1 }) else {
            throw MonaiError.invalidInput(
                "dim \(header.dim) is not channel data (expected x, y, z with C in dim[4] or dim[5])",
                path: path
            )
        }
        self.file = file
        self.channelCount = header.extent4 * header.extent5
        self.spatialShape = header.spatialShape
        self.decoder = VoxelDecoder(header: header)
    }

    var path: String { file.path }

    /// N = nx·ny·nz.
    var voxelsPerChannel: Int { spatialShape.reduce(1, *) }

    /// One slab stream per channel, positioned at the channel's first voxel.
    func makeChannelStreams(size: SlabSize) throws(NiftiError) -> [SlabStream] {
        try file.makeChannelSlabStreams(channels: channelCount, size: size)
    }
}
