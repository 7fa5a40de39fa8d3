import Foundation
import Testing

/// The boundary-metric golden set in `<repo>/../shared/distance-golden` (absent outside the project machine).
enum DistanceGolden {
    static let folder: String = {
        // <repo>/Tests/BoundaryMetricsTests/Support/DistanceGolden.swift → <repo>/../shared/distance-golden
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/distance-golden").standardized.path
    }()

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: folder + "/cases.json")
    }

    static let cases: [GoldenDistanceCase] = {
        guard isAvailable,
            let data = FileManager.default.contents(atPath: folder + "/cases.json"),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cases = root["cases"] as? [[String: Any]]
        else { return [] }
        return cases.map(GoldenDistanceCase.init)
    }()
}

/// A golden number: finite, or MONAI's `"nan"`/`"inf"` strings.
func goldenNumber(_ json: Any?) -> Double {
    switch json {
    case let number as NSNumber: number.doubleValue
    case let text as String: text == "inf" ? .infinity : text == "-inf" ? -.infinity : .nan
    default: .nan
    }
}

/// One case of `cases.json`.
struct GoldenDistanceCase: Sendable, CustomTestStringConvertible {
    let id: String
    let predictionPath: String
    let referencePath: String
    let spacing: [Double]
    let diagonalMm: Double
    /// Per label, `surface.ignoreEmpty` and `surface.noIgnoreEmpty` rows: key → value (NaN for null).
    let ignoreEmpty: [UInt32: [String: Double]]
    let noIgnoreEmpty: [UInt32: [String: Double]]
    let monaiRuns: [GoldenMonaiRun]

    var testDescription: String { id }

    init(_ json: [String: Any]) {
        id = json["id"] as? String ?? "?"
        predictionPath = DistanceGolden.folder + "/" + (json["pred"] as? String ?? "")
        referencePath = DistanceGolden.folder + "/" + (json["ref"] as? String ?? "")
        spacing = (json["spacing"] as? [NSNumber] ?? []).map(\.doubleValue)
        diagonalMm = goldenNumber(json["diagonalMm"])
        let surface = json["surface"] as? [String: Any] ?? [:]
        func rows(_ key: String) -> [UInt32: [String: Double]] {
            var result: [UInt32: [String: Double]] = [:]
            for row in surface[key] as? [[String: Any]] ?? [] {
                let label = UInt32((row["label"] as? NSNumber)?.intValue ?? 0)
                var values: [String: Double] = [:]
                for (name, value) in row where name != "label" { values[name] = goldenNumber(value) }
                result[label] = values
            }
            return result
        }
        ignoreEmpty = rows("ignoreEmpty")
        noIgnoreEmpty = rows("noIgnoreEmpty")
        monaiRuns = (json["monai"] as? [[String: Any]] ?? []).map(GoldenMonaiRun.init)
    }
}

/// One `monai` run: the metric class, its keyword arguments and the expected `[1, C−1]` buffer.
struct GoldenMonaiRun: Sendable {
    let metric: String
    let percentile: Double?
    let directed: Bool
    let symmetric: Bool
    let useSubvoxels: Bool
    let classThresholds: [Double]
    let raw: [Double]
    let aggregate: Double
    let notNans: Double

    init(_ json: [String: Any]) {
        let expected = json["expected"] as? [String: Any] ?? [:]
        let oracle = json["oracle"] as? [String: Any] ?? [:]
        let kwargs = oracle["kwargs"] as? [String: Any] ?? [:]
        metric = expected["metric"] as? String ?? "?"
        percentile = (kwargs["percentile"] as? NSNumber)?.doubleValue
        directed = kwargs["directed"] as? Bool ?? false
        symmetric = kwargs["symmetric"] as? Bool ?? false
        useSubvoxels = kwargs["use_subvoxels"] as? Bool ?? false
        classThresholds = (kwargs["class_thresholds"] as? [NSNumber] ?? []).map(\.doubleValue)
        raw = ((expected["raw"] as? [[Any]])?.first ?? []).map(goldenNumber)
        aggregate = goldenNumber(expected["aggregate"])
        notNans = goldenNumber(expected["notNans"])
    }
}
