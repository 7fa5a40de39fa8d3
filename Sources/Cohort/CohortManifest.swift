import Documents

/// `cohort.json`: how a cohort result was made — segscore version, options, label names, every input file,
/// the shard (partial results only) and the cases that failed.
///
/// `merge` rebuilds a run from its partials' manifests and cached cases, so the manifest holds everything
/// besides the cases that the outputs depend on. It holds no timestamps: a merged or resumed run must write
/// the same bytes as a fresh one.
package struct CohortManifest: Sendable {
    package let version: String
    package let options: CohortOptions
    package let names: LabelNames
    package let inputs: CohortInputs
    package let shard: Shard?
    /// Cases that could not be scored → why.
    package let failures: [String: String]

    /// The cases the run this manifest describes evaluated, in order.
    package var cases: [CohortInputs.Case] {
        Cohort.cases(of: inputs, missing: options.missing, shard: shard)
    }

    /// The `cohort.json` document of `cohort`.
    package static func json(_ cohort: Cohort) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("segscoreVersion", .string(cohort.version)),
            ("options", cohort.options.json),
            (
                "labelNames",
                .object(cohort.names.names.sorted { $0.key < $1.key }.map { (String($0.key), .string($0.value)) })
            ),
            ("predictionDirectory", .string(cohort.inputs.predictionDirectory)),
            ("referenceDirectory", .string(cohort.inputs.referenceDirectory)),
        ]
        if let shard = cohort.shard { members.append(("shard", shard.json)) }
        members += [
            (
                "inputs",
                .array(
                    cohort.inputs.cases.map { c in
                        .object([
                            ("case", .string(c.name)),
                            ("prediction_file", c.prediction.map { .string($0) } ?? .null),
                            ("reference_file", c.reference.map { .string($0) } ?? .null),
                        ])
                    })
            ),
            ("evaluatedCases", .int(cohort.records.count)),
            ("scoredCases", .int(cohort.scored.count)),
            ("missingPredictions", .array(cohort.inputs.missingPredictions.map { .string($0.name) })),
            ("unmatchedPredictions", .array(cohort.inputs.unmatchedPredictions.map { .string($0.name) })),
            (
                "failed",
                .array(
                    cohort.failures.compactMap { r in
                        r.failure.map { failure in
                            .object([
                                ("case", .string(r.name)), ("kind", .string(failure.kind.rawValue)),
                                ("reason", .string(failure.reason)),
                            ])
                        }
                    })
            ),
        ]
        return .object(members)
    }

    /// Reads a `cohort.json` document.
    /// - Throws: ``CohortError`` when the text is not one.
    package init(parsing text: String, path: String) throws(CohortError) {
        let invalid = CohortError("not a segscore cohort.json", path: path)
        guard let json = try? JSONValue(parsing: text),
            let version = json["segscoreVersion"]?.stringValue,
            let options = json["options"].flatMap(CohortOptions.init(json:)),
            let nameMembers = json["labelNames"]?.objectMembers,
            let predictionDirectory = json["predictionDirectory"]?.stringValue,
            let referenceDirectory = json["referenceDirectory"]?.stringValue,
            let inputs = json["inputs"]?.arrayValue
        else { throw invalid }
        var names: [Int64: String] = [:]
        for (key, value) in nameMembers {
            guard let label = Int64(key), let name = value.stringValue else { throw invalid }
            names[label] = name
        }
        var cases: [CohortInputs.Case] = []
        for entry in inputs {
            guard let name = entry["case"]?.stringValue, let prediction = entry["prediction_file"],
                let reference = entry["reference_file"]
            else { throw invalid }
            cases.append(
                CohortInputs.Case(name: name, prediction: prediction.stringValue, reference: reference.stringValue))
        }
        var failures: [String: String] = [:]
        for entry in json["failed"]?.arrayValue ?? [] {
            guard let name = entry["case"]?.stringValue, let reason = entry["reason"]?.stringValue else {
                throw invalid
            }
            failures[name] = reason
        }
        var shard: Shard? = nil
        if let shardJSON = json["shard"] {
            guard let index = shardJSON["index"]?.intValue, let count = shardJSON["count"]?.intValue,
                let parsed = Shard(index: index, count: count)
            else { throw invalid }
            shard = parsed
        }
        self.version = version
        self.options = options
        self.names = LabelNames(names)
        self.inputs = CohortInputs(
            predictionDirectory: predictionDirectory, referenceDirectory: referenceDirectory, cases: cases)
        self.shard = shard
        self.failures = failures
    }
}
