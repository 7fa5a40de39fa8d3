import DiceEngine
import Documents

/// How lesion-wise metrics appear in `compare`'s output: the same keys in JSON, CSV and (abridged) the table.
enum LesionReport {
    /// The keys of a label's `lesions` object, in order; CSV prefixes them with `lesion` (``csvColumns``).
    static let keys = [
        "ref", "pred", "tp", "fn", "fp", "recall", "precision", "f1", "fpVolumeMl", "fnVolumeMl", "lesionDice",
        "pqTp", "pqFp", "pqFn", "sq", "rq", "pq",
    ]

    /// `lesionRef`, `lesionPred`, …, `lesionDice` (not `lesionLesionDice`), …, `lesionPq`.
    static let csvColumns = keys.map {
        $0.hasPrefix("lesion") ? $0 : "lesion" + $0.prefix(1).uppercased() + $0.dropFirst()
    }

    /// One label's values under ``keys``; `null` where undefined.
    static func values(_ s: LesionScores) -> [(String, JSONValue)] {
        let values: [JSONValue] = [
            .int(s.reference), .int(s.prediction), .int(s.tp), .int(s.fn), .int(s.fp), .number(s.recall),
            .number(s.precision), .number(s.f1), .number(s.fpVolumeMl), .number(s.fnVolumeMl),
            .number(s.lesionDice), .int(s.pqTp), .int(s.pqFp), .int(s.pqFn), .number(s.sq), .number(s.rq),
            .number(s.pq),
        ]
        return Array(zip(keys, values))
    }

    /// One label's cells under ``csvColumns``: counts as integers, undefined ratios empty.
    static func csvCells(_ s: LesionScores) -> [String] {
        let counts = [s.reference, s.prediction, s.tp, s.fn, s.fp].map(String.init)
        let ratios = [s.recall, s.precision, s.f1, s.fpVolumeMl, s.fnVolumeMl, s.lesionDice].map(CSV.number)
        let panoptic = [s.pqTp, s.pqFp, s.pqFn].map(String.init)
        return counts + ratios + panoptic + [s.sq, s.rq, s.pq].map(CSV.number)
    }

    /// The table's lesion columns: counts, detection F1, lesion Dice, PQ and the FP/FN volumes.
    static let tableHeaders = ["ref les", "pred les", "les tp", "les F1", "les Dice", "PQ", "FP mL", "FN mL"]

    static func tableCells(_ s: LesionScores) -> [String] {
        [
            String(s.reference), String(s.prediction), String(s.tp), FixedDecimal.cell(s.f1, digits: 4),
            FixedDecimal.cell(s.lesionDice, digits: 4), FixedDecimal.cell(s.pq, digits: 4),
            readable(s.fpVolumeMl, digits: 2), readable(s.fnVolumeMl, digits: 2),
        ]
    }

    /// The top-level `lesions` object of the JSON: how lesions were found.
    static func optionsJSON(_ options: LesionOptions) -> JSONValue {
        .object([
            ("connectivity", .int(options.connectivity.rawValue)),
            ("minLesionVoxels", .int(options.minimumVoxels)),
        ])
    }

    /// `connectivity 26, lesions of at least 1 voxel`.
    static func optionsLine(_ options: LesionOptions) -> String {
        "connectivity \(options.connectivity.rawValue), lesions of at least \(options.minimumVoxels) voxel"
            + (options.minimumVoxels == 1 ? "" : "s") + "; detection by any overlap, PQ matches at IoU > 0.5"
    }
}
