import ArgumentParser
import DiceEngine
import Documents
import NiftiIO

/// Options shared by `compare` and `cohort`: which labels, the empty rule, names, geometry and slab size.
struct ComparisonOptions: ParsableArguments {
    @Option(
        name: .customLong("labels"),
        help: ArgumentHelp(
            "Comma-separated label values to score (reported even when absent from both images).",
            discussion: "Default: every non-zero label found in either image.",
            valueName: "1,2,3"))
    var labelList: String?

    @Flag(help: "Also score label 0 (background).")
    var includeBackground = false

    @Flag(
        inversion: .prefixedNo,
        help: "A label absent from the reference gets Dice null (MONAI's ignore_empty). With --no-ignore-empty: 1 when absent from both, 0 when only the prediction has it.")
    var ignoreEmpty = true

    @Option(help: "Label names: nnU-Net dataset.json, ITK-SNAP label file, FreeSurfer LUT, or CSV id,name.",
        completion: .file())
    var labelNames: String?

    @Option(
        parsing: .unconditional,
        help: "Largest difference between the two affines (mm) still taken as the same grid.")
    var geometryTolerance: Double = GridCheck.defaultTolerance

    @Flag(help: "Compare voxel by voxel even when the affines differ (shapes must still match).")
    var ignoreGeometry = false

    @OptionGroup var slab: SlabOption

    @Option(
        help: ArgumentHelp(
            "Comma-separated metrics: dice, iou, precision, recall, hd, hd95 (or any hdNN), masd, assd, nsd, lesions.",
            discussion: "The overlap scores are always reported; boundary and lesion-wise metrics are opt-in.",
            valueName: "dice,hd95,nsd"))
    var metrics: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "NSD tolerance τ in mm: one value, or per label 1=1.5,2=3 (a bare value is the default for the rest).",
            valueName: "mm"))
    var nsdTolerance: String?

    @Option(
        help: ArgumentHelp(
            "Lesion connectivity for --metrics lesions: 6 (faces), 18 (+ edges) or 26 (+ corners; the default).",
            valueName: "6|18|26"))
    var connectivity: Int?

    @Option(
        help: ArgumentHelp(
            "With --metrics lesions: drop lesions of fewer than N voxels on both sides (default 1: none).",
            valueName: "N"))
    var minLesionVoxels: Int?

    @Option(help: "Surface-distance definition: deepmind (surface-distance 0.1, the default) or monai (MONAI 1.6.1).")
    var distanceDefinition: DistanceDefinition = .deepmind

    func validate() throws {
        _ = try selectedLabels()
        guard geometryTolerance >= 0, geometryTolerance.isFinite else {
            throw ValidationError("--geometry-tolerance must be a non-negative number")
        }
        _ = try boundaryOptions()
        _ = try lesionOptions()
    }

    /// The boundary metrics asked for with `--metrics`, `--nsd-tolerance` and `--distance-definition`; `nil`
    /// when only overlap scores were asked for.
    func boundaryOptions() throws -> BoundaryOptions? {
        var boundary: [BoundaryMetric] = []
        for name in (metrics ?? "").split(separator: ",").map({ $0.filter { !$0.isWhitespace }.lowercased() }) {
            if ["dice", "iou", "precision", "recall", "lesions"].contains(name) { continue }
            guard let metric = BoundaryMetric(name: name) else {
                throw ValidationError(
                    "unknown metric '\(name)' in --metrics (dice, iou, precision, recall, hd, hd95 or any hdNN, "
                        + "masd, assd, nsd, lesions)")
            }
            if !boundary.contains(metric) { boundary.append(metric) }
        }
        let tolerance = try nsdTolerance.map { text in
            guard let parsed = NSDTolerance(parsing: text) else {
                throw ValidationError("--nsd-tolerance takes millimetres: 2, or per label 1=1.5,2=3 (got '\(text)')")
            }
            return parsed
        }
        if boundary.contains(.nsd) && tolerance == nil {
            throw ValidationError("--metrics nsd needs --nsd-tolerance (in mm, e.g. --nsd-tolerance 2)")
        }
        if tolerance != nil && !boundary.contains(.nsd) {
            throw ValidationError("--nsd-tolerance applies to the nsd metric: add nsd to --metrics")
        }
        return boundary.isEmpty
            ? nil : BoundaryOptions(metrics: boundary, definition: distanceDefinition, nsdTolerance: tolerance)
    }

    /// The lesion-wise metrics asked for with `--metrics lesions`, `--connectivity` and `--min-lesion-voxels`;
    /// `nil` when not asked for.
    func lesionOptions() throws -> LesionOptions? {
        let names = (metrics ?? "").split(separator: ",").map { $0.filter { !$0.isWhitespace }.lowercased() }
        guard names.contains("lesions") else {
            if connectivity != nil || minLesionVoxels != nil {
                throw ValidationError(
                    "--connectivity and --min-lesion-voxels apply to lesions: add lesions to --metrics")
            }
            return nil
        }
        guard let neighbourhood = LesionConnectivity(rawValue: connectivity ?? 26) else {
            throw ValidationError("--connectivity takes 6, 18 or 26 (got \(connectivity ?? 26))")
        }
        let minimum = minLesionVoxels ?? 1
        guard minimum >= 1 else { throw ValidationError("--min-lesion-voxels takes a whole number of at least 1") }
        return LesionOptions(connectivity: neighbourhood, minimumVoxels: minimum)
    }

    /// The `--labels` list, parsed.
    func selectedLabels() throws -> [Int64]? {
        guard let labelList else { return nil }
        let items = labelList.split(separator: ",", omittingEmptySubsequences: false)
        let values = items.compactMap { Int64($0.filter { !$0.isWhitespace }) }
        guard values.count == items.count, !values.isEmpty else {
            throw ValidationError("--labels takes comma-separated integers, e.g. --labels 1,2,3")
        }
        return values
    }

    var evaluation: EvaluationOptions {
        var options = EvaluationOptions()
        options.selection = LabelSelection(labels: try? selectedLabels(), includeBackground: includeBackground)
        options.ignoreEmpty = ignoreEmpty
        options.geometryTolerance = geometryTolerance
        options.ignoreGeometry = ignoreGeometry
        options.slab = slab.size
        options.boundary = try? boundaryOptions()
        options.lesions = try? lesionOptions()
        return options
    }

    /// The `--label-names` file, parsed.
    func names() throws(LabelNames.ParseError) -> LabelNames {
        guard let labelNames else { return LabelNames() }
        return try LabelNames(contentsOf: labelNames)
    }
}

