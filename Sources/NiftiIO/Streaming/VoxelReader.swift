/// Reads a range of an image's voxels as raw bytes, any number of voxels at a time, in bounded memory: the
/// machinery under ``SlabStream``, which asks it for whole slices.
///
/// An uncompressed file is read through its mapping: each piece is a view of the mapped pages, and pages
/// behind the reader are released so resident memory stays at a couple of pieces whatever the file size.
/// A gzip file is inflated into two reused buffers that the reader alternates between. Either way the bytes
/// returned by ``next(voxels:)`` stay valid until the call *after* the next one, so a consumer can work on
/// one slab while a producer fetches the following one.
///
/// Pieces hold whole voxels in file order and in the file's byte order. A reader is used by one thread at a
/// time.
package final class VoxelReader {
    package let file: NiftiFile
    /// The voxel indices this reader delivers.
    package let range: Range<Int>
    /// Index of the next voxel ``next(voxels:)`` will deliver.
    package private(set) var position: Int
    private let bytesPerVoxel: Int
    private let inflater: GzipInflater?
    private var buffers: [PageBuffer] = []
    private var nextBuffer = 0
    /// Offset in the mapping up to which this reader has released pages.
    private var released = 0
    /// Offset in the mapping of the last piece returned (still in use by the caller).
    private var lastChunkStart = 0

    /// A reader of `range`; for a gzip file, `inflater` must already stand at the range's first byte.
    init(file: NiftiFile, range: Range<Int>, inflater: GzipInflater?) {
        precondition(range.lowerBound >= 0 && range.upperBound <= file.header.voxelCount)
        precondition(file.isDataCompressed == (inflater != nil))
        self.file = file
        self.range = range
        self.position = range.lowerBound
        self.bytesPerVoxel = file.header.dataType.bytesPerVoxel
        self.inflater = inflater
    }

    /// The next `voxels` voxels (fewer at the end of the range), or `nil` at the end.
    ///
    /// When the last voxel of the image is delivered from a gzip stream, the rest of the stream is checked
    /// too: nothing but CRC-verified trailers and zero padding may follow.
    /// - Throws: ``NiftiError/fileChanged(path:)`` once the file has shrunk under the mapping: the bytes
    ///   delivered before may hold zeros in place of the vanished data, so nothing read from it can be trusted.
    package func next(voxels wanted: Int) throws(NiftiError) -> UnsafeRawBufferPointer? {
        precondition(wanted > 0)
        if file.data.hasFaulted { throw .fileChanged(path: file.data.path) }
        guard position < range.upperBound else { return nil }
        let voxels = min(wanted, range.upperBound - position)
        let byteCount = voxels * bytesPerVoxel
        let piece: UnsafeRawBufferPointer
        if let inflater {
            let buffer = try buffer(byteCount: byteCount)
            let got = try inflater.read(into: buffer)
            guard got == byteCount else {
                let delivered = (position - range.lowerBound) * bytesPerVoxel + got
                throw .truncatedData(
                    expectedBytes: (range.upperBound - range.lowerBound) * bytesPerVoxel, actualBytes: delivered,
                    path: file.data.path)
            }
            piece = UnsafeRawBufferPointer(buffer)
            released = file.data.release(from: released, upTo: inflater.compressedOffset)
        } else {
            let start = file.dataStart + position * bytesPerVoxel
            piece = UnsafeRawBufferPointer(rebasing: file.data.bytes[start..<(start + byteCount)])
            // The previous piece stays valid for the caller; everything before it can go.
            released = file.data.release(from: released, upTo: lastChunkStart)
            lastChunkStart = start
        }
        position += voxels
        if position == file.header.voxelCount, let inflater {
            let extra = try inflater.finish()
            if extra > 0 { throw .trailingData(bytes: extra, exact: false, path: file.data.path) }
        }
        return piece
    }

    /// One of the two alternating output buffers, grown to `byteCount` if needed.
    private func buffer(byteCount: Int) throws(NiftiError) -> UnsafeMutableRawBufferPointer {
        if buffers.isEmpty {
            buffers = [PageBuffer(byteCount: byteCount), PageBuffer(byteCount: byteCount)]
        }
        let index = nextBuffer
        nextBuffer ^= 1
        if buffers[index].bytes.count < byteCount {
            buffers[index] = PageBuffer(byteCount: byteCount)
        }
        return UnsafeMutableRawBufferPointer(rebasing: buffers[index].bytes[0..<byteCount])
    }

    /// Inflates and discards `count` bytes (the header, extensions, and voxels before a range).
    static func skip(_ count: Int, of inflater: GzipInflater, file: NiftiFile) throws(NiftiError) {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: min(max(count, 1), 1 << 18), alignment: 16)
        defer { scratch.deallocate() }
        var remaining = count
        while remaining > 0 {
            let step = min(remaining, scratch.count)
            let got = try inflater.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<step]))
            guard got == step else {
                throw .truncatedData(
                    expectedBytes: file.header.dataByteCount, actualBytes: 0, path: file.data.path)
            }
            remaining -= step
        }
    }
}
