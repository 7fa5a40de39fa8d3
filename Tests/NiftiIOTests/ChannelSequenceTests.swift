import Foundation
import NiftiIO
import TestSupport
import Testing

/// Channels read one after another on one decompressor give each channel exactly the slabs its lockstep stream
/// gives, whichever channels are skipped, and the end of the image is still checked.
@Suite
struct ChannelSequenceTests {
    static func slabs(of stream: SlabStream) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        while let slab = try stream.next() { out.append(Array(slab.bytes)) }
        return out
    }

    static func files(in directory: TemporaryDirectory) throws -> [String] {
        let plain = TestPaths.testData("channels-5d.nii")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: plain)))
        let gzip = directory.file("one-member.nii.gz")
        try Data(NiftiFixture.gzip(bytes)).write(to: URL(fileURLWithPath: gzip))
        let members = directory.file("two-members.nii.gz")
        try Data(NiftiFixture.gzip(Array(bytes[..<500])) + NiftiFixture.gzip(Array(bytes[500...])))
            .write(to: URL(fileURLWithPath: members))
        return [plain, gzip, members]
    }

    @Test(arguments: [[0, 1, 2], [1, 2], [0, 2], [2], [0]])
    func matchesTheLockstepStreams(channels wanted: [Int]) throws {
        let directory = TemporaryDirectory()
        for path in try Self.files(in: directory) {
            let size = SlabSize(voxels: 60)
            let lockstep = try NiftiFile(path: path).makeChannelSlabStreams(channels: 3, size: size)
            let expected = try lockstep.map(Self.slabs)
            let sequence = try NiftiFile(path: path).makeChannelSequence(channels: 3, size: size)
            for c in wanted {
                #expect(try Self.slabs(of: sequence.stream(channel: c)) == expected[c], "\(path) channel \(c)")
            }
            try sequence.finish()
        }
    }

    @Test func finishRefusesBytesAfterTheImageWhenTheLastChannelWasNotRead() throws {
        let directory = TemporaryDirectory()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.testData("channels-5d.nii"))))
        let path = directory.file("long.nii.gz")
        try Data(NiftiFixture.gzip(bytes + [1, 2, 3])).write(to: URL(fileURLWithPath: path))
        let sequence = try NiftiFile(path: path).makeChannelSequence(channels: 3, size: SlabSize(voxels: 60))
        _ = try Self.slabs(of: sequence.stream(channel: 0))
        #expect(throws: NiftiError.self) { try sequence.finish() }
    }
}
