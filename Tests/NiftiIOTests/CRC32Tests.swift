import CPlatform
import CZlib
import TestSupport
import Testing

/// The carry-less-multiply CRC-32 that checks gzip trailers in the default build must equal zlib's `crc32` for
/// every length (the folded part, the bytes around it, and lengths below one fold) and every starting value.
@Suite
struct CRC32Tests {
    @Test func equalsZlibAtEveryLengthAndOffset() {
        var random = SplitMix64(seed: 0xC4C3_2)
        let bytes = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            var mismatches: [String] = []
            for length in Array(0...300) + [1023, 1024, 1025, 4096 + 15, 65_536, 69_000] {
                let offset = Int.random(in: 0..<16, using: &random)
                let start = length % 3 == 0 ? 0 : UInt32.random(in: 0...UInt32.max, using: &random)
                let expected = UInt32(
                    crc32(uLong(start), base.assumingMemoryBound(to: Bytef.self) + offset, uInt(length)))
                let got = segscore_crc32(start, base + offset, UInt(length))
                if got != expected { mismatches.append("length \(length) at \(offset)") }
            }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        }
    }

    @Test func continuesAcrossPieces() {
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        bytes.withUnsafeBytes { raw in
            let whole = segscore_crc32(0, raw.baseAddress!, UInt(raw.count))
            var crc: UInt32 = 0
            var start = 0
            for piece in [1, 63, 64, 65, 700, 16, 4091] {
                let end = min(start + piece, raw.count)
                crc = segscore_crc32(crc, raw.baseAddress! + start, UInt(end - start))
                start = end
            }
            #expect(start == raw.count && crc == whole)
        }
    }
}
