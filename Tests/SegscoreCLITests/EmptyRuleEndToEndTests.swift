import Foundation
import TestSupport
import Testing

/// `--empty-rule` as a user types it, on a 4-voxel pair: label 1 overlaps, label 2 is only predicted, label 3
/// is in neither image but listed.
@Suite struct EmptyRuleEndToEndTests {
    static func dice(_ arguments: [String]) throws -> (status: Int32, dice: [Int: Double?]) {
        let directory = TemporaryDirectory()
        let fixture = NiftiFixture(shape: [4, 1, 1], dataType: .uint8)
        try fixture.write([1, 1, 2, 0], to: directory.file("p.nii"))
        try fixture.write([1, 0, 0, 0], to: directory.file("r.nii"))
        let run = try SegscoreProcess.run(
            ["compare", directory.file("p.nii"), directory.file("r.nii"), "--labels", "1,2,3", "--format", "json"]
                + arguments)
        guard run.status == 0 else { return (run.status, [:]) }
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let labels = try #require(object?["labels"] as? [[String: Any]])
        var dice: [Int: Double?] = [:]
        for entry in labels {
            dice[try #require(entry["label"] as? Int)] = entry["dice"] as? Double
        }
        return (run.status, dice)
    }

    @Test func eachRuleAndItsAliases() throws {
        let ignore: [Int: Double?] = [1: 2.0 / 3.0, 2: nil, 3: nil]
        let oneZero: [Int: Double?] = [1: 2.0 / 3.0, 2: 0, 3: 1]
        let nnunet: [Int: Double?] = [1: 2.0 / 3.0, 2: 0, 3: nil]
        #expect(try Self.dice([]).dice == ignore)
        #expect(try Self.dice(["--empty-rule", "ignore"]).dice == ignore)
        #expect(try Self.dice(["--ignore-empty"]).dice == ignore)
        #expect(try Self.dice(["--empty-rule", "one-zero"]).dice == oneZero)
        #expect(try Self.dice(["--no-ignore-empty"]).dice == oneZero)
        #expect(try Self.dice(["--empty-rule", "nnunet"]).dice == nnunet)
        #expect(try Self.dice(["--empty-rule", "nnunet", "--no-ignore-empty"]).status == 2)
        #expect(try Self.dice(["--empty-rule", "zero"]).status == 2)
    }
}

/// `--metrics` with the optional overlap metrics, on the same 4-voxel pair.
@Suite struct OverlapMetricsEndToEndTests {
    @Test func listedOverlapMetricsAreReportedInEveryFormat() throws {
        let directory = TemporaryDirectory()
        let fixture = NiftiFixture(shape: [4, 1, 1], dataType: .uint8)
        try fixture.write([1, 1, 2, 0], to: directory.file("p.nii"))
        try fixture.write([1, 0, 0, 0], to: directory.file("r.nii"))
        let pair = ["compare", directory.file("p.nii"), directory.file("r.nii"), "--metrics", "dice,rvd,fnr"]
        let json = try SegscoreProcess.run(pair + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let label1 = try #require((object?["labels"] as? [[String: Any]])?.first)
        // Label 1: P = 2, R = 1 → rvd = 1, fnr = 0.
        #expect(label1["rvd"] as? Double == 1 && label1["fnr"] as? Double == 0)
        let csv = try SegscoreProcess.run(pair + ["--format", "csv"])
        #expect(
            csv.stdout.hasPrefix(
                "label,name,tp,fp,fn,tn,predVoxels,refVoxels,predVolumeMl,refVolumeMl,dice,iou,"
                    + "precision,recall,rvd,fnr\n"))
        #expect(try SegscoreProcess.run(pair + ["--format", "table"]).stdout.contains("recall     rvd     fnr"))
        #expect(try SegscoreProcess.run(pair + ["--metrics", "kappa"]).status == 2)
    }
}
