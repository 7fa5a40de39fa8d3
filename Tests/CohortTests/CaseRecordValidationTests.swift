import DiceEngine
import Testing

@testable import Cohort

/// Case files read back by `--resume` and `merge` are checked before any arithmetic on them (issue 10, item 3).
@Suite struct CaseRecordValidationTests {
    static let background = LabelCounts(label: 0, tp: 100, fp: 0, fn: 0, tn: 0)

    static func record(voxels: Int = 100, _ counts: [LabelCounts]) -> CaseRecord {
        CaseRecord(
            name: "c", predictionFile: "p/c.nii", referenceFile: "r/c.nii", status: .scored, failure: nil,
            voxels: voxels, predictionVoxelVolumeMl: 0.001, referenceVoxelVolumeMl: 0.001, counts: counts,
            options: CohortFixture.options(), version: "test")
    }

    @Test func aRecordSegscoreWritesIsConsistent() {
        #expect(CohortFixture.record("c", [(1, 10, 2, 3), (2, 0, 0, 5)]).inconsistency == nil)
        #expect(CohortFixture.failed("c").inconsistency == nil)
    }

    @Test(arguments: [
        (100, [LabelCounts(label: 1, tp: -1, fp: 0, fn: 0, tn: 101)], "negative count"),
        (100, [LabelCounts(label: 1, tp: 10, fp: 0, fn: 0, tn: 80)], "is not 100"),
        (100, [LabelCounts(label: 1, tp: Int.max, fp: 1, fn: 0, tn: 0)], "is not 100"),
        (Int.max, [LabelCounts(label: 1, tp: Int.max, fp: 0, fn: 0, tn: 0)], "out of range"),
        (-1, [], "out of range"),
        (100, [CaseRecordValidationTests.background, CaseRecordValidationTests.background], "repeated"),
    ])
    func anEditedRecordIsRefused(voxels: Int, counts: [LabelCounts], reason: String) {
        let problem = Self.record(voxels: voxels, counts).inconsistency
        #expect(problem?.contains(reason) == true, "\(problem ?? "accepted")")
    }
}
