/// A summary the gate reads: a `summary.json` (segscore's or nnU-Net's), given directly or as the result folder
/// holding it, and the failed cases listed in a `cohort.json` next to it, if any.
public struct SummaryFile: Sendable {
    public let path: String
    public let scores: SummaryScores
    /// Case → why it failed.
    public let failures: [String: String]

    /// - Throws: ``CohortError`` when the summary cannot be read or is not one.
    public init(at location: String) throws(CohortError) {
        path = FileSystem.isDirectory(location) ? Path.join(location, "summary.json") : location
        scores = try SummaryScores(parsing: try FileSystem.readText(path), path: path)
        let manifestPath = Path.join(Path.directory(of: path), "cohort.json")
        let manifest = try? CohortManifest(parsing: FileSystem.readText(manifestPath), path: manifestPath)
        failures = manifest?.failures ?? [:]
    }
}

extension RegressionGate {
    /// Gates `current` against `baseline`, naming the reason of each failed case from `current`'s manifest.
    public init(baseline: SummaryFile, current: SummaryFile, tolerance: Double) {
        self.init(
            baseline: baseline.scores, current: current.scores, tolerance: tolerance, failures: current.failures)
    }
}
