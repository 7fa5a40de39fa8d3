#if !ISAL
    import CPlatform
    import CZlib

    /// Inflates gzip members with zlib, the default backend of ``GzipInflater``.
    ///
    /// zlib checks each member's header itself, and its CRC-32 and length too where this machine has no fast CRC-32
    /// (``verifiesTrailer``); elsewhere ``GzipInflater`` checks them with ``segscore_crc32``, about three times
    /// faster than zlib 1.2's tables. zlib keeps the address of its `z_stream` in its
    /// internal state, so the stream lives in its own allocation and never moves (the same reason compress-nio
    /// and swift-nio-extras heap-allocate it).
    final class GzipMemberDecoder {
        private let stream: UnsafeMutablePointer<z_stream>
        private let path: String
        /// Whether zlib checks each member's CRC-32 and length; when not, the caller must.
        let verifiesTrailer: Bool

        init(path: String) throws(NiftiError) {
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
            verifiesTrailer = segscore_crc32_is_fast() == 0
            // Off for every member (inflateReset keeps the setting). It also skips the optional 16-bit header CRC
            // (FHCRC), which covers only the header's own fields; GzipInflater checks the data's CRC-32 and length.
            if !verifiesTrailer { inflateValidate(stream, 0) }
        }

        /// A decoder at exactly this one's position, sharing nothing with it (zlib's `inflateCopy`); without
        /// `verifyingChecksums` it skips the CRC-32 and length checks (`inflateValidate`).
        init(copying other: GzipMemberDecoder, verifyingChecksums: Bool) throws(NiftiError) {
            path = other.path
            verifiesTrailer = other.verifiesTrailer
            stream = .allocate(capacity: 1)
            stream.initialize(to: z_stream())
            let status = inflateCopy(stream, other.stream)
            guard status == Z_OK else {
                stream.deinitialize(count: 1)
                stream.deallocate()
                throw .corruptGzip(message: "inflateCopy returned \(status)", path: path)
            }
            if !verifyingChecksums { inflateValidate(stream, 0) }
        }

        deinit {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }

        /// Inflates from `input` into `output` (each at most 4 GiB) until either runs out or the member ends.
        ///
        /// No progress at all (nothing consumed, nothing produced, the member not ended) means the input ran out
        /// inside the member; the caller decides whether that is truncation.
        func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(NiftiError)
            -> GzipStep
        {
            stream.pointee.next_in = input.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) }
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = output.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) }
            stream.pointee.avail_out = uInt(output.count)
            let status = inflate(stream, Z_NO_FLUSH)
            let step = GzipStep(
                consumed: input.count - Int(stream.pointee.avail_in),
                produced: output.count - Int(stream.pointee.avail_out),
                memberEnded: status == Z_STREAM_END)
            switch status {
            case Z_OK, Z_STREAM_END:
                return step
            case Z_BUF_ERROR:
                // Not fatal in itself: “no progress possible”, which the caller reads as running out of input.
                return step
            case Z_MEM_ERROR:
                throw .corruptGzip(message: "out of memory", path: path)
            default:
                // Z_DATA_ERROR (bad block, CRC-32 or length), Z_NEED_DICT, Z_STREAM_ERROR.
                if let message = stream.pointee.msg {
                    throw .corruptGzip(message: String(cString: message), path: path)
                }
                throw .corruptGzip(message: "zlib status \(status)", path: path)
            }
        }

        /// Prepares for the next member after one ended.
        func startNextMember() throws(NiftiError) {
            guard inflateReset(stream) == Z_OK else {
                throw .corruptGzip(message: "inflateReset failed", path: path)
            }
        }
    }
#endif
