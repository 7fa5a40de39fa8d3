import CZlib

/// Streams the decompressed bytes of a (possibly multi-member) gzip file held in memory.
///
/// Members are inflated one after another, each one's CRC-32 and length checked by zlib; after the last one only
/// zero padding may follow. The caller asks for exactly the bytes it needs (``read(into:)``), so nothing beyond
/// the voxel data is ever written, and ``finish()`` checks the stream ends where the image does.
///
/// zlib keeps the address of its `z_stream` in its internal state, so the stream lives in its own allocation and
/// never moves (the same reason compress-nio and swift-nio-extras heap-allocate it).
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeRawBufferPointer
    private let path: String
    /// Offset in `input` of the next byte zlib has not consumed.
    private var consumed = 0
    private var memberEnded = false
    private var isFinished = false

    /// Prepares to inflate `input`, which must start with a gzip member (`1f 8b`).
    init(input: UnsafeRawBufferPointer, path: String) throws(NiftiError) {
        self.input = input
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: a 32 KiB window and a gzip (not zlib) wrapper.
        let status = CZlib_inflateInit2(stream, 15 + 16)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .corruptGzip(message: "inflateInit2 returned \(status)", path: path)
        }
    }

    /// A second inflater at exactly this one's position, sharing nothing with it (zlib's `inflateCopy`).
    ///
    /// Lets several readers start at different offsets of one stream after a single pass over the bytes before
    /// them, instead of each inflating from the start.
    func copy() throws(NiftiError) -> GzipInflater {
        try GzipInflater(copying: self)
    }

    private init(copying other: GzipInflater) throws(NiftiError) {
        input = other.input
        path = other.path
        consumed = other.consumed
        memberEnded = other.memberEnded
        isFinished = other.isFinished
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateCopy(stream, other.stream)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .corruptGzip(message: "inflateCopy returned \(status)", path: path)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// How many compressed bytes zlib has consumed so far (pages before this can be released).
    var compressedOffset: Int { consumed }

    /// Fills `buffer` completely with the next decompressed bytes.
    ///
    /// - Returns: the number of bytes written; fewer than `buffer.count` only when the stream ended cleanly.
    /// - Throws: ``NiftiError/corruptGzip(message:path:)``, ``NiftiError/truncatedGzip(path:)`` or
    ///   ``NiftiError/trailingGarbage(offset:path:)``.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(NiftiError) -> Int {
        var written = 0
        while written < buffer.count && !isFinished {
            if memberEnded {
                try startNextMember()
                continue
            }
            let available = input.count - consumed
            // avail_in is 32-bit: feed at most 1 GiB at a time.
            let chunkIn = min(available, 1 << 30)
            let chunkOut = min(buffer.count - written, 1 << 30)
            stream.pointee.next_in = input.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) + consumed }
            stream.pointee.avail_in = uInt(chunkIn)
            stream.pointee.next_out = buffer.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) + written }
            stream.pointee.avail_out = uInt(chunkOut)
            let status = inflate(stream, Z_NO_FLUSH)
            let usedIn = chunkIn - Int(stream.pointee.avail_in)
            let usedOut = chunkOut - Int(stream.pointee.avail_out)
            consumed += usedIn
            written += usedOut
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                memberEnded = true
            case Z_BUF_ERROR:
                // Not fatal in itself: “no progress possible”. With output room left, that means the input ran
                // out in the middle of a member.
                if usedIn == 0 && usedOut == 0 { throw .truncatedGzip(path: path) }
            case Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR:
                throw .corruptGzip(message: zlibMessage(status), path: path)
            case Z_MEM_ERROR:
                throw .corruptGzip(message: "out of memory", path: path)
            default:
                throw .corruptGzip(message: zlibMessage(status), path: path)
            }
        }
        return written
    }

    /// Checks that the gzip stream ends where the caller stopped: reads on to its end (every remaining CRC
    /// checked) and returns 0, or returns the count of the first decompressed bytes found beyond, at once.
    ///
    /// Stopping at the first extra bytes matters: a small image followed by gigabytes of zeros inside the
    /// stream would otherwise be inflated in full only to be refused.
    func finish() throws(NiftiError) -> Int {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 10, alignment: 16)
        defer { scratch.deallocate() }
        while !isFinished {
            let extra = try read(into: scratch)
            if extra > 0 { return extra }
        }
        return 0
    }

    /// After a member's trailer: another member, zero padding up to the end, or garbage.
    private func startNextMember() throws(NiftiError) {
        memberEnded = false
        let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
        if rest.isEmpty {
            isFinished = true
        } else if rest.count >= 2 && rest[0] == 0x1F && rest[1] == 0x8B {
            guard inflateReset(stream) == Z_OK else {
                throw .corruptGzip(message: "inflateReset failed", path: path)
            }
        } else if rest.allSatisfy({ $0 == 0 }) {
            consumed = input.count
            isFinished = true
        } else {
            throw .trailingGarbage(offset: consumed, path: path)
        }
    }

    private func zlibMessage(_ status: Int32) -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        return "zlib status \(status)"
    }
}
