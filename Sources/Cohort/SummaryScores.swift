import Documents

/// Dice per case and label read from a `summary.json`, segscore's or nnU-Net's own.
package struct SummaryScores: Sendable, Equatable {
    /// Case name → label key → Dice (`nil` when undefined: `null` or `NaN`).
    package let dice: [String: [String: Double?]]

    package init(dice: [String: [String: Double?]]) { self.dice = dice }

    /// Reads `metric_per_case`; a case is named after its reference file, without folder and NIfTI ending.
    /// - Throws: ``CohortError`` when the text is not a summary.
    package init(parsing text: String, path: String) throws(CohortError) {
        let invalid = CohortError("not an nnU-Net style summary.json (no metric_per_case)", path: path)
        guard let json = try? JSONValue(parsing: text), let cases = json["metric_per_case"]?.arrayValue else {
            throw invalid
        }
        var dice: [String: [String: Double?]] = [:]
        for entry in cases {
            guard let file = entry["reference_file"]?.stringValue, let metrics = entry["metrics"]?.objectMembers else {
                throw invalid
            }
            let base = Path.fileName(of: file)
            let name = CohortInputs.caseName(ofFile: base) ?? base
            var labels: [String: Double?] = [:]
            for (label, values) in metrics {
                let value = values["Dice"]?.doubleValue
                labels[label] = value?.isNaN == true ? nil : value
            }
            dice[name] = labels
        }
        self.dice = dice
    }
}
