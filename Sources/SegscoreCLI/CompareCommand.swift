import ArgumentParser
import Cohort
import DiceEngine
import NiftiIO
import Reporting

extension Segscore {
    /// `segscore compare PRED REF`: per-structure scores for one pair.
    struct CompareCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Score a predicted label map against a reference, structure by structure.",
            discussion: """
                Both files are streamed once, slab by slab, into a joint histogram of prediction × reference \
                labels, so every label is scored in one pass with bounded memory. The two images must share a \
                voxel grid (same shape, affines within --geometry-tolerance); otherwise the exit status is 4.
                """
        )

        @Argument(help: "The predicted label map.", completion: .file())
        var prediction: String

        @Argument(help: "The reference (ground-truth) label map.", completion: .file())
        var reference: String

        @OptionGroup var options: ComparisonOptions

        @Option(help: "Output format: table, csv or json.")
        var format: OutputFormat = .table

        @Option(
            help: "Write the result to this file (atomically; a device or FIFO written through) instead of stdout.",
            completion: .file())
        var output: String?

        func run() throws {
            if let output,
                let input = [prediction, reference, options.labelNames].compactMap({ $0 }).first(
                    where: { FileSystem.isSameFile(output, $0) })
            {
                throw CommandError.usage("--output would overwrite the input \(input): \(output)")
            }
            let names = try options.names()
            let result = try Evaluator.evaluate(
                prediction: try NiftiFile(path: prediction), reference: try NiftiFile(path: reference),
                options: try options.evaluation(names: names))
            try options.requireTolerances(for: result)
            var warnings = Self.warnings(for: result)
            warnings += names.unlisted(result.confusion.labels).map { label in
                "label \(label) is in the images but not in the dataset.json, so it is not scored: "
                    + (options.labelNames ?? "")
            }
            for warning in warnings { Terminal.writeError("segscore: warning: \(warning)") }
            let text: String
            switch format {
            case .table: text = ComparisonReport.table(result, names: names)
            case .csv: text = ComparisonReport.csv(result, names: names)
            case .json: text = ComparisonReport.json(result, names: names).rendered(pretty: true) + "\n"
            }
            if let output {
                try OutputFile().write(text, to: output)
            } else {
                try Terminal.writeOutput(text)
            }
        }

        /// Label sets no segmentation has: an intensity image passed by mistake still decodes as integers (a CT
        /// gave 2,109 "labels"), so say so on stderr while the scores stand.
        static func warnings(for result: PairEvaluation) -> [String] {
            var warnings: [String] = []
            let sides = [
                ("prediction", result.predictionPath, Set(result.confusion.counts.keys.map(\.prediction))),
                ("reference", result.referencePath, Set(result.confusion.counts.keys.map(\.reference))),
            ]
            for (role, path, labels) in sides {
                if labels.count > manyLabels {
                    warnings.append(
                        "the \(role) has \(labels.count) distinct labels — is it an intensity image?: \(path)")
                }
                if let lowest = labels.min(), lowest < 0 {
                    let count = labels.filter { $0 < 0 }.count
                    warnings.append(
                        "the \(role) has \(count) negative label value\(count == 1 ? "" : "s") (lowest \(lowest)): \(path)"
                    )
                }
            }
            return warnings
        }

        /// More structures than any atlas segmentation routinely has (TotalSegmentator: 117).
        static let manyLabels = 1000
    }
}
