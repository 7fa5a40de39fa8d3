import MonaiMetrics
import Testing

@Suite struct MetricReductionTests {
    /// The semantics document's example: rows [1, NaN] and [0.6667, 0.8].
    let scores = Tensor(shape: [2, 2], scalars: [1, .nan, 0.6667, 0.8])

    @Test func noneKeepsNaNAndMarksIt() {
        let result = MetricReduction.none.reduce(scores)
        expectValues(result.value, [1, .nan, 0.6667, 0.8], shape: [2, 2])
        expectValues(result.notNans, [1, 0, 1, 1], shape: [2, 2])
    }

    @Test func meanIsTwoStageNotFlat() {
        let result = MetricReduction.mean.reduce(scores)
        let secondRow: Float = (0.6667 + 0.8) / 2
        expectValues(result.value, [(1 + secondRow) / 2], shape: [1])
        expectValues(result.notNans, [2], shape: [])
        #expect(result.value.scalars[0] != (1 + 0.6667 + 0.8) / 3)
    }

    @Test func sumCountsNaNAsZero() {
        let result = MetricReduction.sum.reduce(scores)
        expectValues(result.value, [1 + 0.6667 + 0.8], shape: [])
        expectValues(result.notNans, [3], shape: [])
    }

    @Test func batchReductionsWorkPerClass() {
        let mean = MetricReduction.meanBatch.reduce(scores)
        expectValues(mean.value, [(1 + 0.6667) / 2, 0.8], shape: [2])
        expectValues(mean.notNans, [2, 1], shape: [2])
        let sum = MetricReduction.sumBatch.reduce(scores)
        expectValues(sum.value, [1 + 0.6667, 0.8], shape: [2])
        expectValues(sum.notNans, [2, 1], shape: [2])
    }

    @Test func channelReductionsWorkPerRow() {
        let mean = MetricReduction.meanChannel.reduce(scores)
        expectValues(mean.value, [1, (0.6667 + 0.8) / 2], shape: [2])
        expectValues(mean.notNans, [1, 2], shape: [2])
        let sum = MetricReduction.sumChannel.reduce(scores)
        expectValues(sum.value, [1, 0.6667 + 0.8], shape: [2])
        expectValues(sum.notNans, [1, 2], shape: [2])
    }

    @Test(arguments: [MetricReduction.mean, .meanBatch, .meanChannel])
    func meanOverNothingIsZeroNotNaN(_ reduction: MetricReduction) {
        let result = reduction.reduce(Tensor(shape: [2, 2], repeating: .nan))
        #expect(result.value.scalars.allSatisfy { $0 == 0 })
        #expect(result.notNans.scalars.allSatisfy { $0 == 0 })
    }

    @Test func infinityIsNotFiltered() {
        let result = MetricReduction.mean.reduce(Tensor(shape: [1, 2], scalars: [.infinity, 1]))
        #expect(result.value.scalars == [.infinity])
    }
}
