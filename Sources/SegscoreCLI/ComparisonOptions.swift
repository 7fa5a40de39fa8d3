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

    @Option(
        name: .customLong("region"),
        help: ArgumentHelp(
            "A region scored beside the labels: the union of the listed labels in both images (repeatable).",
            discussion: "Default: the regions of a dataset.json given to --label-names.",
            valueName: "NAME=1,2,3"))
    var regionList: [String] = []

    @Flag(help: "Also score label 0 (background).")
    var includeBackground = false

    @OptionGroup var empty: EmptyRuleOption

    @Option(
        help: ArgumentHelp(
            "Leave out every voxel whose reference is this label, from every count (nnU-Net's ignore label).",
            discussion: "Default: the label named \"ignore\" in a dataset.json given to --label-names.",
            valueName: "N"))
    var ignoreLabel: Int64?

    @Option(
        name: [.customLong("label-names"), .customLong("dataset-json")],
        help: ArgumentHelp(
            "Label names: nnU-Net dataset.json, ITK-SNAP label file, FreeSurfer LUT, or CSV id,name.",
            discussion: "A dataset.json also decides the labels, regions and ignore label scored, as in nnU-Net."),
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
            "Comma-separated metrics: dice, iou, precision, recall, specificity, fpr, fnr, vs, rvd, mcc, hd, hd95 "
                + "(or any hdNN), masd, assd, nsd, lesions.",
            discussion: "Dice, IoU, precision and recall are always reported; the others when listed.",
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
        _ = try empty.rule()
        _ = try selectedLabels()
        guard geometryTolerance >= 0, geometryTolerance.isFinite else {
            throw ValidationError("--geometry-tolerance must be a non-negative number")
        }
        _ = try regions()
        _ = try boundaryOptions()
        _ = try lesionOptions()
        if let ignoreLabel, try selectedLabels()?.contains(ignoreLabel) == true {
            throw ValidationError("--labels lists the ignore label \(ignoreLabel), which is never scored")
        }
    }

    /// The names listed in `--metrics`, trimmed and in lower case.
    private var metricNames: [String] {
        (metrics ?? "").split(separator: ",").map { $0.filter { !$0.isWhitespace }.lowercased() }
    }

    /// The optional overlap metrics listed in `--metrics`, in order and once each.
    func overlapMetrics() -> [OverlapMetric] {
        var chosen: [OverlapMetric] = []
        for metric in metricNames.compactMap(OverlapMetric.init(rawValue:)) where !chosen.contains(metric) {
            chosen.append(metric)
        }
        return chosen
    }

    /// The boundary metrics asked for with `--metrics`, `--nsd-tolerance` and `--distance-definition`; `nil`
    /// when only overlap scores were asked for.
    func boundaryOptions() throws -> BoundaryOptions? {
        var boundary: [BoundaryMetric] = []
        for name in metricNames {
            if ["dice", "iou", "precision", "recall", "lesions"].contains(name) || OverlapMetric(rawValue: name) != nil
            {
                continue
            }
            guard let metric = BoundaryMetric(name: name) else {
                throw ValidationError(
                    "unknown metric '\(name)' in --metrics (dice, iou, precision, recall, specificity, fpr, fnr, "
                        + "vs, rvd, mcc, hd, hd95 or any hdNN, masd, assd, nsd, lesions)")
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

    /// The `--region` options, parsed.
    func regions() throws -> [Region] {
        try regionList.map { text in
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let items = parts.count == 2 ? parts[1].split(separator: ",", omittingEmptySubsequences: false) : []
            let labels = items.compactMap { Int64($0.filter { !$0.isWhitespace }) }
            guard parts.count == 2, !parts[0].isEmpty, !labels.isEmpty, labels.count == items.count else {
                throw ValidationError("--region takes NAME=1,2,3 (a name, then comma-separated labels), not '\(text)'")
            }
            return Region(name: String(parts[0]), labels: labels)
        }
    }

    /// The lesion-wise metrics asked for with `--metrics lesions`, `--connectivity` and `--min-lesion-voxels`;
    /// `nil` when not asked for.
    func lesionOptions() throws -> LesionOptions? {
        guard metricNames.contains("lesions") else {
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

    /// How each pair is evaluated. A dataset.json in `names` decides what `--labels`, `--region` and
    /// `--ignore-label` leave open, as nnU-Net does: its foreground labels, or only its regions when it has any,
    /// and its ignore label.
    ///
    /// - Throws: ``CommandError/usage(_:)`` when the dataset.json's ignore label is listed in `--labels` (what
    ///   `validate()` refuses for `--ignore-label`).
    func evaluation(names: LabelNames) throws(CommandError) -> EvaluationOptions {
        var options = EvaluationOptions()
        let ignored = ignoreLabel ?? names.ignoreLabel
        let dataset = names.dataset
        var listed = (try? selectedLabels()) ?? nil
        var regions = (try? regions()) ?? []
        if let dataset, listed == nil {
            listed = dataset.hasRegions ? [] : Array(Set(dataset.structures.flatMap(\.labels))).sorted()
        }
        if let dataset, dataset.hasRegions, regionList.isEmpty {
            regions = dataset.structures.map { Region(name: $0.name, labels: $0.labels, bare: !$0.isList) }
        }
        options.regions = regions
        if let ignored, ignoreLabel == nil, listed?.contains(ignored) == true {
            throw .usage("--labels lists the dataset.json's ignore label \(ignored), which is never scored")
        }
        options.selection = LabelSelection(
            labels: listed, includeBackground: includeBackground, ignoreLabel: ignored)
        options.emptyRule = (try? empty.rule()) ?? .ignore
        options.geometryTolerance = geometryTolerance
        options.ignoreGeometry = ignoreGeometry
        options.slab = slab.size
        options.boundary = (try? boundaryOptions()) ?? nil
        options.overlapMetrics = overlapMetrics()
        options.lesions = (try? lesionOptions()) ?? nil
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
