import Foundation
import MonaiMetrics

/// The MONAI 1.6.1 golden outputs in `<repo>/../shared/monai-golden` (absent outside the project machine).
enum GoldenSet {
    static let folder: String = {
        // <repo>/Tests/MonaiMetricsTests/Support/GoldenSet.swift → <repo>/../shared/monai-golden
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared/monai-golden").path
    }()

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: folder + "/cases.json")
    }

    /// Every case of `cases.json`, or none when the folder is absent.
    static let cases: [GoldenCase] = {
        guard isAvailable,
            let data = FileManager.default.contents(atPath: folder + "/cases.json"),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cases = root["cases"] as? [[String: Any]]
        else { return [] }
        return cases.map(GoldenCase.init)
    }()

    static var runs: [GoldenRun] { cases.flatMap(\.runs) }
}

/// A number tree from the golden JSON: `null` is NaN.
indirect enum GoldenValue: Sendable {
    case number(Float)
    case array([GoldenValue])

    init?(_ json: Any?) {
        switch json {
        case is NSNull: self = .number(.nan)
        case let number as NSNumber: self = .number(number.floatValue)
        case let array as [Any]: self = .array(array.compactMap(GoldenValue.init))
        default: return nil
        }
    }

    var flattened: [Float] {
        switch self {
        case .number(let value): [value]
        case .array(let values): values.flatMap(\.flattened)
        }
    }

    var shape: [Int] {
        switch self {
        case .number: []
        case .array(let values): [values.count] + (values.first?.shape ?? [])
        }
    }
}

struct GoldenCase: Sendable {
    let id: String
    let predictions: [String]
    let references: [String]
    let runs: [GoldenRun]
    /// The `legacy` block of the seed example: MONAI ≤ 1.1 soft Dice per case and class, and its means.
    let legacy: (perCaseClass: GoldenValue, mean: Float, meanNoBackground: Float)?

    init(_ json: [String: Any]) {
        id = json["id"] as? String ?? "?"
        predictions = (json["pred"] as? [String] ?? []).map { GoldenSet.folder + "/" + $0 }
        references = (json["ref"] as? [String] ?? []).map { GoldenSet.folder + "/" + $0 }
        let (predictions, references) = (predictions, references)
        let id = id
        runs = (json["runs"] as? [[String: Any]] ?? []).map {
            GoldenRun($0, caseID: id, predictions: predictions, references: references)
        }
        if let legacy = json["legacy"] as? [String: Any], let float32 = legacy["float32"] as? [String: Any],
            let perCaseClass = GoldenValue(legacy["perCaseClassFloat32"]),
            let mean = float32["mean"] as? NSNumber, let meanNoBackground = float32["meanNoBackground"] as? NSNumber
        {
            self.legacy = (perCaseClass, mean.floatValue, meanNoBackground.floatValue)
        } else {
            self.legacy = nil
        }
    }
}

struct GoldenRun: Sendable, CustomStringConvertible {
    let id: String
    let caseID: String
    let metric: String
    let options: [String]
    let predictions: [String]
    let references: [String]
    let raw: GoldenValue?
    let aggregate: GoldenValue?
    let notNans: GoldenValue?

    init(_ json: [String: Any], caseID: String, predictions: [String], references: [String]) {
        let expected = json["expected"] as? [String: Any] ?? [:]
        id = json["id"] as? String ?? "?"
        self.caseID = caseID
        metric = expected["metric"] as? String ?? "?"
        options = json["options"] as? [String] ?? []
        self.predictions = predictions
        self.references = references
        raw = GoldenValue(expected["raw"])
        aggregate = GoldenValue(expected["aggregate"])
        notNans = expected["notNans"] is NSNull ? nil : GoldenValue(expected["notNans"])
    }

    var description: String { id }
}
