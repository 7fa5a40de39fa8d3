import Documents
import Reporting
import Testing

@testable import Cohort
@testable import DiceEngine

/// `cohort --metrics lesions`: lesion values kept in the case records and passed to every output, pooled from
/// summed counts, and gated.
///
/// The cohort is three cases on a 12-voxel line (1 µL voxels), lesions given by their sizes and overlaps:
/// - a, label 1: reference lesions of 2 and 1 voxels, predicted components of 1 and 2; the first of each share
///   one voxel. tp 1, fn 1, fp 1: recall = precision = F1 = ½; FP volume 2 µL, FN volume 1 µL; lesion Dice
///   (2·1/(2 + 1) + 0 + 0) / 3 = 2/9; the shared pair's IoU is ½, not above it: no PQ match, PQ 0.
/// - b, label 1: one lesion of 3 voxels predicted exactly: every ratio 1.
/// - c: label 2 only, one voxel predicted exactly; label 1 is absent from both images (F1, lesion Dice, PQ null).
@Suite struct CohortLesionTests {
    static let lesionOptions = LesionOptions(connectivity: .corners, minimumVoxels: 1)

    static func options(_ lesions: LesionOptions? = CohortLesionTests.lesionOptions) -> CohortOptions {
        var options = CohortFixture.options()
        options.evaluation.lesions = lesions
        return options
    }

    /// Lesion values from component sizes and (reference, prediction, shared voxels) overlaps, 1 µL voxels.
    static func lesions(
        _ label: Int64, reference: [Int], prediction: [Int], overlaps: [(Int, Int, Int)] = []
    ) -> LesionScores {
        LesionScores(
            label: label, referenceVoxels: reference, predictionVoxels: prediction,
            overlaps: overlaps.map { (reference: $0.0, prediction: $0.1, voxels: $0.2) }, referenceVoxelMl: 0.001,
            predictionVoxelMl: 0.001)
    }

    /// A scored case with (label, tp, fp, fn) counts and each label's lesion values.
    static func record(
        _ name: String, _ counts: [(Int64, Int, Int, Int)], _ lesions: [LesionScores],
        options: CohortOptions = options()
    ) -> CaseRecord {
        let base = CohortFixture.record(name, voxels: 12, counts, options: options)
        return CaseRecord(
            name: name, predictionFile: base.predictionFile, referenceFile: base.referenceFile, status: .scored,
            failure: nil, voxels: 12, predictionVoxelVolumeMl: 0.001, referenceVoxelVolumeMl: 0.001,
            counts: base.counts, lesions: lesions, options: options, version: "test")
    }

    static let records = [
        record("a", [(1, 1, 2, 2)], [lesions(1, reference: [2, 1], prediction: [1, 2], overlaps: [(0, 0, 1)])]),
        record("b", [(1, 3, 0, 0)], [lesions(1, reference: [3], prediction: [3], overlaps: [(0, 0, 3)])]),
        record("c", [(2, 1, 0, 0)], [lesions(2, reference: [1], prediction: [1], overlaps: [(0, 0, 1)])]),
    ]

    let cohort = CohortFixture.cohort(CohortLesionTests.records)

    @Test func theHandMadeValuesAreWhatTheDefinitionsGive() {
        let a = Self.records[0].lesions[0]
        #expect([a.reference, a.prediction, a.tp, a.fn, a.fp] == [2, 2, 1, 1, 1])
        #expect(a.recall == 0.5 && a.precision == 0.5 && a.f1 == 0.5)
        #expect(a.fpVolumeMl == 0.002 && a.fnVolumeMl == 0.001)
        #expect(abs((a.lesionDice ?? 0) - 2.0 / 9) < 1e-15)
        #expect([a.pqTp, a.pqFp, a.pqFn] == [0, 2, 2] && a.sq == nil && a.rq == 0 && a.pq == 0)
        let absent = LesionScores.absent(label: 1)
        #expect(absent.f1 == nil && absent.lesionDice == nil && absent.pq == nil && absent.fpVolumeMl == 0)
    }

