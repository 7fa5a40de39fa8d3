import DiceEngine
import Documents

/// `segscore compare` output in its three formats.
package enum ComparisonReport {
    /// The `compare --format json` document; keys are a contract:
    /// `pred, ref, shape, spacing, labels[…], meanDice, confusion{labels, counts}`, NaN as `null`.
    /// `confusion.counts[i][j]` is the number of voxels labelled `labels[i]` in the prediction and `labels[j]`
    /// in the reference.
    package static func json(_ result: PairEvaluation, names: LabelNames) -> JSONValue {
        let index = Dictionary(uniqueKeysWithValues: result.confusionLabels.enumerated().map { ($1, $0) })
        var matrix = [[Int]](
            repeating: [Int](repeating: 0, count: result.confusionLabels.count), count: result.confusionLabels.count)
        for (pair, n) in result.confusion.counts {
            matrix[index[pair.prediction]!][index[pair.reference]!] = n
        }
        return .object([
            ("pred", .string(result.predictionPath)),
            ("ref", .string(result.referencePath)),
            ("shape", .array(result.shape.map { .int($0) })),
            ("spacing", .array(result.spacing.map { .number($0) })),
            ("labels", .array(result.scores.map { labelJSON($0, result, names) })),
            ("meanDice", .number(result.meanDice)),
            (
                "confusion",
                .object([
                    ("labels", .array(result.confusionLabels.map { .int(Int($0)) })),
                    ("counts", .array(matrix.map { .array($0.map { .int($0) }) })),
                ])
            ),
        ])
    }

    private static func labelJSON(_ s: OverlapScores, _ result: PairEvaluation, _ names: LabelNames) -> JSONValue {
        .object([
            ("label", .int(Int(s.label))),
            ("name", names[s.label].map { .string($0) } ?? .null),
            ("tp", .int(s.tp)),
            ("fp", .int(s.fp)),
            ("fn", .int(s.fn)),
            ("tn", .int(s.tn)),
            ("predVoxels", .int(s.predictionVoxels)),
            ("refVoxels", .int(s.referenceVoxels)),
            ("predVolumeMl", .number(Double(s.predictionVoxels) * result.predictionVoxelVolumeMl)),
            ("refVolumeMl", .number(Double(s.referenceVoxels) * result.referenceVoxelVolumeMl)),
            ("dice", .number(s.dice)),
            ("iou", .number(s.iou)),
            ("precision", .number(s.precision)),
            ("recall", .number(s.recall)),
        ])
    }

    /// Column names of ``csv(_:names:)``.
    package static let csvColumns = [
        "label", "name", "tp", "fp", "fn", "tn", "predVoxels", "refVoxels", "predVolumeMl", "refVolumeMl",
        "dice", "iou", "precision", "recall",
    ]

    /// One row per label, the JSON's per-label keys as columns; NaN as an empty cell.
    package static func csv(_ result: PairEvaluation, names: LabelNames) -> String {
        var lines = [csvColumns.joined(separator: ",")]
        for s in result.scores {
            let cells = csvCells(
                s, name: names[s.label], predictionVoxelVolumeMl: result.predictionVoxelVolumeMl,
                referenceVoxelVolumeMl: result.referenceVoxelVolumeMl)
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One label's cells under ``csvColumns``; `cases.csv` writes the same after its `case` cell, so that the
    /// same scripts read both.
    static func csvCells(
        _ s: OverlapScores, name: String?, predictionVoxelVolumeMl: Double, referenceVoxelVolumeMl: Double
    ) -> [String] {
        [
            String(s.label), CSV.escape(name ?? ""), String(s.tp), String(s.fp), String(s.fn), String(s.tn),
            String(s.predictionVoxels), String(s.referenceVoxels),
            CSV.number(Double(s.predictionVoxels) * predictionVoxelVolumeMl),
            CSV.number(Double(s.referenceVoxels) * referenceVoxelVolumeMl),
            CSV.number(s.dice), CSV.number(s.iou), CSV.number(s.precision), CSV.number(s.recall),
        ]
    }

    /// An aligned table for a terminal, with the worst structures called out at the bottom.
    package static func table(_ result: PairEvaluation, names: LabelNames) -> String {
        // The name column only when there are names to show.
        let named = result.scores.contains { names[$0.label] != nil }
        var headers = ["label", "name", "dice", "iou", "precision", "recall", "ref mL", "pred mL", "tp", "fp", "fn"]
        if !named { headers.remove(at: 1) }
        var rows: [[String]] = []
        for s in result.scores {
            var row = [
                String(s.label), names[s.label] ?? "", cell(s.dice), cell(s.iou), cell(s.precision), cell(s.recall),
                readable(Double(s.referenceVoxels) * result.referenceVoxelVolumeMl, digits: 2),
                readable(Double(s.predictionVoxels) * result.predictionVoxelVolumeMl, digits: 2),
                String(s.tp), String(s.fp), String(s.fn),
            ]
            if !named { row.remove(at: 1) }
            rows.append(row)
        }
        var out = "prediction  \(result.predictionPath)\nreference   \(result.referencePath)\n"
        out += "grid        \(result.shape.map(String.init).joined(separator: "×")) voxels, "
        out += result.spacing.map { readable($0) }.joined(separator: "×") + " mm\n\n"
        out += TextTable.render(headers: headers, rows: rows, leftAligned: named ? [1] : [])
        let scored = result.scores.filter { $0.dice != nil }
        out += "\nmean Dice   " + cell(result.meanDice)
        out += "  (\(scored.count) of \(result.scores.count) labels scored"
        let unscored = result.scores.count - scored.count
        out += unscored > 0 ? "; \(unscored) absent from the reference: dice null)\n" : ")\n"
        let worst = scored.sorted { ($0.dice!, $0.label) < ($1.dice!, $1.label) }.prefix(3)
        if scored.count > 1 {
            let items = worst.map { s in
                "\(s.label)" + (names[s.label].map { " \($0)" } ?? "") + " " + cell(s.dice)
            }
            out += "worst       " + items.joined(separator: ", ") + "\n"
        }
        return out
    }

    private static func cell(_ value: Double?) -> String {
        FixedDecimal.cell(value, digits: 4)
    }
}

/// Minimal CSV cell formatting (RFC 4180 quoting).
enum CSV {
    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return JSONValue.format(value)
    }
}

/// Right-aligned text columns separated by two spaces.
enum TextTable {
    static func render(headers: [String], rows: [[String]], leftAligned: Set<Int> = []) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let padding = String(repeating: " ", count: widths[i] - cell.count)
                return leftAligned.contains(i) ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        var out = line(headers) + "\n"
        out += line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
