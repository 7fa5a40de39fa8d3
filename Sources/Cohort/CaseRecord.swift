import DiceEngine
import Documents

/// Everything a cohort keeps about one case: the overlap counts, or why the case could not be scored.
///
/// Records hold counts, from which every overlap score is derived when the outputs are written, and the boundary
/// and lesion-wise metrics (which counts cannot give) as the shortest decimals that read back as the same
/// doubles — so a record read back from `cases/<case>.json` (by `--resume` or `merge`) produces exactly the bytes
/// a fresh run does.
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
    /// Voxels counted: the grid's, less those the ignore label leaves out (0 for a failed case).
    package let voxels: Int
    package let predictionVoxelVolumeMl: Double
    package let referenceVoxelVolumeMl: Double
    /// Counts for the labels the options selected in this case, ascending.
    package let counts: [LabelCounts]
    /// Counts for the options' regions, in order (each ``LabelCounts/label`` is the region's index).
    package let regionCounts: [LabelCounts]
    /// The boundary metrics of each label of ``counts``, in the same order; empty without boundary metrics.
    package let boundaries: [BoundaryScores]
    /// The boundary metrics of each region of ``regionCounts``, in the same order; empty without boundary metrics.
    package let regionBoundaries: [BoundaryScores]
    /// The lesion-wise metrics of each label of ``counts``, in the same order; empty without lesion-wise metrics.
    package let lesions: [LesionScores]
    /// The lesion-wise metrics of each region of ``regionCounts``, in the same order; empty without lesion-wise
    /// metrics.
    package let regionLesions: [LesionScores]
    /// The options the case was scored with.
    package let options: CohortOptions
    /// The segscore version that scored it.
    package let version: String

    /// A scored pair.
    package init(name: String, evaluation: PairEvaluation, options: CohortOptions, version: String) {
        self.init(
            name: name, predictionFile: evaluation.predictionPath, referenceFile: evaluation.referencePath,
            status: .scored, failure: nil, voxels: evaluation.confusion.voxelCount,
            predictionVoxelVolumeMl: evaluation.predictionVoxelVolumeMl,
            referenceVoxelVolumeMl: evaluation.referenceVoxelVolumeMl,
            counts: evaluation.scores.map(\.counts), regionCounts: evaluation.regionScores.map(\.counts),
            boundaries: evaluation.boundaries ?? [], regionBoundaries: evaluation.regionBoundaries ?? [],
            lesions: evaluation.lesions ?? [], regionLesions: evaluation.regionLesions ?? [],
            options: options, version: version)
    }

    /// A reference without a prediction, scored as an all-background prediction: every reference voxel of a
    /// foreground label is a false negative, and (when scored) background covers the whole grid.
    ///
    /// Boundary metrics follow the empty rule for a prediction that holds no label at all — background
    /// included, so the case scores as badly as it can: the grid's diagonal and NSD 0 where the reference holds
    /// the label. Lesion-wise metrics are the reference's lesions against no predicted one (every lesion missed).
    /// - Parameters:
    ///   - referenceCounts: voxels per label value of the reference; those of the ignore label are not counted.
    ///   - emptyDistanceMm: the reference grid's diagonal (``Evaluator/emptyDistanceMm(of:)``).
    ///   - referenceLesions: with lesion-wise metrics, those of each label the reference holds and of each
    ///     region (``Evaluator/lesionsAgainstEmptyPrediction(of:options:slab:concurrent:)``).
    package init(
        name: String, missingPrediction predictionFile: String, reference referenceFile: String,
        referenceCounts: [(label: Int64, voxels: Int)], voxels: Int, voxelVolumeMl: Double, emptyDistanceMm: Double,
        referenceLesions: (labels: [LesionScores], regions: [LesionScores]) = ([], []), options: CohortOptions,
        version: String
    ) {
        let ignored = options.evaluation.selection.ignoreLabel
        let present = referenceCounts.filter { $0.voxels > 0 && $0.label != ignored }
        let voxels = voxels - referenceCounts.filter { $0.label == ignored }.reduce(0) { $0 + $1.voxels }
        let byLabel = Dictionary(present.map { ($0.label, $0.voxels) }, uniquingKeysWith: +)
        let labels = options.evaluation.selection.labels(present: present.map(\.label) + [0])
        let ignoreEmpty = options.evaluation.emptyRule.boundaryIgnoresEmptyReference
        let boundaries = options.evaluation.boundary.map { boundary in
            labels.compactMap { label in
                BoundaryScores.unmeasured(
                    label: label, predictionHasLabel: false, referenceHasLabel: byLabel[label] != nil,
                    options: boundary, ignoreEmpty: ignoreEmpty, emptyDistanceMm: emptyDistanceMm)
            }
        }
        let regionBoundaries = options.evaluation.boundary.map { boundary in
            options.evaluation.regions.enumerated().compactMap { index, region in
                BoundaryScores.unmeasured(
                    label: Int64(index), predictionHasLabel: false,
                    referenceHasLabel: region.labels.contains { byLabel[$0] != nil }, options: boundary.forRegions,
                    ignoreEmpty: ignoreEmpty, emptyDistanceMm: emptyDistanceMm)
            }
        }
        let lesionsByLabel = Dictionary(
            referenceLesions.labels.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        let lesions = options.evaluation.lesions.map { _ in
            labels.map { lesionsByLabel[$0] ?? .absent(label: $0) }
        }
        let regionLesions = options.evaluation.lesions.map { _ in referenceLesions.regions }
        self.init(
            name: name, predictionFile: predictionFile, referenceFile: referenceFile, status: .missingPrediction,
            failure: nil, voxels: voxels, predictionVoxelVolumeMl: voxelVolumeMl, referenceVoxelVolumeMl: voxelVolumeMl,
            counts: labels.map { label in
                let reference = byLabel[label] ?? 0
                return label == 0
                    ? LabelCounts(label: 0, tp: reference, fp: voxels - reference, fn: 0, tn: 0)
                    : LabelCounts(label: label, tp: 0, fp: 0, fn: reference, tn: voxels - reference)
            },
            regionCounts: options.evaluation.regions.enumerated().map { index, region in
                let reference = Set(region.labels).reduce(0) { $0 + (byLabel[$1] ?? 0) }
                // The all-background prediction lies inside a region that holds label 0, outside any other.
                return region.labels.contains(0)
                    ? LabelCounts(label: Int64(index), tp: reference, fp: voxels - reference, fn: 0, tn: 0)
                    : LabelCounts(label: Int64(index), tp: 0, fp: 0, fn: reference, tn: voxels - reference)
            },
            boundaries: boundaries ?? [], regionBoundaries: regionBoundaries ?? [], lesions: lesions ?? [],
            regionLesions: regionLesions ?? [], options: options, version: version)
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
        predictionVoxelVolumeMl: Double, referenceVoxelVolumeMl: Double, counts: [LabelCounts],
        regionCounts: [LabelCounts] = [], boundaries: [BoundaryScores] = [], regionBoundaries: [BoundaryScores] = [],
        lesions: [LesionScores] = [], regionLesions: [LesionScores] = [],
        options: CohortOptions, version: String
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
        self.regionCounts = regionCounts
        self.boundaries = boundaries
        self.regionBoundaries = regionBoundaries
        self.lesions = lesions
        self.regionLesions = regionLesions
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
                ("labels", .array(counts.indices.map(labelJSON))),
            ]
            if !regionCounts.isEmpty {
                let regions = options.evaluation.regions
                members.append(
                    (
                        "regions",
                        .array(
                            zip(regions, regionCounts).enumerated().map { index, item in
                                let c = item.1
                                return .object(
                                    [
                                        ("region", .string(item.0.key)), ("tp", .int(c.tp)), ("fp", .int(c.fp)),
                                        ("fn", .int(c.fn)), ("tn", .int(c.tn)),
                                    ] + structureMembers(regionBoundaries, regionLesions, index))
                            })
                    ))
            }
        }
        return .object(members)
    }

    /// `{"label", "tp", "fp", "fn", "tn"}`, then the boundary metrics by name (`"hd95": 3.2`, `null` undefined),
    /// then the lesion-wise metrics as a `lesions` object (``LesionScores/jsonMembers``).
    private func labelJSON(_ index: Int) -> JSONValue {
        let c = counts[index]
        let members: [(String, JSONValue)] = [
            ("label", .int(Int(c.label))), ("tp", .int(c.tp)), ("fp", .int(c.fp)), ("fn", .int(c.fn)),
            ("tn", .int(c.tn)),
        ]
        return .object(members + structureMembers(boundaries, lesions, index))
    }

    /// The boundary metrics of `boundaries[index]` by name and the `lesions` object of `lesions[index]`, for
    /// those there are.
    private func structureMembers(
        _ boundaries: [BoundaryScores], _ lesions: [LesionScores], _ index: Int
    ) -> [(String, JSONValue)] {
        var members =
            index < boundaries.count
            ? boundaries[index].values.map { ($0.metric.description, JSONValue.number($0.value)) } : []
        if index < lesions.count { members.append(("lesions", .object(lesions[index].jsonMembers))) }
        return members
    }

    /// The boundary metrics `options` ask for, read from a label or region entry of a case document.
    private static func boundaryScores(
        _ entry: JSONValue, label: Int64, options: CohortOptions
    ) -> BoundaryScores?? {
        guard let metrics = options.evaluation.boundary?.metrics else { return .some(nil) }
        var values: [(metric: BoundaryMetric, value: Double?)] = []
        for metric in metrics {
            guard let value = entry[metric.description], value.isNull || value.doubleValue != nil else { return nil }
            values.append((metric, value.doubleValue))
        }
        return BoundaryScores(label: label, values: values)
    }

    /// The lesion-wise metrics of a label or region entry of a case document, when `options` ask for them.
    private static func lesionScores(_ entry: JSONValue, label: Int64, options: CohortOptions) -> LesionScores?? {
        guard options.evaluation.lesions != nil else { return .some(nil) }
        guard let scores = entry["lesions"].flatMap({ LesionScores(json: $0, label: label) }) else { return nil }
        return scores
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
        var boundaries: [BoundaryScores] = []
        var lesions: [LesionScores] = []
        for entry in labels {
            guard let label = entry["label"]?.intValue, let tp = entry["tp"]?.intValue,
                let fp = entry["fp"]?.intValue, let fn = entry["fn"]?.intValue, let tn = entry["tn"]?.intValue
            else { throw invalid }
            counts.append(LabelCounts(label: Int64(label), tp: tp, fp: fp, fn: fn, tn: tn))
            guard let scores = Self.boundaryScores(entry, label: Int64(label), options: options),
                let lesion = Self.lesionScores(entry, label: Int64(label), options: options)
            else { throw invalid }
            if let scores { boundaries.append(scores) }
            if let lesion { lesions.append(lesion) }
        }
        let regions = options.evaluation.regions
        let regionEntries = json["regions"]?.arrayValue ?? []
        guard regionEntries.count == regions.count else { throw invalid }
        var regionCounts: [LabelCounts] = []
        var regionBoundaries: [BoundaryScores] = []
        var regionLesions: [LesionScores] = []
        for (index, (region, entry)) in zip(regions, regionEntries).enumerated() {
            guard entry["region"]?.stringValue == region.key, let tp = entry["tp"]?.intValue,
                let fp = entry["fp"]?.intValue, let fn = entry["fn"]?.intValue, let tn = entry["tn"]?.intValue,
                let scores = Self.boundaryScores(entry, label: Int64(index), options: options),
                let lesion = Self.lesionScores(entry, label: Int64(index), options: options)
            else { throw invalid }
            regionCounts.append(LabelCounts(label: Int64(index), tp: tp, fp: fp, fn: fn, tn: tn))
            if let scores { regionBoundaries.append(scores) }
            if let lesion { regionLesions.append(lesion) }
        }
        self.init(
            name: name, predictionFile: predictionFile, referenceFile: referenceFile, status: status, failure: nil,
            voxels: voxels, predictionVoxelVolumeMl: predictionVolume, referenceVoxelVolumeMl: referenceVolume,
            counts: counts, regionCounts: regionCounts, boundaries: boundaries, regionBoundaries: regionBoundaries,
            lesions: lesions, regionLesions: regionLesions, options: options, version: version)
    }
}
