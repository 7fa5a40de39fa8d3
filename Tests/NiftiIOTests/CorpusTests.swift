import NiftiIO
import TestSupport
import Testing

/// Real-world files from `../shared/corpus` against the values nibabel computed for them.
///
/// The corpus is shared read-only material that is not part of this repository; without it these tests
/// are skipped, with a message.
@Suite(.enabled(if: TestPaths.isCorpusAvailable, "\(TestPaths.corpus) is absent: corpus tests skipped"))
struct CorpusTests {
    static let paths = ExpectedValues.corpus?.files.keys.sorted() ?? []

    @Test func expectedValuesAreReadable() throws {
        let expected = try ExpectedValues.load(TestPaths.corpus("expected.json"))
        #expect(expected.files.count >= 40)
    }

    @Test(arguments: paths)
    func headerMatchesNibabel(_ path: String) throws {
        let expected = try #require(ExpectedValues.corpus?.files[path])
        let file = try NiftiFile(path: TestPaths.corpus(path))
        let diffs = HeaderComparison.differences(file, expected.header, affineTolerance: 1e-4)
        #expect(diffs.isEmpty, "\(path): \(diffs)")
    }

    @Test(arguments: paths)
    func voxelValuesMatchNibabel(_ path: String) throws {
        let expected = try #require(ExpectedValues.corpus?.files[path])
        let file = try NiftiFile(path: TestPaths.corpus(path))
        guard file.header.dataType.isNumeric else {
            // complex64: the header reads fine; the voxels are refused as labels.
            #expect(expected.labelMap?.acceptable == false)
            #expect(expected.labelMap?.reason?.contains(file.header.dataType.name) == true)
            try file.verifyData()
            return
        }
        let census = try VoxelCensus(of: file, chunkBytes: 1 << 20)
        #expect(census.voxelCount == file.header.voxelCount)
        switch expected.labels {
        case .counts(let counts):
            #expect(census.counts == counts, "\(path)")
            #expect(census.nonFinite + census.nonIntegral == 0)
        case .digest(let nLabels, let min, let max, let nonzeroVoxels, let sha256):
            let values = census.counts.keys.compactMap { Int($0) }.sorted()
            #expect(values.count == nLabels && values.first == min && values.last == max)
            #expect(census.voxelCount - (census.counts["0"] ?? 0) == nonzeroVoxels)
            let lines = values.map { "\($0):\(census.counts[String($0)] ?? 0)\n" }.joined()
            #expect(SHA256.hex(lines.utf8) == sha256, "\(path): label digest")
        case nil:
            // Not a label map: the reason states how many distinct non-integral values there are.
            let reason = try #require(expected.labelMap?.reason)
            #expect(expected.labelMap?.acceptable == false)
            #expect(census.nonIntegral + census.nonFinite > 0)
            #expect(reason.contains("(\(census.distinctValues) distinct values)"), "\(path): \(reason)")
        }
    }
}
