import Documents
import Foundation
import Reporting
import TestSupport
import Testing

@testable import Cohort

@Suite struct CohortSummaryTests {
    /// Case a has labels 1 and 2; case b only label 1, and predicts label 2 where the reference has none; case c
    /// lacks label 2 in both images; case d failed.
    let cohort = CohortFixture.cohort([
        CohortFixture.record("a", [(1, 40, 10, 10), (2, 5, 0, 15)]),
        CohortFixture.record("b", [(1, 30, 0, 30), (2, 0, 7, 0)]),
        CohortFixture.record("c", [(1, 50, 5, 0)]),
        CohortFixture.failed("d"),
    ])

    @Test func perCaseMetricsFollowTheDefinitionsWithNullForAnEmptyReference() throws {
        let summary = CohortSummary.json(cohort)
        let cases = try #require(summary["metric_per_case"]?.arrayValue)
        #expect(cases.count == 3)
        #expect(cases.map { $0["reference_file"]?.stringValue } == ["ref/a.nii.gz", "ref/b.nii.gz", "ref/c.nii.gz"])
        let a2 = try #require(cases[0]["metrics"]?["2"])
        #expect(a2["Dice"]?.doubleValue == CohortFixture.dice(tp: 5, fp: 0, fn: 15))
        #expect(a2["IoU"]?.doubleValue == 5.0 / 20.0)
        #expect(a2["n_pred"]?.intValue == 5)
        #expect(a2["n_ref"]?.intValue == 20)
        #expect(a2["TN"]?.intValue == 1000 - 20)
        // Predicted, but absent from the reference.
        #expect(cases[1]["metrics"]?["2"]?["Dice"]?.isNull == true)
        #expect(cases[1]["metrics"]?["2"]?["FP"]?.intValue == 7)
        // Absent from both images of c: zero counts over the whole grid.
        let c2 = try #require(cases[2]["metrics"]?["2"])
        #expect(c2["Dice"]?.isNull == true)
        #expect(c2["TN"]?.intValue == 1000)
    }

    @Test func meansIgnoreUndefinedCasesAndForegroundMeanAveragesLabelMeans() throws {
        let summary = CohortSummary.json(cohort)
        let dice1 = [(40, 10, 10), (30, 0, 30), (50, 5, 0)].map { CohortFixture.dice(tp: $0.0, fp: $0.1, fn: $0.2)! }
        let mean1 = dice1.reduce(0, +) / 3
        let mean2 = CohortFixture.dice(tp: 5, fp: 0, fn: 15)!
        #expect(summary["mean"]?["1"]?["Dice"]?.doubleValue == mean1)
        #expect(summary["mean"]?["2"]?["Dice"]?.doubleValue == mean2)
        #expect(summary["mean"]?["2"]?["FP"]?.doubleValue == 7.0 / 3)
        #expect(summary["foreground_mean"]?["Dice"]?.doubleValue == (mean1 + mean2) / 2)
        #expect(summary.objectMembers?.map(\.0) == ["foreground_mean", "mean", "metric_per_case"])
        #expect(summary["mean"]?["1"]?.objectMembers?.map(\.0) == CohortSummary.metricNames)
    }

    @Test func backgroundIsInTheMeansButNotInTheForegroundMean() {
        let options = CohortFixture.options(includeBackground: true)
        let cohort = CohortFixture.cohort([
            CohortFixture.record("a", [(0, 900, 10, 0), (1, 80, 0, 10)], options: options)
        ])
        let summary = CohortSummary.json(cohort)
        #expect(summary["mean"]?["0"]?["Dice"]?.doubleValue == CohortFixture.dice(tp: 900, fp: 10, fn: 0))
        #expect(summary["foreground_mean"]?["Dice"]?.doubleValue == CohortFixture.dice(tp: 80, fp: 0, fn: 10))
    }

    /// Label 2 is only predicted (a stray label): skipped, and named, unless a dataset.json fixes the labels,
    /// when it makes the foreground mean undefined as in nnU-Net.
    @Test func aLabelWithoutAnyDefinedDiceIsSkippedUnlessADatasetFixesTheLabels() throws {
        let record = CohortFixture.record("a", [(1, 10, 0, 0), (2, 0, 3, 0)])
        let cohort = CohortFixture.cohort([record])
        let summary = CohortSummary.json(cohort)
        #expect(summary["mean"]?["2"]?["Dice"]?.isNull == true)
        #expect(summary["foreground_mean"]?["Dice"]?.doubleValue == 1)
        #expect(summary["foreground_mean"]?["FP"]?.doubleValue == 1.5)
        #expect(CohortSummary.skippedInForegroundMean(cohort) == ["2"])
        #expect(Aggregates.table(cohort).contains("1.0000  (skips label 2: no Dice in any case)"))

        let directory = TemporaryDirectory()
        let path = directory.file("dataset.json")
        try #"{"labels": {"background": 0, "a": 1, "b": 2}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let fixed = CohortFixture.cohort([record], names: try LabelNames(contentsOf: path))
        #expect(CohortSummary.json(fixed)["foreground_mean"]?["Dice"]?.isNull == true)
        #expect(CohortSummary.skippedInForegroundMean(fixed).isEmpty)
    }

    @Test func aggregatesPoolTheSummedCounts() throws {
        let labels = try #require(Aggregates.json(cohort)["labels"]?.arrayValue)
        let label2 = try #require(labels.first { $0["label"]?.intValue == 2 })
        // Pooled over a (5, 0, 15), b (0, 7, 0) and c (nothing): b's false positives count although its own
        // Dice is undefined.
        #expect(label2["metrics"]?["dice"]?["pooled"]?.doubleValue == CohortFixture.dice(tp: 5, fp: 7, fn: 15))
        #expect(label2["metrics"]?["dice"]?["count"]?.intValue == 1)
        #expect(label2["metrics"]?["dice"]?["nanCount"]?.intValue == 2)
        #expect(label2["fp"]?.intValue == 7)
        let csv = Aggregates.csv(cohort).split(separator: "\n")
        #expect(csv.count == 1 + 2 * 4)
        #expect(csv[0] == Substring(Aggregates.csvColumns.joined(separator: ",")))
    }

    @Test func casesCSVHasOneRowPerScoredCaseAndLabelWithEmptyCellsForUndefinedScores() {
        let rows = CaseTable.csv(cohort).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.count == 1 + 3 * 2 + 1)
        #expect(rows[0].hasPrefix("case,label,name,tp"))
        #expect(rows[4] == "b,2,,0,7,0,993,7,0,0.007,0.0,,,0.0,")
    }
}
