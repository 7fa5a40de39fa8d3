import Foundation
import NiftiIO
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Files that are not what a reader expects, or that change while it reads them: each must end in one typed
/// error, never a hang or a crash.
@Suite struct HostileFileTests {
    @Test func aFifoWithNoWriterIsRefusedAtOnce() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("pipe.nii")
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: NiftiError.notARegularFile(kind: "a FIFO or pipe", path: path)) { try NiftiFile(path: path) }
    }

    @Test func devicesAndFoldersAreNotFiles() throws {
        let folder = TemporaryDirectory()
        #expect(throws: NiftiError.notARegularFile(kind: "a character device", path: "/dev/null")) {
            try NiftiFile(path: "/dev/null")
        }
        #expect(throws: NiftiError.notARegularFile(kind: "a character device", path: "/dev/zero")) {
            try NiftiFile(path: "/dev/zero")
        }
        #expect(throws: NiftiError.notARegularFile(kind: "a folder", path: folder.path)) {
            try NiftiFile(path: folder.path)
        }
        #expect(
            NiftiError.notARegularFile(kind: "a folder", path: "x").description == "not a regular file (a folder): x")
    }

    /// The file shrinks under the mapping between two slabs (a program still writing it truncated it): the next
    /// slab fails with `fileChanged` instead of the process dying of SIGBUS.
    @Test(arguments: [false, true])
    func aFileTruncatedWhileReadIsReportedNotFatal(truncateBeforeLastSlab: Bool) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("growing.nii")
        let fixture = NiftiFixture(shape: [256, 256, 16], dataType: .uint8)
        try fixture.write((0..<(256 * 256 * 16)).map { Int64($0 % 7) }, to: path)
        let file = try NiftiFile(path: path)
        let stream = try file.makeSlabStream(size: SlabSize(voxels: 256 * 256 * 4))
        var sum = 0
        let first = try #require(try stream.next())
        sum += Int(first.bytes[0])
        if truncateBeforeLastSlab {
            for _ in 0..<2 { _ = try stream.next() }
        }
        #expect(truncate(path, 352 + 256 * 256) == 0)
        #expect(throws: NiftiError.fileChanged(path: path)) {
            while let slab = try stream.next() {
                // Touch every page, as a consumer does.
                for offset in stride(from: 0, to: slab.bytes.count, by: 4096) { sum &+= Int(slab.bytes[offset]) }
            }
        }
    }

    /// A small image followed by many zeros inside the gzip stream is refused after the first extra bytes,
    /// without inflating the rest.
    @Test func gzipDataPastTheVoxelsIsRefusedEarly() throws {
        let folder = TemporaryDirectory()
        let plain = folder.file("plain.nii")
        try NiftiFixture(shape: [4, 4, 4], dataType: .uint8).write([Int64](repeating: 1, count: 64), to: plain)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: plain))) + [UInt8](repeating: 0, count: 8 << 20)
        let path = folder.file("padded.nii.gz")
        try Data(NiftiFixture.gzip(bytes)).write(to: URL(fileURLWithPath: path))
        let file = try NiftiFile(path: path)
        #expect {
            try file.verifyData()
        } throws: { error in
            guard case NiftiError.trailingData(let count, exact: false, _) = error else { return false }
            return count > 0 && count <= 4096
        }
    }
}
