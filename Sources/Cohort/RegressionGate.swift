/// Compares a cohort's scores of one metric (Dice by default) with a baseline's, case by case and label by
/// label: the CI gate.
///
/// A case/label fails the gate when its score got worse by more than the tolerance — a drop for Dice, IoU, NSD,
/// lesion F1, lesion Dice and PQ, a rise for the distances and the FP/FN volumes (the tolerance is then in mm or
/// mL) —, when the baseline has it and the current
/// result does not (the case is missing or failed, or the label is gone), or when its score was defined and no
/// longer is. Changes are absolute differences; a change equal to the tolerance passes (up to 1e-12, so that
/// decimal tolerances are not defeated by binary rounding). Changes for the better above the tolerance are
/// listed as improvements. Cases only in the current result are counted, not judged.
package struct RegressionGate: Sendable {
    package enum Kind: String, Sendable {
        /// ``dropped`` for a fraction, ``rose`` for a distance or volume: worse by more than the tolerance.
        case dropped, rose, missing, failed, undefined, improved
    }

    /// One case/label the gate reports.
    package struct Finding: Sendable, Equatable {
        package let caseName: String
        package let label: String
        package let kind: Kind
        package let baseline: Double?
        package let current: Double?
        /// For ``Kind/failed``: why the case failed.
        package let reason: String?
    }

    package let metric: GateMetric
    package let tolerance: Double
    /// Findings that fail the gate, sorted by case and label.
    package let regressions: [Finding]
    /// Scores that rose by more than the tolerance, sorted.
    package let improvements: [Finding]
    /// Case/labels compared.
    package let compared: Int
    /// Cases only in the current result.
    package let newCases: [String]

    package var passed: Bool { regressions.isEmpty }

    /// - Parameters:
    ///   - baseline, current: the same metric of two summaries (``SummaryScores/metric``, the baseline's is used).
    ///   - failures: cases the current run could not score, with the reason (from its `cohort.json`).
    package init(
        baseline: SummaryScores, current: SummaryScores, tolerance: Double, failures: [String: String] = [:]
    ) {
        metric = baseline.metric
        self.tolerance = tolerance
        var regressions: [Finding] = []
        var improvements: [Finding] = []
        var compared = 0
        for (caseName, labels) in baseline.values.sorted(by: { CohortInputs.precedes($0.key, $1.key) }) {
            for (label, before) in labels.sorted(by: { Self.labelOrder($0.key, $1.key) }) {
                compared += 1
                func finding(_ kind: Kind, _ after: Double?, reason: String? = nil) -> Finding {
                    Finding(
                        caseName: caseName, label: label, kind: kind, baseline: before, current: after, reason: reason)
                }
                guard let currentLabels = current.values[caseName] else {
                    let reason = failures[caseName]
                    regressions.append(finding(reason == nil ? .missing : .failed, nil, reason: reason))
                    continue
                }
                guard let after = currentLabels[label] else {
                    regressions.append(finding(.missing, nil))
                    continue
                }
                guard let before else { continue }
                guard let after else {
                    regressions.append(finding(.undefined, nil))
                    continue
                }
                let gain = metric.higherIsBetter ? after - before : before - after
                if -gain > tolerance + 1e-12 {
                    regressions.append(finding(metric.higherIsBetter ? .dropped : .rose, after))
                } else if gain > tolerance + 1e-12 {
                    improvements.append(finding(.improved, after))
                }
            }
        }
        self.regressions = regressions
        self.improvements = improvements
        self.compared = compared
        newCases = current.values.keys.filter { baseline.values[$0] == nil }.sorted(by: CohortInputs.precedes)
    }

    /// Numeric labels numerically, then other keys (nnU-Net region keys such as `(1, 2)`) as text.
    static func labelOrder(_ a: String, _ b: String) -> Bool {
        switch (Int64(a), Int64(b)) {
        case (let x?, let y?): x < y
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): CohortInputs.precedes(a, b)
        }
    }
}
