import DiceEngine
import Documents
import Testing

@testable import Cohort

/// The empty rule as cohorts record it and as the gate recomputes it.
@Suite struct EmptyRuleRecordTests {
    @Test func everyRuleRoundTripsAndOldRecordsStillRead() throws {
        for rule in EmptyRule.allCases {
            let options = CohortFixture.options(emptyRule: rule)
            #expect(CohortOptions(json: options.json) == options, "\(rule)")
        }
        let nnunet = CohortFixture.options(emptyRule: .nnunet).json.rendered()
        #expect(nnunet.contains("\"emptyRule\":\"nnunet\"") && !nnunet.contains("ignoreEmpty"))
        // What versions before --empty-rule wrote.
        let old = try JSONValue(
            parsing: """
                {"labels":null,"includeBackground":false,"ignoreEmpty":false,"geometryTolerance":0.001,
                "ignoreGeometry":false,"missing":"skip"}
                """)
        #expect(CohortOptions(json: old)?.evaluation.emptyRule == .oneZero)
    }

    @Test func cohortScoresFollowTheRule() {
        let counts: [(Int64, Int, Int, Int)] = [(1, 0, 4, 0), (2, 5, 0, 0)]
        let record = CohortFixture.record("a", counts, options: CohortFixture.options(emptyRule: .nnunet))
        let scores = CohortFixture.cohort([record]).scored[0].scores
        #expect(scores.map(\.dice) == [0, 1])
    }

    /// nnU-Net writes Dice 0 for a label only predicted, segscore (ignore) null: equal once recomputed.
    @Test func gateRecomputesDiceFromTheCounts() throws {
        func summary(dice: String) -> String {
            """
            {"metric_per_case": [{"metrics": {"1": {"Dice": \(dice), "IoU": \(dice), "TP": 0, "FP": 3, "FN": 0}},
            "prediction_file": "p/a.nii.gz", "reference_file": "r/a.nii.gz"}]}
            """
        }
        let nnunet = try SummaryScores(parsing: summary(dice: "0.0"), path: "n")
        let segscore = try SummaryScores(parsing: summary(dice: "null"), path: "s")
        #expect(!RegressionGate(baseline: nnunet, current: segscore, tolerance: 0.01).passed)
        for rule in EmptyRule.allCases {
            let before = try SummaryScores(parsing: summary(dice: "0.0"), path: "n", recompute: rule)
            let after = try SummaryScores(parsing: summary(dice: "null"), path: "s", recompute: rule)
            #expect(RegressionGate(baseline: before, current: after, tolerance: 0.01).passed, "\(rule)")
            #expect(after.values["a"]?["1"] == (rule == .ignore ? .some(nil) : 0), "\(rule)")
        }
        #expect(throws: CohortError.self) {
            try SummaryScores(
                parsing: #"{"metric_per_case": [{"metrics": {"1": {"Dice": 1}}, "reference_file": "a.nii"}]}"#,
                path: "x", recompute: .nnunet)
        }
    }
}

/// The ignore label as cohorts record it and score a missing prediction with it.
@Suite struct IgnoreLabelRecordTests {
    @Test func ignoreLabelRoundTripsAndIsWrittenOnlyWhenGiven() {
        var options = CohortFixture.options()
        #expect(!options.json.rendered().contains("ignoreLabel"))
        options.evaluation.selection.ignoreLabel = 9
        #expect(CohortOptions(json: options.json) == options)
        #expect(options.json.rendered().contains("\"ignoreLabel\":9"))
    }

    @Test func missingPredictionLeavesTheIgnoredVoxelsOut() {
        var options = CohortFixture.options(missing: .worst)
        options.evaluation.selection.ignoreLabel = 9
        let record = CaseRecord(
            name: "a", missingPrediction: "p/a.nii", reference: "r/a.nii",
            referenceCounts: [(0, 50), (1, 20), (9, 30)], voxels: 100, voxelVolumeMl: 0.001, emptyDistanceMm: 1,
            options: options, version: "test")
        #expect(record.voxels == 70)
        #expect(record.counts == [LabelCounts(label: 1, tp: 0, fp: 0, fn: 20, tn: 50)])
        #expect(record.inconsistency == nil)
    }
}
