import DiceEngine

/// What `cohort` does with a reference that has no prediction.
public enum MissingPredictionPolicy: String, Sendable, CaseIterable {
    /// Refuse to run, listing the cases (nnU-Net's default, which asserts the same).
    case error
    /// Leave the case out of every output (nnU-Net's `--chill`).
    case skip
    /// Score the case as an empty prediction: every reference voxel is a miss.
    case worst
}

/// The settings that decide a cohort's numbers.
///
/// They are recorded in every cached case and partial result, so a resumed run only reuses cases scored the
/// same way and `merge` refuses partials that were not. The slab size and job count are absent on purpose:
/// results do not depend on them.
public struct CohortOptions: Sendable, Equatable {
    public var selection: LabelSelection
    /// MONAI's `ignore_empty` (see `OverlapScores`).
    public var ignoreEmpty: Bool
    public var geometryTolerance: Double
    public var ignoreGeometry: Bool
    public var missing: MissingPredictionPolicy

    public init(evaluation: EvaluationOptions, missing: MissingPredictionPolicy) {
        selection = evaluation.selection
        ignoreEmpty = evaluation.ignoreEmpty
        geometryTolerance = evaluation.geometryTolerance
        ignoreGeometry = evaluation.ignoreGeometry
        self.missing = missing
    }

    /// `{"labels", "includeBackground", "ignoreEmpty", "geometryTolerance", "ignoreGeometry", "missing"}`.
    public var json: JSONValue {
        .object([
            ("labels", selection.labels.map { .array($0.map { .int(Int($0)) }) } ?? .null),
            ("includeBackground", .bool(selection.includeBackground)),
            ("ignoreEmpty", .bool(ignoreEmpty)),
            ("geometryTolerance", .number(geometryTolerance)),
            ("ignoreGeometry", .bool(ignoreGeometry)),
            ("missing", .string(missing.rawValue)),
        ])
    }

    /// Reads ``json`` back; `nil` when a member is missing or malformed.
    public init?(json: JSONValue) {
        guard let includeBackground = json["includeBackground"]?.boolValue,
            let ignoreEmpty = json["ignoreEmpty"]?.boolValue,
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
        selection = LabelSelection(labels: labels, includeBackground: includeBackground)
        self.ignoreEmpty = ignoreEmpty
        self.geometryTolerance = geometryTolerance
        self.ignoreGeometry = ignoreGeometry
        self.missing = missing
    }
}
