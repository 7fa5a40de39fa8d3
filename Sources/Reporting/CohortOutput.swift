import Cohort

/// The files of a cohort result besides the case records, rendered; `cohort` and `merge` both write exactly these.
package enum CohortOutput {
    /// Every file besides the case records, as (name relative to the output folder, contents).
    package static func files(_ cohort: Cohort) -> [(name: String, text: String)] {
        [
            ("summary.json", CohortSummary.text(cohort)),
            ("cases.csv", CaseTable.csv(cohort)),
            ("aggregates.json", Aggregates.json(cohort).rendered(pretty: true) + "\n"),
            ("aggregates.csv", Aggregates.csv(cohort)),
            ("cohort.json", CohortManifest.json(cohort).rendered(pretty: true) + "\n"),
        ]
    }
}
