import DiceEngine
import Documents
import Reporting
import Testing

@testable import Cohort

/// `cohort --metrics hd95,nsd`: boundary values kept in the case records and passed to every output.
@Suite struct CohortBoundaryTests {
    static let boundary = BoundaryOptions(
        metrics: [.percentile(95), .nsd], nsdTolerance: NSDTolerance(defaultMm: 2))

    static func options(_ boundary: BoundaryOptions? = CohortBoundaryTests.boundary) -> CohortOptions {
        var options = CohortFixture.options()
        options.evaluation.boundary = boundary
        return options
    }

    /// A scored case with (label, tp, fp, fn, hd95, nsd).
    static func record(_ name: String, _ labels: [(Int64, Int, Int, Int, Double?, Double?)]) -> CaseRecord {
        let counts = CohortFixture.record(name, labels.map { ($0.0, $0.1, $0.2, $0.3) }, options: options())
        return CaseRecord(
            name: name, predictionFile: counts.predictionFile, referenceFile: counts.referenceFile, status: .scored,
            failure: nil, voxels: counts.voxels, predictionVoxelVolumeMl: 0.001, referenceVoxelVolumeMl: 0.001,
            counts: counts.counts,
            boundaries: labels.map { BoundaryScores(label: $0.0, values: [(.percentile(95), $0.4), (.nsd, $0.5)]) },
            options: options(), version: "test")
    }

    /// a holds labels 1 and 2; b only label 1 (so label 2 is absent from both of its images).
    let cohort = CohortFixture.cohort([
        record("a", [(1, 40, 10, 10, 1.5, 0.875), (2, 5, 0, 15, 0.1 + 0.2, 1)]),
        record("b", [(1, 30, 0, 30, 4.25, 0.5)]),
    ])

