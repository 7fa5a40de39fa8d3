import DiceEngine
import NiftiIO

extension Cohort {
    /// Pairs the two folders, reuses what `--resume` may, scores the rest on `jobs` threads and returns the
    /// result; each case's record is saved under `cases/` as soon as it is known, so an interrupted run can be
    /// resumed.
    ///
    /// - Throws: ``CohortError`` when the inputs cannot be paired or a record cannot be written; a case that
    ///   cannot be scored is a failed record instead, so the others still run.
    package static func run(
        _ request: CohortRequest, writer: OutputFile, progress: some CohortProgress
    ) throws(CohortError) -> Cohort {
        let inputs = try listInputs(request, progress: progress)
        let cases = Cohort.cases(of: inputs, missing: request.options.missing, shard: request.shard)
        try FileSystem.createDirectory(Path.join(request.outputDirectory, CaseFiles.directory))

        var records = cases.map { request.resume ? reusableRecord(for: $0, request: request, inputs: inputs) : nil }
        let pending = records.indices.filter { records[$0] == nil }
        if request.resume { progress.reusing(cases.count - pending.count, of: cases.count) }
        for (index, record) in try score(cases, at: pending, inputs: inputs, request, writer, progress) {
            records[index] = record
        }
        return Cohort(
            version: request.version, options: request.options, names: request.names, inputs: inputs,
            shard: request.shard, records: records.compactMap { $0 })
    }

    /// Scores `cases[indices]` on `request.jobs` threads.
    private static func score(
        _ cases: [CohortInputs.Case], at indices: [Int], inputs: CohortInputs, _ request: CohortRequest,
        _ writer: OutputFile, _ progress: some CohortProgress
    ) throws(CohortError) -> [Int: CaseRecord] {
        progress.start(total: indices.count)
        let computed = Locked<[Int: CaseRecord]>([:])
        let writeError = Locked<CohortError?>(nil)
        let found = Locked(Set<Int64>())
        let workers = min(request.jobs ?? Evaluator.availableCores, indices.count)
        var options = request.options
        // Several pairs at once keep the cores busy already; each decodes on its worker's thread.
        options.evaluation.decodeConcurrently = options.evaluation.decodeConcurrently && workers <= 1
        ParallelCases.run(count: indices.count, jobs: workers, tick: progress.tick) { [options] job in
            let index = indices[job]
            let item = cases[index]
            let started = ContinuousClock.now
            guard let reference = item.reference else {
                preconditionFailure("Cohort.cases(of:) returns only cases with a reference")
            }
            // Before reading: a file changed while it is scored then differs from its stamp, and is re-scored.
            let stamps = CaseStamps(prediction: item.prediction, reference: reference)
            let (record, labels) = CaseRecord.evaluating(
                item, reference: reference, expectedPrediction: expectedPrediction(for: item, in: inputs),
                options: options, version: request.version)
            found.withLock { $0.formUnion(labels) }
            do throws(CohortError) {
                try writer.write(
                    CaseFiles.text(record, stamps: stamps),
                    to: Path.join(request.outputDirectory, CaseFiles.path(item.name)))
            } catch {
                writeError.withLock { $0 = $0 ?? error }
            }
            computed.withLock { $0[index] = record }
            progress.finished(record, after: ContinuousClock.now - started)
        }
        progress.end()
        // Once per label, after the cases: nnU-Net scores only a dataset.json's labels, and so does segscore.
        for label in request.names.unlisted(found.withLock { $0 }) {
            progress.warn("label \(label) is in the images but not in the dataset.json, so it is not scored")
        }
        if let error = writeError.withLock({ $0 }) { throw error }
        return computed.withLock { $0 }
    }

    /// Pairs the two folders, warns about predictions without a reference, and applies `--missing error`.
    private static func listInputs(
        _ request: CohortRequest, progress: some CohortProgress
    ) throws(CohortError) -> CohortInputs {
        let inputs = try CohortInputs(
            predictionDirectory: request.predictionDirectory,
            predictionFiles: try FileSystem.fileNames(in: request.predictionDirectory),
            referenceDirectory: request.referenceDirectory,
            referenceFiles: try FileSystem.fileNames(in: request.referenceDirectory))
        guard inputs.cases.contains(where: { $0.reference != nil }) else {
            throw CohortError("no reference files (.nii, .nii.gz) in folder", path: request.referenceDirectory)
        }
        for warning in inputs.warnings { progress.warn(warning) }
        let unmatched = inputs.unmatchedPredictions.map(\.name)
        if !unmatched.isEmpty {
            progress.warn("\(unmatched.count) prediction(s) without a reference, ignored: " + list(unmatched))
        }
        let missingNames = inputs.missingPredictions.map(\.name)
        if request.options.missing == .error && !missingNames.isEmpty {
            throw CohortError(
                "\(missingNames.count) reference(s) without a prediction (--missing skip or worst to go on): "
                    + list(missingNames), path: request.predictionDirectory)
        }
        return inputs
    }

    /// A cached case that `--resume` may keep: consistent, scored the same way, by this version, from the same
    /// files, whose stamps (size, inode, modification and change times) have not changed since. On any doubt —
    /// a damaged file, one written before stamps were kept — the case is scored again.
    private static func reusableRecord(
        for item: CohortInputs.Case, request: CohortRequest, inputs: CohortInputs
    ) -> CaseRecord? {
        guard let reference = item.reference,
            let (record, stamps) = try? CaseFiles.read(Path.join(request.outputDirectory, CaseFiles.path(item.name))),
            record.name == item.name,
            record.status == (item.prediction == nil ? .missingPrediction : .scored),
            record.options == request.options, record.version == request.version,
            record.referenceFile == reference,
            record.predictionFile == expectedPrediction(for: item, in: inputs),
            let stamps, stamps == CaseStamps(prediction: item.prediction, reference: reference)
        else { return nil }
        return record
    }

    /// The prediction's path, or where it would be: the reference's file name in the prediction folder.
    private static func expectedPrediction(for item: CohortInputs.Case, in inputs: CohortInputs) -> String {
        item.prediction ?? Path.join(inputs.predictionDirectory, Path.fileName(of: item.reference ?? item.name))
    }

    /// Up to ten names, then how many there are in all.
    private static func list(_ names: [String]) -> String {
        names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", … (\(names.count) in all)" : "")
    }
}
