import MonaiMetrics
import Testing

@Suite struct DiceMetricTests {
    /// Dice from counts, computed the way the metric must: Float(2·I) / Float(|G| + |P|).
    func dice(intersection: Int, reference: Int, prediction: Int) -> Float {
        Float(2 * intersection) / Float(reference + prediction)
    }

    @Test func multiChannelPredictionIsBinarisedAsNonZero() throws {
        // Channel 0 is foreground wherever it is non-zero (0.9, 0.1, −0.4): P = [1, 1, 0, 1].
        var metric = try DiceMetric(reduction: .none)
        let scores = try metric(
            tensor([[[0.9, 0.1, 0.0, -0.4], [0.1, 0.9, 1.0, 0.6]]]),
            tensor([[[1, 0, 1, 0], [0, 1, 0, 1]]])
        )
        // Class 0: I = 1, |G| = 2, |P| = 3. Class 1: P everywhere, I = 2, |G| = 2, |P| = 4.
        expectValues(
            scores,
            [dice(intersection: 1, reference: 2, prediction: 3), dice(intersection: 2, reference: 2, prediction: 4)],
            shape: [1, 2]
        )
        #expect(scores.scalars[0] == 0.4)
    }

    @Test func softMatchesMonaiBefore1_2() throws {
        var metric = try DiceMetric(reduction: .none, soft: true)
        let scores = try metric(
            tensor([[[0.9, 0.1, 0.0, 0.4], [0.1, 0.9, 1.0, 0.6]]]),
            tensor([[[1, 0, 1, 0], [0, 1, 0, 1]]])
        )
        // 2·Σpg / (Σp + Σg): class 0 → 2·0.9 / (1.4 + 2), class 1 → 2·1.5 / (2.6 + 2).
        expectValues(scores, [1.8 / 3.4, 3.0 / 4.6], shape: [1, 2], relative: 1e-6)
    }

    @Test func oneChannelProbabilityCountsOnlyExactOnes() throws {
        var metric = try DiceMetric(reduction: .none)
        let scores = try metric(tensor([[[0.2, 0.9, 1.0, 0.7]]]), tensor([[[0, 1, 1, 1]]]))
        expectValues(scores, [dice(intersection: 1, reference: 3, prediction: 1)], shape: [1, 1])
        #expect(scores.scalars[0] == 0.5)
    }

    @Test(arguments: [true, false])
    func labelMapsWithoutNumClassesScoreOnlyLabelOne(includeBackground: Bool) throws {
        var metric = try DiceMetric(includeBackground: includeBackground, reduction: .none)
        let scores = try metric(tensor([[[0, 1, 2, 2, 1]]]), tensor([[[0, 1, 1, 2, 2]]]))
        expectValues(scores, [dice(intersection: 1, reference: 2, prediction: 2)], shape: [1, 1])
    }

    @Test func numClassesScoresEveryLabelOfLabelMaps() throws {
        var metric = try DiceMetric(reduction: .none, numClasses: 3)
        let scores = try metric(tensor([[[0, 1, 2, 2, 1]]]), tensor([[[0, 1, 1, 2, 2]]]))
        expectValues(
            scores,
            [
                dice(intersection: 1, reference: 1, prediction: 1), dice(intersection: 1, reference: 2, prediction: 2),
                dice(intersection: 1, reference: 2, prediction: 2),
            ],
            shape: [1, 3]
        )
        var withoutBackground = try DiceMetric(includeBackground: false, reduction: .none, numClasses: 3)
        let scored = try withoutBackground(tensor([[[0, 1, 2, 2, 1]]]), tensor([[[0, 1, 1, 2, 2]]]))
        #expect(scored.shape == [1, 2])
        #expect(scored.scalars == Array(scores.scalars.dropFirst()))
    }

