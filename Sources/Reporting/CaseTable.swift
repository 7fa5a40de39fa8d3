import Cohort
import Documents

/// `cases.csv`: one row per case and label (long form), every metric as a column.
///
/// Columns are `case` followed by `compare --format csv`'s columns (the optional overlap metrics, the boundary
/// metrics, then the `lesion…` columns, when asked for), so
/// the same scripts read both; region rows (label cell `(1, 2, 3)`) follow every label row. Failed cases have no
/// rows (they are listed in `cohort.json`); undefined scores are empty cells.
package enum CaseTable {
    package static let columns = ["case"] + ComparisonReport.csvColumns

    package static func csv(_ cohort: Cohort) -> String {
        let metrics = cohort.options.evaluation.boundary?.metrics ?? []
        let extra = cohort.options.evaluation.overlapMetrics
        let lesionColumns = cohort.options.evaluation.lesions == nil ? [] : LesionReport.csvColumns
        var lines = [
            (columns + extra.map(\.rawValue) + metrics.map(\.description) + lesionColumns).joined(separator: ",")
        ]
        for ((record, scores, boundaries), lesions) in zip(cohort.scored, cohort.lesions) {
            for (index, s) in scores.enumerated() {
                let cells =
                    [CSV.escape(record.name)]
                    + ComparisonReport.csvCells(
                        s, key: String(s.label), name: cohort.names[s.label],
                        predictionVoxelVolumeMl: record.predictionVoxelVolumeMl,
                        referenceVoxelVolumeMl: record.referenceVoxelVolumeMl, extra: extra)
                    + (boundaries.isEmpty ? [] : boundaries[index].values.map { CSV.number($0.value) })
                    + (lesions.isEmpty ? [] : LesionReport.csvCells(lesions[index]))
                lines.append(cells.joined(separator: ","))
            }
        }
        // Regions after every label row, keyed `(1, 2, 3)`, so that label rows keep their place.
        for row in cohort.scored.indices {
            let record = cohort.scored[row].record
            let (boundaries, lesions) = (cohort.regionBoundaries[row], cohort.regionLesions[row])
            for (index, (region, s)) in zip(cohort.options.evaluation.regions, cohort.regionScores[row]).enumerated() {
                let cells =
                    [CSV.escape(record.name)]
                    + ComparisonReport.csvCells(
                        s, key: region.key, name: region.name, predictionVoxelVolumeMl: record.predictionVoxelVolumeMl,
                        referenceVoxelVolumeMl: record.referenceVoxelVolumeMl, extra: extra)
                    + (boundaries.isEmpty ? [] : boundaries[index].values.map { CSV.number($0.value) })
                    + (lesions.isEmpty ? [] : LesionReport.csvCells(lesions[index]))
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
