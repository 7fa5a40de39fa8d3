import Foundation
import TestSupport
import Testing

/// `compare --metrics lesions` against the lesion golden set (`../shared/lesion-golden`: cc3d components,
/// cross-checked against panoptica), through the command line as a script calls it.
@Suite(.enabled(if: SharedGoldenSet.lesions.isAvailable, "../shared/lesion-golden is absent"))
struct LesionEndToEndTests {
    /// Every key of every label's `lesions` object at 6, 18 and 26: counts exact, the rest within 1e-9 relative,
    /// `null` exactly where the golden set has it; the top-level `lesions` object states the options.
    @Test(arguments: SharedGoldenSet.lesions.caseIDs)
    func jsonMatchesTheGoldenSet(id: String) throws {
        let golden = try #require(SharedGoldenSet.lesions.case(id))
        let expected = try #require(golden["expected"] as? [String: [[String: Any]]])
        for connectivity in ["6", "18", "26"] {
            let result = try SegscoreProcess.run(
                ["compare"] + SharedGoldenSet.lesions.pair(golden)
                    + ["--format", "json", "--metrics", "lesions", "--connectivity", connectivity])
            #expect(result.status == 0, "\(result.stderr)")
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let options = try #require(document["lesions"] as? [String: Any])
            #expect(options["connectivity"] as? Int == Int(connectivity))
            #expect(options["minLesionVoxels"] as? Int == 1)
            let labels = try #require(document["labels"] as? [[String: Any]])
            let rows = try #require(expected[connectivity])
            #expect(labels.map { $0["label"] as? Int } == rows.map { $0["label"] as? Int }, "\(id) C\(connectivity)")
            for (label, row) in zip(labels, rows) {
                let lesions = try #require(label["lesions"] as? [String: Any])
                #expect(Set(lesions.keys) == Set(row.keys).subtracting(["label"]))
                for (key, want) in row where key != "label" {
                    #expect(
                        Self.matches(lesions[key], want), "\(id) C\(connectivity) label \(row["label"] ?? "") \(key)")
                }
            }
        }
    }

    /// `--min-lesion-voxels` drops small lesions on both sides and is stated; CSV gains the `lesion…` columns.
    @Test func minimumSizeAndCSVColumns() throws {
        let golden = try #require(SharedGoldenSet.lesions.case("many_small"))
        let pair = SharedGoldenSet.lesions.pair(golden)
        let all = try SegscoreProcess.run(["compare"] + pair + ["--format", "json", "--metrics", "lesions"])
        let large = try SegscoreProcess.run(
            ["compare"] + pair + ["--format", "json", "--metrics", "lesions", "--min-lesion-voxels", "5"])
        func lesions(_ out: String) throws -> [String: Any] {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            let labels = try #require(document["labels"] as? [[String: Any]])
            return try #require(labels.first?["lesions"] as? [String: Any])
        }
        #expect(try lesions(large.stdout)["pred"] as? Int ?? 0 < lesions(all.stdout)["pred"] as? Int ?? 0)
        #expect(large.stdout.contains("\"minLesionVoxels\": 5") || large.stdout.contains("\"minLesionVoxels\":5"))
        let csv = try SegscoreProcess.run(["compare"] + pair + ["--format", "csv", "--metrics", "lesions"])
        let header = csv.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(
            header.hasSuffix(
                ",lesionRef,lesionPred,lesionTp,lesionFn,lesionFp,lesionRecall,lesionPrecision,"
                    + "lesionF1,lesionFpVolumeMl,lesionFnVolumeMl,lesionDice,lesionPqTp,lesionPqFp,lesionPqFn,lesionSq,"
                    + "lesionRq,lesionPq"))
        let bad = try SegscoreProcess.run(["compare"] + pair + ["--metrics", "lesions", "--connectivity", "8"])
        #expect(bad.status != 0 && bad.stderr.contains("--connectivity takes 6, 18 or 26"))
        let orphan = try SegscoreProcess.run(["compare"] + pair + ["--min-lesion-voxels", "3"])
        #expect(orphan.status != 0 && orphan.stderr.contains("add lesions to --metrics"))
    }

    static func matches(_ got: Any?, _ want: Any) -> Bool {
        if want is NSNull { return got is NSNull }
        guard let g = (got as? NSNumber)?.doubleValue, let w = (want as? NSNumber)?.doubleValue else { return false }
        return abs(g - w) <= max(1e-9 * abs(w), 1e-12)
    }
}

extension SharedGoldenSet {
    /// `../shared/lesion-golden`.
    static let lesions = SharedGoldenSet("lesion-golden")

    /// The prediction and reference paths of a case.
    func pair(_ golden: [String: Any]) -> [String] {
        ["pred", "ref"].map { path(golden[$0] as? String ?? "") }
    }
}
