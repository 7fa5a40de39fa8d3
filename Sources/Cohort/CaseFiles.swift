import Documents

/// Where a cohort result keeps its per-case records, and their text: written by the workers as each case is
/// scored, and read back by `--resume` and `merge`.
package enum CaseFiles {
    /// Per-case results under the output folder, one file per case: `cases/<case>.json`.
    package static let directory = "cases"

    /// The path of a case's record relative to the output folder.
    package static func path(_ name: String) -> String { "\(directory)/\(name).json" }

    /// A case record's file contents.
    package static func text(_ record: CaseRecord) -> String {
        record.json.rendered(pretty: true) + "\n"
    }

    /// Writes every record of `cohort` into `cases/` under `directory`, creating the folder.
    package static func write(_ cohort: Cohort, to directory: String, writer: OutputFile) throws(CohortError) {
        try FileSystem.createDirectory(Path.join(directory, Self.directory))
        for record in cohort.records {
            try writer.write(text(record), to: Path.join(directory, path(record.name)))
        }
    }
}
