import Foundation

/// Where the tests find their fixtures, worked out from this source file's location so that `swift test`
/// works from any directory and with any scratch path.
public enum TestPaths {
    /// The repository root: this file is `<root>/Tests/TestSupport/TestPaths.swift`.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `<root>/TestData`, written by `scripts/make-testdata.py`.
    public static let testData = repositoryRoot + "/TestData"

    /// `<root>/../shared/corpus`: real NIfTI files shared between projects, absent on most machines.
    public static let corpus = URL(fileURLWithPath: repositoryRoot + "/../shared/corpus").standardized.path

    /// Whether the shared corpus and its expected values exist; corpus tests are skipped otherwise.
    public static var isCorpusAvailable: Bool {
        FileManager.default.fileExists(atPath: corpus + "/expected.json")
    }

    /// A path inside `TestData`.
    public static func testData(_ relativePath: String) -> String { testData + "/" + relativePath }

    /// A path inside the shared corpus.
    public static func corpus(_ relativePath: String) -> String { corpus + "/" + relativePath }
}
