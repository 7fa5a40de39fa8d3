/// Wraps bytes in a valid gzip member without compressing them (deflate "stored" blocks), so tests can make
/// `.nii.gz` files of arbitrary content without a zlib dependency.
public enum StoredGzip {
    /// One gzip member (RFC 1952, no optional fields, MTIME 0) holding `bytes` in stored blocks.
    public static func wrap(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var start = 0
        repeat {
            let end = min(start + 0xFFFF, bytes.count)
            let length = UInt16(end - start)
            out.append(end == bytes.count ? 1 : 0)  // BFINAL, BTYPE 00 (stored)
            out += littleEndian(UInt32(length), count: 2) + littleEndian(UInt32(~length), count: 2)
            out += bytes[start..<end]
            start = end
        } while start < bytes.count
        let size = UInt32(truncatingIfNeeded: bytes.count)  // ISIZE is the length modulo 2^32
        return out + littleEndian(crc32(bytes), count: 4) + littleEndian(size, count: 4)
    }

    /// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), bit by bit: test inputs are tiny.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func littleEndian(_ value: UInt32, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }
}
