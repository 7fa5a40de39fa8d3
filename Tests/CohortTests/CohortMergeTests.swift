import Documents
import Reporting
import Testing

@testable import Cohort

@Suite struct CohortMergeTests {
    let records =
        (1...7).map { i in
            CohortFixture.record("case\(i)", [(1, 10 * i, i, 7 - i), (Int64(2 + i % 3), i, 0, 3)])
        } + [CohortFixture.failed("case8")]

    /// A partial as `merge` sees it: its manifest and records read back from their rendered files.
    func partial(_ shard: Shard) throws -> Cohort.Partial {
        let cohort = CohortFixture.cohort(records, shard: shard)
        let manifest = try CohortManifest(
            parsing: CohortManifest.json(cohort).rendered(pretty: true), path: "shard\(shard.index)")
        let records = try cohort.records.map {
            try CaseRecord(parsing: CaseFiles.text($0, stamps: nil), path: "\($0.name).json")
        }
        return Cohort.Partial(path: "shard\(shard.index)", manifest: manifest, records: records, stamps: [:])
    }

    @Test func threeShardsMergeIntoExactlyTheFilesOfOneRun() throws {
        let whole = CohortFixture.cohort(records)
        let merged = try Cohort.merging((1...3).map { try partial(Shard(index: $0, count: 3)!) })
        let expected = CohortOutput.files(whole)
        let actual = CohortOutput.files(merged)
        #expect(actual.map(\.name) == expected.map(\.name))
        for (a, e) in zip(actual, expected) {
            #expect(a.text == e.text, "\(a.name) differs")
        }
        #expect(
            merged.records.map { CaseFiles.text($0, stamps: nil) }
                == whole.records.map { CaseFiles.text($0, stamps: nil) })
    }

    @Test func shardsTakeEveryNthCaseInSortedOrder() {
        let shard = Shard("2/3")!
        #expect(shard.select(Array("abcdefgh")) == Array("beh"))
        #expect(Shard("0/3") == nil)
        #expect(Shard("4/3") == nil)
        #expect(Shard("1/0") == nil)
        #expect(Shard("x") == nil)
    }

    @Test func aMissingShardIsRefused() throws {
        let partials = try [1, 3].map { try partial(Shard(index: $0, count: 3)!) }
        #expect(throws: CohortError.self) { try Cohort.merging(partials) }
    }

    @Test func aShardGivenTwiceIsRefused() throws {
        let partials = try [1, 2, 3, 2].map { try partial(Shard(index: $0, count: 3)!) }
        #expect(throws: CohortError.self) { try Cohort.merging(partials) }
    }

    @Test func partialsScoredWithDifferentOptionsAreRefused() throws {
        let other = CohortFixture.options(emptyRule: .oneZero)
        let changed = records.map {
            CaseRecord(
                name: $0.name, predictionFile: $0.predictionFile, referenceFile: $0.referenceFile, status: $0.status,
                failure: $0.failure, voxels: $0.voxels, predictionVoxelVolumeMl: $0.predictionVoxelVolumeMl,
                referenceVoxelVolumeMl: $0.referenceVoxelVolumeMl, counts: $0.counts, options: other, version: "test")
        }
        let first = try partial(Shard(index: 1, count: 2)!)
        let cohort = CohortFixture.cohort(changed, shard: Shard(index: 2, count: 2))
        let second = Cohort.Partial(
            path: "other",
            manifest: try CohortManifest(parsing: CohortManifest.json(cohort).rendered(), path: "other"),
            records: cohort.records, stamps: [:])
        #expect(throws: CohortError.self) { try Cohort.merging([first, second]) }
    }
}
