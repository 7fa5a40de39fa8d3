import Foundation
import TestSupport
import Testing

/// `--ignore-label` and dataset.json's `"ignore"` against counts made by hand on an 8-voxel pair.
@Suite struct IgnoreLabelEndToEndTests {
    /// Reference voxels 4, 5, 6 hold the ignore label 9, leaving voxels 0, 1, 2, 3, 7 counted.
    /// Label 1: predicted at 0, 1, in the reference at 0, 7 → tp 1, fp 1, fn 1, tn 2.
    /// Label 2: predicted at 3 (and at 4, ignored), in the reference at 3 → tp 1, fp 0, fn 0, tn 4.
    static let expected: [Int: [Int]] = [1: [1, 1, 1, 2], 2: [1, 0, 0, 4]]

    static func run(_ arguments: (TemporaryDirectory) throws -> [String]) throws -> SegscoreProcess.Result {
        let directory = TemporaryDirectory()
        let fixture = NiftiFixture(shape: [8, 1, 1], dataType: .uint8)
        try fixture.write([1, 1, 0, 2, 2, 0, 1, 0], to: directory.file("p.nii"))
        try fixture.write([1, 0, 0, 2, 9, 9, 9, 1], to: directory.file("r.nii"))
        return try SegscoreProcess.run(
            ["compare", directory.file("p.nii"), directory.file("r.nii"), "--format", "json"] + arguments(directory))
    }

    static func counts(_ result: SegscoreProcess.Result) throws -> [Int: [Int]] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        var counts: [Int: [Int]] = [:]
        for entry in try #require(object?["labels"] as? [[String: Any]]) {
            counts[try #require(entry["label"] as? Int)] = ["tp", "fp", "fn", "tn"].compactMap { entry[$0] as? Int }
        }
        return counts
    }

    @Test func optionLeavesTheIgnoredVoxelsOutOfEveryCount() throws {
        let result = try Self.run { _ in ["--ignore-label", "9"] }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.counts(result) == Self.expected)
    }

    @Test func datasetJSONIgnoreLabelDoesTheSame() throws {
        let result = try Self.run { directory in
            let dataset = directory.file("dataset.json")
            try #"{"labels": {"background": 0, "a": 1, "b": 2, "ignore": 9}}"#.write(
                toFile: dataset, atomically: true, encoding: .utf8)
            return ["--label-names", dataset]
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.counts(result) == Self.expected)
    }

    @Test func listingTheIgnoreLabelIsRefused() throws {
        #expect(try Self.run { _ in ["--ignore-label", "9", "--labels", "1,9"] }.status == 2)
    }

    /// Label 2's prediction at voxel 4 lies where the reference is ignored: without it, prediction and reference
    /// are the same voxel (distance 0, one matched lesion); label 1's lesions: reference {0}, {7}, prediction {0, 1}.
    @Test func boundaryAndLesionMetricsSeeOnlyTheCountedVoxels() throws {
        func label(_ result: SegscoreProcess.Result, _ value: Int) throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return try #require((object?["labels"] as? [[String: Any]])?.first { $0["label"] as? Int == value })
        }
        let metrics = ["--metrics", "hd,masd,lesions", "--connectivity", "6"]
        let ignored = try Self.run { _ in ["--ignore-label", "9"] + metrics }
        #expect(ignored.status == 0, "\(ignored.stderr)")
        #expect(try label(ignored, 2)["hd"] as? Double == 0)
        let lesions = try #require(try label(ignored, 1)["lesions"] as? [String: Any])
        #expect(["ref", "pred", "tp", "fn", "fp"].compactMap { lesions[$0] as? Int } == [2, 1, 1, 1, 0])
        let plain = try Self.run { _ in metrics }
        #expect(try label(plain, 2)["hd"] as? Double == 1)
    }
}
