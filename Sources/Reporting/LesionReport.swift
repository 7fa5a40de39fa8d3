import Cohort
import DiceEngine
import Documents

/// How lesion-wise metrics appear in `compare`'s output: the same keys in JSON, CSV and (abridged) the table.
enum LesionReport {
    /// The keys of a label's `lesions` object (``LesionScores/keys``) prefixed with `lesion`: `lesionRef`,
    /// `lesionPred`, …, `lesionDice` (not `lesionLesionDice`), …, `lesionPq`. `aggregates.*` name the metrics so.
    static let csvColumns = LesionScores.keys.map(column)

    /// `lesion` + the key with its first letter in upper case, unless it already starts with `lesion`.
    static func column(_ key: String) -> String {
        key.hasPrefix("lesion") ? key : "lesion" + key.prefix(1).uppercased() + key.dropFirst()
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

    /// `connectivity 26, lesions of at least 1 voxel`.
    static func optionsLine(_ options: LesionOptions) -> String {
        "connectivity \(options.connectivity.rawValue), lesions of at least \(options.minimumVoxels) voxel"
            + (options.minimumVoxels == 1 ? "" : "s") + "; detection by any overlap, PQ matches at IoU > 0.5"
    }
}
