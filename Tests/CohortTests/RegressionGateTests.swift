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
