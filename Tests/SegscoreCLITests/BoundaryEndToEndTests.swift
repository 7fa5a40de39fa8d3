import Foundation
import TestSupport
import Testing

/// `compare --metrics …` against the distance golden set (google-deepmind/surface-distance 0.1 and MONAI 1.6.1
/// values in `../shared/distance-golden`), through the command line as a script calls it.
@Suite(.enabled(if: BoundaryGolden.isAvailable, "../shared/distance-golden is absent"))
struct BoundaryEndToEndTests {
    static let metricKeys = ["hd", "hd95", "masd", "assd", "nsd"]

    /// Every case, τ = 1 and 2, both empty rules: each label's five values within 1e-6 relative (1e-9 near 0),
    /// `null` exactly where the golden set has none.
    @Test(arguments: BoundaryGolden.caseIDs)
    func deepmindValuesMatchSurfaceDistance(id: String) throws {
        let golden = try #require(BoundaryGolden.case(id))
        for tolerance in [1, 2] {
            for ignoreEmpty in [true, false] {
                var arguments = [
                    "compare", golden.prediction, golden.reference, "--format", "json", "--metrics",
                    "dice,hd,hd95,masd,assd,nsd", "--nsd-tolerance", String(tolerance),
                ]
                if !ignoreEmpty { arguments.append("--no-ignore-empty") }
                let labels = try Self.labels(try SegscoreProcess.run(arguments))
                let expected = golden.surface(ignoreEmpty: ignoreEmpty)
                #expect(Set(labels.keys) == Set(expected.keys), "\(id)")
                for (label, row) in expected {
                    for key in Self.metricKeys {
                        let want = row[key == "nsd" ? "nsd@\(tolerance)" : key] ?? nil
                        let got = labels[label]?[key] ?? nil
                        #expect(
                            BoundaryGolden.close(got, want, relative: 1e-6, absolute: 1e-9),
                            "\(id) label \(label) \(key) τ=\(tolerance) ignoreEmpty=\(ignoreEmpty): \(String(describing: got)) vs \(String(describing: want))"
                        )
                    }
                }
            }
        }
    }

    /// `--distance-definition monai` gives MONAI's HausdorffDistanceMetric (max and 95th percentile),
    /// SurfaceDistanceMetric(symmetric) and SurfaceDiceMetric for every label both images hold.
    @Test(arguments: BoundaryGolden.caseIDs)
    func monaiDefinitionMatchesMonai(id: String) throws {
        let golden = try #require(BoundaryGolden.case(id))
        let result = try SegscoreProcess.run([
            "compare", golden.prediction, golden.reference, "--format", "json", "--metrics", "hd,hd95,assd,nsd",
            "--nsd-tolerance", "1", "--distance-definition", "monai",
        ])
        let labels = try Self.labels(result)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let distance = try #require(document["distance"] as? [String: Any])
        #expect(distance["definition"] as? String == "monai")
        let measured = try Self.measuredLabels(result)
        let expectations: [(key: String, options: [String])] = [
            ("hd", []), ("hd95", ["--percentile", "95"]),
        ]
        for (key, options) in expectations {
            let raw = try #require(golden.monaiRaw(cli: "hausdorff", options: options))
            for label in measured {
                #expect(
                    BoundaryGolden.close(labels[label]?[key] ?? nil, raw[label - 1], relative: 1e-5, absolute: 1e-6),
                    "\(id) label \(label) \(key)")
            }
        }
        let assd = try #require(golden.monaiRaw(cli: "surface-distance", options: ["--symmetric"]))
        let nsd = try #require(golden.monaiRaw(cli: "surface-dice", optionsPrefix: ["--class-thresholds"]))
        for label in measured {
            #expect(
                BoundaryGolden.close(labels[label]?["assd"] ?? nil, assd[label - 1], relative: 1e-5, absolute: 1e-6))
            #expect(BoundaryGolden.close(labels[label]?["nsd"] ?? nil, nsd[label - 1], relative: 1e-5, absolute: 1e-6))
        }
    }

    /// Every `monai` run of the golden set, exactly as listed (`segscore monai hausdorff|surface-distance|
    /// surface-dice --pred P --ref R --num-classes C …`): raw within 1e-5 relative with `null` for NaN/inf,
    /// aggregate within 1e-5, notNans exact.
    @Test(arguments: BoundaryGolden.caseIDs)
    func monaiRunsMatchMonai(id: String) throws {
        let golden = try #require(BoundaryGolden.case(id))
        let runs = golden.json["monai"] as? [[String: Any]] ?? []
        #expect(runs.count == 7)
        for run in runs {
            let cli = try #require(run["cli"] as? String)
            let arguments = cli.split(separator: " ").dropFirst().map { word -> String in
                switch word {
                case "PRED": golden.prediction
                case "REF": golden.reference
                default: String(word)
                }
            }
            let result = try SegscoreProcess.run(arguments)
            #expect(result.status == 0, "\(cli): \(result.stderr)")
            let output = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let expected = try #require(run["expected"] as? [String: Any])
            let raw = (output["raw"] as? [[Any]] ?? []).flatMap { $0 }.map { $0 as? Double }
            let want = (expected["raw"] as? [[Any]] ?? []).flatMap { $0 }.map { $0 as? Double }
            #expect(raw.count == want.count, "\(id) \(cli)")
            for (got, value) in zip(raw, want) {
                let finite = value.flatMap { $0.isFinite ? $0 : nil }
                #expect(BoundaryGolden.close(got, finite, relative: 1e-5, absolute: 1e-6), "\(id) \(cli)")
            }
            #expect(
                BoundaryGolden.close(
                    output["aggregate"] as? Double,
                    (expected["aggregate"] as? Double).flatMap { $0.isFinite ? $0 : nil },
                    relative: 1e-5, absolute: 1e-6), "\(id) \(cli) aggregate")
            #expect(output["notNans"] as? Double == expected["notNans"] as? Double, "\(id) \(cli) notNans")
        }
    }

    @Test func nsdWithoutToleranceIsAUsageError() throws {
        let result = try SegscoreProcess.run([
            "compare", "TestData/sample/pred.nii.gz", "TestData/sample/ref.nii.gz", "--metrics", "hd95,nsd",
        ])
        #expect(result.status == 2 && result.stderr.contains("--nsd-tolerance"))
        let unknown = try SegscoreProcess.run([
            "compare", "TestData/sample/pred.nii.gz", "TestData/sample/ref.nii.gz", "--metrics", "hd95,hdx",
        ])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown metric 'hdx'"))
    }

    /// Per-label metric values from a `compare --format json` run (`nil` for JSON null).
    static func labels(_ result: SegscoreProcess.Result) throws -> [Int: [String: Double?]] {
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var labels: [Int: [String: Double?]] = [:]
        for object in document["labels"] as? [[String: Any]] ?? [] {
            let label = try #require(object["label"] as? Int)
            labels[label] = Dictionary(uniqueKeysWithValues: metricKeys.map { ($0, object[$0] as? Double) })
        }
        return labels
    }

    /// Labels both images hold (the ones MONAI measures rather than leaving NaN/inf).
    static func measuredLabels(_ result: SegscoreProcess.Result) throws -> [Int] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (document["labels"] as? [[String: Any]] ?? []).compactMap { object in
            guard let label = object["label"] as? Int, (object["predVoxels"] as? Int ?? 0) > 0,
                (object["refVoxels"] as? Int ?? 0) > 0
            else { return nil }
            return label
        }
    }
}

