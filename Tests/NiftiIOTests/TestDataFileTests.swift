import NiftiIO
import TestSupport
import Testing

/// Every readable file in `TestData/` against the values nibabel/numpy computed for it.
@Suite struct TestDataFileTests {
    static let paths = ExpectedValues.testData?.files.keys.sorted() ?? []

    /// Chunk sizes for the voxel reader: one voxel at a time, an odd byte count (rounded down to whole
    /// voxels), and one chunk for the whole file.
    static let chunkSizes = [1, 7, 1 << 20]

    @Test func expectedValuesCoverTheFixtures() throws {
        let expected = try ExpectedValues.load(TestPaths.testData("expected.json"))
        #expect(expected.files.count >= 40)
        #expect((expected.malformed?.count ?? 0) >= 40)
    }

    @Test(arguments: paths)
    func headerMatchesNibabel(_ path: String) throws {
        let expected = try #require(ExpectedValues.testData?.files[path])
        let file = try NiftiFile(path: TestPaths.testData(path))
        let diffs = HeaderComparison.differences(file, expected.header, affineTolerance: 1e-9)
        #expect(diffs.isEmpty, "\(path): \(diffs)")
    }

    @Test(arguments: paths)
    func voxelValuesMatchNumpyForEveryChunkSize(_ path: String) throws {
        let expected = try #require(ExpectedValues.testData?.files[path])
        let file = try NiftiFile(path: TestPaths.testData(path))
        let censuses = try Self.chunkSizes.map { try VoxelCensus(of: file, chunkBytes: $0) }
        #expect(censuses.allSatisfy { $0 == censuses[0] }, "\(path): results depend on the chunk size")
        let census = censuses[0]
        #expect(census.voxelCount == file.header.voxelCount)
        if let kinds = expected.values {
            #expect(ValueKinds(nonFinite: census.nonFinite, nonIntegral: census.nonIntegral) == kinds)
        }
        switch expected.labels {
        case .counts(let counts): #expect(census.counts == counts, "\(path)")
        case .digest, nil: #expect(census.nonFinite + census.nonIntegral > 0, "\(path): expected no label counts")
        }
        try file.verifyData()
    }

    @Test(arguments: ["dtype-int16-be.nii", "gzip-two-members.nii.gz", "pair-img-gz.hdr", "nifti2-float64.nii.gz"])
    func subrangesConcatenateToTheWholeImage(_ path: String) throws {
        let file = try NiftiFile(path: TestPaths.testData(path))
        let whole = try Self.bytes(of: file, range: nil)
        let cuts = [0, 1, file.header.voxelCount / 3, file.header.voxelCount - 1, file.header.voxelCount]
        var pieces: [UInt8] = []
        for (start, end) in zip(cuts, cuts.dropFirst()) {
            pieces += try Self.bytes(of: file, range: start..<end)
        }
        #expect(pieces == whole)
        #expect(whole.count == file.header.dataByteCount)
    }

    @Test(arguments: ["dtype-float64-le.nii", "gzip-single.nii.gz"])
    func aChunkStaysValidUntilTheCallAfterNext(_ path: String) throws {
        let file = try NiftiFile(path: TestPaths.testData(path))
        let stream = try file.makeSlabStream(size: SlabSize(voxels: 1))
        var previous: (slab: UnsafeRawBufferPointer, copy: [UInt8])?
        var slabs = 0
        while let slab = try stream.next() {
            if let previous { #expect(Array(previous.slab) == previous.copy) }
            previous = (slab.bytes, Array(slab.bytes))
            slabs += 1
        }
        #expect(slabs > 2)
        #expect(stream.isAtEnd)
    }

    /// Slabs are whole slices, and with `keepsPreviousSlice` each carries a copy of the slice before it, intact
    /// even after the stream has moved on (a producer one slab ahead).
    @Test(arguments: ["dtype-int16-be.nii", "gzip-single.nii.gz", "gzip-two-members.nii.gz"])
    func slabsAreWholeSlicesWithThePreviousSliceBesideThem(_ path: String) throws {
        let file = try NiftiFile(path: TestPaths.testData(path))
        let whole = try Self.bytes(of: file, range: nil)
        let shape = file.header.spatialShape
        let sliceBytes = shape[0] * shape[1] * file.header.dataType.bytesPerVoxel
        for slabVoxels in [1, shape[0] * shape[1] * 2 + 1, file.header.voxelCount] {
            let stream = try file.makeSlabStream(size: SlabSize(voxels: slabVoxels), keepsPreviousSlice: true)
            var pending: [(slab: Slab, bytes: [UInt8], context: [UInt8]?)] = []
            var delivered: [UInt8] = []
            while let slab = try stream.next() {
                #expect(slab.bytes.count == slab.sliceCount * sliceBytes)
                #expect(slab.sliceCount == min(stream.slicesPerSlab, shape[2] - slab.firstSlice))
                let expectedContext =
                    slab.firstSlice == 0
                    ? nil : Array(whole[((slab.firstSlice - 1) * sliceBytes)..<(slab.firstSlice * sliceBytes)])
                #expect(slab.previousSlice.map(Array.init) == expectedContext)
                // The slab before this one must still read as it did (valid until the call after next).
                if let last = pending.last {
                    #expect(Array(last.slab.bytes) == last.bytes)
                    #expect(last.slab.previousSlice.map(Array.init) == last.context)
                }
                pending = [(slab, Array(slab.bytes), slab.previousSlice.map(Array.init))]
                delivered += slab.bytes
            }
            #expect(delivered == whole)
        }
    }

    private static func bytes(of file: NiftiFile, range: Range<Int>?) throws -> [UInt8] {
        let reader = try file.makeVoxelReaders(ranges: [range ?? 0..<file.header.voxelCount])[0]
        var bytes: [UInt8] = []
        while let piece = try reader.next(voxels: max(1, 100 / file.header.dataType.bytesPerVoxel)) { bytes += piece }
        return bytes
    }
}
