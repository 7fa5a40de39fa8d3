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

    func validate() throws {
        _ = try selectedLabels()
        guard geometryTolerance >= 0, geometryTolerance.isFinite else {
            throw ValidationError("--geometry-tolerance must be a non-negative number")
        }
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
        return options
    }

    /// The `--label-names` file, parsed (exit 3 when unusable).
    func names() throws -> LabelNames {
        guard let labelNames else { return LabelNames() }
        do {
            return try LabelNames(contentsOf: labelNames)
        } catch {
            throw CommandError.input(error.description)
        }
    }
}

/// The formats `compare` can print.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case csv
    case json
}
