import Foundation
import TestSupport
import Testing

/// A dataset.json fixes the labels scored, as in nnU-Net, and a label it lacks is named on stderr.
@Suite struct DatasetLabelsEndToEndTests {
    @Test func labelsOutsideTheDatasetAreWarnedAboutAndNotScored() throws {
        let directory = TemporaryDirectory()
        let fixture = NiftiFixture(shape: [4, 1, 1], dataType: .uint8)
        try fixture.write([1, 5, 0, 0], to: directory.file("p.nii"))
        try fixture.write([1, 0, 0, 0], to: directory.file("r.nii"))
        let dataset = directory.file("dataset.json")
        try #"{"labels": {"background": 0, "a": 1, "b": 2}}"#.write(toFile: dataset, atomically: true, encoding: .utf8)
        let run = try SegscoreProcess.run([
            "compare", directory.file("p.nii"), directory.file("r.nii"), "--format", "csv", "--label-names", dataset,
        ])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").dropFirst().map { $0.prefix(2) } == ["1,", "2,"])
        let warnings = run.stderr.split(separator: "\n").filter { $0.contains("not in the dataset.json") }
        #expect(warnings.count == 1 && warnings[0].contains("label 5 "))
    }
}
