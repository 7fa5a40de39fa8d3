import ArgumentParser
import Cohort

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
            let partials = try partials.map(Cohort.Partial.init(folder:))
            let cohort = try Cohort.merging(partials)
            let writer = OutputFile()
            let lock = try OutputLock(directory: outputDir)
            defer { lock.release() }
            lock.removeStaleTemporaryFiles()
            let stamps = partials.reduce(into: [:]) { all, partial in all.merge(partial.stamps) { first, _ in first } }
            try CaseFiles.write(cohort, stamps: stamps, to: outputDir, writer: writer)
            try CohortResults.write(cohort, to: outputDir, writer: writer)
            try CohortResults.show(cohort)
            if let error = CohortResults.failureError(cohort, directory: outputDir) { throw error }
        }
    }
}
