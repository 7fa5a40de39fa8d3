import MonaiMetrics
import Testing

@Suite struct GeneralizedDiceTests {
    // Class 0: I = 2, Σy = 3, Σŷ = 2. Class 1: I = 1, Σy = 1, Σŷ = 2.
    let prediction = tensor([[[1, 1, 0, 0], [0, 0, 1, 1]]])
    let reference = tensor([[[1, 1, 1, 0], [0, 0, 0, 1]]])

    @Test func squareWeightsSumClassesBeforeTheRatio() throws {
        var score = GeneralizedDiceScore()
        let raw = try score(prediction, reference)
        let (w0, w1): (Float, Float) = (1.0 / 9, 1)
        expectValues(raw, [2 * (2 * w0 + 1 * w1) / (5 * w0 + 3 * w1)], shape: [1, 1], relative: 1e-6)
        expectValues(try score.aggregate(), raw.scalars, shape: [1])
    }

    @Test(arguments: [WeightType.simple, .uniform])
    func otherWeightTypes(_ weightType: WeightType) throws {
        var score = GeneralizedDiceScore(weightType: weightType)
        let (w0, w1): (Float, Float) = weightType == .simple ? (1.0 / 3, 1) : (1, 1)
        expectValues(
            try score(prediction, reference),
            [2 * (2 * w0 + 1 * w1) / (5 * w0 + 3 * w1)],
            shape: [1, 1],
            relative: 1e-6
        )
    }

    @Test(arguments: [MetricReduction.none, .meanBatch, .sumBatch])
    func perClassReductionsGivePlainDice(_ reduction: MetricReduction) throws {
        var score = GeneralizedDiceScore(reduction: reduction)
        expectValues(try score(prediction, reference), [4.0 / 5, 2.0 / 3], shape: [1, 2], relative: 1e-6)
    }

    @Test func emptyReferenceScoresOneForAnEmptyPredictionElseZero() throws {
        var score = GeneralizedDiceScore(includeBackground: false, reduction: .none)
        let raw = try score(
            tensor([[[1, 1], [0, 0]], [[1, 0], [0, 1]]]),
            tensor([[[1, 1], [0, 0]], [[1, 1], [0, 0]]])
        )
        expectValues(raw, [1, 0], shape: [2, 1])
        var summed = GeneralizedDiceScore(includeBackground: false)
        expectValues(
            try summed(
                tensor([[[1, 1], [0, 0]], [[1, 0], [0, 1]]]),
                tensor([[[1, 1], [0, 0]], [[1, 1], [0, 0]]])
            ),
            [1, 0],
            shape: [2, 1]
        )
        expectValues(try summed.aggregate(), [0.5], shape: [1])
    }

    @Test func lossUsesVolumeWeightsAndSmoothing() throws {
        let loss = try GeneralizedDiceLoss(reduction: .none).evaluate(prediction, reference)
        let (w0, w1) = (1.0 / 9, 1.0)
        let expected = 1 - (2 * (2 * w0 + 1 * w1) + 1e-5) / ((5 * w0 + 3 * w1) + 1e-5)
        expectValues(loss.unreduced, [Float(expected)], shape: [1, 1], relative: 1e-6)
        #expect(loss.reduced.shape == [1, 1, 1])
    }

    @Test func lossGivesAnEmptyClassTheLargestFiniteWeight() throws {
        // Class 1 is empty in the reference: its weight becomes class 0's 1/4.
        let loss = try GeneralizedDiceLoss(reduction: .none).evaluate(
            tensor([[[1, 1, 0, 0], [0, 0, 1, 1]]]),
            tensor([[[1, 1, 1, 1], [0, 0, 0, 0]]])
        )
        let w = 1.0 / 16
        let expected = 1 - (2 * (2 * w) + 1e-5) / ((6 * w + 2 * w) + 1e-5)
        expectValues(loss.unreduced, [Float(expected)], shape: [1, 1], relative: 1e-6)
    }

    @Test func lossIsZeroWhenEveryReferenceClassIsEmpty() throws {
        let loss = try GeneralizedDiceLoss(includeBackground: false, batch: true)(
            tensor([[[0.5, 0.5], [0.5, 0.5]]]),
            tensor([[[1, 1], [0, 0]]])
        )
        expectValues(loss, [0], shape: [])
    }

    @Test func lossWithBatchPoolsVolumes() throws {
        let input = tensor([[[1, 0], [0, 1]], [[1, 1], [0, 0]]])
        let target = tensor([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
        let output = try GeneralizedDiceLoss(wType: .simple, batch: true).evaluate(input, target)
        // Pooled: class 0 I = 2, Σg = 2, Σp = 3; class 1 I = 1, Σg = 2, Σp = 1; w = 1/2 each.
        let expected = 1 - (2 * (0.5 * 2 + 0.5 * 1) + 1e-5) / ((0.5 * 5 + 0.5 * 3) + 1e-5)
        expectValues(output.unreduced, [Float(expected)], shape: [1], relative: 1e-6)
    }
}
