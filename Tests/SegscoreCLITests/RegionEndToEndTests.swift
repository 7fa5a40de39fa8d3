import Foundation
import TestSupport
import Testing

/// `--region` and dataset.json regions against counts made by hand on an 8-voxel pair.
@Suite struct RegionEndToEndTests {
    /// wt (1,2,3): prediction in it at 0,1,2,5,6,7, reference at 0,1,2,3,7 → tp 4, fp 2, fn 1, tn 1.
    /// tc (2,3): prediction at 1,2,5,6, reference at 1,2,3 → tp 2, fp 2, fn 1, tn 3.
    /// et (3): prediction at 2,6, reference at 1,2 → tp 1, fp 1, fn 1, tn 5.
    static func run(_ arguments: (TemporaryDirectory) throws -> [String]) throws -> (Int32, [String: Any]) {
        let directory = TemporaryDirectory()
        let fixture = NiftiFixture(shape: [8, 1, 1], dataType: .uint8)
        try fixture.write([1, 2, 3, 0, 0, 2, 3, 1], to: directory.file("p.nii"))
        try fixture.write([1, 3, 3, 2, 0, 0, 0, 1], to: directory.file("r.nii"))
        let run = try SegscoreProcess.run(
            ["compare", directory.file("p.nii"), directory.file("r.nii"), "--format", "json"] + arguments(directory))
        guard run.status == 0 else { return (run.status, [:]) }
        return (run.status, try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]))
    }

    static func regions(_ object: [String: Any]) -> [String: [Int]] {
        var counts: [String: [Int]] = [:]
        for entry in object["regions"] as? [[String: Any]] ?? [] {
            guard let key = entry["region"] as? String else { continue }
            counts[key] = ["tp", "fp", "fn", "tn"].compactMap { entry[$0] as? Int }
        }
        return counts
    }

    @Test func regionOptionsAreScoredBesideTheLabels() throws {
        let (status, object) = try Self.run { _ in ["--region", "wt=1,2,3", "--region", "tc=2,3"] }
        #expect(status == 0)
        #expect(Self.regions(object) == ["(1, 2, 3)": [4, 2, 1, 1], "(2, 3)": [2, 2, 1, 3]])
        #expect((object["labels"] as? [Any])?.count == 3)
    }

    @Test func datasetJSONRegionsReplaceTheLabelsAsInNnUNet() throws {
        let (status, object) = try Self.run { directory in
            let dataset = directory.file("dataset.json")
            try """
            {"labels": {"background": 0, "wt": [1, 2, 3], "tc": [2, 3], "et": 3}, "regions_class_order": [1, 2, 3]}
            """.write(toFile: dataset, atomically: true, encoding: .utf8)
            return ["--dataset-json", dataset]
        }
        #expect(status == 0)
        #expect(Self.regions(object) == ["(1, 2, 3)": [4, 2, 1, 1], "(2, 3)": [2, 2, 1, 3], "3": [1, 1, 1, 5]])
        #expect((object["labels"] as? [Any])?.isEmpty == true)
    }

    @Test func malformedRegionsAreRefused() throws {
        #expect(try Self.run { _ in ["--region", "wt=1,x"] }.0 == 2)
        #expect(try Self.run { _ in ["--region", "=1"] }.0 == 2)
    }

    /// wt lesions at 6-connectivity: prediction {0,1,2}, {5,6,7}; reference {0,1,2,3}, {7}: each reference lesion
    /// is hit, every predicted one overlaps; IoU 3/4 and 1/3, so PQ matches one pair.
    @Test func regionsGetBoundaryAndLesionWiseMetrics() throws {
        let (status, object) = try Self.run { _ in
            ["--region", "wt=1,2,3", "--metrics", "dice,hd,assd,lesions", "--connectivity", "6"]
        }
        #expect(status == 0)
        let wt = try #require((object["regions"] as? [[String: Any]])?.first)
        let lesions = try #require(wt["lesions"] as? [String: Any])
        #expect(["ref", "pred", "tp", "fn", "fp", "pqTp"].compactMap { lesions[$0] as? Int } == [2, 2, 2, 0, 0, 1])
        #expect(wt["hd"] is Double && wt["assd"] is Double)
        let label = try #require((object["labels"] as? [[String: Any]])?.first)
        #expect(label["hd"] != nil && label["lesions"] != nil)
    }
}

