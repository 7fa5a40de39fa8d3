import Documents

/// Where a cohort result keeps its per-case records, and their text: written by the workers as each case is
/// scored, and read back by `--resume` and `merge`.
package enum CaseFiles {
    /// Per-case results under the output folder, one file per case: `cases/<case>.json`.
    package static let directory = "cases"

    /// The path of a case's record relative to the output folder.
    package static func path(_ name: String) -> String { "\(directory)/\(name).json" }

    /// A case record's file contents, with the stamps of its inputs (which `--resume` compares) when known.
    package static func text(_ record: CaseRecord, stamps: CaseStamps?) -> String {
        var json = record.json
        if let stamps, let members = json.objectMembers { json = .object(members + [("inputStamps", stamps.json)]) }
        return json.rendered(pretty: true) + "\n"
    }

    /// A case file read back: the record, checked for consistency, and the stamps it holds.
    /// - Throws: ``CohortError`` when the file cannot be read, is not a case result or is inconsistent.
    package static func read(_ path: String) throws(CohortError) -> (record: CaseRecord, stamps: CaseStamps?) {
        let text = try FileSystem.readText(path)
        let record = try CaseRecord(parsing: text, path: path)
        if let problem = record.inconsistency {
            throw CohortError("case result is damaged or edited (\(problem))", path: path)
        }
        return (record, (try? JSONValue(parsing: text)).flatMap(CaseStamps.init(caseFile:)))
    }

    /// Writes every record of `cohort` into `cases/` under `directory`, creating the folder.
    /// - Parameter stamps: the input stamps of each case, by case name, as the partial results held them.
    package static func write(
        _ cohort: Cohort, stamps: [String: CaseStamps], to directory: String, writer: OutputFile
    ) throws(CohortError) {
        try FileSystem.createDirectory(Path.join(directory, Self.directory))
        for record in cohort.records {
            try writer.write(text(record, stamps: stamps[record.name]), to: Path.join(directory, path(record.name)))
        }
    }
}
