import ArgumentParser
import Cohort
import CohortReport

#if canImport(Glibc)
    import Glibc
#endif

extension Segscore {
    /// `segscore report RESULTS_DIR [--output FILE]`: a cohort's output folder as one self-contained HTML page.
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Render a cohort's output folder as one self-contained HTML page.",
            discussion: """
                Reads summary.json, cases.csv, aggregates.json and cohort.json (and snapshots/<case>.png when \
                present) and writes one HTML file that needs no network: the run and its definitions, box plots \
                per structure (Dice, and HD95/NSD when computed), the per-label statistics, the worst cases per \
                structure and every case's Dice. A missing or malformed file is an error (exit 3).
                """
        )

        @Argument(
            help: ArgumentHelp("A `segscore cohort` output folder.", valueName: "results-dir"), completion: .directory)
        var resultsDirectory: String

        @Option(
            name: .shortAndLong,
            help: ArgumentHelp(
                "The HTML file to write (default: report.html in the results folder).", valueName: "file"),
            completion: .file(extensions: ["html"]))
        var output: String?

        @Flag(name: .shortAndLong, help: "No progress on standard error.")
        var quiet = false

        func run() throws {
            try Self.write(
                resultsDirectory: resultsDirectory, to: output, quiet: quiet, writer: OutputFile())
        }

        /// Reads `resultsDirectory`, renders the page and writes it atomically to `output` (default
        /// `report.html` in the folder), showing progress unless `quiet`; `cohort --report` calls this too.
        static func write(
            resultsDirectory: String, to output: String?, quiet: Bool, writer: OutputFile
        ) throws {
            let path = output ?? Path.join(resultsDirectory, defaultFileName)
            let start = ContinuousClock.now
            let style: ProgressBar.Style = quiet ? .silent : Terminal.isErrorTerminal ? .bar : .summary
            let progress = ProgressBar(style: style)
            let results = try ResultsFolder(at: resultsDirectory)
            let context = ReportContext(
                arguments: ["segscore"] + CommandLine.arguments.dropFirst(), version: segscoreVersion,
                writtenAt: Int(time(nil)))
            let page = try HTMLReport.render(results, context: context, progress: progress)
            try writer.write(page, to: path)
            progress.end(path: path, bytes: page.utf8.count, after: ContinuousClock.now - start)
        }

        /// The report's name inside the results folder when no file is given.
        static let defaultFileName = "report.html"
        /// `cohort --report` without a file: shown as its default in `--help`.
        static let inOutputFolder = "<output-dir>/" + defaultFileName
    }
}