/// `cohort` with a dataset.json's regions and ignore label: summary.json keyed as nnU-Net keys them.
@Suite struct CohortRegionEndToEndTests {
    @Test func datasetRegionsAndIgnoreLabelReachTheSummary() throws {
        let directory = TemporaryDirectory()
        try directory.makeFolders("p", "r")
        let fixture = NiftiFixture(shape: [8, 1, 1], dataType: .uint8)
        try fixture.write([1, 2, 3, 0, 0, 2, 3, 1], to: directory.file("p/a.nii"))
        try fixture.write([1, 3, 3, 2, 4, 4, 0, 1], to: directory.file("r/a.nii"))
        let dataset = directory.file("dataset.json")
        try #"{"labels": {"background": 0, "wt": [1, 2, 3], "tc": [2, 3], "et": 3, "ignore": 4}}"#.write(
            toFile: dataset, atomically: true, encoding: .utf8)
        let run = try SegscoreProcess.run([
            "cohort", "--pred", directory.file("p"), "--ref", directory.file("r"), "--output-dir", directory.file("o"),
            "--label-names", dataset, "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("o/summary.json")))
        let summary = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let cases = try #require(summary?["metric_per_case"] as? [[String: Any]])
        let metrics = try #require(cases.first?["metrics"] as? [String: [String: Any]])
        #expect(Set(metrics.keys) == ["(1, 2, 3)", "(2, 3)", "3"])
        // Voxels 4 and 5 (reference 4) are left out: wt has prediction 0,1,2,6,7, reference 0,1,2,3,7.
        let wt = try #require(metrics["(1, 2, 3)"])
        #expect([wt["TP"], wt["FP"], wt["FN"], wt["TN"]].compactMap { $0 as? Int } == [4, 1, 1, 0])
        let csv = try String(contentsOfFile: directory.file("o/cases.csv"), encoding: .utf8)
        #expect(csv.contains("a,\"(1, 2, 3)\",wt,4,1,1,0,"))
    }

    /// Regions, the ignore label and boundary metrics together: every output carries the region's distances,
    /// and `--resume` reads them back to the same bytes.
    @Test func regionBoundaryMetricsReachEveryOutputAndSurviveAResume() throws {
        let directory = TemporaryDirectory()
        try directory.makeFolders("p", "r")
        let fixture = NiftiFixture(shape: [8, 4, 3], dataType: .uint8)
        let prediction: [Int64] = (0..<96).map { [0, 1, 2, 3][($0 / 3 + $0 / 17) % 4] }
        let reference: [Int64] = (0..<96).map { $0 % 29 == 0 ? 4 : [0, 1, 2, 3][($0 / 4 + $0 / 19) % 4] }
        for name in ["a", "b"] {
            try fixture.write(prediction, to: directory.file("p/\(name).nii"))
            try fixture.write(name == "a" ? reference : prediction, to: directory.file("r/\(name).nii"))
        }
        let dataset = directory.file("dataset.json")
        try #"{"labels": {"background": 0, "wt": [1, 2, 3], "tc": [2, 3], "et": 3, "ignore": 4}}"#.write(
            toFile: dataset, atomically: true, encoding: .utf8)
        let arguments = [
            "cohort", "--pred", directory.file("p"), "--ref", directory.file("r"), "--output-dir", directory.file("o"),
            "--label-names", dataset, "--metrics", "dice,hd95,nsd", "--nsd-tolerance", "1", "--quiet",
        ]
        let run = try SegscoreProcess.run(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try String(contentsOfFile: directory.file("o/summary.json"), encoding: .utf8)
        let object = try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any]
        let cases = try #require(object?["metric_per_case"] as? [[String: Any]])
        var distances: [[Double]] = []
        for entry in cases {
            let metrics = try #require(entry["metrics"] as? [String: [String: Any]])
            for key in ["(1, 2, 3)", "(2, 3)", "3"] {
                distances.append([metrics[key]?["HD95"], metrics[key]?["NSD"]].compactMap { $0 as? Double })
            }
        }
        // Case b compares the prediction with itself: every distance 0, every surface within τ; case a does not.
        #expect(distances.suffix(3).allSatisfy { $0 == [0, 1] })
        #expect(distances.prefix(3).allSatisfy { $0.count == 2 && $0[0] > 0 })
        let mean = try #require(object?["mean"] as? [String: [String: Any]])
        #expect(mean["(1, 2, 3)"]?["HD95"] is Double)
        let csv = try String(contentsOfFile: directory.file("o/cases.csv"), encoding: .utf8)
        let header = try #require(csv.split(separator: "\n").first).split(separator: ",")
        let column = try #require(header.firstIndex(of: "hd95"))
        let wtRow = try #require(csv.split(separator: "\n").first { $0.hasPrefix("b,\"(1, 2, 3)\"") })
        // The quoted key holds two commas: count the cells from the end.
        let cells = Array(wtRow.split(separator: ",", omittingEmptySubsequences: false).suffix(header.count))
        #expect(cells[column] == "0.0")
        let resumed = try SegscoreProcess.run(arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try String(contentsOfFile: directory.file("o/summary.json"), encoding: .utf8) == summary)
    }

    @Test func labelsOutsideTheDatasetAreWarnedAboutOncePerLabel() throws {
        let directory = TemporaryDirectory()
        try directory.makeFolders("p", "r")
        let fixture = NiftiFixture(shape: [4, 1, 1], dataType: .uint8)
        for name in ["a", "b"] {
            try fixture.write([1, 7, 0, 0], to: directory.file("p/\(name).nii"))
            try fixture.write([1, 0, 0, 0], to: directory.file("r/\(name).nii"))
        }
        let dataset = directory.file("dataset.json")
        try #"{"labels": {"background": 0, "a": 1}}"#.write(toFile: dataset, atomically: true, encoding: .utf8)
        let run = try SegscoreProcess.run([
            "cohort", "--pred", directory.file("p"), "--ref", directory.file("r"), "--output-dir", directory.file("o"),
            "--label-names", dataset, "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "label 7 is in the images but not in the dataset.json").count == 2)
    }
}
