import Foundation
import NiftiIO
import TestSupport
import Testing

/// `cohort --resume` and `merge` never trust a case file they cannot vouch for (issue 10, items 3, 4 and 16).
@Suite struct ResumeSafetyTests {
    /// Four cases of 4³ label maps in a temporary folder.
    final class SmallCohort {
        let folder = TemporaryDirectory()
        var predictions: String { folder.file("pred") }
        var references: String { folder.file("ref") }

        init() throws {
            for path in [predictions, references] {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
            for i in 0..<4 {
                try write((0..<64).map { Int64(($0 + i) % 3) }, to: "\(predictions)/c\(i).nii")
                try write((0..<64).map { Int64($0 % 3) }, to: "\(references)/c\(i).nii")
            }
        }

        func write(_ voxels: [Int64], to path: String) throws {
            try NiftiFixture(shape: [4, 4, 4], dataType: .uint8).write(voxels, to: path)
        }

        func cohort(_ output: String, _ extra: [String] = []) throws -> SegscoreProcess.Result {
            try SegscoreProcess.run(
                ["cohort", "--pred", predictions, "--ref", references, "--output-dir", folder.file(output), "--quiet"]
                    + extra)
        }

        /// Every file under the output folder `name`, by relative path.
        func files(_ name: String) throws -> [String: Data] {
            let base = folder.file(name)
            var files: [String: Data] = [:]
            for path in try FileManager.default.subpathsOfDirectory(atPath: base) {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory),
                    !isDirectory.boolValue
                {
                    files[path] = try Data(contentsOf: URL(filePath: base + "/" + path))
                }
            }
            return files
        }

        func edit(_ path: String, _ change: (String) -> String) throws {
            let text = try String(contentsOfFile: folder.file(path), encoding: .utf8)
            try change(text).write(toFile: folder.file(path), atomically: false, encoding: .utf8)
        }
    }

    /// `cp -p`, `rsync -a`, `tar x`: a different prediction with the old modification time.
    @Test func aReplacedInputWithAnOldModificationTimeIsScoredAgain() throws {
        let cohort = try SmallCohort()
        #expect(try cohort.cohort("out").status == 0)
        let path = cohort.predictions + "/c1.nii"
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate]
        try cohort.write((0..<64).map { Int64($0 % 3) }, to: path)
        try FileManager.default.setAttributes([.modificationDate: modified as Any], ofItemAtPath: path)
        #expect(try cohort.cohort("out", ["--resume"]).status == 0)
        #expect(try cohort.cohort("fresh").status == 0)
        #expect(try cohort.files("out") == cohort.files("fresh"))
    }

    /// A case file without stamps (an older segscore) or with edited counts is scored again.
    @Test func resumeScoresAgainWhatItCannotTrust() throws {
        let cohort = try SmallCohort()
        #expect(try cohort.cohort("out").status == 0)
        let clean = try cohort.files("out")
        try cohort.edit("out/cases/c1.json") { text in
            text.replacingOccurrences(of: #",\n  "inputStamps"[\s\S]*"#, with: "\n}\n", options: .regularExpression)
        }
        try cohort.edit("out/cases/c0.json") { $0.replacingOccurrences(of: "\"tp\": ", with: "\"tp\": -") }
        try cohort.edit("out/cases/c2.json") { text in
            text.replacingOccurrences(
                of: #""tp": \d+"#, with: "\"tp\": 9223372036854775807", options: .regularExpression)
        }
        let edited = try cohort.files("out")
        for name in ["c0", "c1", "c2"] { #expect(edited["cases/\(name).json"] != clean["cases/\(name).json"]) }
        let resumed = try cohort.cohort("out", ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try cohort.files("out") == clean)
    }

    @Test func mergeRefusesAnEditedCaseFile() throws {
        let cohort = try SmallCohort()
        #expect(try cohort.cohort("part", ["--shard", "1/1"]).status == 0)
        try cohort.edit("part/cases/c3.json") { text in
            text.replacingOccurrences(
                of: #""tp": \d+"#, with: "\"tp\": 9223372036854775807", options: .regularExpression)
        }
        let merge = try SegscoreProcess.run([
            "merge", cohort.folder.file("part"), "--output-dir", cohort.folder.file("merged"),
        ])
        #expect(merge.status == 3, "\(merge.stdout) \(merge.stderr)")
        #expect(merge.stderr.hasPrefix("segscore: error: case result is damaged or edited"), "\(merge.stderr)")
    }

    /// A second run into a locked folder exits 3 naming the holder; once free, a run removes the temporary files
    /// a `kill -9` left behind (and nothing else), then its lock file.
    @Test func aLockedFolderIsRefusedAndStaleTemporaryFilesAreRemoved() throws {
        let cohort = try SmallCohort()
        let output = cohort.folder.file("out")
        try FileManager.default.createDirectory(atPath: output + "/cases", withIntermediateDirectories: true)
        let fd = open(output + "/.segscore.lock", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        #expect(write(fd, "4242\n", 5) == 5)
        let refused = try cohort.cohort("out")
        close(fd)
        #expect(refused.status == 3)
        // The holder is found in /proc/locks (this test process) or, failing that, in the file.
        let named = ["process \(getpid()))", "process 4242)"].contains { refused.stderr.contains($0) }
        #expect(named && refused.stderr.contains("is writing into this folder"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output + "/summary.json"))

        let stale = [output + "/.segscore-a1B2c3", output + "/cases/.segscore-Zz9yY8"]
        let kept = [output + "/.segscore-kept.json", output + "/cases/notes.txt"]
        for path in stale + kept { #expect(FileManager.default.createFile(atPath: path, contents: Data())) }
        #expect(try cohort.cohort("out", ["--resume"]).status == 0)
        for path in stale { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        for path in kept { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        #expect(!FileManager.default.fileExists(atPath: output + "/.segscore.lock"))
    }
}
