import ArgumentParser
import Cohort
import DiceEngine
import NiftiIO
import Reporting
import Snapshots

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

        @Option(
            help: ArgumentHelp(
                "Also draw the worst structures, where they disagree, into this PNG (atomically).",
                valueName: "file.png"),
            completion: .file())
        var snapshot: String?

        @OptionGroup var snapshotOptions: SnapshotOptionGroup

        @Option(
            help: ArgumentHelp(
                "An intensity image (CT, MRI) on the reference's grid, drawn in grey under the snapshot.",
                valueName: "image.nii.gz"),
            completion: .file())
        var image: String?

        func validate() throws {
            if snapshot == nil && image != nil { throw ValidationError("--image applies to --snapshot: add one") }
        }

        func run() throws {
            let inputs = [prediction, reference, options.labelNames, image].compactMap { $0 }
            for (flag, path) in [("--output", output), ("--snapshot", snapshot)] {
                if let path, let input = inputs.first(where: { FileSystem.isSameFile(path, $0) }) {
                    throw CommandError.usage("\(flag) would overwrite the input \(input): \(path)")
                }
            }
            // Before any voxel is read: a snapshot nobody can write, or an image on another grid, ends the run now.
            if let snapshot, !FileSystem.isDirectory(Path.directory(of: snapshot)) {
                throw CommandError.input("the snapshot's folder does not exist: \(snapshot)")
            }
            let names = try options.names()
            let evaluation = try options.evaluation(names: names)
            let predictionFile = try NiftiFile(path: prediction)
            let referenceFile = try NiftiFile(path: reference)
            let imageFile = try image.map { path throws(NiftiError) in try NiftiFile(path: path) }
            if let imageFile {
                try Evaluator.checkIntensityImage(
                    imageFile, onGridOf: referenceFile, geometryTolerance: evaluation.geometryTolerance,
                    ignoreGeometry: evaluation.ignoreGeometry)
            }
            let result = try Evaluator.evaluate(
                prediction: predictionFile, reference: referenceFile, options: evaluation)
            try options.requireTolerances(for: result)
            var warnings = Self.warnings(for: result)
            warnings += names.unlisted(result.confusion.labels).map { label in
                "label \(label) is in the images but not in the dataset.json, so it is not scored: "
                    + (options.labelNames ?? "")
            }
            let text: String
            switch format {
            case .table: text = ComparisonReport.table(result, names: names)
            case .csv: text = ComparisonReport.csv(result, names: names)
            case .json: text = ComparisonReport.json(result, names: names).rendered(pretty: true) + "\n"
            }
            let shown = PairSnapshot.worst(
                labels: result.scores, regions: Array(zip(result.regions, result.regionScores)), names: names,
                count: snapshotOptions.snapshotStructures)
            if snapshot != nil && shown.isEmpty {
                warnings.append("no structure has a Dice, so the snapshot holds only its legend")
            }
            for warning in warnings { Terminal.writeError("segscore: warning: \(warning)") }
            // Drawn before anything is written: a failure here leaves no output behind.
            let png = try snapshot.map { _ in
                try PairSnapshot.png(
                    prediction: predictionFile, reference: referenceFile, image: imageFile, structures: shown,
                    axis: snapshotOptions.snapshotAxis, evaluation: evaluation)
            }
            if let output {
                try OutputFile().write(text, to: output)
            } else {
                try Terminal.writeOutput(text)
            }
            if let snapshot, let png { try OutputFile().write(bytes: png, to: snapshot) }
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
