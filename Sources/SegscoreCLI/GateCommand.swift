import ArgumentParser
import Cohort

extension Segscore {
    /// `segscore gate BASELINE CURRENT [--tolerance 0.01]`: the CI regression check between two summaries.
    struct GateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gate",
            abstract: "Fail (exit 1) when Dice dropped against a baseline summary.",
            discussion: """
                Compares Dice case by case and label by label (cases matched by reference file name). Exit 1, \
                with a table, when any case/label dropped by more than --tolerance, is missing, failed, or no \
                longer has a Dice; exit 0 otherwise, listing improvements. Either argument may be a \
                summary.json (segscore's or nnU-Net's) or a `segscore cohort` output folder; a cohort.json next \
                to CURRENT's summary names the reason a case failed.
                """
        )

        @Argument(help: "The baseline summary.json or result folder.", completion: .file())
        var baseline: String

        @Argument(help: "The current summary.json or result folder.", completion: .file())
        var current: String

        @Option(help: "Largest Dice drop accepted (absolute).")
        var tolerance: Double = 0.01

        func validate() throws {
            guard tolerance >= 0, tolerance.isFinite else {
                throw ValidationError("--tolerance must be a non-negative number")
            }
        }

        func run() throws {
            let verdict = try CohortResults.gate(
                baseline: try SummaryFile(at: baseline), current: try SummaryFile(at: current), tolerance: tolerance)
            if let error = verdict { throw error }
        }
    }
}
