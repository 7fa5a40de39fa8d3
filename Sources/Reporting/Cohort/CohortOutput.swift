/// The files a cohort result consists of, rendered; `cohort` and `merge` both write exactly these.
public enum CohortOutput {
    /// Per-case results under the output folder, one file per case: `cases/<case>.json`.
    public static let caseDirectory = "cases"

    /// The path of a case's record relative to the output folder.
    public static func casePath(_ name: String) -> String { "\(caseDirectory)/\(name).json" }

    /// Every file besides the case records, as (name relative to the output folder, contents).
    public static func files(_ cohort: Cohort) -> [(name: String, text: String)] {
        [
            ("summary.json", CohortSummary.json(cohort).rendered(pretty: true) + "\n"),
            ("cases.csv", CaseTable.csv(cohort)),
            ("aggregates.json", Aggregates.json(cohort).rendered(pretty: true) + "\n"),
            ("aggregates.csv", Aggregates.csv(cohort)),
            ("cohort.json", CohortManifest.json(cohort).rendered(pretty: true) + "\n"),
        ]
    }

    /// A case record's file contents.
    public static func text(_ record: CaseRecord) -> String {
        record.json.rendered(pretty: true) + "\n"
    }
}
