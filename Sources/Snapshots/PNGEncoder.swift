import CZlib

/// Writes an ``RGBImage`` as a PNG file's bytes: signature, IHDR, IDAT chunks of zlib-compressed scanlines, IEND.
///
/// Truecolour 8-bit, no interlacing. Every scanline uses the Up filter (each byte minus the one above it): the
/// flat colours and slowly varying greys of a snapshot then become runs of zeros, which deflate shrinks well.
/// Compressed data leave zlib in 32 KiB pieces, each its own IDAT chunk, so the encoder never holds the whole
/// stream twice.
package enum PNGEncoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// PNG filter type 2.
    static let upFilter: UInt8 = 2
    private static let chunkCapacity = 1 << 15

    package static func encode(_ image: RGBImage) -> [UInt8] {
        var png = signature
        var header: [UInt8] = []
        append(UInt32(image.width), to: &header)
        append(UInt32(image.height), to: &header)
        // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
        header += [8, 2, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        deflateScanlines(of: image) { appendChunk("IDAT", Array($0), to: &png) }
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Compresses the filtered scanlines as one zlib stream, handing each full (and the last) output piece on.
    private static func deflateScanlines(of image: RGBImage, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        // Window 15: a zlib (not gzip) wrapper, as PNG requires.
        let status = CZlib_deflateInit2(stream, Z_DEFAULT_COMPRESSION, 15)
        precondition(status == Z_OK, "deflateInit2 returned \(status): zlib is out of memory")
        let rowBytes = 3 * image.width
        let line = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: rowBytes + 1)
        let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkCapacity)
        defer {
            line.deallocate()
            output.deallocate()
        }
        var filled = 0
        /// Feeds `input` (empty to finish) and emits every piece that fills up, and at the end the rest.
        func compress(_ input: UnsafeBufferPointer<UInt8>, finish: Bool) {
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            while true {
                stream.pointee.next_out = output.baseAddress.unsafelyUnwrapped + filled
                stream.pointee.avail_out = UInt32(output.count - filled)
                let result = deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
                precondition(result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR, "deflate: \(result)")
                filled = output.count - Int(stream.pointee.avail_out)
                let ended = result == Z_STREAM_END
                if filled == output.count || (ended && filled > 0) {
                    emit(UnsafeBufferPointer(rebasing: output[0..<filled]))
                    filled = 0
                }
                if ended || (!finish && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) { return }
            }
        }
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                line[0] = upFilter
                let row = y * rowBytes
                for i in 0..<rowBytes {
                    line[1 + i] = y == 0 ? pixels[row + i] : pixels[row + i] &- pixels[row - rowBytes + i]
                }
                compress(UnsafeBufferPointer(line), finish: false)
            }
        }
        compress(UnsafeBufferPointer(start: nil, count: 0), finish: true)
    }

    /// Length, type, data and the CRC-32 of type and data.
    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        append(UInt32(data.count), to: &png)
        let body = Array(type.utf8) + data
        png += body
        append(UInt32(body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }), to: &png)
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
