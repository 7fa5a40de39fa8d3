import Reporting

/// What `cohort` and `merge` both do with a finished result: write it, show it, and turn failures into the
/// exit status.
enum CohortResults {
    /// Writes every output file into `directory` (atomically, one by one), and the case records when asked.
    static func write(_ cohort: Cohort, to directory: String, records: Bool, writer: OutputFile) throws(CommandError) {
        if records {
            try FileSystem.createDirectory(FileSystem.join(directory, CohortOutput.caseDirectory))
            for record in cohort.records {
                try writer.write(
                    CohortOutput.text(record), to: FileSystem.join(directory, CohortOutput.casePath(record.name)))
            }
        }
        for file in CohortOutput.files(cohort) {
            try writer.write(file.text, to: FileSystem.join(directory, file.name))
        }
    }

    /// Lists the failed cases on standard error.
    static func reportFailures(_ cohort: Cohort) {
        for record in cohort.failures {
            Terminal.writeError("segscore: case \(record.name) failed: \(record.failure!.reason)")
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
            + FileSystem.join(directory, "cohort.json")
        return geometryOnly ? .geometry(message) : .input(message)
    }

    /// Runs the regression gate and prints its report; returns the error that ends the run when it fails.
    static func gate(baseline: SummaryFile, current: SummaryFile, tolerance: Double) -> CommandError? {
        let verdict = RegressionGate(
            baseline: baseline.scores, current: current.scores, tolerance: tolerance, failures: current.failures)
        Terminal.writeOutput(verdict.report())
        guard !verdict.passed else { return nil }
        return CommandError(
            exitCode: CommandError.ExitCode.gateFailure,
            message: "\(verdict.regressions.count) case/label regression(s) against the baseline: \(baseline.path)")
    }
}

/// A summary the gate reads: a `summary.json` (segscore's or nnU-Net's), given directly or as the result folder
/// holding it, and the failed cases listed in a `cohort.json` next to it, if any.
struct SummaryFile {
    let path: String
    let scores: SummaryScores
    /// Case → why it failed.
    let failures: [String: String]

    init(at location: String) throws(CommandError) {
        path = FileSystem.isDirectory(location) ? FileSystem.join(location, "summary.json") : location
        let text = try FileSystem.readText(path)
        do {
            scores = try SummaryScores(parsing: text, path: path)
        } catch {
            throw .input(error.description)
        }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let manifestPath = FileSystem.join(folder, "cohort.json")
        let manifest = try? CohortManifest(parsing: FileSystem.readText(manifestPath), path: manifestPath)
        failures = manifest?.failures ?? [:]
    }
}
