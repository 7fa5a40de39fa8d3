import Documents
import Reporting
import Testing

@testable import Cohort

@Suite struct RegressionGateTests {
    let baseline = SummaryScores(values: [
        "a": ["1": 0.90, "2": 0.80],
        "b": ["1": 0.70, "2": nil],
    ])

    @Test func identicalSummariesPass() {
        let gate = RegressionGate(baseline: baseline, current: baseline, tolerance: 0.01)
        #expect(gate.passed)
        #expect(gate.compared == 4)
        #expect(gate.improvements.isEmpty)
    }

    @Test func aDropBeyondTheToleranceFailsAndOneWithinItPasses() {
        let current = SummaryScores(values: ["a": ["1": 0.89, "2": 0.7899], "b": ["1": 0.70, "2": nil]])
        let gate = RegressionGate(baseline: baseline, current: current, tolerance: 0.01)
        // a/1 dropped by exactly the tolerance (0.9 − 0.89 is 0.010000000000000009 in binary): it passes.
        #expect(gate.regressions.map { "\($0.caseName)/\($0.label)/\($0.kind)" } == ["a/2/dropped"])
        #expect(!gate.passed)
        #expect(RegressionGate(baseline: baseline, current: current, tolerance: 0.02).passed)
    }

    @Test func improvementsAreListedWithoutFailing() {
        let current = SummaryScores(values: ["a": ["1": 0.95, "2": 0.80], "b": ["1": 0.70, "2": 0.5]])
        let gate = RegressionGate(baseline: baseline, current: current, tolerance: 0.01)
        #expect(gate.passed)
        #expect(gate.improvements.map(\.caseName) == ["a"])
        #expect(gate.report().contains("Improvements"))
    }

    @Test func missingFailedAndNoLongerDefinedScoresFail() {
        let current = SummaryScores(values: ["a": ["1": nil], "c": ["1": 1]])
        let gate = RegressionGate(
            baseline: baseline, current: current, tolerance: 0.01,
            failures: ["b": "voxel grids differ: shape: p vs r"])
        #expect(
            gate.regressions.map { "\($0.caseName)/\($0.label)/\($0.kind)" } == [
                "a/1/undefined", "a/2/missing", "b/1/failed", "b/2/failed",
            ])
        #expect(gate.newCases == ["c"])
        #expect(gate.report().contains("failed: voxel grids differ"))
    }

    @Test func readsNnUNetSummariesWithNaNLiterals() throws {
        let text = """
            {"foreground_mean": {"Dice": NaN}, "mean": {},
             "metric_per_case": [{"metrics": {"1": {"Dice": 0.5, "IoU": 0.3}, "2": {"Dice": NaN}},
               "prediction_file": "/p/case_7.nii.gz", "reference_file": "/gt/case_7.nii.gz"}]}
            """
        let scores = try SummaryScores(parsing: text, path: "summary.json")
        #expect(scores == SummaryScores(values: ["case_7": ["1": 0.5, "2": nil]]))
    }
}

/// `gate --metric`: distances regress by rising, NSD by dropping; malformed summaries are refused.
@Suite struct RegressionGateMetricTests {
    @Test func aDistanceFailsWhenItRisesBeyondTheToleranceInMillimetres() {
        let baseline = SummaryScores(metric: .boundary(.percentile(95)), values: ["a": ["1": 2.0, "2": 5.0]])
        let current = SummaryScores(metric: .boundary(.percentile(95)), values: ["a": ["1": 3.5, "2": 1.0]])
        let gate = RegressionGate(baseline: baseline, current: current, tolerance: 1)
        #expect(gate.regressions.map { "\($0.label)/\($0.kind)" } == ["1/rose"])
        #expect(gate.improvements.map(\.label) == ["2"])
        #expect(gate.report().contains("Regressions (HD95 rise > 1.0 mm"))
        #expect(gate.report().contains("Improvements (HD95 fall > 1.0 mm)"))
        #expect(RegressionGate(baseline: baseline, current: current, tolerance: 1.5).passed)
    }

