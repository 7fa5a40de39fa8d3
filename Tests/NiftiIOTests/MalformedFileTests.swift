import NiftiIO
import TestSupport
import Testing

/// Every file in `TestData/malformed/` is refused with the documented ``NiftiError`` case.
@Suite struct MalformedFileTests {
    static let paths = ExpectedValues.testData?.malformed?.keys.sorted() ?? []

    @Test(arguments: paths)
    func isRefusedWithTheDocumentedError(_ path: String) throws {
        let expected = try #require(ExpectedValues.testData?.malformed?[path])
        let fullPath = TestPaths.testData(path)
        #expect(expected.exitCode == 3)
        switch expected.stage {
        case "open":
            #expect {
                _ = try NiftiFile(path: fullPath)
            } throws: { error in
                (error as? NiftiError).map { $0.matches(expected) && $0.path.hasPrefix(TestPaths.testData) } ?? false
            }
        case "stream":
            #expect {
                try NiftiFile(path: fullPath).verifyData()
            } throws: { error in
                (error as? NiftiError)?.matches(expected) ?? false
            }
        case "labels":
            // A valid header (the `header` command shows it) whose voxels are no plain numbers.
            let file = try NiftiFile(path: fullPath)
            #expect(!file.header.dataType.isNumeric)
            #expect(expected.error == "unsupportedDataType")
            #expect(throws: VoxelCensus.NotNumeric.self) { try VoxelCensus(of: file, chunkBytes: 1 << 20) }
        default:
            Issue.record("unknown stage \(expected.stage) for \(path)")
        }
    }

    @Test func errorDescriptionsNameTheFile() throws {
        let path = TestPaths.testData("malformed/dim2-negative.nii")
        #expect {
            _ = try NiftiFile(path: path)
        } throws: { error in
            "\(error)" == "invalid dim[2] = -5: every extent must be at least 1: \(path)"
        }
    }
}
