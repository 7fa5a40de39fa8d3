import MonaiMetrics
import Testing

/// Every run of MONAI 1.6.1's golden set, through the library's streaming file path, with the README's
/// tolerances.
@Suite(.enabled(if: GoldenSet.isAvailable, "../shared/monai-golden is absent: golden runs skipped"))
struct GoldenTests {
    /// How closely a value must match.
    enum Tolerance {
        /// `Float(actual) == Float(expected)`.
        case bitExact
        /// |a − e| ≤ r·|e|.
        case relative(Float)
        /// Losses: |a − e| ≤ max(1e-5·|e|, 1e-6).
        case loss

        func accepts(_ actual: Float, _ expected: Float) -> Bool {
            if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
            switch self {
            case .bitExact: return actual == expected
            case .relative(let r): return abs(actual - expected) <= r * abs(expected)
            case .loss: return abs(actual - expected) <= max(1e-5 * abs(expected), 1e-6)
            }
        }
    }

    @Test func theGoldenSetHasEveryRun() {
        #expect(GoldenSet.runs.count == 131)
    }

    @Test(arguments: GoldenSet.runs)
    func matchesMonai(_ run: GoldenRun) throws {
        let result = try GoldenEvaluation(run)
        let isLoss = run.metric.hasSuffix("-loss")
        let rawTolerance: Tolerance =
            switch run.metric {
            case "dice": .bitExact
            case "mean-iou": run.caseID == "meaniou_soft" ? .relative(1e-5) : .bitExact
            case "generalized-dice": .relative(1e-6)
            default: .loss
            }
        let aggregateTolerance: Tolerance = isLoss ? .loss : .relative(1e-6)
        expect(result.raw, matches: run.raw, tolerance: rawTolerance, squeezing: false, "raw of \(run.id)")
        expect(
            result.aggregate,
            matches: run.aggregate,
            tolerance: aggregateTolerance,
            squeezing: true,
            "aggregate of \(run.id)"
        )
        if let notNans = run.notNans {
            #expect(result.notNans != nil, "notNans of \(run.id)")
            if let actual = result.notNans {
                expect(actual, matches: notNans, tolerance: .bitExact, squeezing: true, "notNans of \(run.id)")
            }
        } else {
            #expect(result.notNans == nil, "\(run.id) should have no notNans")
        }
    }

    /// MONAI ≤ 1.1's soft Dice of the seed example (`DiceMetric(soft: true)`), which explains old tutorials.
    @Test func seedExampleLegacySoftDice() throws {
        let seed = try #require(GoldenSet.cases.first { $0.id == "seed_example" })
        let legacy = try #require(seed.legacy)
        var perClass = try DiceMetric(reduction: .none, soft: true)
        var withoutBackground = try DiceMetric(includeBackground: false, soft: true)
        for (p, r) in zip(seed.predictions, seed.references) {
            try perClass(predictionPath: p, referencePath: r)
            try withoutBackground(predictionPath: p, referencePath: r)
        }
        expect(
            try #require(perClass.buffer),
            matches: legacy.perCaseClass,
            tolerance: .relative(1e-6),
            squeezing: false,
            "legacy per-class soft Dice"
        )
        #expect(
            Tolerance.relative(1e-6).accepts(try perClass.aggregate(reduction: .mean).value.scalars[0], legacy.mean)
        )
        #expect(
            Tolerance.relative(1e-6).accepts(
                try withoutBackground.aggregate().value.scalars[0],
                legacy.meanNoBackground
            )
        )
    }

    /// Compares shapes (exactly, or with length-1 axes dropped, so `[x]` equals `x` and MONAI's trailing
    /// singleton axes of an unreduced loss match the README's plain matrices) and then every value.
    private func expect(
        _ actual: Tensor,
        matches expected: GoldenValue?,
        tolerance: Tolerance,
        squeezing: Bool,
        _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let expected else {
            Issue.record("\(what): no expected value", sourceLocation: sourceLocation)
            return
        }
        let squeeze = { (shape: [Int]) in squeezing ? shape.filter { $0 != 1 } : shape }
        #expect(squeeze(actual.shape) == squeeze(expected.shape), "\(what): shape", sourceLocation: sourceLocation)
        let values = expected.flattened
        guard values.count == actual.scalars.count else { return }
        for (i, (a, e)) in zip(actual.scalars, values).enumerated() where !tolerance.accepts(a, e) {
            Issue.record("\(what)[\(i)]: \(a) is not \(e)", sourceLocation: sourceLocation)
        }
    }
}
