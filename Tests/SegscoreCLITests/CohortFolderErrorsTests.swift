import Foundation
import TestSupport
import Testing

/// Folder problems a cohort meets before scoring anything: one line each, with the system's reason.
@Suite struct CohortFolderErrorsTests {
    @Test func folderErrorsSayWhy() throws {
        let folder = TemporaryDirectory()
        let file = folder.file("results")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let blocked = try SegscoreProcess.run([
            "cohort", "--pred", "TestData/sample", "--ref", "TestData/sample", "--output-dir", file + "/run", "--quiet",
        ])
        #expect(blocked.status == 3)
        #expect(blocked.stderr == "segscore: error: cannot create folder (a file of that name exists): \(file)\n")
        let missing = try SegscoreProcess.run([
            "cohort", "--pred", folder.file("nowhere"), "--ref", "TestData/sample", "--output-dir",
            folder.file("out"), "--quiet",
        ])
        #expect(missing.status == 3)
        #expect(missing.stderr.hasPrefix("segscore: error: cannot list folder (No such file or directory): "))
    }
}
