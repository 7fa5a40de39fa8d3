import Foundation
import TestSupport
import Testing

/// `cohort --metrics lesions`, `merge`, `--resume` and `gate --metric lesion-f1|fp-volume`, run as a user runs
/// them on three cases along a 12-voxel line (1 µL voxels), small enough to check by hand:
/// - a, label 1: reference lesions {0, 1} and {4}, predicted components {0} and {6, 7}. tp 1, fn 1, fp 1:
///   recall = precision = F1 = ½; FP volume 2 µL, FN volume 1 µL; lesion Dice (2/3 + 0 + 0)/3 = 2/9; the one
///   overlapping pair has IoU ½ (not above it): no PQ match.
/// - b, label 1: one lesion {0, 1, 2} predicted exactly: F1, lesion Dice and PQ 1.
/// - c: label 2 at {10} on both sides; label 1 is absent from both images (F1, lesion Dice and PQ null).
@Suite struct CohortLesionEndToEndTests {
    static let shape = (x: 12, y: 1, z: 1)

    static func line(_ ones: [Int], label: UInt8 = 1) -> [UInt8] {
        (0..<shape.x).map { ones.contains($0) ? label : 0 }
    }

    static let cases: [TemporaryCohort.Case] = [
        ("a", line([0, 6, 7]), line([0, 1, 4])),
        ("b", line([0, 1, 2]), line([0, 1, 2])),
        ("c", line([10], label: 2), line([10], label: 2)),
    ]

    static let metrics = ["--metrics", "lesions"]

    static func cohort() throws -> TemporaryCohort { try TemporaryCohort(cases: cases, shape: shape) }

