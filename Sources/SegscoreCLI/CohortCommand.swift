import ArgumentParser
import Cohort

extension Segscore {
    /// `segscore cohort --pred DIR --ref DIR --output-dir DIR`: every case of a test set, summarised.
    struct CohortCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cohort",
            abstract: "Score a folder of predictions against a folder of references, case by case.",
            discussion: """
                Files pair by name as in nnU-Net (case_01.nii.gz with case_01.nii.gz or case_01.nii). The output \
                folder receives summary.json (nnU-Net v2 layout), cases.csv, aggregates.json, aggregates.csv, \
                cohort.json (version, options, inputs, failures) and cases/<case>.json. A case that cannot be \
                scored is listed with its reason and the others still run; the exit status is then 3, or 4 when \
                every failure is a geometry mismatch. With --baseline, a regression exits 1. With --report, the \
                HTML report of `segscore report` is written too.
                """
        )

        @Option(
            name: .customLong("pred"), help: ArgumentHelp("Folder of predicted label maps.", valueName: "dir"),
            completion: .directory)
        var predictionDirectory: String

        @Option(
            name: .customLong("ref"), help: ArgumentHelp("Folder of reference label maps.", valueName: "dir"),
            completion: .directory)
        var referenceDirectory: String

        @Option(
            help: ArgumentHelp("Folder for the results (created if needed).", valueName: "dir"), completion: .directory)
        var outputDir: String

        @OptionGroup var options: ComparisonOptions

        @Option(help: "A reference without a prediction: error (exit 3), skip, or worst (scored as all-miss).")
        var missing: MissingPredictionPolicy = .error

        @Option(
            name: .shortAndLong,
            parsing: .unconditional,
            help: ArgumentHelp(
                "Cases scored at once (default: the CPUs available); memory grows with it.", valueName: "n"))
        var jobs: Int?

        @Option(
            help: ArgumentHelp(
                "Score only every N-th case, starting at the K-th, as a partial result for `merge`.", valueName: "K/N"))
        var shard: Shard?

        @Flag(
            help: "Reuse cases already in the output folder whose input files are unchanged (size, inode, times).")
        var resume = false

        @Flag(name: .shortAndLong, help: "No progress on standard error.")
        var quiet = false

        @Option(
            help: ArgumentHelp(
                "A baseline summary.json (or result folder) to gate against, as `segscore gate` does.",
                valueName: "file"),
            completion: .file())
        var baseline: String?

        @Flag(
            help: ArgumentHelp(
                "nnU-Net's numbers and file: --empty-rule nnunet, and summary.json byte-identical to "
                    + "nnUNetv2_evaluate_folder's (indent 4, keys sorted as strings, bare NaN)."))
        var nnunetCompatible = false

        @Option(parsing: .unconditional, help: "Largest Dice drop the --baseline gate accepts.")
        var tolerance: Double = 0.01

        @Option(
            help: ArgumentHelp(
                "Draw the N worst cases (lowest mean Dice) into snapshots/<case>.png in the output folder.",
                valueName: "n"))
        var snapshots: Int?

        @OptionGroup var snapshotOptions: SnapshotOptionGroup

        @Option(
            help: ArgumentHelp(
                "Folder of intensity images drawn under the snapshots, by case name (case.nii.gz or case_0000.nii.gz).",
                valueName: "dir"),
            completion: .directory)
        var images: String?

        @Option(
            defaultAsFlag: ReportCommand.inOutputFolder,
            help: ArgumentHelp("Also write the HTML report of `segscore report` to this file.", valueName: "file"),
            completion: .file(extensions: ["html"]))
        var report: String?

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if let snapshots, snapshots < 1 { throw ValidationError("--snapshots must be at least 1") }
            if images != nil && snapshots == nil { throw ValidationError("--images applies to --snapshots: add it") }
            guard tolerance >= 0, tolerance.isFinite else {
                throw ValidationError("--tolerance must be a non-negative number")
            }
            try options.requireTolerancesForEveryLabel()
            if nnunetCompatible, let rule = try options.empty.givenRule(), rule != .nnunet {
                throw ValidationError("--nnunet-compatible uses --empty-rule nnunet, not \(rule.rawValue)")
            }
        }

        func run() throws {
            let names = try options.names()
            var evaluation = try options.evaluation(names: names)
            if nnunetCompatible { evaluation.emptyRule = .nnunet }
            let request = CohortRequest(
                predictionDirectory: predictionDirectory, referenceDirectory: referenceDirectory,
                outputDirectory: outputDir,
                options: CohortOptions(evaluation: evaluation, missing: missing, nnunetCompatible: nnunetCompatible),
                names: names, shard: shard, resume: resume, jobs: jobs, version: segscoreVersion)
            // Read first: the baseline may be the summary this run replaces.
            let rule = try options.empty.givenRule()
            let baselineSummary = try baseline.map { path throws(CohortError) in
                try SummaryFile(at: path, recompute: rule)
            }
            // Before the workers start: reading the umask sets it for a moment.
            let writer = OutputFile()
            let lock = try OutputLock(directory: outputDir)
            defer { lock.release() }
            lock.removeStaleTemporaryFiles()
            let style: ProgressReporter.Style = quiet ? .silent : Terminal.isErrorTerminal ? .bar : .lines
            let cohort = try Cohort.run(request, writer: writer, progress: ProgressReporter(style: style))
            try CohortResults.write(cohort, to: outputDir, writer: writer)
            try CohortResults.show(cohort)
            if let snapshots {
                try CohortSnapshots.write(
                    cohort, count: snapshots, images: images, options: snapshotOptions, to: outputDir, writer: writer,
                    progress: ProgressReporter(style: style, verb: "drew snapshots of"))
            }
            // After the snapshots, which the report embeds.
            if let report {
                try ReportCommand.write(
                    resultsDirectory: outputDir, to: report == ReportCommand.inOutputFolder ? nil : report,
                    quiet: quiet, writer: writer)
            }
            let gateError = try baselineSummary.flatMap { baseline in
                try CohortResults.gate(
                    baseline: baseline, current: try SummaryFile(at: outputDir, recompute: rule), tolerance: tolerance)
            }
            if let error = CohortResults.failureError(cohort, directory: outputDir) ?? gateError { throw error }
        }
    }
}

extension MissingPredictionPolicy: ExpressibleByArgument {}

extension Shard: ExpressibleByArgument {
    package init?(argument: String) { self.init(argument) }
}
