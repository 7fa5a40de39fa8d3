import DiceEngine
import Documents

/// One metric per case and label read from a `summary.json`, segscore's or nnU-Net's own.
package struct SummaryScores: Sendable, Equatable {
    /// The metric read.
    package let metric: GateMetric
    /// Case name → label key → value (`nil` when undefined: `null` or `NaN`).
    package let values: [String: [String: Double?]]

    package init(metric: GateMetric = .dice, values: [String: [String: Double?]]) {
        self.metric = metric
        self.values = values
    }

    /// Reads `metric_per_case`; a case is named after its reference file, without folder and NIfTI ending.
    ///
    /// Every value of `metric` must be a number (or `null`/`NaN`, undefined): a fraction in [0, 1] for Dice,
    /// IoU, NSD, lesion F1, lesion Dice and PQ, a finite non-negative distance or volume otherwise. A gate that skipped or mis-read such a value
    /// would pass or fail for the wrong reason, so anything else is refused — including `Infinity`, which the
    /// reader accepts because Python's `json.dump` writes it — as are a case or a label listed twice.
    ///
    /// With `recompute`, Dice and IoU are not read but computed from the case's `TP`, `FP` and `FN` under that
    /// rule, so that summaries written under different empty rules (nnU-Net's and segscore's) compare equal
    /// when their counts are.
    /// - Throws: ``CohortError`` naming the case and label, when the text is not a summary or holds such a value.
    package init(
        parsing text: String, path: String, metric: GateMetric = .dice, recompute: EmptyRule? = nil
    ) throws(CohortError) {
        let invalid = CohortError("not an nnU-Net style summary.json (no metric_per_case)", path: path)
        guard let json = try? JSONValue(parsing: text), let cases = json["metric_per_case"]?.arrayValue else {
            throw invalid
        }
        var values: [String: [String: Double?]] = [:]
        for entry in cases {
            guard let file = entry["reference_file"]?.stringValue, let metrics = entry["metrics"]?.objectMembers else {
                throw invalid
            }
            let base = Path.fileName(of: file)
            let name = CohortInputs.caseName(ofFile: base) ?? base
            guard values[name] == nil else { throw CohortError("case \(name) is listed twice", path: path) }
            var labels: [String: Double?] = [:]
            for (label, scores) in metrics {
                guard labels[label] == nil else {
                    throw CohortError("case \(name) lists label \(label) twice", path: path)
                }
                if let recompute, metric == .dice || metric == .iou {
                    labels[label] = try Self.recomputed(scores, of: metric, rule: recompute, case: name, label, path)
                } else {
                    labels[label] = try Self.value(
                        scores[metric.summaryKey], of: metric, case: name, label: label, path)
                }
            }
            values[name] = labels
        }
        self.init(metric: metric, values: values)
    }

    /// Dice or IoU from a label's `TP`, `FP` and `FN` under `rule`; throws when a count is absent or negative.
    private static func recomputed(
        _ scores: JSONValue, of metric: GateMetric, rule: EmptyRule, case name: String, _ label: String,
        _ path: String
    ) throws(CohortError) -> Double? {
        var counts: [Int] = []
        for key in ["TP", "FP", "FN"] {
            guard let count = scores[key]?.intValue, count >= 0 else {
                throw CohortError(
                    "case \(name) label \(label): no count \(key) to recompute \(metric.summaryKey) from", path: path)
            }
            counts.append(count)
        }
        let (dice, iou) = rule.diceAndIoU(tp: counts[0], fp: counts[1], fn: counts[2])
        return metric == .dice ? dice : iou
    }

    /// A label's value: `nil` when undefined; throws when absent, not a number or out of range.
    private static func value(
        _ json: JSONValue?, of metric: GateMetric, case name: String, label: String, _ path: String
    ) throws(CohortError) -> Double? {
        let key = metric.summaryKey
        func refuse(_ problem: String) -> CohortError {
            CohortError("case \(name) label \(label): \(problem)", path: path)
        }
        guard let json else {
            let hint: String
            switch metric {
            case .dice, .iou: hint = ""
            case .boundary: hint = " (score the cohort with --metrics)"
            case .lesion: hint = " (score the cohort with --metrics lesions)"
            }
            throw refuse("no \(key)\(hint)")
        }
        if json.isNull { return nil }
        guard let value = json.doubleValue else { throw refuse("\(key) is not a number (\(json.rendered()))") }
        if value.isNaN { return nil }
        if let unit = metric.unit {
            guard value >= 0, value.isFinite else {
                throw refuse("\(key) \(value) is not a \(unit == "mL" ? "volume" : "distance") (\(unit) ≥ 0)")
            }
        } else {
            guard (0...1).contains(value) else { throw refuse("\(key) \(value) is outside [0, 1]") }
        }
        return value
    }
}
