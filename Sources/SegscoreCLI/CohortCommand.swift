import ArgumentParser
import DiceEngine
import Reporting
import Synchronization

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
                every failure is a geometry mismatch. With --baseline, a regression exits 1.
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
            help: ArgumentHelp(
                "Cases scored at once (default: the CPUs available); memory grows with it.", valueName: "n"))
        var jobs: Int?

        @Option(
            help: ArgumentHelp(
                "Score only every N-th case, starting at the K-th, as a partial result for `merge`.", valueName: "K/N"))
        var shard: Shard?

        @Flag(help: "Reuse cases already in the output folder that are newer than their input files.")
        var resume = false

        @Flag(name: .shortAndLong, help: "No progress on standard error.")
        var quiet = false

        @Option(
            help: ArgumentHelp(
                "A baseline summary.json (or result folder) to gate against, as `segscore gate` does.",
                valueName: "file"),
            completion: .file())
        var baseline: String?

        @Option(help: "Largest Dice drop the --baseline gate accepts.")
        var tolerance: Double = 0.01

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            guard tolerance >= 0, tolerance.isFinite else {
                throw ValidationError("--tolerance must be a non-negative number")
            }
        }

        func run() throws {
            let names = try options.names()
            let writer = OutputFile()
            // Read first: the baseline may be the summary this run replaces.
            let baselineSummary = try baseline.map { path throws(CommandError) in try SummaryFile(at: path) }
            let settings = CohortOptions(evaluation: options.evaluation, missing: missing)
            let inputs = try listInputs()
            let cases = Cohort.cases(of: inputs, missing: missing, shard: shard)
            try FileSystem.createDirectory(FileSystem.join(outputDir, CohortOutput.caseDirectory))

            var records = cases.map { resume ? reusableRecord(for: $0, settings: settings, inputs: inputs) : nil }
            let pending = records.indices.filter { records[$0] == nil }
            if resume && !quiet {
                Terminal.writeError("reusing \(cases.count - pending.count) of \(cases.count) cases")
            }
            for (index, record) in try score(cases, at: pending, inputs: inputs, settings: settings, writer: writer) {
                records[index] = record
            }

            let cohort = Cohort(
                version: segscoreVersion, options: settings, names: names, inputs: inputs, shard: shard,
                records: records.map { $0! })
            try CohortResults.write(cohort, to: outputDir, records: false, writer: writer)
            Terminal.writeOutput(Aggregates.table(cohort))
            CohortResults.reportFailures(cohort)
            let gateError = try baselineSummary.flatMap { baseline throws(CommandError) in
                CohortResults.gate(baseline: baseline, current: try SummaryFile(at: outputDir), tolerance: tolerance)
            }
            if let error = CohortResults.failureError(cohort, directory: outputDir) ?? gateError { throw error }
        }

        /// Scores `cases[indices]` on `--jobs` threads with progress, saving each case's record as soon as it is
        /// known so that an interrupted run can be resumed.
        private func score(
            _ cases: [CohortInputs.Case], at indices: [Int], inputs: CohortInputs, settings: CohortOptions,
            writer: OutputFile
        ) throws(CommandError) -> [Int: CaseRecord] {
            let progress = ProgressReporter(
                style: quiet ? .silent : Terminal.isErrorTerminal ? .bar : .lines, total: indices.count)
            let computed = Mutex<[Int: CaseRecord]>([:])
            let writeError = Mutex<CommandError?>(nil)
            let workers = min(jobs ?? FileSystem.availableCores, indices.count)
            let evaluation = {
                var evaluation = options.evaluation
                // Several pairs at once keep the cores busy already; each decodes on its worker's thread.
                evaluation.decodeConcurrently = evaluation.decodeConcurrently && workers <= 1
                return evaluation
            }()
            let directory = outputDir
            ParallelCases.run(count: indices.count, jobs: workers, tick: progress.tick) {
                job in
                let index = indices[job]
                let item = cases[index]
                let started = ContinuousClock.now
                let record = CaseRecord.evaluating(
                    item, expectedPrediction: Self.expectedPrediction(for: item, in: inputs), options: settings,
                    evaluation: evaluation)
                do throws(CommandError) {
                    try writer.write(
                        CohortOutput.text(record), to: FileSystem.join(directory, CohortOutput.casePath(item.name)))
                } catch {
                    writeError.withLock { $0 = $0 ?? error }
                }
                computed.withLock { $0[index] = record }
                progress.finished(record, after: ContinuousClock.now - started)
            }
            progress.end()
            if let error = writeError.withLock({ $0 }) { throw error }
            return computed.withLock { $0 }
        }

        /// Pairs the two folders, warns about predictions without a reference, and applies `--missing error`.
        private func listInputs() throws(CommandError) -> CohortInputs {
            let inputs: CohortInputs
            do {
                inputs = try CohortInputs(
                    predictionDirectory: predictionDirectory,
                    predictionFiles: try FileSystem.fileNames(in: predictionDirectory),
                    referenceDirectory: referenceDirectory,
                    referenceFiles: try FileSystem.fileNames(in: referenceDirectory))
            } catch let error as CohortError {
                throw .input(error.description)
            } catch {
                throw error as! CommandError
            }
            guard inputs.cases.contains(where: { $0.reference != nil }) else {
                throw .input("no reference files (.nii, .nii.gz) in folder: \(referenceDirectory)")
            }
            let unmatched = inputs.unmatchedPredictions.map(\.name)
            if !unmatched.isEmpty {
                Terminal.writeError(
                    "segscore: warning: \(unmatched.count) prediction(s) without a reference, ignored: "
                        + Self.list(unmatched))
            }
            let missingNames = inputs.missingPredictions.map(\.name)
            if missing == .error && !missingNames.isEmpty {
                throw .input(
                    "\(missingNames.count) reference(s) without a prediction (--missing skip or worst to go on): "
                        + Self.list(missingNames) + ": " + predictionDirectory)
            }
            return inputs
        }

        /// A cached case that `--resume` may keep: scored the same way, by this version, from the same files,
        /// and written after both inputs were last modified.
        private func reusableRecord(
            for item: CohortInputs.Case, settings: CohortOptions, inputs: CohortInputs
        ) -> CaseRecord? {
            let path = FileSystem.join(outputDir, CohortOutput.casePath(item.name))
            guard let written = FileSystem.modificationTime(path),
                let text = try? FileSystem.readText(path),
                let record = try? CaseRecord(parsing: text, path: path),
                record.status == (item.prediction == nil ? .missingPrediction : .scored),
                record.options == settings, record.version == segscoreVersion,
                record.referenceFile == item.reference,
                record.predictionFile == Self.expectedPrediction(for: item, in: inputs)
            else { return nil }
            let inputFiles = [item.prediction, item.reference].compactMap { $0 }
            let newest = inputFiles.map { FileSystem.modificationTime($0) }
            guard newest.allSatisfy({ $0 != nil && $0! < written }) else { return nil }
            return record
        }

        /// The prediction's path, or where it would be: the reference's file name in the prediction folder.
        private static func expectedPrediction(for item: CohortInputs.Case, in inputs: CohortInputs) -> String {
            item.prediction
                ?? FileSystem.join(inputs.predictionDirectory, String(item.reference!.split(separator: "/").last!))
        }

        private static func list(_ names: [String]) -> String {
            names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", … (\(names.count) in all)" : "")
        }
    }
}

extension MissingPredictionPolicy: ExpressibleByArgument {}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