    /// Every row of `cases.csv` equals `compare --format csv --metrics lesions`'s for its pair; the hand-checked
    /// values reach `cases.csv`, `summary.json` and `aggregates.json`.
    @Test func cohortValuesEqualCompareAndTheHandCheckedValues() throws {
        let cohort = try Self.cohort()
        let run = try Segscore.run(
            [
                "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir",
                cohort.output("out"),
                "--quiet",
            ] + Self.metrics)
        #expect(run.status == 0, "\(run.stderr)")
        let rows = String(decoding: try cohort.files(in: "out")["cases.csv"] ?? Data(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        for name in ["a", "b", "c"] {
            try cohort.expectRows(rows, holdCompareOf: name, options: Self.metrics)
        }
        let a = try #require(rows.first { $0.hasPrefix("a,1,") })
        #expect(a.hasSuffix(",2,2,1,1,1,0.5,0.5,0.5,0.002,0.001,0.2222222222222222,0,2,2,,0.0,0.0"), "\(a)")
        let absent = try #require(rows.first { $0.hasPrefix("c,1,") })
        #expect(absent.hasSuffix(",0,0,0,0,0,,,,0.0,0.0,,0,0,0,,,"), "\(absent)")

        let summary = try cohort.json("out/summary.json")
        let perCase = try #require(summary["metric_per_case"] as? [[String: Any]])
        let first = try #require((perCase.first?["metrics"] as? [String: [String: Any]])?["1"])
        #expect(CohortEndToEndTests.matches(first["LesionF1"], 0.5))
        #expect(CohortEndToEndTests.matches(first["FPVolume"], 0.002))
        #expect(CohortEndToEndTests.matches(first["FNVolume"], 0.001))
        #expect(CohortEndToEndTests.matches(first["PQ"], 0))
        let mean = try #require((summary["mean"] as? [String: [String: Any]])?["1"])
        #expect(CohortEndToEndTests.matches(mean["LesionF1"], 0.75))
        #expect(CohortEndToEndTests.matches(mean["LesionDice"], (2.0 / 9 + 1) / 2))

        let labels = try #require(try cohort.json("out/aggregates.json")["labels"] as? [[String: Any]])
        let pooled = try #require(labels.first?["lesions"] as? [String: Int])
        #expect(pooled == ["ref": 3, "pred": 3, "tp": 2, "fn": 1, "fp": 1, "pqTp": 1, "pqFp": 2, "pqFn": 2])
        let f1 = try #require((labels.first?["metrics"] as? [String: [String: Any]])?["lesionF1"])
        #expect(CohortEndToEndTests.matches(f1["pooled"], 2.0 / 3) && CohortEndToEndTests.matches(f1["mean"], 0.75))
        let options = try #require((try cohort.json("out/cohort.json")["options"] as? [String: Any])?["lesions"])
        #expect(options as? [String: Int] == ["connectivity": 26, "minLesionVoxels": 1])
    }

    /// `--missing worst` scores a missing prediction's reference lesions as all missed: a's two lesions (3 µL).
    @Test func aMissingPredictionMissesEveryLesion() throws {
        let cohort = try Self.cohort()
        try FileManager.default.removeItem(atPath: cohort.predictions + "/a.nii")
        let run = try Segscore.run(
            [
                "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir",
                cohort.output("out"),
                "--quiet", "--missing", "worst",
            ] + Self.metrics)
        #expect(run.status == 0, "\(run.stderr)")
        let rows = String(decoding: try cohort.files(in: "out")["cases.csv"] ?? Data(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        let a = try #require(rows.first { $0.hasPrefix("a,1,") })
        #expect(a.hasSuffix(",2,0,0,2,0,0.0,,0.0,0.0,0.003,0.0,0,0,2,,0.0,0.0"), "\(a)")
        #expect(rows.contains { $0.hasPrefix("a,2,") && $0.hasSuffix(",0,0,0,0,0,,,,0.0,0.0,,0,0,0,,,") })
    }

    /// `merge` of two shards and `--resume` give a fresh run's bytes; a resume with other lesion options re-scores
    /// every case, and partials scored with other lesion options do not merge.
    @Test func resumeAndMergeKeepEveryByteAndRefuseOtherLesionOptions() throws {
        let cohort = try Self.cohort()
        let expected = try cohort.expectMergeAndResumeKeepEveryByte(Self.metrics)
        #expect(String(decoding: expected["cases/a.json"] ?? Data(), as: UTF8.self).contains("\"lesionDice\""))
        let common = ["--pred", cohort.predictions, "--ref", cohort.references, "--quiet", "--jobs", "2"]
        for other in [["--connectivity", "6"], ["--min-lesion-voxels", "2"]] {
            let before = try cohort.modificationDates(in: "whole/cases")
            let rescored = try Segscore.run(
                ["cohort", "--output-dir", cohort.output("whole"), "--resume"] + common + Self.metrics + other)
            #expect(rescored.status == 0, "\(rescored.stderr)")
            #expect(try cohort.modificationDates(in: "whole/cases").allSatisfy { before[$0.key] != $0.value })
            let fresh = "fresh" + other[1]
            #expect(
                try Segscore.run(["cohort", "--output-dir", cohort.output(fresh)] + common + Self.metrics + other)
                    .status == 0)
            #expect(try cohort.files(in: fresh) == cohort.files(in: "whole"))
            let mixed = try Segscore.run(
                ["merge", cohort.output("shard1"), cohort.output(fresh), "--output-dir", cohort.output("mixed")])
            #expect(mixed.status == 3 && mixed.stderr.contains("options"), "\(mixed.stderr)")
        }
        // Dropping one-voxel lesions leaves a with {0, 1} against {6, 7}: a missed lesion and a false positive.
        let rows = String(decoding: try cohort.files(in: "fresh2")["cases.csv"] ?? Data(), as: UTF8.self)
        #expect(rows.contains(",1,1,0,1,1,0.0,0.0,0.0,0.002,0.002,0.0,0,1,1,,0.0,0.0\n"), "\(rows)")
    }

    /// b gains a one-voxel false positive at x = 8: its lesion F1 drops from 1 to 2/3, its FP volume rises by
    /// 1 µL (0.001 mL).
    @Test func gateFailsOnALesionF1DropAndAnFPVolumeRise() throws {
        let cohort = try Self.cohort()
        let common = ["--ref", cohort.references, "--quiet"] + Self.metrics
        #expect(
            try Segscore.run(["cohort", "--pred", cohort.predictions, "--output-dir", cohort.output("base")] + common)
                .status == 0)
        let degraded = try cohort.copyPredictions(to: "degraded") { name, voxels in
            name == "b" ? voxels.enumerated().map { $0.offset == 8 ? 1 : $0.element } : voxels
        }
        #expect(
            try Segscore.run(["cohort", "--pred", degraded, "--output-dir", cohort.output("worse")] + common).status
                == 0)
        let (base, worse) = (cohort.output("base"), cohort.output("worse"))

        let f1 = try Segscore.run(["gate", base, worse, "--metric", "lesion-f1"])
        #expect(f1.status == 1, "\(f1.stdout)\(f1.stderr)")
        #expect(f1.stdout.contains("Regressions (LesionF1 drop > 0.01"), "\(f1.stdout)")
        let dropped = f1.stdout.split(separator: "\n").first { $0.hasPrefix("dropped") }
        #expect(dropped?.split(separator: " ", omittingEmptySubsequences: true).prefix(3) == ["dropped", "b", "1"])
        #expect(try Segscore.run(["gate", worse, base, "--metric", "lesion-f1"]).status == 0)
        #expect(try Segscore.run(["gate", base, worse, "--metric", "lesion-f1", "--tolerance", "0.34"]).status == 0)

        let volume = try Segscore.run(["gate", base, worse, "--metric", "fp-volume", "--tolerance", "0"])
        #expect(volume.status == 1, "\(volume.stdout)\(volume.stderr)")
        #expect(volume.stdout.contains("FPVolume rise > 0") && volume.stdout.contains(" mL"), "\(volume.stdout)")
        let rose = volume.stdout.split(separator: "\n").first { $0.hasPrefix("rose") }
        #expect(rose?.split(separator: " ", omittingEmptySubsequences: true).prefix(3) == ["rose", "b", "1"])
        #expect(try Segscore.run(["gate", base, worse, "--metric", "fp-volume", "--tolerance", "0.001"]).status == 0)
        // PQ: b's exact match still matches (IoU 1), and the false positive lowers RQ to 2/3.
        #expect(try Segscore.run(["gate", base, worse, "--metric", "pq"]).status == 1)
        // A summary without lesion-wise metrics is refused, naming the option.
        #expect(
            try Segscore.run(
                [
                    "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir",
                    cohort.output("plain"), "--quiet",
                ]
            ).status == 0)
        let plain = try Segscore.run(["gate", cohort.output("plain"), worse, "--metric", "fn-volume"])
        #expect(plain.status == 3 && plain.stderr.contains("--metrics lesions"), "\(plain.stderr)")
    }

