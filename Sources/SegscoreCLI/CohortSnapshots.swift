import Cohort
import DiceEngine
import NiftiIO
import Snapshots

/// `cohort --snapshots N`: after the run, a snapshot of each of the N worst cases in `snapshots/<case>.png`
/// (the layout the HTML report embeds).
enum CohortSnapshots {
    /// The folder under the output folder.
    static let directory = "snapshots"

    /// The `count` worst scored cases with the scores of their labels and regions: lowest mean Dice over the
    /// foreground labels and the regions first (as nnU-Net's foreground mean covers both), ties in case order.
    /// Cases without a Dice, failed cases and missing predictions (nothing to draw) are not ranked.
    static func worstCases(
        _ cohort: Cohort, count: Int
    ) -> [(record: CaseRecord, labels: [OverlapScores], regions: [OverlapScores])] {
        let ranked = cohort.scored.indices.compactMap { n -> (n: Int, mean: Double)? in
            let item = cohort.scored[n]
            guard item.record.status == .scored else { return nil }
            return (item.scores.filter { $0.label != 0 } + cohort.regionScores[n]).meanDice.map { (n, $0) }
        }
        // `scored` is in case order: equal means keep it.
        return ranked.sorted { ($0.mean, $0.n) < ($1.mean, $1.n) }.prefix(count).map {
            (cohort.scored[$0.n].record, cohort.scored[$0.n].scores, cohort.regionScores[$0.n])
        }
    }

    /// The intensity image of case `name` in `folder`: `<name>.nii.gz` or `.nii`, or nnU-Net's first channel
    /// `<name>_0000.nii.gz` or `.nii`; `nil` when there is none.
    static func image(of name: String, in folder: String) -> String? {
        ["", "_0000"].flatMap { suffix in [".nii.gz", ".nii"].map { Path.join(folder, name + suffix + $0) } }
            .first(where: FileSystem.exists)
    }

    /// Draws and writes the snapshots of the `count` worst cases. A case whose snapshot cannot be drawn (an
    /// unreadable file, an image on another grid) is a warning: the scores stand either way.
    static func write(
        _ cohort: Cohort, count: Int, images: String?, options: SnapshotOptionGroup, to outputDirectory: String,
        writer: OutputFile, progress: ProgressReporter
    ) throws(CohortError) {
        let cases = worstCases(cohort, count: count)
        let folder = Path.join(outputDirectory, directory)
        try FileSystem.createDirectory(folder)
        var evaluation = cohort.options.evaluation
        evaluation.decodeConcurrently = Evaluator.hasSeveralCores
        progress.start(total: cases.count)
        for (record, labels, regions) in cases {
            let started = ContinuousClock.now
            // A case takes a second or more on a large grid: show the bar before, not only after.
            progress.tick()
            let imagePath = images.flatMap { image(of: record.name, in: $0) }
            if let images, imagePath == nil {
                progress.warn("no image for case \(record.name) in \(images); its snapshot has none underneath")
            }
            let png: [UInt8]
            do throws(EvaluationError) {
                png = try PairSnapshot.png(
                    prediction: try open(record.predictionFile), reference: try open(record.referenceFile),
                    image: try imagePath.map(open),
                    structures: PairSnapshot.worst(
                        labels: labels, regions: Array(zip(cohort.options.evaluation.regions, regions)),
                        names: cohort.names, count: options.snapshotStructures),
                    axis: options.snapshotAxis, evaluation: evaluation)
            } catch {
                // Not counted as drawn: the closing line says how many were.
                progress.warn("no snapshot of case \(record.name): \(error)")
                continue
            }
            try writer.write(bytes: png, to: Path.join(folder, record.name + ".png"))
            progress.finished(record, after: ContinuousClock.now - started)
        }
        progress.end()
    }

    private static func open(_ path: String) throws(EvaluationError) -> NiftiFile {
        do {
            return try NiftiFile(path: path)
        } catch {
            throw .unreadable(error)
        }
    }
}