    @Test func recordsReadBackWithTheirBoundaryValuesAndOptions() throws {
        for record in cohort.records {
            let text = CaseFiles.text(record, stamps: nil)
            let parsed = try CaseRecord(parsing: text, path: "x.json")
            #expect(parsed == record)
            #expect(parsed.boundaries == record.boundaries)
            #expect(CaseFiles.text(parsed, stamps: nil) == text)
        }
        #expect(CaseFiles.text(cohort.records[0], stamps: nil).contains(#""hd95": 0.30000000000000004"#))
        let withoutValue = CaseFiles.text(cohort.records[1], stamps: nil).replacingOccurrences(#""nsd": 0.5"#, "")
        #expect(throws: CohortError.self) { try CaseRecord(parsing: withoutValue, path: "x.json") }
    }

    @Test func optionsRecordTheBoundaryOptionsAndOnlyWhenAskedFor() throws {
        #expect(CohortFixture.options().json["boundary"] == nil)
        let options = Self.options()
        #expect(CohortOptions(json: options.json) == options)
        var perLabel = Self.boundary
        perLabel.nsdTolerance = NSDTolerance(defaultMm: 2, perLabelMm: [3: 1.5])
        #expect(CohortOptions(json: Self.options(perLabel).json) == Self.options(perLabel))
        #expect(Self.options(perLabel) != options)
        var monai = Self.boundary
        monai.definition = .monai
        #expect(Self.options(monai) != options)
        #expect(Self.options(nil) != options)
    }

    @Test func summaryHasUpperCaseKeysSortedAmongNnUNetsWithNullForALabelAbsentFromBoth() throws {
        let summary = CohortSummary.json(cohort)
        let cases = try #require(summary["metric_per_case"]?.arrayValue)
        #expect(
            cases[0]["metrics"]?["1"]?.objectMembers?.map(\.0)
                == ["Dice", "FN", "FP", "HD95", "IoU", "NSD", "TN", "TP", "n_pred", "n_ref"])
        #expect(cases[0]["metrics"]?["2"]?["HD95"]?.doubleValue == 0.1 + 0.2)
        #expect(cases[1]["metrics"]?["2"]?["HD95"]?.isNull == true)
        #expect(cases[1]["metrics"]?["2"]?["NSD"]?.isNull == true)
        #expect(summary["mean"]?["1"]?["HD95"]?.doubleValue == (1.5 + 4.25) / 2)
        #expect(summary["mean"]?["2"]?["NSD"]?.doubleValue == 1)
        #expect(summary["foreground_mean"]?["NSD"]?.doubleValue == (0.6875 + 1) / 2)
        #expect(
            CohortSummary.json(CohortFixture.cohort([CohortFixture.record("a", [(1, 4, 1, 1)])])).rendered()
                .contains("HD") == false)
    }

    @Test func casesCSVAndAggregatesGainTheMetrics() throws {
        let rows = CaseTable.csv(cohort).split(separator: "\n")
        #expect(rows[0].hasSuffix(",recall,hd95,nsd"))
        #expect(rows[1].hasSuffix(",1.5,0.875"))
        #expect(rows[4].hasSuffix(",,"))  // b, label 2: absent from both images
        let labels = try #require(Aggregates.json(cohort)["labels"]?.arrayValue)
        let hd95 = try #require(labels[0]["metrics"]?["hd95"])
        #expect(hd95["mean"]?.doubleValue == (1.5 + 4.25) / 2)
        #expect(hd95["max"]?.doubleValue == 4.25)
        #expect(hd95["pooled"]?.isNull == true)
        #expect(labels[1]["metrics"]?["nsd"]?["nanCount"]?.intValue == 1)
        #expect(Aggregates.csv(cohort).split(separator: "\n").count == 1 + 2 * 6)
    }

    @Test func aMissingPredictionScoresTheDiagonalAndNSDZeroWhereTheReferenceHasTheLabel() {
        var options = Self.options()
        options.evaluation.selection = LabelSelection(labels: [1, 2], includeBackground: false)
        for ignoreEmpty in [true, false] {
            options.evaluation.emptyRule = EmptyRule(ignoreEmpty: ignoreEmpty)
            let record = CaseRecord(
                name: "m", missingPrediction: "pred/m.nii", reference: "ref/m.nii",
                referenceCounts: [(0, 990), (1, 10)], voxels: 1000, voxelVolumeMl: 0.001, emptyDistanceMm: 17.5,
                options: options, version: "test")
            #expect(record.boundaries.map(\.label) == [1, 2])
            #expect(record.boundaries[0].value(.percentile(95)) == 17.5)
            #expect(record.boundaries[0].value(.nsd) == 0)
            // Label 2 is in neither image: undefined, or a perfect match without ignore-empty.
            #expect(record.boundaries[1].value(.percentile(95)) == (ignoreEmpty ? nil : 0))
            #expect(record.boundaries[1].value(.nsd) == (ignoreEmpty ? nil : 1))
        }
    }

    @Test func partialsWithOtherBoundaryOptionsAreRefused() throws {
        var other = Self.boundary
        other.nsdTolerance = NSDTolerance(defaultMm: 1)
        let first = CohortFixture.cohort(cohort.records, shard: Shard(index: 1, count: 2))
        let changed = cohort.records.map {
            CaseRecord(
                name: $0.name, predictionFile: $0.predictionFile, referenceFile: $0.referenceFile, status: $0.status,
                failure: $0.failure, voxels: $0.voxels, predictionVoxelVolumeMl: $0.predictionVoxelVolumeMl,
                referenceVoxelVolumeMl: $0.referenceVoxelVolumeMl, counts: $0.counts, boundaries: $0.boundaries,
                options: Self.options(other), version: "test")
        }
        let second = CohortFixture.cohort(changed, shard: Shard(index: 2, count: 2))
        let partials = try [first, second].enumerated().map { index, cohort in
            Cohort.Partial(
                path: "p\(index)",
                manifest: try CohortManifest(parsing: CohortManifest.json(cohort).rendered(), path: "p\(index)"),
                records: cohort.records, stamps: [:])
        }
        #expect(throws: CohortError.self) { try Cohort.merging(partials) }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
