import DiceEngine
import Documents
import Reporting
import Testing

@testable import Cohort

/// Regions counted from the confusion cells, recorded, and reported under nnU-Net's keys.
@Suite struct RegionTests {
    typealias Pair = LabelConfusion.Pair

    /// 10 voxels: (pred, ref) = (1,1)×2, (2,3)×1, (3,0)×1, (0,2)×1, (0,0)×5.
    static let confusion = LabelConfusion(
        voxelCount: 10,
        counts: [
            Pair(prediction: 1, reference: 1): 2, Pair(prediction: 2, reference: 3): 1,
            Pair(prediction: 3, reference: 0): 1, Pair(prediction: 0, reference: 2): 1,
            Pair(prediction: 0, reference: 0): 5,
        ])

    @Test func regionCountsAreSumsOfCells() {
        let regions = [Region(name: "wt", labels: [1, 2, 3]), Region(name: "tc", labels: [2, 3])]
        let scores = Self.confusion.scores(of: regions, rule: .ignore)
        // wt: pred∈R & ref∈R = (1,1)×2 + (2,3) = 3; fp (3,0) = 1; fn (0,2) = 1.
        #expect(scores[0].counts == LabelCounts(label: 0, tp: 3, fp: 1, fn: 1, tn: 5))
        #expect(scores[1].counts == LabelCounts(label: 1, tp: 1, fp: 1, fn: 1, tn: 7))
        #expect(regions.map(\.key) == ["(1, 2, 3)", "(2, 3)"])
        #expect(Region(name: "et", labels: [3]).key == "(3,)" && Region(name: "et", labels: [3], bare: true).key == "3")
    }

    @Test func cohortRecordsAndSummarisesRegions() throws {
        var options = CohortFixture.options()
        options.evaluation.regions = [Region(name: "wt", labels: [1, 2])]
        #expect(CohortOptions(json: options.json) == options)
        let base = CohortFixture.record("a", [(1, 2, 0, 0), (2, 1, 1, 0)], options: options)
        let record = CaseRecord(
            name: "a", predictionFile: base.predictionFile, referenceFile: base.referenceFile, status: .scored,
            failure: nil, voxels: 1000, predictionVoxelVolumeMl: 0.001, referenceVoxelVolumeMl: 0.001,
            counts: base.counts, regionCounts: [LabelCounts(label: 0, tp: 4, fp: 0, fn: 0, tn: 996)],
            options: options, version: "test")
        let text = record.json.rendered()
        #expect(try CaseRecord(parsing: text, path: "a.json") == record)
        let cohort = CohortFixture.cohort([record])
        let summary = CohortSummary.json(cohort)
        #expect(summary["mean"]?["(1, 2)"]?["Dice"]?.doubleValue == 1)
        #expect(summary["metric_per_case"]?.arrayValue?.first?["metrics"]?["(1, 2)"]?["TP"]?.intValue == 4)
        // foreground_mean covers labels 1, 2 and the region: (1 + 2/3 + 1) / 3.
        let foreground = try #require(summary["foreground_mean"]?["Dice"]?.doubleValue)
        #expect(abs(foreground - (1 + 2.0 / 3.0 + 1) / 3) < 1e-12)
        #expect(CaseTable.csv(cohort).contains("a,\"(1, 2)\",wt,4,0,0,996"))
    }
}

/// A missing prediction (`--missing worst`) scored for regions: the all-background prediction lies outside
/// every region without label 0 and inside every region with it.
@Suite struct MissingPredictionRegionTests {
    @Test func regionsOfAnAllBackgroundPrediction() {
        var options = CohortFixture.options(missing: .worst)
        options.evaluation.regions = [Region(name: "wt", labels: [1, 2]), Region(name: "all", labels: [0, 1])]
        let record = CaseRecord(
            name: "a", missingPrediction: "p/a.nii", reference: "r/a.nii",
            referenceCounts: [(0, 70), (1, 20), (2, 10)], voxels: 100, voxelVolumeMl: 0.001, emptyDistanceMm: 1,
            options: options, version: "test")
        #expect(
            record.regionCounts == [
                LabelCounts(label: 0, tp: 0, fp: 0, fn: 30, tn: 70),
                LabelCounts(label: 1, tp: 90, fp: 10, fn: 0, tn: 0),
            ])
        #expect(record.inconsistency == nil)
    }
}
