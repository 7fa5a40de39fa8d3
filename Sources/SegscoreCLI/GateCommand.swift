import ArgumentParser
import Cohort

extension Segscore {
    /// `segscore gate BASELINE CURRENT [--metric dice] [--tolerance 0.01]`: the CI regression check between two
    /// summaries.
    struct GateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gate",
            abstract: "Fail (exit 1) when Dice (or another metric) got worse against a baseline summary.",
            discussion: """
                Compares one metric (--metric, Dice by default) case by case and label by label (cases matched \
                by reference file name). Exit 1, with a table, when any case/label got worse by more than \
                --tolerance (a drop for dice, iou, nsd, lesion-f1, lesion-dice and pq; a rise for the distances \
                hd, hdNN, masd and assd, in mm, and the volumes fp-volume and fn-volume, in mL), is \
                missing, failed, or no longer has a value; exit 0 otherwise, listing improvements. Either \
                argument may be a summary.json (segscore's, or nnU-Net's for dice and iou) or a `segscore \
                cohort` output folder; a cohort.json next to CURRENT's summary names the reason a case failed. \
                A malformed summary (a value that is not a number, out of range, or a case listed twice) is \
                refused with exit 3. With --empty-rule (or --ignore-empty/--no-ignore-empty), Dice and IoU are \
                recomputed from each case's TP, FP and FN under that rule, so summaries written under different \
                empty rules (nnU-Net's and segscore's) compare equal when their counts are.
                """
        )

        @Argument(help: "The baseline summary.json or result folder.", completion: .file())
        var baseline: String

        @Argument(help: "The current summary.json or result folder.", completion: .file())
        var current: String

        @Option(
            help: ArgumentHelp(
                "The metric compared: dice, iou, nsd, a distance: hd, hd95 (any hdNN), masd, assd, or a lesion-wise "
                    + "metric: lesion-f1, lesion-dice, pq, fp-volume, fn-volume.",
                discussion:
                    "Distances need a summary from `cohort --metrics` with that metric; lesion-wise metrics one from "
                    + "`cohort --metrics lesions`.",
                valueName: "name"))
        var metric: GateMetric = .dice

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "Largest change for the worse accepted (absolute): a drop of a fraction (dice, nsd, pq…), a "
                    + "distance's rise in mm, a volume's in mL."))
        var tolerance: Double = 0.01

        @OptionGroup var empty: EmptyRuleOption

        func validate() throws {
            _ = try empty.rule()
            guard tolerance >= 0, tolerance.isFinite else {
                throw ValidationError("--tolerance must be a non-negative number")
            }
        }

        func run() throws {
            let rule = try empty.givenRule()
            let verdict = try CohortResults.gate(
                baseline: try SummaryFile(at: baseline, metric: metric, recompute: rule),
                current: try SummaryFile(at: current, metric: metric, recompute: rule), tolerance: tolerance)
            if let error = verdict { throw error }
        }
    }
}

extension GateMetric: ExpressibleByArgument {
    package init?(argument: String) { self.init(name: argument) }

    package var defaultValueDescription: String { "dice" }
}