    @Test func recordsReadBackWithTheirLesionValues() throws {
        for record in cohort.records {
            let text = CaseFiles.text(record, stamps: nil)
            let parsed = try CaseRecord(parsing: text, path: "x.json")
            #expect(parsed == record)
            #expect(parsed.lesions == record.lesions)
            #expect(parsed.inconsistency == nil)
            #expect(CaseFiles.text(parsed, stamps: nil) == text)
        }
        let text = CaseFiles.text(cohort.records[0], stamps: nil)
        #expect(text.contains(#""lesionDice": 0.2222222222222222"#))
        // A record of a run with lesion options must hold every label's values.
        let withoutLesions = CaseFiles.text(CohortFixture.record("a", voxels: 12, [(1, 1, 2, 2)]), stamps: nil)
            .replacingOccurrences(
                #""labels": null"#, #""labels": null, "lesions": {"connectivity": 26, "minLesionVoxels": 1}"#)
        #expect(withoutLesions.contains("minLesionVoxels"))
        #expect(throws: CohortError.self) { try CaseRecord(parsing: withoutLesions, path: "x.json") }
        // Edited counts that no longer add up are found.
        let edited = try CaseRecord(parsing: text.replacingOccurrences(#""fn": 1,"#, #""fn": 0,"#), path: "x.json")
        #expect(edited.inconsistency?.contains("lesion counts") == true)
        let negative = try CaseRecord(
            parsing: text.replacingOccurrences(#""fpVolumeMl": 0.002"#, #""fpVolumeMl": -1"#), path: "x.json")
        #expect(negative.inconsistency?.contains("out of range") == true)
    }

    /// A region's lesion values are checked as a label's are.
    @Test func damagedRegionLesionsAreFound() {
        let base = Self.records[0]
        func record(_ region: LesionScores) -> CaseRecord {
            CaseRecord(
                name: base.name, predictionFile: base.predictionFile, referenceFile: base.referenceFile,
                status: .scored, failure: nil, voxels: 12, predictionVoxelVolumeMl: 0.001,
                referenceVoxelVolumeMl: 0.001, counts: base.counts,
                regionCounts: [LabelCounts(label: 0, tp: 1, fp: 2, fn: 2, tn: 7)], lesions: base.lesions,
                regionLesions: [region], options: base.options, version: "test")
        }
        let sound = Self.lesions(0, reference: [2, 1], prediction: [1, 2], overlaps: [(0, 0, 1)])
        #expect(record(sound).inconsistency == nil)
        // Three false positives among two predicted lesions cannot be.
        let damaged = LesionScores(
            label: 0, reference: sound.reference, prediction: sound.prediction, tp: sound.tp, fn: sound.fn, fp: 3,
            recall: sound.recall, precision: sound.precision, f1: sound.f1, fpVolumeMl: sound.fpVolumeMl,
            fnVolumeMl: sound.fnVolumeMl, lesionDice: sound.lesionDice, pqTp: sound.pqTp, pqFp: sound.pqFp,
            pqFn: sound.pqFn, sq: sound.sq, rq: sound.rq, pq: sound.pq)
        #expect(record(damaged).inconsistency?.contains("lesion counts") == true)
    }

    @Test func optionsRecordTheLesionOptionsAndOnlyWhenAskedFor() throws {
        #expect(CohortFixture.options().json["lesions"] == nil)
        let options = Self.options()
        #expect(options.json["lesions"]?["connectivity"]?.intValue == 26)
        #expect(options.json["lesions"]?["minLesionVoxels"]?.intValue == 1)
        #expect(CohortOptions(json: options.json) == options)
        let faces = Self.options(LesionOptions(connectivity: .faces))
        let larger = Self.options(LesionOptions(connectivity: .corners, minimumVoxels: 3))
        #expect(CohortOptions(json: faces.json) == faces)
        #expect(CohortOptions(json: larger.json) == larger)
        #expect(faces != options && larger != options && Self.options(nil) != options)
        let bad = options.json.rendered().replacingOccurrences(#""connectivity":26"#, #""connectivity":8"#)
        #expect(CohortOptions(json: try JSONValue(parsing: bad)) == nil)
    }

    @Test func casesCSVGainsTheLesionColumns() {
        let rows = CaseTable.csv(cohort).split(separator: "\n").map(String.init)
        #expect(
            rows[0].hasSuffix(
                ",recall,lesionRef,lesionPred,lesionTp,lesionFn,lesionFp,lesionRecall,lesionPrecision,lesionF1,"
                    + "lesionFpVolumeMl,lesionFnVolumeMl,lesionDice,lesionPqTp,lesionPqFp,lesionPqFn,lesionSq,lesionRq,lesionPq"
            ))
        // a, label 1; c, label 1 (absent from both images).
        #expect(
            rows[1].hasPrefix("a,1,")
                && rows[1].hasSuffix(",2,2,1,1,1,0.5,0.5,0.5,0.002,0.001,0.2222222222222222,0,2,2,,0.0,0.0"))
        #expect(rows[5].hasPrefix("c,1,") && rows[5].hasSuffix(",0,0,0,0,0,,,,0.0,0.0,,0,0,0,,,"))
        #expect(rows.count == 7)
        #expect(!CaseTable.csv(CohortFixture.cohort([CohortFixture.record("a", [(1, 4, 1, 1)])])).contains("lesion"))
    }

    @Test func aggregatesPoolTheSummedCountsAndAverageTheCases() throws {
        let labels = try #require(Aggregates.json(cohort)["labels"]?.arrayValue)
        let one = labels[0]
        let summed = try #require(one["lesions"])
        #expect(
            ["ref", "pred", "tp", "fn", "fp", "pqTp", "pqFp", "pqFn"].map { summed[$0]?.intValue }
                == [3, 3, 2, 1, 1, 1, 2, 2])
        func metric(_ name: String) throws -> JSONValue { try #require(one["metrics"]?[name]) }
        // Pooled from the sums: recall 2/3, precision (3 − 1)/3, F1 2/3; per case ½ and 1, c undefined.
        #expect(try metric("lesionRecall")["pooled"]?.doubleValue == 2.0 / 3)
        #expect(try metric("lesionPrecision")["pooled"]?.doubleValue == 2.0 / 3)
        #expect(abs((try metric("lesionF1")["pooled"]?.doubleValue ?? 0) - 2.0 / 3) < 1e-15)
        #expect(try metric("lesionF1")["mean"]?.doubleValue == 0.75)
        #expect(try metric("lesionF1")["nanCount"]?.intValue == 1)
        // One match (b, IoU 1) against two unmatched on each side (a): RQ 1/(1 + 1 + 1), SQ 1, PQ 1/3.
        #expect(try metric("lesionRq")["pooled"]?.doubleValue == 1.0 / 3)
        #expect(try metric("lesionSq")["pooled"]?.doubleValue == 1)
        #expect(try metric("lesionPq")["pooled"]?.doubleValue == 1.0 / 3)
        #expect(try metric("lesionPq")["mean"]?.doubleValue == 0.5)
        #expect(try metric("lesionDice")["mean"]?.doubleValue == (2.0 / 9 + 1) / 2)
        #expect(try metric("lesionDice")["pooled"]?.isNull == true)
        // A volume is defined in every case (0 in c): the mean is over all three.
        #expect(try metric("lesionFpVolumeMl")["mean"]?.doubleValue == 0.002 / 3)
        #expect(try metric("lesionFpVolumeMl")["count"]?.intValue == 3)
        #expect(labels[1]["lesions"]?["ref"]?.intValue == 1)
        let csv = Aggregates.csv(cohort).split(separator: "\n")
        #expect(csv.count == 1 + 2 * (4 + 9))
        #expect(csv.contains { $0.hasPrefix("1,,lesionF1,2,1,0.75,") })
        #expect(
            Aggregates.json(CohortFixture.cohort([CohortFixture.record("a", [(1, 4, 1, 1)])])).rendered()
                .contains("lesion") == false)
    }

    @Test func summaryHasTheLesionKeysSortedAmongNnUNetsAndNullWhereUndefined() throws {
        let summary = CohortSummary.json(cohort)
        let cases = try #require(summary["metric_per_case"]?.arrayValue)
        #expect(
            cases[0]["metrics"]?["1"]?.objectMembers?.map(\.0)
                == [
                    "Dice", "FN", "FNVolume", "FP", "FPVolume", "IoU", "LesionDice", "LesionF1", "PQ", "TN", "TP",
                    "n_pred", "n_ref",
                ])
        #expect(cases[0]["metrics"]?["1"]?["LesionF1"]?.doubleValue == 0.5)
        #expect(cases[0]["metrics"]?["1"]?["FPVolume"]?.doubleValue == 0.002)
        #expect(cases[0]["metrics"]?["1"]?["FNVolume"]?.doubleValue == 0.001)
        #expect(cases[0]["metrics"]?["1"]?["PQ"]?.doubleValue == 0)
        let absent = try #require(cases[2]["metrics"]?["1"])
        #expect(absent["LesionF1"]?.isNull == true && absent["LesionDice"]?.isNull == true)
        #expect(absent["PQ"]?.isNull == true && absent["FPVolume"]?.doubleValue == 0)
        #expect(summary["mean"]?["1"]?["LesionF1"]?.doubleValue == 0.75)
        #expect(summary["mean"]?["1"]?["PQ"]?.doubleValue == 0.5)
        #expect(summary["mean"]?["1"]?["FPVolume"]?.doubleValue == 0.002 / 3)
        #expect(summary["foreground_mean"]?["LesionF1"]?.doubleValue == (0.75 + 1) / 2)
        let plain = CohortSummary.json(CohortFixture.cohort([CohortFixture.record("a", [(1, 4, 1, 1)])])).rendered()
        #expect(!plain.contains("Lesion") && !plain.contains("PQ") && !plain.contains("Volume"))
    }

    @Test func aMissingPredictionMissesEveryReferenceLesion() {
        var options = Self.options()
        options.evaluation.selection = LabelSelection(labels: [1, 2], includeBackground: false)
        let record = CaseRecord(
            name: "m", missingPrediction: "pred/m.nii", reference: "ref/m.nii", referenceCounts: [(0, 9), (1, 3)],
            voxels: 12, voxelVolumeMl: 0.001, emptyDistanceMm: 12,
            referenceLesions: ([Self.lesions(1, reference: [2, 1], prediction: [])], []), options: options,
            version: "test")
        #expect(record.lesions.map(\.label) == [1, 2])
        let missed = record.lesions[0]
        #expect([missed.reference, missed.prediction, missed.tp, missed.fn, missed.fp] == [2, 0, 0, 2, 0])
        #expect(missed.recall == 0 && missed.precision == nil && missed.f1 == 0 && missed.lesionDice == 0)
        #expect(missed.fnVolumeMl == 0.003 && missed.fpVolumeMl == 0 && missed.pq == 0 && missed.pqFn == 2)
        #expect(record.lesions[1] == .absent(label: 2))
        #expect(record.inconsistency == nil)
        #expect(
            CaseRecord(
                name: "m", missingPrediction: "pred/m.nii", reference: "ref/m.nii", referenceCounts: [(0, 9), (1, 3)],
                voxels: 12, voxelVolumeMl: 0.001, emptyDistanceMm: 12, options: CohortFixture.options(),
                version: "test"
            ).lesions.isEmpty)
    }

    /// b gains a false-positive component of 1 voxel: its F1 drops from 1 to 2/3, its FP volume rises by 1 µL.
    @Test func gateFailsOnALesionF1DropAndAnFPVolumeRise() throws {
        let worse = CohortFixture.cohort([
            Self.records[0],
            Self.record(
                "b", [(1, 3, 1, 0)], [Self.lesions(1, reference: [3], prediction: [3, 1], overlaps: [(0, 0, 3)])]),
            Self.records[2],
        ])
        func scores(_ cohort: Cohort, _ metric: GateMetric) throws -> SummaryScores {
            try SummaryScores(parsing: CohortSummary.text(cohort), path: "summary.json", metric: metric)
        }
        let f1 = try #require(GateMetric(name: "lesion-f1"))
        let gate = RegressionGate(
            baseline: try scores(cohort, f1), current: try scores(worse, f1), tolerance: 0.01)
        #expect(gate.regressions.map { [$0.caseName, $0.label, $0.kind.rawValue] } == [["b", "1", "dropped"]])
        #expect(abs((gate.regressions.first?.current ?? 0) - 2.0 / 3) < 1e-15)
        #expect(gate.report().contains("LesionF1 drop > 0.01"))
        #expect(
            RegressionGate(baseline: try scores(worse, f1), current: try scores(cohort, f1), tolerance: 0.01).passed)

        let volume = try #require(GateMetric(name: "fp-volume"))
        let rose = RegressionGate(
            baseline: try scores(cohort, volume), current: try scores(worse, volume), tolerance: 0)
        #expect(rose.regressions.map { [$0.caseName, $0.label, $0.kind.rawValue] } == [["b", "1", "rose"]])
        #expect(rose.report().contains("FPVolume rise > 0") && rose.report().contains(" mL"))
        // A rise equal to the tolerance passes.
        #expect(
            RegressionGate(baseline: try scores(cohort, volume), current: try scores(worse, volume), tolerance: 0.001)
                .passed)
        // Without lesion-wise metrics the summary has no such key.
        let plain = CohortFixture.cohort([CohortFixture.record("a", [(1, 4, 1, 1)])])
        #expect(throws: CohortError.self) { try scores(plain, f1) }
    }

    @Test func gateMetricsParseByNameAndBySummaryKey() {
        #expect(GateMetric(name: "lesion-f1") == .lesion(.f1))
        #expect(GateMetric(name: "LesionF1") == .lesion(.f1))
        #expect(GateMetric(name: "lesion-dice") == .lesion(.dice))
        #expect(GateMetric(name: "pq") == .lesion(.pq))
        #expect(GateMetric(name: "PQ")?.summaryKey == "PQ")
        #expect(GateMetric(name: "fp-volume") == .lesion(.fpVolume))
        #expect(GateMetric(name: "FNVolume") == .lesion(.fnVolume))
        #expect(GateMetric(name: "fn-volume")?.higherIsBetter == false)
        #expect(GateMetric(name: "fn-volume")?.unit == "mL")
        #expect(GateMetric(name: "lesion-dice")?.higherIsBetter == true)
        #expect(GateMetric(name: "hd95")?.unit == "mm")
        #expect(GateMetric(name: "lesion") == nil)
    }

    @Test func summariesWithAMalformedLesionValueAreRefused() {
        let cases: [(String, String, String)] = [
            (#"{"1": {"FPVolume": -1}}"#, "fp-volume", "case c label 1: FPVolume -1.0 is not a volume (mL ≥ 0)"),
            (#"{"1": {"PQ": 1.5}}"#, "pq", "case c label 1: PQ 1.5 is outside [0, 1]"),
            (
                #"{"1": {"Dice": 1}}"#, "lesion-f1",
                "case c label 1: no LesionF1 (score the cohort with --metrics lesions)"
            ),
        ]
        for (metrics, name, message) in cases {
            let text = #"{"metric_per_case": [{"metrics": \#(metrics), "reference_file": "/gt/c.nii.gz"}]}"#
            let error = #expect(throws: CohortError.self) {
                try SummaryScores(parsing: text, path: "s.json", metric: GateMetric(name: name) ?? .dice)
            }
            #expect(error.map { "\($0)".hasPrefix(message) } == true, "\(String(describing: error))")
        }
    }

    @Test func partialsWithOtherLesionOptionsAreRefused() throws {
        let other = Self.options(LesionOptions(connectivity: .faces))
        let first = CohortFixture.cohort(Self.records, shard: Shard(index: 1, count: 2))
        let changed = Self.records.map {
            CaseRecord(
                name: $0.name, predictionFile: $0.predictionFile, referenceFile: $0.referenceFile, status: $0.status,
                failure: $0.failure, voxels: $0.voxels, predictionVoxelVolumeMl: $0.predictionVoxelVolumeMl,
                referenceVoxelVolumeMl: $0.referenceVoxelVolumeMl, counts: $0.counts, lesions: $0.lesions,
                options: other, version: "test")
        }
        let second = CohortFixture.cohort(changed, shard: Shard(index: 2, count: 2))
        func partials(_ cohorts: [Cohort]) throws -> [Cohort.Partial] {
            try cohorts.enumerated().map { index, cohort in
                Cohort.Partial(
                    path: "p\(index)",
                    manifest: try CohortManifest(parsing: CohortManifest.json(cohort).rendered(), path: "p\(index)"),
                    records: cohort.records, stamps: [:])
            }
        }
        #expect(throws: CohortError.self) { try Cohort.merging(partials([first, second])) }
        // The same options merge into what one run gives.
        let merged = try Cohort.merging(
            partials([first, CohortFixture.cohort(Self.records, shard: Shard(index: 2, count: 2))]))
        #expect(CohortOutput.files(merged).map(\.text) == CohortOutput.files(cohort).map(\.text))
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
