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
        let reader = try file.makeVoxelReader()
        var previous: (chunk: UnsafeRawBufferPointer, copy: [UInt8])?
        var chunks = 0
        while let chunk = try reader.next(maxBytes: 64) {
            if let previous { #expect(Array(previous.chunk) == previous.copy) }
            previous = (chunk, Array(chunk))
            chunks += 1
        }
        #expect(chunks > 2)
        #expect(reader.isAtEnd)
    }

    private static func bytes(of file: NiftiFile, range: Range<Int>?) throws -> [UInt8] {
        let reader = try file.makeVoxelReader(range: range)
        var bytes: [UInt8] = []
        while let chunk = try reader.next(maxBytes: 100) { bytes += chunk }
        return bytes
    }
}
