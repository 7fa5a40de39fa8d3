import Foundation
import TestSupport
import Testing

/// `cohort --nnunet-compatible`: nnU-Net's empty rule and its summary.json spelling.
@Suite struct NnUNetCompatibleEndToEndTests {
    @Test func summaryIsWrittenAsNnUNetWritesIt() throws {
        let directory = TemporaryDirectory()
        try directory.makeFolders("p", "r")
        let fixture = NiftiFixture(shape: [4, 1, 1], dataType: .uint8)
        // Label 2 only predicted (nnU-Net: Dice 0), label 3 in neither image of case a (NaN).
        try fixture.write([1, 2, 0, 0], to: directory.file("p/a.nii"))
        try fixture.write([1, 0, 0, 0], to: directory.file("r/a.nii"))
        try fixture.write([1, 3, 0, 0], to: directory.file("p/b.nii"))
        try fixture.write([1, 3, 0, 0], to: directory.file("r/b.nii"))
        let arguments = [
            "cohort", "--pred", directory.file("p"), "--ref", directory.file("r"), "--output-dir",
            directory.file("out"), "--quiet", "--nnunet-compatible",
        ]
        let run = try SegscoreProcess.run(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: directory.file("out/summary.json"), encoding: .utf8)
        #expect(text.hasPrefix("{\n    \"foreground_mean\": {\n        \"Dice\": "))
        #expect(!text.hasSuffix("\n"))
        #expect(text.contains("\"Dice\": 0.0,\n") && text.contains("\"Dice\": NaN,\n"))
        #expect(text.contains("\"TP\": 1,\n") && text.contains("\"TP\": 1.0,\n"))
        let conflicting = try SegscoreProcess.run(arguments + ["--empty-rule", "ignore"])
        #expect(conflicting.status == 2)
    }
}
