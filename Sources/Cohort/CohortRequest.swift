import Documents

/// Everything a `cohort` run is asked to do, as the command line gave it.
package struct CohortRequest: Sendable {
    package var predictionDirectory: String
    package var referenceDirectory: String
    /// Receives `cases/<case>.json` as each case is scored (the other result files are rendered above Cohort).
    package var outputDirectory: String
    package var options: CohortOptions
    package var names: LabelNames
    /// Score only this share of the cases.
    package var shard: Shard?
    /// Reuse cached cases whose inputs are unchanged (``CaseStamps``).
    package var resume: Bool
    /// Cases scored at once; `nil` for the CPUs available.
    package var jobs: Int?
    /// The segscore version recorded in every result.
    package var version: String

    package init(
        predictionDirectory: String, referenceDirectory: String, outputDirectory: String, options: CohortOptions,
        names: LabelNames, shard: Shard?, resume: Bool, jobs: Int?, version: String
    ) {
        self.predictionDirectory = predictionDirectory
        self.referenceDirectory = referenceDirectory
        self.outputDirectory = outputDirectory
        self.options = options
        self.names = names
        self.shard = shard
        self.resume = resume
        self.jobs = jobs
        self.version = version
    }
}

/// What a running cohort tells the person waiting for it; the command line draws it on standard error.
///
/// Cohort does not know about terminals; `finished` and `tick` come from worker threads and the calling thread.
package protocol CohortProgress: Sendable {
    /// A warning that does not stop the run.
    func warn(_ message: String)
    /// `--resume` reuses `reused` of `total` cases.
    func reusing(_ reused: Int, of total: Int)
    /// Scoring of `total` cases starts now.
    func start(total: Int)
    /// One case is done (scored or failed).
    func finished(_ record: CaseRecord, after duration: Duration)
    /// Called about four times a second while cases are being scored, for a live display.
    func tick()
    /// Every case is done.
    func end()
}
