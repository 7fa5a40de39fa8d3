import Foundation
import NiftiIO
import TestSupport
import Testing

/// What the gzip reader must decide whichever inflate library it was built with (zlib, or ISA-L with the `ISAL`
/// trait): members split anywhere concatenate, and a wrong CRC-32, a wrong ISIZE or a cut trailer is refused.
@Suite
struct GzipMemberTests {
    /// The bytes of a small 5D image (6×5×4 × 3 channels, uint8), its voxels made less compressible.
    static func image() throws -> [UInt8] {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.testData("channels-5d.nii"))))
        // Spread values so the stream holds matches and literals, not one long run.
        var random = SplitMix64(seed: 0x15)
        let voxelStart = 352
        for i in voxelStart..<bytes.count where i % 7 != 0 { bytes[i] = UInt8.random(in: 0...40, using: &random) }
        return bytes
    }

    /// Decompressed voxel bytes of `gzip`, read through one channel stream per channel (positioned by copies of
    /// one decoder), or the error.
    static func channelBytes(_ gzip: [UInt8], in directory: TemporaryDirectory) throws -> [UInt8] {
        let path = directory.file("image.nii.gz")
        try Data(gzip).write(to: URL(fileURLWithPath: path))
        let file = try NiftiFile(path: path)
        let channels = file.header.extent4 * file.header.extent5
        var out: [UInt8] = []
        for stream in try file.makeChannelSlabStreams(channels: channels, size: SlabSize(voxels: 1)) {
            while let slab = try stream.next() { out += slab.bytes }
        }
        try file.verifyData(slab: SlabSize(voxels: 1))
        return out
    }

    @Test func membersSplitAnywhereReadLikeOne() throws {
        let directory = TemporaryDirectory()
        let bytes = try Self.image()
        let whole = try Self.channelBytes(NiftiFixture.gzip(bytes), in: directory)
        #expect(whole.count == bytes.count - 352)
        for cut in [0, 1, 200, 351, 352, 353, 700, bytes.count - 1, bytes.count] {
            let members =
                try NiftiFixture.gzip(Array(bytes[..<cut])) + NiftiFixture.gzip(Array(bytes[cut...]))
            #expect(try Self.channelBytes(members, in: directory) == whole, "members cut at \(cut)")
        }
        let padded = try NiftiFixture.gzip(bytes) + [UInt8](repeating: 0, count: 9)
        #expect(try Self.channelBytes(padded, in: directory) == whole)
    }

    @Test(arguments: [
        ("CRC-32", -8), ("ISIZE", -4),
    ])
    func aWrongTrailerFieldIsCorrupt(field: String, offsetFromEnd: Int) throws {
        let directory = TemporaryDirectory()
        var gzip = try NiftiFixture.gzip(Self.image())
        gzip[gzip.count + offsetFromEnd] ^= 0x01
        #expect(Self.errorCase(gzip, in: directory) == "corruptGzip", "\(field)")
    }

    @Test func aCutTrailerIsTruncated() throws {
        let directory = TemporaryDirectory()
        let gzip = try NiftiFixture.gzip(Self.image())
        for cut in 1...8 {
            #expect(Self.errorCase(Array(gzip.dropLast(cut)), in: directory) == "truncatedGzip", "cut \(cut)")
        }
    }

    @Test func garbageAfterTheLastMemberIsRefused() throws {
        let directory = TemporaryDirectory()
        let gzip = try NiftiFixture.gzip(Self.image()) + [0, 0, 0x42]
        #expect(Self.errorCase(gzip, in: directory) == "trailingGarbage")
    }

    private static func errorCase(_ gzip: [UInt8], in directory: TemporaryDirectory) -> String? {
        do {
            _ = try channelBytes(gzip, in: directory)
            return nil
        } catch let error as NiftiError {
            return error.caseName
        } catch {
            return "\(error)"
        }
    }
}
