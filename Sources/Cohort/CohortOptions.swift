import DiceEngine
import Documents

/// What `cohort` does with a reference that has no prediction.
package enum MissingPredictionPolicy: String, Sendable, CaseIterable {
    /// Refuse to run, listing the cases (nnU-Net's default, which asserts the same).
    case error
    /// Leave the case out of every output (nnU-Net's `--chill`).
    case skip
    /// Score the case as an empty prediction: every reference voxel is a miss.
    case worst
}

/// The settings that decide a cohort's numbers: how each pair is evaluated, and what a missing prediction means.
///
/// They are recorded in every cached case and partial result, so a resumed run only reuses cases scored the
/// same way and `merge` refuses partials that were not. The slab size and decoding threads are left out of the
/// record and of `==` on purpose: results do not depend on them.
package struct CohortOptions: Sendable, Equatable {
    package var evaluation: EvaluationOptions
    package var missing: MissingPredictionPolicy
    /// `--nnunet-compatible`: `summary.json` written as nnU-Net writes it (``CohortSummary``).
    package var nnunetCompatible: Bool

    package init(evaluation: EvaluationOptions, missing: MissingPredictionPolicy, nnunetCompatible: Bool = false) {
        self.evaluation = evaluation
        self.missing = missing
        self.nnunetCompatible = nnunetCompatible
    }

    /// Equal when the recorded settings are (see the type's note on what is left out).
    package static func == (lhs: CohortOptions, rhs: CohortOptions) -> Bool {
        let (a, b) = (lhs.evaluation, rhs.evaluation)
        return a.selection == b.selection && a.emptyRule == b.emptyRule && a.regions == b.regions
            && a.geometryTolerance == b.geometryTolerance && a.ignoreGeometry == b.ignoreGeometry
            && a.boundary == b.boundary && a.lesions == b.lesions && lhs.missing == rhs.missing
            && lhs.nnunetCompatible == rhs.nnunetCompatible && a.overlapMetrics == b.overlapMetrics
    }

    /// `{"labels", "includeBackground", "ignoreEmpty" | "emptyRule", "geometryTolerance", "ignoreGeometry",
    /// "missing", ["boundary"]}`; `boundary` (``BoundaryOptions/json``) only with boundary metrics, so that
    /// results without them keep their bytes. The MONAI rules keep their old `"ignoreEmpty": true/false`;
    /// `nnunet` is written `"emptyRule": "nnunet"` in its place, which versions without it refuse rather than
    /// misread. `ignoreLabel`, `regions` (`[{"name", "labels", "key"}]`), `nnunetCompatible` and
    /// `overlapMetrics` (`["mcc", …]`) are written only when given, for the same reason as `boundary`, and so is
    /// `lesions` (``LesionOptions/json``: connectivity and smallest lesion kept).
    package var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("labels", evaluation.selection.labels.map { .array($0.map { .int(Int($0)) }) } ?? .null),
            ("includeBackground", .bool(evaluation.selection.includeBackground)),
            evaluation.emptyRule == .nnunet
                ? ("emptyRule", .string(evaluation.emptyRule.rawValue))
                : ("ignoreEmpty", .bool(evaluation.emptyRule == .ignore)),
            ("geometryTolerance", .number(evaluation.geometryTolerance)),
            ("ignoreGeometry", .bool(evaluation.ignoreGeometry)),
            ("missing", .string(missing.rawValue)),
        ]
        if let ignoreLabel = evaluation.selection.ignoreLabel {
            members.append(("ignoreLabel", .int(Int(ignoreLabel))))
        }
        if !evaluation.regions.isEmpty {
            let regions = evaluation.regions.map { region -> JSONValue in
                .object([
                    ("name", .string(region.name)), ("labels", .array(region.labels.map { .int(Int($0)) })),
                    ("key", .string(region.key)),
                ])
            }
            members.append(("regions", .array(regions)))
        }
        if let boundary = evaluation.boundary { members.append(("boundary", boundary.json)) }
        if nnunetCompatible { members.append(("nnunetCompatible", .bool(true))) }
        if !evaluation.overlapMetrics.isEmpty {
            members.append(("overlapMetrics", .array(evaluation.overlapMetrics.map { .string($0.rawValue) })))
        }
        if let lesions = evaluation.lesions { members.append(("lesions", lesions.json)) }
        return .object(members)
    }

    /// Reads ``json`` back, with the default slab size and decoding; `nil` when a member is missing or malformed.
    package init?(json: JSONValue) {
        guard let includeBackground = json["includeBackground"]?.boolValue,
            let emptyRule = json["emptyRule"]?.stringValue.flatMap(EmptyRule.init(rawValue:))
                ?? json["ignoreEmpty"]?.boolValue.map(EmptyRule.init(ignoreEmpty:)),
            let geometryTolerance = json["geometryTolerance"]?.doubleValue,
            let ignoreGeometry = json["ignoreGeometry"]?.boolValue,
            let missing = json["missing"]?.stringValue.flatMap(MissingPredictionPolicy.init(rawValue:)),
            let labelsValue = json["labels"]
        else { return nil }
        var labels: [Int64]? = nil
        if !labelsValue.isNull {
            guard let values = labelsValue.arrayValue?.compactMap(\.intValue),
                values.count == labelsValue.arrayValue?.count
            else { return nil }
            labels = values.map(Int64.init)
        }
        var ignoreLabel: Int64? = nil
        if let value = json["ignoreLabel"] {
            guard let label = value.intValue else { return nil }
            ignoreLabel = Int64(label)
        }
        var regions: [Region] = []
        for entry in json["regions"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue, let key = entry["key"]?.stringValue,
                let values = entry["labels"]?.arrayValue, !values.isEmpty
            else { return nil }
            let labels = values.compactMap(\.intValue).map(Int64.init)
            let region = Region(name: name, labels: labels, bare: !key.hasPrefix("("))
            guard labels.count == values.count, region.key == key else { return nil }
            regions.append(region)
        }
        evaluation = EvaluationOptions()
        evaluation.regions = regions
        let extra = json["overlapMetrics"]?.arrayValue ?? []
        evaluation.overlapMetrics = extra.compactMap { $0.stringValue.flatMap(OverlapMetric.init(rawValue:)) }
        guard evaluation.overlapMetrics.count == extra.count else { return nil }
        evaluation.selection = LabelSelection(
            labels: labels, includeBackground: includeBackground, ignoreLabel: ignoreLabel)
        evaluation.emptyRule = emptyRule
        evaluation.geometryTolerance = geometryTolerance
        evaluation.ignoreGeometry = ignoreGeometry
        if let boundary = json["boundary"] {
            guard let parsed = BoundaryOptions(json: boundary) else { return nil }
            evaluation.boundary = parsed
        }
        if let lesions = json["lesions"] {
            guard let parsed = LesionOptions(json: lesions) else { return nil }
            evaluation.lesions = parsed
        }
        self.missing = missing
        nnunetCompatible = json["nnunetCompatible"]?.boolValue ?? false
    }
}
