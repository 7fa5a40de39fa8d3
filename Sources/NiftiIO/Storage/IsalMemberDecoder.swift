#if ISAL
    import CIsal
    import CPlatform

    /// Inflates gzip members with Intel's ISA-L (`isal_inflate`), the backend of ``GzipInflater`` when the package
    /// trait `ISAL` is enabled: about three times zlib's speed on label maps, with the same checks.
    ///
    /// With `crc_flag = ISAL_GZIP`, ISA-L parses each member's header and verifies its trailer (CRC-32 of the
    /// inflated bytes and ISIZE) before it reports the member finished. The state holds no pointers into itself
    /// (its Huffman tables and history window are inline arrays), so a plain copy of it is an independent
    /// decoder at the same position; it is heap-allocated because it is large (tens of KiB) and is handed to C.
    final class GzipMemberDecoder {
        private let state: UnsafeMutablePointer<inflate_state>
        private let path: String
        /// ISA-L checks every member's CRC-32 and length itself.
        let verifiesTrailer = true

        init(path: String) throws(NiftiError) {
            self.path = path
            state = .allocate(capacity: 1)
            state.initialize(to: inflate_state())
            isal_inflate_init(state)
            state.pointee.crc_flag = UInt32(ISAL_GZIP)
        }

        /// A decoder at exactly this one's position, sharing nothing with it. It always verifies checksums:
        /// ISA-L folds the CRC-32 into its copy loop, so skipping it would save next to nothing.
        init(copying other: GzipMemberDecoder, verifyingChecksums _: Bool) throws(NiftiError) {
            path = other.path
            state = .allocate(capacity: 1)
            state.initialize(to: other.state.pointee)
        }

        deinit {
            state.deinitialize(count: 1)
            state.deallocate()
        }

        /// Inflates from `input` into `output` (each at most 4 GiB) until either runs out or the member ends.
        ///
        /// No progress at all (nothing consumed, nothing produced, the member not ended) means the input ran out
        /// inside the member; the caller decides whether that is truncation.
        func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(NiftiError)
            -> GzipStep
        {
            // ISA-L never writes through next_in; its C declaration just lacks the const.
            state.pointee.next_in = input.baseAddress.map {
                UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self))
            }
            state.pointee.avail_in = UInt32(input.count)
            state.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
            state.pointee.avail_out = UInt32(output.count)
            let status = isal_inflate(state)
            segscore_clear_upper_registers()  // ISA-L leaves them dirty: see the function's note
            let step = GzipStep(
                consumed: input.count - Int(state.pointee.avail_in),
                produced: output.count - Int(state.pointee.avail_out),
                memberEnded: state.pointee.block_state == ISAL_BLOCK_FINISH)
            guard status == ISAL_DECOMP_OK else { throw .corruptGzip(message: Self.message(status), path: path) }
            return step
        }

        /// Prepares for the next member after one ended (a reset clears the wrapper setting too).
        func startNextMember() throws(NiftiError) {
            isal_inflate_reset(state)
            state.pointee.crc_flag = UInt32(ISAL_GZIP)
        }

        /// zlib's wording where the two libraries mean the same thing.
        private static func message(_ status: Int32) -> String {
            switch status {
            case ISAL_INVALID_BLOCK: "invalid block type"
            case ISAL_INVALID_SYMBOL: "invalid code"
            case ISAL_INVALID_LOOKBACK: "invalid distance too far back"
            case ISAL_INVALID_WRAPPER: "incorrect header check"
            case ISAL_UNSUPPORTED_METHOD: "unknown compression method"
            case ISAL_INCORRECT_CHECKSUM: "incorrect data or length check"
            case ISAL_NEED_DICT: "need dictionary"
            default: "ISA-L status \(status)"
            }
        }
    }
#endif
