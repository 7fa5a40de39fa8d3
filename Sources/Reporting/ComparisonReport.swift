import Cohort
import DiceEngine
import Documents

/// `segscore compare` output in its three formats.
package enum ComparisonReport {
    /// The `compare --format json` document; keys are a contract:
    /// `pred, ref, shape, spacing, labels[…], meanDice, [distance], confusion{labels, [counts], cells}`, NaN as
    /// `null`. `confusion.cells` lists the non-zero cells as `[predLabel, refLabel, voxels]`, sorted;
    /// `confusion.counts[i][j]`, the same as a dense matrix over `labels` (voxels labelled `labels[i]` in the
    /// prediction and `labels[j]` in the reference), is written only up to ``denseConfusionLimit`` labels, so
    /// that the output stays linear in the labels and cells. With boundary metrics each label object gains the
    /// requested keys (`hd95`, `nsd`…) and the top level a `distance` object saying how they were computed. With
    /// regions, `regions[…]` follows `labels`: `{"region": "(1, 2, 3)", "name", "labels": [1, 2, 3], …}` with the
    /// label objects' counts, scores, boundary keys and `lesions` object. With lesion-wise metrics each label object gains a `lesions` object
    /// (``LesionReport/keys``) and the top level a `lesions` object with the `connectivity` and `minLesionVoxels`
    /// used.
    package static func json(_ result: PairEvaluation, names: LabelNames) -> JSONValue {
        var document: [(String, JSONValue)] = [
            ("pred", .string(result.predictionPath)),
            ("ref", .string(result.referencePath)),
            ("shape", .array(result.shape.map { .int($0) })),
            ("spacing", .array(result.spacing.map { .number($0) })),
            ("labels", .array(result.scores.indices.map { labelJSON($0, result, names) })),
        ]
        if !result.regions.isEmpty {
            document.append(("regions", .array(result.regions.indices.map { regionJSON($0, result) })))
        }
        document += [
            ("meanDice", .number(result.meanDice))
        ]
        if let options = result.boundaryOptions {
            document.append(("distance", distanceJSON(options, emptyDistanceMm: result.emptyDistanceMm)))
        }
        if let options = result.lesionOptions {
            document.append(("lesions", options.json))
        }
        document.append(("confusion", confusionJSON(result)))
        return .object(document)
    }

    /// Dense `confusion.counts` is written for at most this many labels (65,536 labels would be 4·10⁹ cells).
    package static let denseConfusionLimit = 256

    private static func confusionJSON(_ result: PairEvaluation) -> JSONValue {
        let cells = result.confusion.counts.sorted {
            ($0.key.prediction, $0.key.reference) < ($1.key.prediction, $1.key.reference)
        }
        var fields: [(String, JSONValue)] = [("labels", .array(result.confusionLabels.map { .int(Int($0)) }))]
        if result.confusionLabels.count <= denseConfusionLimit {
            let index = Dictionary(uniqueKeysWithValues: result.confusionLabels.enumerated().map { ($1, $0) })
            let n = result.confusionLabels.count
            var matrix = [Int](repeating: 0, count: n * n)
            for (pair, count) in cells {
                if let row = index[pair.prediction], let column = index[pair.reference] {
                    matrix[row * n + column] = count
                }
            }
            fields.append(("counts", .integerRows(width: n, values: matrix)))
        }
        var sparse: [Int] = []
        sparse.reserveCapacity(3 * cells.count)
        for (pair, count) in cells { sparse += [Int(pair.prediction), Int(pair.reference), count] }
        fields.append(("cells", .integerRows(width: 3, values: sparse)))
        return .object(fields)
    }

    private static func distanceJSON(_ options: BoundaryOptions, emptyDistanceMm: Double) -> JSONValue {
        .object([
            ("definition", .string(options.definition.rawValue)),
            ("nsdToleranceMm", options.nsdTolerance?.json ?? .null),
            ("emptyDistanceMm", .number(emptyDistanceMm)),
        ])
    }

    private static func labelJSON(_ index: Int, _ result: PairEvaluation, _ names: LabelNames) -> JSONValue {
        let s = result.scores[index]
        var fields: [(String, JSONValue)] = [
            ("label", .int(Int(s.label))),
            ("name", names[s.label].map { .string($0) } ?? .null),
        ]
        fields += scoreFields(s, result)
        fields += structureFields(boundaries: result.boundaries?[index], lesions: result.lesions?[index])
        return .object(fields)
    }

    /// A label's or region's boundary keys (`hd95`…) and `lesions` object, when they were asked for.
    private static func structureFields(boundaries: BoundaryScores?, lesions: LesionScores?) -> [(String, JSONValue)] {
        var fields = (boundaries?.values ?? []).map { ($0.metric.description, JSONValue.number($0.value)) }
        if let lesions { fields.append(("lesions", .object(lesions.jsonMembers))) }
        return fields
    }

    private static func regionJSON(_ index: Int, _ result: PairEvaluation) -> JSONValue {
        let region = result.regions[index]
        let fields: [(String, JSONValue)] = [
            ("region", .string(region.key)),
            ("name", .string(region.name)),
            ("labels", .array(region.labels.map { .int(Int($0)) })),
        ]
        return .object(
            fields + scoreFields(result.regionScores[index], result)
                + structureFields(boundaries: result.regionBoundaries?[index], lesions: result.regionLesions?[index]))
    }

    /// The counts, volumes and scores of a label or region object, the optional overlap metrics last.
    private static func scoreFields(_ s: OverlapScores, _ result: PairEvaluation) -> [(String, JSONValue)] {
        [
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
        ] + result.overlapMetrics.map { ($0.rawValue, .number($0.value(of: s))) }
    }

    /// Column names of ``csv(_:names:)``.
    package static let csvColumns = [
        "label", "name", "tp", "fp", "fn", "tn", "predVoxels", "refVoxels", "predVolumeMl", "refVolumeMl",
        "dice", "iou", "precision", "recall",
    ]

    /// One row per label, the JSON's per-label keys as columns (boundary metrics last, when asked for), then one
    /// per region (its key, `"(1, 2, 3)"`, in the label column); NaN as an empty cell.
    package static func csv(_ result: PairEvaluation, names: LabelNames) -> String {
        let metrics = result.boundaryOptions?.metrics ?? []
        let extra = result.overlapMetrics
        let lesionColumns = result.lesions == nil ? [] : LesionReport.csvColumns
        var lines = [
            (csvColumns + extra.map(\.rawValue) + metrics.map(\.description) + lesionColumns).joined(separator: ",")
        ]
        for (index, s) in result.scores.enumerated() {
            let cells = csvCells(
                s, key: String(s.label), name: names[s.label], predictionVoxelVolumeMl: result.predictionVoxelVolumeMl,
                referenceVoxelVolumeMl: result.referenceVoxelVolumeMl, extra: extra)
            let distances = result.boundaries?[index].values.map { CSV.number($0.value) } ?? []
            let lesions = result.lesions.map { LesionReport.csvCells($0[index]) } ?? []
            lines.append((cells + distances + lesions).joined(separator: ","))
        }
        for (index, (region, s)) in zip(result.regions, result.regionScores).enumerated() {
            let cells = csvCells(
                s, key: region.key, name: region.name, predictionVoxelVolumeMl: result.predictionVoxelVolumeMl,
                referenceVoxelVolumeMl: result.referenceVoxelVolumeMl, extra: extra)
            let distances = result.regionBoundaries?[index].values.map { CSV.number($0.value) } ?? []
            let lesions = result.regionLesions.map { LesionReport.csvCells($0[index]) } ?? []
            lines.append((cells + distances + lesions).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One label's (or region's, `key` `(1, 2, 3)`) cells under ``csvColumns``; `cases.csv` writes the same
    /// after its `case` cell, so that the same scripts read both. The `extra` overlap metrics follow.
    static func csvCells(
        _ s: OverlapScores, key: String, name: String?, predictionVoxelVolumeMl: Double, referenceVoxelVolumeMl: Double,
        extra: [OverlapMetric]
    ) -> [String] {
        [
            CSV.escape(key), CSV.escape(name ?? ""), String(s.tp), String(s.fp), String(s.fn), String(s.tn),
            String(s.predictionVoxels), String(s.referenceVoxels),
            CSV.number(Double(s.predictionVoxels) * predictionVoxelVolumeMl),
            CSV.number(Double(s.referenceVoxels) * referenceVoxelVolumeMl),
            CSV.number(s.dice), CSV.number(s.iou), CSV.number(s.precision), CSV.number(s.recall),
        ] + extra.map { CSV.number($0.value(of: s)) }
    }

    /// An aligned table for a terminal, with the worst structures called out at the bottom.
    package static func table(_ result: PairEvaluation, names: LabelNames) -> String {
        // The name column only when there are names to show.
        let named = result.scores.contains { names[$0.label] != nil } || !result.regions.isEmpty
        let metrics = result.boundaryOptions?.metrics ?? []
        let extra = result.overlapMetrics
        var headers = ["label", "name", "dice", "iou", "precision", "recall"] + extra.map(\.rawValue)
        headers += metrics.map(\.description)
        headers += ["ref mL", "pred mL", "tp", "fp", "fn"]
        if result.lesions != nil { headers += LesionReport.tableHeaders }
        if !named { headers.remove(at: 1) }
        /// One structure's row: key and name, scores, distances, volumes and counts, lesion columns.
        func row(
            _ key: String, _ name: String, _ s: OverlapScores, _ boundaries: BoundaryScores?, _ lesions: LesionScores?
        ) -> [String] {
            var row = [key, name, cell(s.dice), cell(s.iou), cell(s.precision), cell(s.recall)]
            row += extra.map { cell($0.value(of: s)) }
            row += boundaries?.values.map { distanceCell($0.value, metric: $0.metric) } ?? []
            row += [
                readable(Double(s.referenceVoxels) * result.referenceVoxelVolumeMl, digits: 2),
                readable(Double(s.predictionVoxels) * result.predictionVoxelVolumeMl, digits: 2),
                String(s.tp), String(s.fp), String(s.fn),
            ]
            row += lesions.map(LesionReport.tableCells) ?? []
            if !named { row.remove(at: 1) }
            return row
        }
        var rows = result.scores.enumerated().map { index, s in
            row(String(s.label), names[s.label] ?? "", s, result.boundaries?[index], result.lesions?[index])
        }
        for (index, (region, s)) in zip(result.regions, result.regionScores).enumerated() {
            rows.append(row(region.key, region.name, s, result.regionBoundaries?[index], result.regionLesions?[index]))
        }
        var out = "prediction  \(result.predictionPath)\nreference   \(result.referencePath)\n"
        out += "grid        \(result.shape.map(String.init).joined(separator: "×")) voxels, "
        out += result.spacing.map { readable($0) }.joined(separator: "×") + " mm\n"
        if let options = result.boundaryOptions {
            out += "distances   \(definitionLine(options)); a structure the prediction misses scores "
            out += readable(result.emptyDistanceMm, digits: 2) + " mm (the grid's diagonal)\n"
        }
        if let options = result.lesionOptions {
            out += "lesions     " + LesionReport.optionsLine(options) + "\n"
        }
        out += "\n"
        out += TextTable.render(headers: headers, rows: rows, leftAligned: named ? [1] : [])
        let scored = result.scores.filter { $0.dice != nil }
        out += "\nmean Dice   " + cell(result.meanDice)
        out += "  (\(scored.count) of \(result.scores.count) labels scored"
        let unscored = result.scores.count - scored.count
        out += unscored > 0 ? "; \(unscored) absent from the reference: dice null)\n" : ")\n"
        let worst = scored.sorted { ($0.dice ?? 0, $0.label) < ($1.dice ?? 0, $1.label) }.prefix(3)
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

    /// Distances in mm with 2 decimals; NSD, a fraction, with 4 like Dice.
    private static func distanceCell(_ value: Double?, metric: BoundaryMetric) -> String {
        FixedDecimal.cell(value, digits: metric == .nsd ? 4 : 2)
    }

    /// `deepmind (surface-distance 0.1 surfels), NSD τ 2 mm`.
    private static func definitionLine(_ options: BoundaryOptions) -> String {
        var line =
            options.definition == .deepmind
            ? "deepmind (area-weighted surfels, as surface-distance 0.1)"
            : "monai (edge voxels, as MONAI 1.6.1)"
        if let tolerance = options.nsdTolerance {
            var parts = tolerance.defaultMm.map { [readable($0) + " mm"] } ?? []
            parts += tolerance.perLabelMm.sorted { $0.key < $1.key }.map { "label \($0.key): \(readable($0.value)) mm" }
            line += ", NSD τ " + parts.joined(separator: ", ")
        }
        return line
    }
}

/// Minimal CSV cell formatting (RFC 4180 quoting).
enum CSV {
    /// Quotes `text` when it holds a comma, a quote, CR or LF, tested on bytes: Swift reads `"\r\n"` as one
    /// Character equal to neither `"\r"` nor `"\n"`, and such a name would otherwise break the row.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
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