    @Test func oneHotReferenceIsUsedAsNumbers() throws {
        // A label-map prediction against a reference whose class-1 channel holds 2 where it is set.
        var metric = try DiceMetric(includeBackground: false, reduction: .none, numClasses: 2)
        let scores = try metric(tensor([[[1, 1, 0]]]), tensor([[[0, 0, 1], [2, 0, 0]]]))
        // I = Σ G over P = 2, Σ G = 2, |P| = 2.
        expectValues(scores, [1], shape: [1, 1])
    }

    /// Rows: reference empty & prediction empty, reference empty & prediction set, reference set &
    /// prediction empty; the expected score with ignoreEmpty on and off.
    @Test(arguments: [
        ([Float]([0, 0]), [Float]([0, 0]), Float.nan, Float(1)),
        ([0, 0], [1, 0], .nan, 0),
        ([1, 0], [0, 0], 0, 0),
    ])
    func emptyRules(reference: [Float], prediction: [Float], ignoring: Float, counting: Float) throws {
        let prediction = tensor([[prediction.map { 1 - $0 }, prediction]])
        let reference = tensor([[reference.map { 1 - $0 }, reference]])
        var ignore = try DiceMetric(includeBackground: false, reduction: .none)
        var keep = try DiceMetric(includeBackground: false, reduction: .none, ignoreEmpty: false)
        expectValues(try ignore(prediction, reference), [ignoring], shape: [1, 1])
        expectValues(try keep(prediction, reference), [counting], shape: [1, 1])
    }

    @Test func allEmptyAggregatesToZeroWithNoValidRows() throws {
        var metric = try DiceMetric(includeBackground: false)
        try metric(tensor([[[1, 1], [0, 0]]]), tensor([[[1, 1], [0, 0]]]))
        let result = try metric.aggregate()
        #expect(result.value.scalars == [0])
        #expect(result.notNans.scalars == [0])
    }

    @Test func callsAccumulateUntilReset() throws {
        var metric = try DiceMetric(reduction: .meanBatch)
        try metric(tensor([[[1, 0], [0, 1]]]), tensor([[[1, 0], [0, 1]]]))
        try metric(
            tensor([[[1, 1, 0], [0, 0, 1]], [[0, 0, 0], [1, 1, 1]]]),
            tensor([[[1, 0, 0], [0, 1, 1]], [[0, 0, 0], [1, 1, 1]]])
        )
        #expect(metric.buffer?.shape == [3, 2])
        // Column 0: 1, 2/3, NaN; column 1: 1, 2/3, 1.
        let byClass = try metric.aggregate()
        expectValues(byClass.value, [(1 + Float(2) / 3) / 2, (1 + Float(2) / 3 + 1) / 3], shape: [2])
        expectValues(byClass.notNans, [2, 3], shape: [2])
        let overall = try metric.aggregate(reduction: .sum)
        expectValues(overall.value, [1 + 1 + Float(2) / 3 + Float(2) / 3 + 1], shape: [], relative: 1e-7)
        metric.reset()
        #expect(metric.buffer == nil)
        #expect(throws: MonaiError.noData) { try metric.aggregate() }
    }

    @Test func rejectsMismatchedSpatialShapes() throws {
        var metric = try DiceMetric()
        #expect(throws: MonaiError.spatialShapeMismatch(prediction: [3], reference: [2], path: nil)) {
            try metric(tensor([[[1, 0, 1]]]), tensor([[[1, 0]]]))
        }
    }

    @Test func rejectsAClassTheReferenceLacks() throws {
        var metric = try DiceMetric(numClasses: 3)
        #expect(throws: MonaiError.self) {
            try metric(tensor([[[1, 0], [0, 1], [0, 0]]]), tensor([[[1, 0], [0, 1]]]))
        }
    }

    /// A class count no label map has (one pass over the voxels each) is refused up front, not attempted.
    @Test func absurdClassCountsAreRefused() throws {
        #expect(throws: MonaiError.self) { _ = try DiceMetric(numClasses: 100_000_000) }
        #expect(throws: MonaiError.self) { _ = try DiceMetric(numClasses: 0) }
        _ = try DiceMetric(numClasses: DiceMetric.maximumClasses)
    }
}