/// The golden set's `cases.json`, read with Foundation.
enum BoundaryGolden {
    static let golden = SharedGoldenSet("distance-golden")
    static var folder: String { golden.folder }
    static var isAvailable: Bool { golden.isAvailable }
    static var cases: [[String: Any]] { golden.cases }
    static var caseIDs: [String] { golden.caseIDs }

    static func `case`(_ id: String) -> Case? {
        cases.first { $0["id"] as? String == id }.map(Case.init)
    }

    struct Case {
        let json: [String: Any]
        var prediction: String { folder + "/" + (json["pred"] as? String ?? "") }
        var reference: String { folder + "/" + (json["ref"] as? String ?? "") }

        /// label → key → value (`nil` for null).
        func surface(ignoreEmpty: Bool) -> [Int: [String: Double?]] {
            let surface = json["surface"] as? [String: Any] ?? [:]
            var rows: [Int: [String: Double?]] = [:]
            for row in surface[ignoreEmpty ? "ignoreEmpty" : "noIgnoreEmpty"] as? [[String: Any]] ?? [] {
                guard let label = row["label"] as? Int else { continue }
                var values: [String: Double?] = [:]
                for (key, value) in row where key != "label" { values[key] = value as? Double }
                rows[label] = values
            }
            return rows
        }

        /// The `raw` buffer (`[1, C−1]`, flattened) of the MONAI run with these options.
        func monaiRaw(cli: String, options: [String]) -> [Double?]? {
            run(cli) { $0 == options }
        }

        func monaiRaw(cli: String, optionsPrefix: [String]) -> [Double?]? {
            run(cli) { $0.starts(with: optionsPrefix) && !$0.contains("--use-subvoxels") && $0.last == "1,1,1" }
                ?? run(cli) {
                    $0.starts(with: optionsPrefix) && !$0.contains("--use-subvoxels") && ($0.last ?? "").hasPrefix("1")
                }
        }

        private func run(_ cli: String, where matches: ([String]) -> Bool) -> [Double?]? {
            for run in json["monai"] as? [[String: Any]] ?? [] {
                guard let command = run["cli"] as? String, command.contains("monai \(cli) "),
                    let options = run["options"] as? [String], matches(options),
                    let expected = run["expected"] as? [String: Any], let raw = expected["raw"] as? [[Any]]
                else { continue }
                return raw.flatMap { $0 }.map { $0 as? Double }
            }
            return nil
        }
    }

    /// Equal within `relative` (or `absolute` near zero); both `nil` counts as equal.
    static func close(_ a: Double?, _ b: Double?, relative: Double, absolute: Double) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return abs(a - b) <= max(absolute, relative * abs(b))
        default: return false
        }
    }
}
