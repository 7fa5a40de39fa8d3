import DiceEngine

/// A summary the gate reads: a `summary.json` (segscore's or nnU-Net's), given directly or as the result folder
/// holding it, and the failed cases listed in a `cohort.json` next to it, if any.
package struct SummaryFile: Sendable {
    package let path: String
    package let scores: SummaryScores
    /// Case → why it failed.
    package let failures: [String: String]

    /// - Parameters:
    ///   - metric: the metric to read (``SummaryScores``).
    ///   - recompute: the empty rule to recompute Dice and IoU under from the counts, if any.
    /// - Throws: ``CohortError`` when the summary cannot be read, is not one, or holds a malformed value.
    package init(at location: String, metric: GateMetric = .dice, recompute: EmptyRule? = nil) throws(CohortError) {
        path = FileSystem.isDirectory(location) ? Path.join(location, "summary.json") : location
        scores = try SummaryScores(
            parsing: try FileSystem.readText(path), path: path, metric: metric, recompute: recompute)
        let manifestPath = Path.join(Path.directory(of: path), "cohort.json")
        let manifest = try? CohortManifest(parsing: FileSystem.readText(manifestPath), path: manifestPath)
        failures = manifest?.failures ?? [:]
    }
}

extension RegressionGate {
    /// Gates `current` against `baseline`, naming the reason of each failed case from `current`'s manifest.
    package init(baseline: SummaryFile, current: SummaryFile, tolerance: Double) {
        self.init(
            baseline: baseline.scores, current: current.scores, tolerance: tolerance, failures: current.failures)
    }
}
