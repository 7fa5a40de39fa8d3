import Cohort
import Documents

/// `cases.csv`: one row per case and label (long form), every metric as a column.
///
/// Columns are `case` followed by `compare --format csv`'s columns, so the same scripts read both. Failed
/// cases have no rows (they are listed in `cohort.json`); undefined scores are empty cells.
package enum CaseTable {
    package static let columns = ["case"] + ComparisonReport.csvColumns

    package static func csv(_ cohort: Cohort) -> String {
        var lines = [columns.joined(separator: ",")]
        for (record, scores) in cohort.scored {
            for s in scores {
                let cells =
                    [CSV.escape(record.name)]
                    + ComparisonReport.csvCells(
                        s, name: cohort.names[s.label], predictionVoxelVolumeMl: record.predictionVoxelVolumeMl,
                        referenceVoxelVolumeMl: record.referenceVoxelVolumeMl)
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
