/// Streams a range of an image's voxels as raw bytes, chunk by chunk, in bounded memory.
///
/// An uncompressed file is read through its mapping: each chunk is a view of the mapped pages, and pages
/// behind the reader are released so resident memory stays at a couple of chunks whatever the file size.
/// A gzip file is inflated into two reused buffers that the reader alternates between. Either way a chunk
/// returned by ``next(maxBytes:)`` stays valid until the call *after* the next one, so a consumer can work on
/// one chunk while a producer fetches the following one.
///
/// Chunks hold whole voxels in file order and in the file's byte order; interpreting them (datatype, byte
/// order, scaling) is up to the caller. A reader is used by one thread at a time.
public final class VoxelReader: @unchecked Sendable {
    public let file: NiftiFile
    /// The voxel indices this reader delivers.
    public let range: Range<Int>
    /// Index of the next voxel ``next(maxBytes:)`` will deliver.
    public private(set) var position: Int
    private let bytesPerVoxel: Int
    private let inflater: GzipInflater?
    private var buffers: [PageBuffer] = []
    private var nextBuffer = 0
    /// Offset in the mapping up to which this reader has released pages.
    private var released = 0
    /// Offset in the mapping of the last chunk returned (still in use by the caller).
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

    /// Whether every voxel of ``range`` has been delivered.
    public var isAtEnd: Bool { position == range.upperBound }

    /// The next chunk: at most `maxBytes` bytes (but at least one voxel) of whole voxels, or `nil` at the end.
    ///
    /// When the last voxel of the image is delivered from a gzip stream, the rest of the stream is checked
    /// too: nothing but CRC-verified trailers and zero padding may follow.
    public func next(maxBytes: Int) throws(NiftiError) -> UnsafeRawBufferPointer? {
        guard position < range.upperBound else { return nil }
        let voxels = min(max(1, maxBytes / bytesPerVoxel), range.upperBound - position)
        let byteCount = voxels * bytesPerVoxel
        let chunk: UnsafeRawBufferPointer
        if let inflater {
            let buffer = try buffer(byteCount: byteCount)
            let got = try inflater.read(into: buffer)
            guard got == byteCount else {
                let delivered = (position - range.lowerBound) * bytesPerVoxel + got
                throw .truncatedData(
                    expectedBytes: (range.upperBound - range.lowerBound) * bytesPerVoxel, actualBytes: delivered,
                    path: file.data.path)
            }
            chunk = UnsafeRawBufferPointer(buffer)
            released = file.data.release(from: released, upTo: inflater.compressedOffset)
        } else {
            let start = file.dataStart + position * bytesPerVoxel
            chunk = UnsafeRawBufferPointer(rebasing: file.data.bytes[start..<(start + byteCount)])
            // The previous chunk stays valid for the caller; everything before it can go.
            released = file.data.release(from: released, upTo: lastChunkStart)
            lastChunkStart = start
        }
        position += voxels
        if position == file.header.voxelCount, let inflater {
            let extra = try inflater.finish()
            if extra > 0 { throw .trailingData(bytes: extra, path: file.data.path) }
        }
        return chunk
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
