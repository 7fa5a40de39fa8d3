import ArgumentParser
import BoundaryMetrics
import Documents
import MonaiMetrics
import NiftiIO

/// `segscore monai <metric> --pred P1 P2 … --ref R1 R2 …`: MONAI 1.6.1's metrics and losses on NIfTI files.
///
/// Pair i is batch item i. Metrics (`dice`, `mean-iou`, `generalized-dice`) score each pair as one call of
/// MONAI's cumulative metric, then aggregate; losses (`dice-loss`, `generalized-dice-loss`) take the pairs as
/// one batch. Options carry MONAI's names and defaults. The output is one JSON object
/// `{"metric", "raw", "aggregate", "notNans"}`, NaN written as `null`.
struct MonaiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monai",
        abstract: "Compute MONAI 1.6.1's Dice, IoU and generalized Dice metrics and losses, bit for bit.",
        discussion: """
            Predictions are 3D label maps or channel data (dim[5] = C with dim[4] = 1, or dim[4] = C); references \
            are label maps or one-hot channel data. Files are streamed slab by slab, so memory stays bounded.
            """
    )

    enum Metric: String, CaseIterable, ExpressibleByArgument {
        case dice
        case diceLoss = "dice-loss"
        case generalizedDice = "generalized-dice"
        case generalizedDiceLoss = "generalized-dice-loss"
        case meanIoU = "mean-iou"
        case hausdorff
        case surfaceDistance = "surface-distance"
        case surfaceDice = "surface-dice"

        var isLoss: Bool { self == .diceLoss || self == .generalizedDiceLoss }

        /// The options (beyond --pred, --ref, --reduction and --include-background) that mean something here.
        var applicableOptions: Set<String> {
            switch self {
            case .dice: ["--ignore-empty", "--num-classes", "--soft"]
            case .meanIoU: ["--ignore-empty", "--to-onehot-y"]
            case .generalizedDice: ["--w-type", "--to-onehot-y"]
            case .diceLoss:
                [
                    "--to-onehot-y", "--sigmoid", "--softmax", "--squared-pred", "--jaccard", "--batch", "--smooth-nr",
                    "--smooth-dr", "--weight",
                ]
            case .generalizedDiceLoss:
                ["--to-onehot-y", "--sigmoid", "--softmax", "--batch", "--smooth-nr", "--smooth-dr", "--w-type"]
            case .hausdorff: ["--num-classes", "--percentile", "--directed", "--distance-metric", "--spacing"]
            case .surfaceDistance: ["--num-classes", "--symmetric", "--distance-metric", "--spacing"]
            case .surfaceDice:
                ["--num-classes", "--class-thresholds", "--use-subvoxels", "--distance-metric", "--spacing"]
            }
        }
    }

    @Argument(help: "The metric or loss to compute.")
    var metric: Metric

    @Option(parsing: .upToNextOption, help: "Prediction files, one per batch item.")
    var pred: [String] = []

    @Option(parsing: .upToNextOption, help: "Reference files, in the same order as --pred.")
    var ref: [String] = []

    @Flag(
        inversion: .prefixedNo,
        help:
            "Score class 0 (channel 0) too (default: on, as MONAI; off for hausdorff, surface-distance, surface-dice).")
    var includeBackground: Bool?

    @Option(
        help: """
            Metrics: none, mean, sum, mean_batch, sum_batch, mean_channel or sum_channel. \
            Losses: none, mean or sum.
            """
    )
    var reduction = "mean"

    @Flag(inversion: .prefixedNo, help: "dice, mean-iou: a class with an empty reference scores NaN (default on).")
    var ignoreEmpty: Bool?

    @Option(
        parsing: .unconditional,
        help: "dice: number of classes (scores labels 0…n-1 of label-map predictions); boundary metrics: required.")
    var numClasses: Int?

    @Option(
        parsing: .unconditional,
        help: "hausdorff: percentile of the distances (torch.quantile, linear); the maximum without it.")
    var percentile: Double?

    @Flag(help: "hausdorff: prediction → reference distances only.")
    var directed = false

    @Flag(help: "surface-distance: pool both directions.")
    var symmetric = false

    @Option(help: "surface-dice: tolerance in mm per class scored, e.g. 1,1.5,2.")
    var classThresholds: String?

    @Flag(help: "surface-dice: weight surfels by area (DeepMind's 2×2×2 codes) instead of counting edge voxels.")
    var useSubvoxels = false

    @Option(help: "Boundary metrics: euclidean (mm), chessboard or taxicab (voxel steps, as MONAI's scipy path).")
    var distanceMetric = "euclidean"

    @Option(help: "Boundary metrics: voxel spacing in mm, one value or x,y,z (default: the reference's pixdim).")
    var spacing: String?

    @Flag(help: "One-hot encode a label-map reference into the prediction's channels.")
    var toOnehotY = false

    @Flag(help: "Losses: apply a sigmoid to the prediction.")
    var sigmoid = false

    @Flag(help: "Losses: apply a softmax over the prediction's channels.")
    var softmax = false

    @Flag(help: "dice-loss: use Σp² + Σg² in the denominator.")
    var squaredPred = false

    @Flag(help: "dice-loss: Jaccard form of the loss.")
    var jaccard = false

    @Flag(help: "Losses: sum over the batch as well, one loss per class.")
    var batch = false

    @Option(
        parsing: .unconditional,
        help: "Losses: numerator smoothing term (default 1e-5).")
    var smoothNr: Double?

    @Option(
        parsing: .unconditional,
        help: "Losses: denominator smoothing term (default 1e-5).")
    var smoothDr: Double?

    @Option(help: "dice-loss: class weights w0,w1,… (one per scored class, or one for all).")
    var weight: String?

    @Option(help: "Generalized Dice weights: square, simple or uniform (default square).")
    var wType: String?

    @Flag(help: "dice: MONAI ≤ 1.1 soft Dice on the raw prediction values (no binarisation).")
    var soft = false

    @OptionGroup var slab: SlabOption

    /// `--slab-voxels` when given; the metrics' own cache-sized default otherwise.
    private var slabSize: SlabSize? { slab.slabVoxels.map(SlabSize.init(voxels:)) }

    func run() throws {
        try checkOptions()
        try Terminal.writeOutput(try evaluate().rendered(pretty: true) + "\n")
    }

    private func checkOptions() throws(CommandError) {
        guard !pred.isEmpty, pred.count == ref.count else {
            throw .usage("--pred and --ref need the same number of files (got \(pred.count) and \(ref.count))")
        }
        let given: [(String, Bool)] = [
            ("--ignore-empty", ignoreEmpty != nil), ("--num-classes", numClasses != nil), ("--soft", soft),
            ("--to-onehot-y", toOnehotY), ("--sigmoid", sigmoid), ("--softmax", softmax),
            ("--squared-pred", squaredPred), ("--jaccard", jaccard), ("--batch", batch),
            ("--smooth-nr", smoothNr != nil), ("--smooth-dr", smoothDr != nil), ("--weight", weight != nil),
            ("--w-type", wType != nil), ("--percentile", percentile != nil), ("--directed", directed),
            ("--symmetric", symmetric), ("--class-thresholds", classThresholds != nil),
            ("--use-subvoxels", useSubvoxels), ("--distance-metric", distanceMetric != "euclidean"),
            ("--spacing", spacing != nil),
        ]
        for (name, isSet) in given where isSet && !metric.applicableOptions.contains(name) {
            throw .usage("\(name) does not apply to \(metric.rawValue)")
        }
    }

    private func evaluate() throws -> JSONValue {
        switch metric {
        case .dice:
            var dice = try DiceMetric(
                includeBackground: includeBackground ?? true,
                reduction: try metricReduction(),
                ignoreEmpty: ignoreEmpty ?? true,
                numClasses: numClasses,
                soft: soft
            )
            for (p, r) in zip(pred, ref) { try dice(predictionPath: p, referencePath: r, slab: slabSize) }
            let aggregate = try dice.aggregate()
            return report(raw: dice.buffer, aggregate: aggregate.value, notNans: aggregate.notNans)
        case .meanIoU:
            var iou = MeanIoU(
                includeBackground: includeBackground ?? true,
                reduction: try metricReduction(),
                ignoreEmpty: ignoreEmpty ?? true,
                toOnehotY: toOnehotY
            )
            for (p, r) in zip(pred, ref) { try iou(predictionPath: p, referencePath: r, slab: slabSize) }
            let aggregate = try iou.aggregate()
            return report(raw: iou.buffer, aggregate: aggregate.value, notNans: aggregate.notNans)
        case .generalizedDice:
            let reduction = try metricReduction()
            var score = GeneralizedDiceScore(
                includeBackground: includeBackground ?? true,
                reduction: reduction,
                weightType: try weightType(),
                toOnehotY: toOnehotY
            )
            for (p, r) in zip(pred, ref) { try score(predictionPath: p, referencePath: r, slab: slabSize) }
            return report(raw: score.buffer, aggregate: try score.aggregate(), notNans: nil)
        case .diceLoss:
            let loss = try DiceLoss(
                includeBackground: includeBackground ?? true,
                toOnehotY: toOnehotY,
                sigmoid: sigmoid,
                softmax: softmax,
                squaredPred: squaredPred,
                jaccard: jaccard,
                reduction: try lossReduction(),
                smoothNr: smoothNr ?? 1e-5,
                smoothDr: smoothDr ?? 1e-5,
                batch: batch,
                weight: try classWeights()
            )
            return report(loss: try loss.evaluate(predictionPaths: pred, referencePaths: ref, slab: slabSize))
        case .generalizedDiceLoss:
            let loss = try GeneralizedDiceLoss(
                includeBackground: includeBackground ?? true,
                toOnehotY: toOnehotY,
                sigmoid: sigmoid,
                softmax: softmax,
                wType: try weightType(),
                reduction: try lossReduction(),
                smoothNr: smoothNr ?? 1e-5,
                smoothDr: smoothDr ?? 1e-5,
                batch: batch
            )
            return report(loss: try loss.evaluate(predictionPaths: pred, referencePaths: ref, slab: slabSize))
        case .hausdorff, .surfaceDistance, .surfaceDice:
            guard let numClasses else { throw CommandError.usage("\(metric.rawValue) needs --num-classes") }
            var boundary = try MonaiBoundaryMetric(
                try boundaryMeasure(), includeBackground: includeBackground ?? false,
                distanceMetric: try boundaryDistanceMetric(), reduction: try metricReduction())
            let spacing = try boundarySpacing()
            for (p, r) in zip(pred, ref) {
                try boundary(
                    predictionPath: p, referencePath: r, numClasses: numClasses, spacing: spacing, slab: slabSize)
            }
            let aggregate = try boundary.aggregate()
            return report(raw: boundary.buffer, aggregate: aggregate.value, notNans: aggregate.notNans)
        }
    }

    private func boundaryMeasure() throws(CommandError) -> MonaiBoundaryMetric.Measure {
        switch metric {
        case .hausdorff: return .hausdorff(percentile: percentile, directed: directed)
        case .surfaceDistance: return .surfaceDistance(symmetric: symmetric)
        default:
            guard let classThresholds else { throw .usage("surface-dice needs --class-thresholds (mm per class)") }
            let values = classThresholds.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                throw .usage("--class-thresholds \(classThresholds) is not a comma-separated list of numbers")
            }
            return .surfaceDice(classThresholds: values.compactMap { $0 }, useSubvoxels: useSubvoxels)
        }
    }

    private func boundaryDistanceMetric() throws(CommandError) -> DistanceMetric {
        switch distanceMetric {
        case "euclidean": .euclidean
        case "chessboard": .chessboard
        case "taxicab": .taxicab
        default: throw .usage("--distance-metric \(distanceMetric) is not one of euclidean, chessboard, taxicab")
        }
    }

    /// `--spacing`: one value for every axis or three; `nil` to take each reference file's `pixdim`.
    private func boundarySpacing() throws(CommandError) -> Spacing? {
        guard let spacing else { return nil }
        let values = spacing.split(separator: ",").map { Double($0) }
        guard values.count == 1 || values.count == 3, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw .usage("--spacing takes one positive value or three (x,y,z), got \(spacing)")
        }
        let numbers = values.compactMap { $0 }
        return Spacing(numbers.count == 1 ? [numbers[0], numbers[0], numbers[0]] : numbers)
    }

    // MARK: - Option values

    private func metricReduction() throws(CommandError) -> MetricReduction {
        guard let value = MetricReduction(rawValue: reduction) else {
            let names = MetricReduction.allCases.map(\.rawValue).joined(separator: ", ")
            throw .usage("--reduction \(reduction) is not one of \(names)")
        }
        return value
    }

    private func lossReduction() throws(CommandError) -> LossReduction {
        guard let value = LossReduction(rawValue: reduction) else {
            throw .usage("--reduction \(reduction) is not one of none, mean, sum (losses)")
        }
        return value
    }

    private func weightType() throws(CommandError) -> WeightType {
        guard let value = WeightType(rawValue: wType ?? WeightType.square.rawValue) else {
            throw .usage("--w-type \(wType ?? "") is not one of square, simple, uniform")
        }
        return value
    }

    private func classWeights() throws(CommandError) -> [Double]? {
        guard let weight else { return nil }
        let values = weight.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw .usage("--weight \(weight) is not a comma-separated list of numbers")
        }
        return values.compactMap { $0 }
    }

    // MARK: - Output

    private func report(raw: Tensor?, aggregate value: Tensor, notNans: Tensor?) -> JSONValue {
        let mean = reduction == MetricReduction.mean.rawValue
        return .object([
            ("metric", .string(metric.rawValue)),
            ("raw", raw.map(Self.json) ?? .null),
            // MONAI's `mean` is a one-element tensor; the contract writes it as a number.
            ("aggregate", mean ? .number(Double(value.scalars[0])) : Self.json(value)),
            ("notNans", notNans.map(Self.json) ?? .null),
        ])
    }

    private func report(loss: LossOutput) -> JSONValue {
        let reduced = reduction == LossReduction.none.rawValue ? Self.json(loss.unreduced) : Self.json(loss.reduced)
        return .object([
            ("metric", .string(metric.rawValue)), ("raw", Self.json(loss.unreduced)), ("aggregate", reduced),
            ("notNans", .null),
        ])
    }

    /// A tensor as nested arrays (a number for rank 0).
    private static func json(_ tensor: Tensor) -> JSONValue {
        func build(_ axis: Int, _ offset: Int) -> JSONValue {
            guard axis < tensor.rank else { return .number(Double(tensor.scalars[offset])) }
            let stride = tensor.shape[(axis + 1)...].reduce(1, *)
            return .array((0..<tensor.shape[axis]).map { build(axis + 1, offset + $0 * stride) })
        }
        return build(0, 0)
    }
}
