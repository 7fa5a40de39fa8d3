import Cohort
import Documents

/// The aggregate output files.
package enum Aggregates {
    /// `{"cases", "labels": [{"label", "name", "tp", "fp", "fn", "metrics": {"dice": {"count", "nanCount",
    /// "mean", "std", "median", "q1", "q3", "min", "max", "pooled"}, "iou", "precision", "recall"}}]}`; a region
    /// follows the labels with its key as `label` (`"(1, 2, 3)"`). With lesion-wise metrics each label also has
    /// `"lesions": {"ref", "pred", "tp", "fn", "fp", "pqTp", "pqFp", "pqFn"}`, summed over the cases, after `fn`.
    package static func json(_ cohort: Cohort) -> JSONValue {
        .object([
            ("cases", .int(cohort.scored.count)),
            (
                "labels",
                .array(
                    LabelAggregate.all(cohort).map { a in
                        var members: [(String, JSONValue)] = [
                            ("label", a.region.map { .string($0.key) } ?? .int(Int(a.label))),
                            ("name", a.name.map { .string($0) } ?? .null),
                            ("tp", .int(a.tp)), ("fp", .int(a.fp)), ("fn", .int(a.fn)),
                        ]
                        if let lesions = a.lesions { members.append(("lesions", json(lesions))) }
                        members.append(("metrics", .object(a.metrics.map { ($0.name, json($0)) })))
                        return .object(members)
                    })
            ),
        ])
    }

    private static func json(_ metric: LabelAggregate.Metric) -> JSONValue {
        let s = metric.statistics
        return .object([
            ("count", .int(s.count)), ("nanCount", .int(s.nanCount)), ("mean", .number(s.mean)),
            ("std", .number(s.std)), ("median", .number(s.median)), ("q1", .number(s.q1)), ("q3", .number(s.q3)),
            ("min", .number(s.min)), ("max", .number(s.max)), ("pooled", .number(metric.pooled)),
        ])
    }

    private static func json(_ lesions: PooledLesions) -> JSONValue {
        let counts = [
            ("ref", lesions.reference), ("pred", lesions.prediction), ("tp", lesions.tp), ("fn", lesions.fn),
            ("fp", lesions.fp), ("pqTp", lesions.pqTp), ("pqFp", lesions.pqFp), ("pqFn", lesions.pqFn),
        ]
        return .object(counts.map { ($0.0, .int($0.1)) })
    }

    package static let csvColumns = [
        "label", "name", "metric", "count", "nanCount", "mean", "std", "median", "q1", "q3", "min", "max", "pooled",
    ]

    /// One row per label and metric; undefined values as empty cells.
    package static func csv(_ cohort: Cohort) -> String {
        var lines = [csvColumns.joined(separator: ",")]
        for a in LabelAggregate.all(cohort) {
            for metric in a.metrics {
                let s = metric.statistics
                let cells =
                    [CSV.escape(a.key), CSV.escape(a.name ?? ""), metric.name, String(s.count), String(s.nanCount)]
                    + [s.mean, s.std, s.median, s.q1, s.q3, s.min, s.max, metric.pooled].map(CSV.number)
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Dice per label for a terminal: cases, undefined cases, mean ± std, median [q1, q3], min, pooled.
    package static func table(_ cohort: Cohort) -> String {
        let aggregates = LabelAggregate.all(cohort)
        let named = aggregates.contains { $0.name != nil }
        var headers = ["label", "name", "cases", "null", "mean", "std", "median", "q1", "q3", "min", "pooled"]
        if !named { headers.remove(at: 1) }
        let rows: [[String]] = aggregates.map { a in
            let s = a.dice.statistics
            var row =
                [a.key, a.name ?? "", String(s.count), String(s.nanCount)]
                + [s.mean, s.std, s.median, s.q1, s.q3, s.min, a.dice.pooled].map(cell)
            if !named { row.remove(at: 1) }
            return row
        }
        var out = "Dice over \(cohort.scored.count) cases\n\n"
        out += TextTable.render(headers: headers, rows: rows, leftAligned: named ? [1] : [])
        if let foreground = CohortSummary.foregroundMeanDice(cohort) {
            out += "\nforeground mean Dice (nnU-Net)  " + cell(foreground)
            let skipped = CohortSummary.skippedInForegroundMean(cohort)
            if !skipped.isEmpty {
                let what = skipped.count == 1 ? "label" : "labels"
                out += "  (skips \(what) \(skipped.joined(separator: ", ")): no Dice in any case)"
            }
            out += "\n"
        }
        return out
    }

    private static func cell(_ value: Double?) -> String {
        FixedDecimal.cell(value, digits: 4)
    }
}