    /// Through `cohort`, every case of the lesion golden set (`../shared/lesion-golden`) gives the golden values in
    /// `cases.csv` at 6, 18 and 26; empty_prediction's empty prediction is removed and scored by `--missing worst`,
    /// which must miss the reference lesions exactly as the empty image does.
    @Test(.enabled(if: SharedGoldenSet.lesions.isAvailable, "../shared/lesion-golden is absent"))
    func cohortOfTheGoldenSetGivesTheGoldenValues() throws {
        let golden = SharedGoldenSet.lesions
        let root = NSTemporaryDirectory() + "segscore-lesion-golden-" + UUID().uuidString
        for folder in ["pred", "ref"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        for entry in golden.cases {
            let id = try #require(entry["id"] as? String)
            let (prediction, reference) = (golden.pair(entry)[0], golden.pair(entry)[1])
            if id != "empty_prediction" {
                try FileManager.default.createSymbolicLink(
                    atPath: "\(root)/pred/\(id).nii.gz", withDestinationPath: prediction)
            }
            try FileManager.default.createSymbolicLink(
                atPath: "\(root)/ref/\(id).nii.gz", withDestinationPath: reference)
        }
        var compared = 0
        for connectivity in ["6", "18", "26"] {
            let out = "\(root)/out\(connectivity)"
            let run = try Segscore.run(
                [
                    "cohort", "--pred", "\(root)/pred", "--ref", "\(root)/ref", "--output-dir", out, "--quiet",
                    "--missing", "worst", "--connectivity", connectivity,
                ] + Self.metrics)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = try String(contentsOfFile: out + "/cases.csv", encoding: .utf8).split(separator: "\n")
            let header = (lines.first ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var rows: [String: [String: String]] = [:]
            for line in lines.dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                rows["\(cells[0]) \(cells[1])"] = Dictionary(uniqueKeysWithValues: zip(header, cells))
            }
            for entry in golden.cases {
                let id = entry["id"] as? String ?? ""
                let expected = (entry["expected"] as? [String: [[String: Any]]])?[connectivity] ?? []
                for want in expected {
                    let label = want["label"] as? Int ?? -1
                    let row = try #require(rows["\(id) \(label)"], "\(id) label \(label)")
                    for (key, value) in want where key != "label" {
                        let column =
                            key.hasPrefix("lesion") ? key : "lesion" + key.prefix(1).uppercased() + key.dropFirst()
                        let cell = row[column] ?? "?"
                        let got: Any = cell.isEmpty ? NSNull() : Double(cell).map { NSNumber(value: $0) } ?? cell
                        #expect(
                            LesionEndToEndTests.matches(got, value), "C\(connectivity) \(id) \(label) \(key): \(cell)")
                        compared += 1
                    }
                }
            }
        }
        #expect(
            compared == 3 * 17
                * golden.cases.reduce(0) { $0 + (($1["expected"] as? [String: [Any]])?["26"]?.count ?? 0) })
        #expect(compared > 0)
    }

    /// Lesions of regions and under an ignore label, from `--region` or a dataset.json: every row equals
    /// `compare`'s, merge and resume keep every byte. Region (1, 2) is label 1 in cases a and b and label 2 in c;
    /// with label 2 as the ignore label, case c's prediction at 10 is where the reference is ignored: no lesion.
    @Test func regionsAndTheIgnoreLabelGetLesions() throws {
        let cohort = try Self.cohort()
        let ignoring = cohort.output("ignore.json")
        try Data(#"{"labels": {"background": 0, "lesion": 1, "ignore": 2}}"#.utf8)
            .write(to: URL(fileURLWithPath: ignoring))
        let regionOptions = Self.metrics + ["--region", "all=1,2"]
        let files = try cohort.expectMergeAndResumeKeepEveryByte(regionOptions)
        let rows = String(decoding: files["cases.csv"] ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
        for name in ["a", "b", "c"] { try cohort.expectRows(rows, holdCompareOf: name, options: regionOptions) }
        let summary = try cohort.json("whole/summary.json")
        let perCase = try #require(summary["metric_per_case"] as? [[String: Any]])
        let f1 = perCase.map { ($0["metrics"] as? [String: [String: Any]])?["(1, 2)"]?["LesionF1"] as? Double }
        #expect(f1 == [0.5, 1, 1])
        let run = try Segscore.run(
            [
                "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir",
                cohort.output("ignored"), "--quiet", "--label-names", ignoring,
            ] + Self.metrics)
        #expect(run.status == 0, "\(run.stderr)")
        let ignored = String(decoding: try cohort.files(in: "ignored")["cases.csv"] ?? Data(), as: UTF8.self)
        let c = try #require(ignored.split(separator: "\n").first { $0.hasPrefix("c,1,") })
        #expect(c.hasSuffix(",0,0,0,0,0,,,,0.0,0.0,,0,0,0,,,"), "\(c)")
    }
}
