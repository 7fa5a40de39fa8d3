import CZlib
import Foundation

/// A PNG read back independently of segscore's encoder: every chunk's CRC checked, the IDAT stream inflated
/// with zlib, and the scanlines unfiltered (all five filter types), for 8-bit RGB and RGBA images.
public struct DecodedPNG {
    public let width: Int
    public let height: Int
    /// The chunk types in file order (`IHDR`, `IDAT`…, `IEND`).
    public let chunkTypes: [String]
    /// Red, green, blue of each pixel, row by row.
    private let pixels: [UInt8]

    public enum DecodingError: Error, Equatable {
        case signature
        case truncated
        case badCRC(chunk: String)
        case unsupported(String)
        case inflate(Int32)
        case badFilter(UInt8)
    }

    public init(contentsOf path: String) throws {
        try self.init(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    public init(bytes: [UInt8]) throws {
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw DecodingError.signature
        }
        func uint32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        var offset = 8
        var types: [String] = []
        var header: [UInt8] = []
        var compressed: [UInt8] = []
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw DecodingError.truncated }
            let length = uint32(offset)
            guard offset + 12 + length <= bytes.count else { throw DecodingError.truncated }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            let crc = body.withUnsafeBufferPointer { Int(crc32(0, $0.baseAddress, UInt32($0.count))) }
            guard crc == uint32(offset + 8 + length) else { throw DecodingError.badCRC(chunk: type) }
            types.append(type)
            if type == "IHDR" { header = Array(body.dropFirst(4)) }
            if type == "IDAT" { compressed += body.dropFirst(4) }
            offset += 12 + length
        }
        guard types.first == "IHDR", types.last == "IEND", header.count == 13 else { throw DecodingError.truncated }
        width = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        height = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
        guard header[8] == 8, header[9] == 2 || header[9] == 6, header[12] == 0 else {
            throw DecodingError.unsupported("bit depth \(header[8]), colour type \(header[9]), interlace \(header[12])")
        }
        let channels = header[9] == 2 ? 3 : 4
        chunkTypes = types
        let rowBytes = width * channels
        let raw = try Self.inflate(compressed, expected: height * (rowBytes + 1))
        var image = [UInt8](repeating: 0, count: height * rowBytes)
        for y in 0..<height {
            let filter = raw[y * (rowBytes + 1)]
            for i in 0..<rowBytes {
                let x = raw[y * (rowBytes + 1) + 1 + i]
                let a = i >= channels ? Int(image[y * rowBytes + i - channels]) : 0
                let b = y > 0 ? Int(image[(y - 1) * rowBytes + i]) : 0
                let c = y > 0 && i >= channels ? Int(image[(y - 1) * rowBytes + i - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw DecodingError.badFilter(filter)
                }
                image[y * rowBytes + i] = x &+ UInt8(truncatingIfNeeded: predictor)
            }
        }
        pixels =
            channels == 3 ? image : (0..<(width * height)).flatMap { Array(image[($0 * 4)..<($0 * 4 + 3)]) }
    }

    /// The (red, green, blue) of pixel (`x`, `y`), `y` counted from the top.
    public subscript(x: Int, y: Int) -> [UInt8] {
        let i = 3 * (y * width + x)
        return Array(pixels[i..<(i + 3)])
    }

    private static func inflate(_ input: [UInt8], expected: Int) throws -> [UInt8] {
        var stream = z_stream()
        let start = CZlib_inflateInit2(&stream, 15)
        guard start == Z_OK else { throw DecodingError.inflate(start) }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: expected + 1)
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expected, stream.avail_in == 0 else {
            throw DecodingError.inflate(status)
        }
        return Array(output.prefix(expected))
    }
}
