/// Combines partial results (`cohort --shard K/N` runs) into the result one run over all cases gives.
extension Cohort {
    /// One partial result: its manifest and the records of the cases it evaluated.
    package struct Partial: Sendable {
        /// The partial's folder, for error messages.
        package let path: String
        package let manifest: CohortManifest
        /// Records of ``CohortManifest/cases``, in that order.
        package let records: [CaseRecord]
        /// The input stamps of the case files that hold them, by case name, kept in the merged case files.
        package let stamps: [String: CaseStamps]

        package init(path: String, manifest: CohortManifest, records: [CaseRecord], stamps: [String: CaseStamps]) {
            self.path = path
            self.manifest = manifest
            self.records = records
            self.stamps = stamps
        }
    }

    /// The whole-cohort result of `partials`.
    ///
    /// The partials must agree on version, options, label names and inputs, and together evaluate every case
    /// exactly once.
    /// - Throws: ``CohortError`` naming the first partial that disagrees, a case evaluated twice, or one missing.
    package static func merging(_ partials: [Partial]) throws(CohortError) -> Cohort {
        guard let first = partials.first else { throw CohortError("no partial results to merge", path: ".") }
        let reference = first.manifest
        var byCase: [String: CaseRecord] = [:]
        for partial in partials {
            let m = partial.manifest
            let disagreement =
                m.version != reference.version
                ? "segscore version \(m.version) vs \(reference.version)"
                : m.options != reference.options
                    ? "options"
                    : m.names != reference.names
                        ? "label names"
                        : m.inputs != reference.inputs ? "input files" : nil
            if let disagreement {
                throw CohortError("partial differs from \(first.path) in its \(disagreement)", path: partial.path)
            }
            for record in partial.records {
                if byCase.updateValue(record, forKey: record.name) != nil {
                    throw CohortError("case \(record.name) is in more than one partial", path: partial.path)
                }
            }
        }
        let expected = reference.inputs.evaluated(missing: reference.options.missing)
        let absent = expected.filter { byCase[$0.name] == nil }.map(\.name)
        if !absent.isEmpty {
            throw CohortError(
                "\(absent.count) case(s) in no partial (a shard missing?): " + absent.prefix(5).joined(separator: ", ")
                    + (absent.count > 5 ? ", …" : ""), path: first.path)
        }
        return Cohort(
            version: reference.version, options: reference.options, names: reference.names, inputs: reference.inputs,
            shard: nil, records: expected.compactMap { byCase[$0.name] })
    }
}

extension Cohort.Partial {
    /// Reads the partial result in `folder`: its manifest and the records of the cases it evaluated.
    /// - Throws: ``CohortError`` when a file is missing, unreadable, or from another run.
    package init(folder: String) throws(CohortError) {
        let manifestPath = Path.join(folder, "cohort.json")
        let manifest = try CohortManifest(parsing: try FileSystem.readText(manifestPath), path: manifestPath)
        var records: [CaseRecord] = []
        var stamps: [String: CaseStamps] = [:]
        for item in manifest.cases {
            let path = Path.join(folder, CaseFiles.path(item.name))
            guard FileSystem.exists(path) else {
                throw CohortError("partial result lacks case \(item.name) (run not finished?)", path: folder)
            }
            let (record, caseStamps) = try CaseFiles.read(path)
            guard record.name == item.name, record.options == manifest.options else {
                throw CohortError("case result does not belong to this run", path: path)
            }
            records.append(record)
            stamps[item.name] = caseStamps
        }
        self.init(path: folder, manifest: manifest, records: records, stamps: stamps)
    }
}
