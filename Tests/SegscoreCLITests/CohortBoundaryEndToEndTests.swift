import Foundation
import Testing

/// `cohort --metrics hd95,nsd` and `gate --metric`, run as a user runs them on the generated cohort of
/// ``CohortEndToEndTests``; the reference values come from `segscore compare` on the same pairs.
@Suite struct CohortBoundaryEndToEndTests {
    static let metrics = ["--metrics", "hd95,nsd", "--nsd-tolerance", "2"]

    /// Every scored pair's rows equal `compare --format csv`'s and its summary values `compare --format json`'s;
    /// the missing prediction (c0) scores the grid's diagonal and NSD 0.
    @Test func cohortValuesEqualCompareOnEachPair() throws {
        let cohort = try TemporaryCohort()
        try FileManager.default.removeItem(atPath: cohort.predictions + "/c0.nii")
        let run = try Segscore.run(
            [
                "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir",
                cohort.output("out"), "--missing", "worst", "--quiet",
            ] + Self.metrics)
        #expect(run.status == 0, "\(run.stderr)")
        let rows = String(decoding: try cohort.files(in: "out")["cases.csv"] ?? Data(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        let perCase = try #require(try cohort.json("out/summary.json")["metric_per_case"] as? [[String: Any]])
        func metrics(_ name: String) throws -> [String: [String: Any]] {
            let entry = perCase.first { ($0["reference_file"] as? String)?.hasSuffix("/\(name).nii") == true }
            return try #require(entry?["metrics"] as? [String: [String: Any]])
        }
        for name in ["c1", "c2", "c3", "c4"] {
            try cohort.expectRows(rows, holdCompareOf: name, options: Self.metrics)
            let pair = ["\(cohort.predictions)/\(name).nii", "\(cohort.references)/\(name).nii"]
            let json = try Segscore.run(["compare"] + pair + ["--format", "json"] + Self.metrics)
            let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let labels = try #require(document?["labels"] as? [[String: Any]])
            let summary = try metrics(name)
            for label in labels {
                let key = String(try #require(label["label"] as? Int))
                for (compareKey, summaryKey) in [("hd95", "HD95"), ("nsd", "NSD")] {
                    #expect(Self.same(summary[key]?[summaryKey], label[compareKey]), "\(name) \(key) \(summaryKey)")
                }
            }
            // Labels compare does not report are absent from both images: null.
            for key in Set(summary.keys).subtracting(labels.map { "\($0["label"] ?? "")" }) {
                #expect(summary[key]?["HD95"] is NSNull && summary[key]?["NSD"] is NSNull, "\(name) \(key)")
            }
        }
        let missing = try metrics("c0")
        let diagonal = Double(6 * 6 + 5 * 5 + 4 * 4).squareRoot()
        for key in ["1", "2"] {
            #expect((missing[key]?["HD95"] as? NSNumber)?.doubleValue == diagonal)
            #expect((missing[key]?["NSD"] as? NSNumber)?.doubleValue == 0)
        }
        #expect(missing["3"]?["HD95"] is NSNull)
    }

    /// `--resume` and `merge` give a fresh run's bytes; a resume with another NSD tolerance re-scores every case.
    @Test func resumeAndMergeKeepEveryByte() throws {
        let cohort = try TemporaryCohort()
        let expected = try cohort.expectMergeAndResumeKeepEveryByte(Self.metrics)
        #expect(String(decoding: expected["cases/c2.json"] ?? Data(), as: UTF8.self).contains("\"hd95\""))
        let common = ["--pred", cohort.predictions, "--ref", cohort.references, "--quiet", "--jobs", "2"]
        let written = try cohort.modificationDates(in: "whole/cases")

        let otherTolerance = ["--metrics", "hd95,nsd", "--nsd-tolerance", "1"]
        let rescored = try Segscore.run(
            ["cohort", "--output-dir", cohort.output("whole"), "--resume"] + common + otherTolerance)
        #expect(rescored.status == 0, "\(rescored.stderr)")
        #expect(try cohort.modificationDates(in: "whole/cases").allSatisfy { written[$0.key] != $0.value })
        #expect(
            try Segscore.run(["cohort", "--output-dir", cohort.output("fresh")] + common + otherTolerance).status == 0)
        #expect(try cohort.files(in: "fresh") == cohort.files(in: "whole"))

        // Partials scored with other boundary options do not merge.
        let mixed = try Segscore.run(
            ["merge", cohort.output("shard1"), cohort.output("fresh"), "--output-dir", cohort.output("mixed")])
        #expect(mixed.status == 3)
        #expect(mixed.stderr.contains("options") || mixed.stderr.contains("shard"), "\(mixed.stderr)")
    }

    /// A false-positive slab far from c0's label 1 raises its HD95 and lowers its NSD: both gates fail.
    @Test func gateFailsOnADistanceRiseAndAnNSDDrop() throws {
        let cohort = try TemporaryCohort()
        let common = ["--ref", cohort.references, "--quiet"] + Self.metrics
        #expect(
            try Segscore.run(["cohort", "--pred", cohort.predictions, "--output-dir", cohort.output("base")] + common)
                .status == 0)
        let degraded = try cohort.copyPredictions(to: "degraded") { name, voxels in
            guard name == "c0" else { return voxels }
            return voxels.enumerated().map { $0.offset % 6 == 5 ? 1 : $0.element }  // every voxel with x = 5
        }
        let worseRun = try Segscore.run(
            ["cohort", "--pred", degraded, "--output-dir", cohort.output("worse")] + common)
        #expect(worseRun.status == 0)
        let (base, worse) = (cohort.output("base"), cohort.output("worse"))

        let hd95 = try Segscore.run(["gate", base, worse, "--metric", "hd95", "--tolerance", "0.5"])
        #expect(hd95.status == 1, "\(hd95.stdout)\(hd95.stderr)")
        #expect(hd95.stdout.contains("Regressions (HD95 rise > 0.5 mm"))
        let rose = hd95.stdout.split(separator: "\n").first { $0.hasPrefix("rose") }
        #expect(rose?.split(separator: " ").prefix(3) == ["rose", "c0", "1"], "\(hd95.stdout)")
        #expect(try Segscore.run(["gate", worse, base, "--metric", "hd95", "--tolerance", "0.5"]).status == 0)

        let nsd = try Segscore.run(["gate", base, worse, "--metric", "nsd"])
        #expect(nsd.status == 1, "\(nsd.stdout)\(nsd.stderr)")
        let dropped = nsd.stdout.split(separator: "\n").first { $0.hasPrefix("dropped") }
        #expect(dropped?.split(separator: " ").prefix(3) == ["dropped", "c0", "1"], "\(nsd.stdout)")
        #expect(try Segscore.run(["gate", base, worse, "--metric", "nsd", "--tolerance", "1"]).status == 0)
    }

    /// Malformed summaries are refused with exit 3 and one line naming the case and label; none traps.
    @Test func gateRefusesMalformedSummaries() throws {
        let cohort = try TemporaryCohort()
        let good = cohort.output("good.json")
        try Self.write(Self.summary(#"{"1": {"Dice": 0.5, "HD95": 2.0}}"#), to: good)
        let cases: [(String, [String], String)] = [
            (#"{"1": {"Dice": Infinity}}"#, [], "case c label 1: Dice inf is outside [0, 1]"),
            (#"{"1": {"Dice": -Infinity}}"#, [], "case c label 1: Dice -inf is outside [0, 1]"),
            (#"{"1": {"Dice": 1e308}}"#, [], "case c label 1: Dice 1e+308 is outside [0, 1]"),
            (#"{"1": {"Dice": "0.5"}}"#, [], "case c label 1: Dice is not a number (\"0.5\")"),
            (#"{"1": {"Dice": 5.0}}"#, [], "case c label 1: Dice 5.0 is outside [0, 1]"),
            (#"{"1": {"HD95": -2}}"#, ["--metric", "hd95"], "case c label 1: HD95 -2.0 is not a distance"),
            (#"{"1": {"Dice": 0.5}}"#, ["--metric", "nsd"], "case c label 1: no NSD"),
        ]
        for (index, (metrics, options, message)) in cases.enumerated() {
            let bad = cohort.output("bad\(index).json")
            try Self.write(Self.summary(metrics), to: bad)
            for order in [[good, bad], [bad, good]] {
                let gate = try Segscore.run(["gate"] + order + options)
                #expect(gate.status == 3, "\(metrics): \(gate.stderr)")
                #expect(gate.stderr.hasPrefix("segscore: error: \(message)"), "\(gate.stderr)")
                #expect(gate.stderr.split(separator: "\n").count == 1, "\(gate.stderr)")
            }
        }
        let entry = #"{"metrics": {"1": {"Dice": 0.5}}, "reference_file": "/gt/c.nii.gz"}"#
        try Self.write(#"{"metric_per_case": [\#(entry), \#(entry)]}"#, to: cohort.output("twice.json"))
        let twice = try Segscore.run(["gate", good, cohort.output("twice.json")])
        #expect(twice.status == 3)
        #expect(twice.stderr.contains("case c is listed twice"))
        try Self.write(String(repeating: "[", count: 200_000), to: cohort.output("deep.json"))
        let deep = try Segscore.run(["gate", good, cohort.output("deep.json")])
        #expect(deep.status == 3 && deep.stderr.contains("not an nnU-Net style summary.json"), "\(deep.stderr)")
        #expect(try Segscore.run(["gate", "--help"]).stdout.contains("in mm"))
    }

    /// A cohort learns its labels case by case: per-label NSD tolerances need a default or a `--labels` list.
    @Test func perLabelTolerancesNeedADefaultOrALabelList() throws {
        let cohort = try TemporaryCohort()
        let base = [
            "cohort", "--pred", cohort.predictions, "--ref", cohort.references, "--output-dir", cohort.output("o"),
            "--quiet", "--metrics", "nsd",
        ]
        let noDefault = try Segscore.run(base + ["--nsd-tolerance", "1=2"])
        #expect(noDefault.status == 2 && noDefault.stderr.contains("no default value"), "\(noDefault.stderr)")
        let uncovered = try Segscore.run(base + ["--nsd-tolerance", "1=2", "--labels", "1,2"])
        #expect(uncovered.status == 2 && uncovered.stderr.contains("no value for label 2"), "\(uncovered.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cohort.output("o")))
    }

    static func summary(_ metrics: String) -> String {
        #"{"metric_per_case": [{"metrics": \#(metrics), "reference_file": "/gt/c.nii.gz"}]}"#
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Both `null`, or the same double.
    static func same(_ a: Any?, _ b: Any?) -> Bool {
        if a is NSNull || b is NSNull { return a is NSNull && b is NSNull }
        guard let x = a as? NSNumber, let y = b as? NSNumber else { return false }
        return x.doubleValue == y.doubleValue
    }
}
