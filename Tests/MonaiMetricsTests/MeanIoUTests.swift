import MonaiMetrics
import Testing

@Suite struct MeanIoUTests {
    @Test func intersectionOverUnionPerClass() throws {
        var iou = MeanIoU(reduction: .none)
        let raw = try iou(tensor([[[1, 1, 0, 0], [0, 0, 1, 1]]]), tensor([[[1, 1, 1, 0], [0, 0, 0, 1]]]))
        expectValues(raw, [Float(2) / 3, Float(1) / 2], shape: [1, 2])
    }

    @Test func valuesAreNotBinarised() throws {
        var iou = MeanIoU(includeBackground: false, reduction: .none)
        let raw = try iou(tensor([[[0.5, 0.5], [0.5, 0.5]]]), tensor([[[0, 1], [1, 0]]]))
        // I = 0.5, U = 1 + 1 − 0.5.
        expectValues(raw, [0.5 / 1.5], shape: [1, 1], relative: 1e-6)
    }

    @Test func emptyReferenceIsNaNOrOne() throws {
        let prediction = tensor([[[1, 1], [0, 0]], [[1, 0], [0, 1]]])
        let reference = tensor([[[1, 1], [0, 0]], [[1, 1], [0, 0]]])
        var ignoring = MeanIoU(includeBackground: false, reduction: .none)
        expectValues(try ignoring(prediction, reference), [.nan, .nan], shape: [2, 1])
        var counting = MeanIoU(includeBackground: false, reduction: .none, ignoreEmpty: false)
        expectValues(try counting(prediction, reference), [1, 0], shape: [2, 1])
        #expect(try ignoring.aggregate(reduction: .mean).value.scalars == [0])
    }

    @Test func requiresEqualChannelsUnlessOneHotEncoding() throws {
        var iou = MeanIoU(reduction: .none)
        #expect(throws: MonaiError.self) { try iou(tensor([[[1, 0], [0, 1]]]), tensor([[[0, 1]]])) }
        var encoding = MeanIoU(reduction: .none, toOnehotY: true)
        expectValues(try encoding(tensor([[[1, 0], [0, 1]]]), tensor([[[0, 1]]])), [1, 1], shape: [1, 2])
    }
}
