import ArgumentParser
import Reporting

extension Segscore {
    /// `segscore merge PARTIAL… --output-dir DIR`: shards of one cohort run, combined.
    struct MergeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Combine `cohort --shard K/N` results into the result of one run.",
            discussion: """
                Each PARTIAL is the output folder of a `cohort --shard` run. The partials must share version, \
                options, label names and inputs, and together cover every case once. The output folder then \
                holds exactly the files one unsharded run writes, and the exit status is the one it would have \
                (3 or 4 when cases failed).
                """
        )

        @Argument(help: "Output folders of the partial runs.", completion: .directory)
        var partials: [String]

        @Option(
            help: ArgumentHelp("Folder for the merged result (created if needed).", valueName: "dir"),
            completion: .directory)
        var outputDir: String

        func validate() throws {
            guard !partials.isEmpty else { throw ValidationError("give at least one partial result folder") }
        }

        func run() throws {
            let cohort: Cohort
            do {
                cohort = try Cohort.merging(try partials.map(Self.load))
            } catch let error as CohortError {
                throw CommandError.input(error.description)
            }
            try CohortResults.write(cohort, to: outputDir, records: true, writer: OutputFile())
            Terminal.writeOutput(Aggregates.table(cohort))
            CohortResults.reportFailures(cohort)
            if let error = CohortResults.failureError(cohort, directory: outputDir) { throw error }
        }

        /// A partial's manifest and the records of the cases it evaluated.
        private static func load(_ folder: String) throws -> Cohort.Partial {
            let manifestPath = FileSystem.join(folder, "cohort.json")
            let manifest = try CohortManifest(parsing: try FileSystem.readText(manifestPath), path: manifestPath)
            let records = try manifest.cases.map { item in
                let path = FileSystem.join(folder, CohortOutput.casePath(item.name))
                guard FileSystem.exists(path) else {
                    throw CohortError("partial result lacks case \(item.name) (run not finished?)", path: folder)
                }
                let record = try CaseRecord(parsing: try FileSystem.readText(path), path: path)
                guard record.name == item.name, record.options == manifest.options else {
                    throw CohortError("case result does not belong to this run", path: path)
                }
                return record
            }
            return Cohort.Partial(path: folder, manifest: manifest, records: records)
        }
    }
}
