import DiceEngine
import Documents

/// Everything a cohort keeps about one case: the overlap counts, or why the case could not be scored.
///
/// Records hold counts only; every score is derived from them when the outputs are written, so a record read
/// back from `cases/<case>.json` (by `--resume` or `merge`) produces exactly the bytes a fresh run does.
package struct CaseRecord: Sendable, Equatable {
    /// How the case ended.
    package enum Status: String, Sendable {
        /// Both files read and compared.
        case scored
        /// No prediction; scored as an empty one (`--missing worst`).
        case missingPrediction
        /// The case could not be scored; see ``failure``.
        case failed
    }

    /// Why a case could not be scored.
    package struct Failure: Sendable, Equatable {
        package enum Kind: String, Sendable {
            /// A file that cannot be read as a label map.
            case input
            /// The two grids differ.
            case geometry
        }

        package let kind: Kind
        /// The reader's or the grid check's message (`<what>: <path>`).
        package let reason: String

        package init(kind: Kind, reason: String) {
            self.kind = kind
            self.reason = reason
        }
    }

    package let name: String
    package let predictionFile: String
    package let referenceFile: String
    package let status: Status
    package let failure: Failure?
    /// Voxels in the grid (0 for a failed case).
    package let voxels: Int
    package let predictionVoxelVolumeMl: Double
    package let referenceVoxelVolumeMl: Double
    /// Counts for the labels the options selected in this case, ascending.
    package let counts: [LabelCounts]
    /// The options the case was scored with.
    package let options: CohortOptions
    /// The segscore version that scored it.
    package let version: String

    /// A scored pair.
    package init(name: String, evaluation: PairEvaluation, options: CohortOptions, version: String) {
        self.init(
            name: name, predictionFile: evaluation.predictionPath, referenceFile: evaluation.referencePath,
            status: .scored, failure: nil, voxels: evaluation.shape.reduce(1, *),
            predictionVoxelVolumeMl: evaluation.predictionVoxelVolumeMl,
            referenceVoxelVolumeMl: evaluation.referenceVoxelVolumeMl,
            counts: evaluation.scores.map(\.counts),
            options: options, version: version)
    }

    /// A reference without a prediction, scored as an all-background prediction: every reference voxel of a
    /// foreground label is a false negative, and (when scored) background covers the whole grid.
    /// - Parameter referenceCounts: voxels per label value of the reference.
    package init(
        name: String, missingPrediction predictionFile: String, reference referenceFile: String,
        referenceCounts: [(label: Int64, voxels: Int)], voxels: Int, voxelVolumeMl: Double,
        options: CohortOptions, version: String
    ) {
        let present = referenceCounts.filter { $0.voxels > 0 }
        let byLabel = Dictionary(present.map { ($0.label, $0.voxels) }, uniquingKeysWith: +)
        let labels = options.evaluation.selection.labels(present: present.map(\.label) + [0])
        self.init(
            name: name, predictionFile: predictionFile, referenceFile: referenceFile, status: .missingPrediction,
            failure: nil, voxels: voxels, predictionVoxelVolumeMl: voxelVolumeMl, referenceVoxelVolumeMl: voxelVolumeMl,
            counts: labels.map { label in
                let reference = byLabel[label] ?? 0
                return label == 0
                    ? LabelCounts(label: 0, tp: reference, fp: voxels - reference, fn: 0, tn: 0)
                    : LabelCounts(label: label, tp: 0, fp: 0, fn: reference, tn: voxels - reference)
            },
            options: options, version: version)
    }

    /// A case that could not be scored.
    package init(
        name: String, predictionFile: String, referenceFile: String, failure: Failure, options: CohortOptions,
        version: String
    ) {
        self.init(
            name: name, predictionFile: predictionFile, referenceFile: referenceFile, status: .failed,
            failure: failure, voxels: 0, predictionVoxelVolumeMl: 0, referenceVoxelVolumeMl: 0, counts: [],
            options: options, version: version)
    }

    /// Every field given (tests and parsing).
    init(
        name: String, predictionFile: String, referenceFile: String, status: Status, failure: Failure?, voxels: Int,
        predictionVoxelVolumeMl: Double, referenceVoxelVolumeMl: Double, counts: [LabelCounts], options: CohortOptions,
        version: String
    ) {
        self.name = name
        self.predictionFile = predictionFile
        self.referenceFile = referenceFile
        self.status = status
        self.failure = failure
        self.voxels = voxels
        self.predictionVoxelVolumeMl = predictionVoxelVolumeMl
        self.referenceVoxelVolumeMl = referenceVoxelVolumeMl
        self.counts = counts
        self.options = options
        self.version = version
    }

    /// Whether the case has counts (scored, or scored as a missing prediction).
    package var hasCounts: Bool { status != .failed }

    /// The `cases/<case>.json` document.
    package var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("case", .string(name)),
            ("segscoreVersion", .string(version)),
            ("options", options.json),
            ("prediction_file", .string(predictionFile)),
            ("reference_file", .string(referenceFile)),
            ("status", .string(status.rawValue)),
        ]
        if let failure {
            members.append(
                ("failure", .object([("kind", .string(failure.kind.rawValue)), ("reason", .string(failure.reason))])))
        } else {
            members += [
                ("voxels", .int(voxels)),
                ("predictionVoxelVolumeMl", .number(predictionVoxelVolumeMl)),
                ("referenceVoxelVolumeMl", .number(referenceVoxelVolumeMl)),
                (
                    "labels",
                    .array(
                        counts.map {
                            .object([
                                ("label", .int(Int($0.label))), ("tp", .int($0.tp)), ("fp", .int($0.fp)),
                                ("fn", .int($0.fn)), ("tn", .int($0.tn)),
                            ])
                        })
                ),
            ]
        }
        return .object(members)
    }

    /// Reads a `cases/<case>.json` document.
    /// - Parameter path: the file, for the error message.
    /// - Throws: ``CohortError`` when the text is not such a document.
    package init(parsing text: String, path: String) throws(CohortError) {
        let invalid = CohortError("not a segscore case result", path: path)
        guard let json = try? JSONValue(parsing: text),
            let name = json["case"]?.stringValue,
            let version = json["segscoreVersion"]?.stringValue,
            let options = json["options"].flatMap(CohortOptions.init(json:)),
            let predictionFile = json["prediction_file"]?.stringValue,
            let referenceFile = json["reference_file"]?.stringValue,
            let status = json["status"]?.stringValue.flatMap(Status.init(rawValue:))
        else { throw invalid }
        if status == .failed {
            guard let kind = json["failure"]?["kind"]?.stringValue.flatMap(Failure.Kind.init(rawValue:)),
                let reason = json["failure"]?["reason"]?.stringValue
            else { throw invalid }
            self.init(
                name: name, predictionFile: predictionFile, referenceFile: referenceFile,
                failure: Failure(kind: kind, reason: reason), options: options, version: version)
            return
        }
        guard let voxels = json["voxels"]?.intValue,
            let predictionVolume = json["predictionVoxelVolumeMl"]?.doubleValue,
            let referenceVolume = json["referenceVoxelVolumeMl"]?.doubleValue,
            let labels = json["labels"]?.arrayValue
        else { throw invalid }
        var counts: [LabelCounts] = []
        for entry in labels {
            guard let label = entry["label"]?.intValue, let tp = entry["tp"]?.intValue,
                let fp = entry["fp"]?.intValue, let fn = entry["fn"]?.intValue, let tn = entry["tn"]?.intValue
            else { throw invalid }
            counts.append(LabelCounts(label: Int64(label), tp: tp, fp: fp, fn: fn, tn: tn))
        }
        self.init(
            name: name, predictionFile: predictionFile, referenceFile: referenceFile, status: status, failure: nil,
            voxels: voxels, predictionVoxelVolumeMl: predictionVolume, referenceVoxelVolumeMl: referenceVolume,
            counts: counts, options: options, version: version)
    }
}
