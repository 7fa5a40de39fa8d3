import MonaiMetrics
import Testing

/// Runs one golden run through the library's file path, as `segscore monai` would, without the CLI.
struct GoldenEvaluation {
    let raw: Tensor
    let aggregate: Tensor
    let notNans: Tensor?

    init(_ run: GoldenRun) throws {
        let options = GoldenOptions(run.options)
        let includeBackground = !options.has("--no-include-background")
        let ignoreEmpty = !options.has("--no-ignore-empty")
        let pairs = zip(run.predictions, run.references)
        switch run.metric {
        case "dice":
            var metric = try DiceMetric(
                includeBackground: includeBackground,
                reduction: try options.metricReduction(),
                ignoreEmpty: ignoreEmpty,
                numClasses: options["--num-classes"].flatMap { Int($0) },
                soft: options.has("--soft")
            )
            for (p, r) in pairs { try metric(predictionPath: p, referencePath: r) }
            let result = try metric.aggregate()
            (raw, aggregate, notNans) = (try #require(metric.buffer), result.value, result.notNans)
        case "mean-iou":
            var metric = MeanIoU(
                includeBackground: includeBackground,
                reduction: try options.metricReduction(),
                ignoreEmpty: ignoreEmpty,
                toOnehotY: options.has("--to-onehot-y")
            )
            for (p, r) in pairs { try metric(predictionPath: p, referencePath: r) }
            let result = try metric.aggregate()
            (raw, aggregate, notNans) = (try #require(metric.buffer), result.value, result.notNans)
        case "generalized-dice":
            var metric = GeneralizedDiceScore(
                includeBackground: includeBackground,
                reduction: try options.metricReduction(),
                weightType: try options.weightType(),
                toOnehotY: options.has("--to-onehot-y")
            )
            for (p, r) in pairs { try metric(predictionPath: p, referencePath: r) }
            (raw, aggregate, notNans) = (try #require(metric.buffer), try metric.aggregate(), nil)
        case "dice-loss":
            let loss = try DiceLoss(
                includeBackground: includeBackground,
                toOnehotY: options.has("--to-onehot-y"),
                sigmoid: options.has("--sigmoid"),
                softmax: options.has("--softmax"),
                squaredPred: options.has("--squared-pred"),
                jaccard: options.has("--jaccard"),
                reduction: try options.lossReduction(),
                smoothNr: options.double("--smooth-nr") ?? 1e-5,
                smoothDr: options.double("--smooth-dr") ?? 1e-5,
                batch: options.has("--batch"),
                weight: options["--weight"].map { $0.split(separator: ",").compactMap { Double($0) } }
            )
            let output = try loss.evaluate(predictionPaths: run.predictions, referencePaths: run.references)
            (raw, aggregate, notNans) = (output.unreduced, output.reduced, nil)
        case "generalized-dice-loss":
            let loss = try GeneralizedDiceLoss(
                includeBackground: includeBackground,
                toOnehotY: options.has("--to-onehot-y"),
                sigmoid: options.has("--sigmoid"),
                softmax: options.has("--softmax"),
                wType: try options.weightType(),
                reduction: try options.lossReduction(),
                smoothNr: options.double("--smooth-nr") ?? 1e-5,
                smoothDr: options.double("--smooth-dr") ?? 1e-5,
                batch: options.has("--batch")
            )
            let output = try loss.evaluate(predictionPaths: run.predictions, referencePaths: run.references)
            (raw, aggregate, notNans) = (output.unreduced, output.reduced, nil)
        default:
            throw GoldenOptions.Unknown(text: run.metric)
        }
    }
}

/// A run's `options` list: flags, and options followed by a value.
struct GoldenOptions {
    struct Unknown: Error {
        let text: String
    }

    private var flags: Set<String> = []
    private var values: [String: String] = [:]

    init(_ options: [String]) {
        var i = 0
        while i < options.count {
            if i + 1 < options.count, !options[i + 1].hasPrefix("--") {
                values[options[i]] = options[i + 1]
                i += 2
            } else {
                flags.insert(options[i])
                i += 1
            }
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
    subscript(_ option: String) -> String? { values[option] }
    func double(_ option: String) -> Double? { values[option].flatMap { Double($0) } }

    func metricReduction() throws -> MetricReduction {
        guard let value = MetricReduction(rawValue: values["--reduction"] ?? "mean") else {
            throw Unknown(text: values["--reduction"] ?? "")
        }
        return value
    }

    func lossReduction() throws -> LossReduction {
        guard let value = LossReduction(rawValue: values["--reduction"] ?? "mean") else {
            throw Unknown(text: values["--reduction"] ?? "")
        }
        return value
    }

    func weightType() throws -> WeightType {
        guard let value = WeightType(rawValue: values["--w-type"] ?? "square") else {
            throw Unknown(text: values["--w-type"] ?? "")
        }
        return value
    }
}