extension ComparisonOptions {
    /// Refuses a result in which a scored label has no NSD tolerance (per-label tolerances without a default).
    func requireTolerances(for result: PairEvaluation) throws(CommandError) {
        guard let options = result.boundaryOptions, let tolerance = options.nsdTolerance else { return }
        let missing = result.scores.map(\.label).filter { tolerance.mm(for: $0) == nil }
        guard missing.isEmpty else {
            let list = missing.map(String.init).joined(separator: ", ")
            throw .usage("no NSD tolerance for label \(list): add LABEL=mm to --nsd-tolerance, or a bare default value")
        }
    }
}

extension ComparisonOptions {
    /// Refuses per-label NSD tolerances that may leave a label of a cohort without one: a cohort learns its
    /// labels only case by case, so it needs a default tolerance or a `--labels` list that each has one.
    func requireTolerancesForEveryLabel() throws {
        guard let tolerance = try boundaryOptions()?.nsdTolerance, tolerance.defaultMm == nil else { return }
        guard let labels = try selectedLabels() else {
            throw ValidationError(
                "--nsd-tolerance has no default value for the labels found in the cases: add one, or list --labels")
        }
        let selection = LabelSelection(labels: labels, includeBackground: includeBackground)
        let missing = selection.labels(present: []).filter { tolerance.mm(for: $0) == nil }
        guard missing.isEmpty else {
            let list = missing.map(String.init).joined(separator: ", ")
            throw ValidationError(
                "--nsd-tolerance has no value for label \(list): add LABEL=mm or a bare default value")
        }
    }
}

extension DistanceDefinition: ExpressibleByArgument {}

/// The formats `compare` can print.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case csv
    case json
}
