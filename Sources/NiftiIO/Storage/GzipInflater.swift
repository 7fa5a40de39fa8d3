import CPlatform

/// Streams the decompressed bytes of a (possibly multi-member) gzip file held in memory.
///
/// Members are inflated one after another, each one's CRC-32 and length checked by the decoder; after the last
/// one only zero padding may follow. The caller asks for exactly the bytes it needs (``read(into:)``), so nothing
/// beyond the voxel data is ever written, and ``finish()`` checks the stream ends where the image does.
///
/// The decoder is zlib by default and Intel's ISA-L with the package trait `ISAL` (``GzipMemberDecoder`` has
/// one file per library); this type holds what both share: members, padding, truncation, and the 4 GiB limit
/// of their 32-bit counts. When the decoder leaves the trailer to its caller (zlib where a carry-less-multiply
/// CRC-32 is available: zlib 1.2's own CRC was 40 % of a label-map pair's profile), the trailer is checked here.
final class GzipInflater {
    private let decoder: GzipMemberDecoder
    /// The running CRC-32 and length of the current member, when this type checks the trailer.
    private var trailer: TrailerCheck?
    private let input: UnsafeRawBufferPointer
    private let path: String
    /// Offset in `input` of the next byte the decoder has not consumed.
    private var consumed = 0
    private var memberEnded = false
    private var isFinished = false

    /// Prepares to inflate `input`, which must start with a gzip member (`1f 8b`).
    init(input: UnsafeRawBufferPointer, path: String) throws(NiftiError) {
        self.input = input
        self.path = path
        decoder = try GzipMemberDecoder(path: path)
        trailer = decoder.verifiesTrailer ? nil : TrailerCheck()
    }

    /// A second inflater at exactly this one's position, sharing nothing with it.
    ///
    /// Lets several readers start at different offsets of one stream after a single pass over the bytes before
    /// them, instead of each inflating from the start. Without `verifyingChecksums` the copy skips the CRC-32 and
    /// length of the members it reads (zlib only; ISA-L's checksum costs next to nothing): for a caller whose
    /// original inflates every byte the copy will, and verifies them, that work would be done twice.
    func copy(verifyingChecksums: Bool) throws(NiftiError) -> GzipInflater {
        try GzipInflater(copying: self, verifyingChecksums: verifyingChecksums)
    }

    private init(copying other: GzipInflater, verifyingChecksums: Bool) throws(NiftiError) {
        input = other.input
        path = other.path
        consumed = other.consumed
        memberEnded = other.memberEnded
        isFinished = other.isFinished
        decoder = try GzipMemberDecoder(copying: other.decoder, verifyingChecksums: verifyingChecksums)
        trailer = verifyingChecksums ? other.trailer : nil
    }

    /// How many compressed bytes the decoder has consumed so far (pages before this can be released).
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
            // The decoders' counts are 32-bit: feed and fill at most 1 GiB at a time.
            let chunkIn = min(input.count - consumed, 1 << 30)
            let chunkOut = min(buffer.count - written, 1 << 30)
            let step = try decoder.decode(
                UnsafeRawBufferPointer(rebasing: input[consumed..<(consumed + chunkIn)]),
                into: UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + chunkOut)]))
            trailer?.add(UnsafeRawBufferPointer(rebasing: buffer[written..<(written + step.produced)]))
            consumed += step.consumed
            written += step.produced
            if step.memberEnded {
                memberEnded = true
                try checkTrailer()
            } else if step.consumed == 0 && step.produced == 0 {
                // With output room left, no progress means the input ran out in the middle of a member.
                throw .truncatedGzip(path: path)
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

    /// Compares the 8-byte trailer the decoder just consumed with what was inflated, when this type checks it.
    private func checkTrailer() throws(NiftiError) {
        guard let check = trailer else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: input[(consumed - 8)..<consumed])
        if UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)) != check.crc {
            throw .corruptGzip(message: "incorrect data check", path: path)
        }
        if UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) != check.length {
            throw .corruptGzip(message: "incorrect length check", path: path)
        }
        trailer = TrailerCheck()
    }

    /// After a member's trailer: another member, zero padding up to the end, or garbage.
    private func startNextMember() throws(NiftiError) {
        memberEnded = false
        let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
        if rest.isEmpty {
            isFinished = true
        } else if rest.count >= 2 && rest[0] == 0x1F && rest[1] == 0x8B {
            try decoder.startNextMember()
        } else if rest.allSatisfy({ $0 == 0 }) {
            consumed = input.count
            isFinished = true
        } else {
            throw .trailingGarbage(offset: consumed, path: path)
        }
    }
}

/// The CRC-32 and length (ISIZE, modulo 2³²) of a member's inflated bytes so far.
struct TrailerCheck {
    private(set) var crc: UInt32 = 0
    private(set) var length: UInt32 = 0

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        crc = segscore_crc32(crc, base, UInt(bytes.count))
        length &+= UInt32(truncatingIfNeeded: bytes.count)
    }
}

/// What one call of a ``GzipMemberDecoder`` did.
struct GzipStep {
    /// Compressed bytes consumed.
    let consumed: Int
    /// Decompressed bytes written.
    let produced: Int
    /// Whether the member ended, its trailer verified.
    let memberEnded: Bool
}
