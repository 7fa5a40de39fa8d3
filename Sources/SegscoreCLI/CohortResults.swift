import Cohort
import Reporting

/// What `cohort` and `merge` both do with a finished result: render and write it, show it, and turn failures
/// into the exit status.
enum CohortResults {
    /// Renders every output file besides the case records and writes each into `directory` atomically.
    static func write(_ cohort: Cohort, to directory: String, writer: OutputFile) throws(CohortError) {
        for file in CohortOutput.files(cohort) {
            try writer.write(file.text, to: Path.join(directory, file.name))
        }
    }

    /// Prints the Dice table and lists the failed cases on standard error.
    static func show(_ cohort: Cohort) throws(CommandError) {
        try Terminal.writeOutput(Aggregates.table(cohort))
        for record in cohort.failures {
            Terminal.writeError("segscore: case \(record.name) failed: \(record.failure?.reason ?? "")")
        }
    }

    /// The error that ends a run with failed cases, `nil` when every case was scored.
    ///
    /// Exit 3 if any input could not be read, 4 if every failure is a geometry mismatch.
    static func failureError(_ cohort: Cohort, directory: String) -> CommandError? {
        let failures = cohort.failures
        guard !failures.isEmpty else { return nil }
        let geometryOnly = failures.allSatisfy { $0.failure?.kind == .geometry }
        let message =
            "\(failures.count) of \(cohort.records.count) cases could not be scored (listed in cohort.json): "
            + Path.join(directory, "cohort.json")
        return geometryOnly ? .geometry(message) : .input(message)
    }

    /// Runs the regression gate and prints its report; returns the error that ends the run when it fails.
    static func gate(
        baseline: SummaryFile, current: SummaryFile, tolerance: Double
    ) throws(CommandError) -> CommandError? {
        let verdict = RegressionGate(baseline: baseline, current: current, tolerance: tolerance)
        try Terminal.writeOutput(verdict.report())
        guard !verdict.passed else { return nil }
        return CommandError(
            exitCode: CommandError.ExitCode.gateFailure,
            message: "\(verdict.regressions.count) case/label regression(s) against the baseline: \(baseline.path)")
    }
}