    @Test func nsdFailsWhenItDrops() {
        let baseline = SummaryScores(metric: .boundary(.nsd), values: ["a": ["1": 0.9]])
        let current = SummaryScores(metric: .boundary(.nsd), values: ["a": ["1": 0.8]])
        let gate = RegressionGate(baseline: baseline, current: current, tolerance: 0.05)
        #expect(gate.regressions.map(\.kind) == [.dropped])
        #expect(gate.report().contains("Regressions (NSD drop > 0.05,"))
    }

    @Test func hugeDistancesAreReportedWithoutTrapping() {
        let metric = GateMetric.boundary(.hd)
        let gate = RegressionGate(
            baseline: SummaryScores(metric: metric, values: ["a": ["1": 0]]),
            current: SummaryScores(metric: metric, values: ["a": ["1": 1e308]]), tolerance: 0)
        #expect(gate.regressions.count == 1)
        #expect(gate.report().contains("+1e+308"))
    }

    static func summary(_ metrics: String, case name: String = "c") -> String {
        #"{"metric_per_case": [{"metrics": \#(metrics), "reference_file": "/gt/\#(name).nii.gz"}]}"#
    }

    /// Each malformed value is refused, naming the case and label; the reader accepts Python's literals.
    @Test(arguments: [
        (#"{"1": {"Dice": "0.9"}}"#, GateMetric.dice, "case c label 1: Dice is not a number"),
        (#"{"1": {"Dice": 5.0}}"#, .dice, "case c label 1: Dice 5.0 is outside [0, 1]"),
        (#"{"2": {"Dice": Infinity}}"#, .dice, "case c label 2: Dice inf is outside [0, 1]"),
        (#"{"2": {"Dice": -Infinity}}"#, .dice, "case c label 2: Dice -inf is outside [0, 1]"),
        (#"{"1": {"Dice": 1e308}}"#, .dice, "case c label 1: Dice 1e+308 is outside [0, 1]"),
        (#"{"1": {"IoU": -0.5}}"#, .iou, "case c label 1: IoU -0.5 is outside [0, 1]"),
        (#"{"1": {"NSD": 1.5}}"#, .boundary(.nsd), "case c label 1: NSD 1.5 is outside [0, 1]"),
        (#"{"1": {"HD95": -1}}"#, .boundary(.percentile(95)), "case c label 1: HD95 -1.0 is not a distance"),
        (#"{"1": {"HD": Infinity}}"#, .boundary(.hd), "case c label 1: HD inf is not a distance"),
        (#"{"1": {"Dice": 0.5}}"#, .boundary(.masd), "case c label 1: no MASD"),
        (#"{"1": {"Dice": 0.5}, "1": {"Dice": 0.5}}"#, .dice, "case c lists label 1 twice"),
    ])
    func malformedValuesAreRefused(metrics: String, metric: GateMetric, message: String) {
        #expect {
            try SummaryScores(parsing: Self.summary(metrics), path: "s.json", metric: metric)
        } throws: { error in
            "\(error)".hasPrefix(message) && "\(error)".hasSuffix(": s.json")
        }
    }

    @Test func aCaseListedTwiceIsRefused() {
        let entry = #"{"metrics": {"1": {"Dice": 0.5}}, "reference_file": "/gt/c.nii.gz"}"#
        let text = #"{"metric_per_case": [\#(entry), \#(entry)]}"#
        #expect {
            try SummaryScores(parsing: text, path: "s.json")
        } throws: { error in
            "\(error)" == "case c is listed twice: s.json"
        }
    }

    @Test func undefinedValuesAreNullOrNaNAndDistancesOfAnySizeAreAccepted() throws {
        let text = Self.summary(#"{"1": {"HD95": NaN}, "2": {"HD95": null}, "3": {"HD95": 1e308}}"#)
        let scores = try SummaryScores(parsing: text, path: "s.json", metric: .boundary(.percentile(95)))
        #expect(scores.values == ["c": ["1": nil, "2": nil, "3": 1e308]])
    }

    @Test func metricNamesParseAsOnTheCommandLine() {
        #expect(GateMetric(name: "dice") == .dice)
        #expect(GateMetric(name: "HD95") == .boundary(.percentile(95)))
        #expect(GateMetric(name: "hd99.5")?.summaryKey == "HD99.5")
        #expect(GateMetric(name: "nsd")?.higherIsBetter == true)
        #expect(GateMetric(name: "assd")?.higherIsBetter == false)
        #expect(GateMetric(name: "precision") == nil)
    }
}
