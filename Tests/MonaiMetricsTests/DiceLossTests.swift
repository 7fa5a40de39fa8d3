import MonaiMetrics
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct DiceLossTests {
    let nr = 1e-5
    let dr = 1e-5
    /// Probabilities 0.75/0.25 against a one-hot target: per class Σpg = 0.75, Σp = 1, Σg = 1, Σp² = 0.625.
    let probabilities = tensor([[[0.75, 0.25], [0.25, 0.75]]])
    let oneHotTarget = tensor([[[1, 0], [0, 1]]])

    func dice(_ intersection: Double, _ denominator: Double) -> Float {
        Float(1 - (2 * intersection + nr) / (denominator + dr))
    }

    @Test func defaultIsSoftDicePerItemAndClass() throws {
        let output = try DiceLoss(reduction: .none).evaluate(probabilities, oneHotTarget)
        expectValues(output.unreduced, [dice(0.75, 2), dice(0.75, 2)], shape: [1, 2], relative: 1e-6)
        #expect(output.reduced.shape == [1, 2, 1])
    }

    @Test func jaccardDoublesTheUnion() throws {
        let loss = try DiceLoss(jaccard: true)(probabilities, oneHotTarget)
        expectValues(loss, [dice(0.75, 2 * (2 - 0.75))], shape: [], relative: 1e-6)
    }

    @Test func squaredPredSquaresBothSides() throws {
        let loss = try DiceLoss(squaredPred: true)(probabilities, oneHotTarget)
        expectValues(loss, [dice(0.75, 0.625 + 1)], shape: [], relative: 1e-6)
    }

    @Test func softmaxOverChannelsAndOneHotTarget() throws {
        let logits = tensor([[[logf(3), 0], [0, logf(3)]]])
        let loss = try DiceLoss(toOnehotY: true, softmax: true)(logits, tensor([[[0, 1]]]))
        expectValues(loss, [dice(0.75, 2)], shape: [], relative: 1e-6)
    }

    @Test func sigmoidOfZeroIsOneHalf() throws {
        let loss = try DiceLoss(sigmoid: true, reduction: .sum)(tensor([[[0, 0], [0, 0]]]), oneHotTarget)
        expectValues(loss, [2 * dice(0.5, 2)], shape: [], relative: 1e-6)
    }

    @Test func withoutBackgroundDropsChannelZero() throws {
        let output = try DiceLoss(includeBackground: false, reduction: .none).evaluate(probabilities, oneHotTarget)
        expectValues(output.unreduced, [dice(0.75, 2)], shape: [1, 1], relative: 1e-6)
    }

    @Test func batchPoolsTheSumsOverItems() throws {
        let input = tensor([[[1, 0], [0, 1]], [[0.5, 0.5], [0.5, 0.5]]])
        let target = tensor([[[1, 0], [0, 1]], [[1, 1], [0, 0]]])
        let output = try DiceLoss(reduction: .none, batch: true).evaluate(input, target)
        // Class 0: Σpg = 1 + 1, Σp + Σg = (1 + 1) + (1 + 2); class 1: Σpg = 1, Σp + Σg = (1 + 1) + (1 + 0).
        expectValues(output.unreduced, [dice(2, 5), dice(1, 3)], shape: [2], relative: 1e-6)
        #expect(output.reduced.shape == [2, 1])
    }

    @Test func weightsScaleWithoutRenormalising() throws {
        let input = tensor([[[1, 0], [0, 1]], [[0.5, 0.5], [0.5, 0.5]]])
        let target = tensor([[[1, 0], [0, 1]], [[1, 1], [0, 0]]])
        let plain = try DiceLoss(reduction: .none).evaluate(input, target).unreduced.scalars
        let weighted = try DiceLoss(reduction: .none, weight: [0.2, 3]).evaluate(input, target).unreduced
        expectValues(
            weighted,
            [plain[0] * 0.2, plain[1] * 3, plain[2] * 0.2, plain[3] * 3],
            shape: [2, 2],
            relative: 1e-6
        )
        let mean = try DiceLoss(weight: [0.2, 3])(input, target)
        expectValues(mean, [weighted.scalars.reduce(0, +) / 4], shape: [], relative: 1e-6)
        let scalar = try DiceLoss(reduction: .none, weight: [2]).evaluate(input, target).unreduced
        expectValues(scalar, plain.map { 2 * $0 }, shape: [2, 2], relative: 1e-6)
    }

    @Test func emptyTargetGivesZeroOrAlmostOne() throws {
        let output = try DiceLoss(reduction: .none).evaluate(
            tensor([[[0, 0], [0, 0.5]]]),
            tensor([[[0, 0], [0, 0]]])
        )
        expectValues(output.unreduced, [0, Float(1 - nr / (0.5 + dr))], shape: [1, 2], relative: 1e-6)
    }

    @Test func oneChannelIgnoresSoftmaxOneHotAndBackground() throws {
        let input = tensor([[[2, 0.5]]])
        let target = tensor([[[1, 0]]])
        let loss = try DiceLoss(includeBackground: false, toOnehotY: true, softmax: true, reduction: .none)
            .evaluate(input, target)
        // The raw values enter: Σpg = 2, Σp + Σg = 2.5 + 1; a value below 0 is possible and is MONAI's answer.
        expectValues(loss.unreduced, [dice(2, 3.5)], shape: [1, 1], relative: 1e-6)
    }

    @Test func rejectsInvalidOptions() throws {
        #expect(throws: MonaiError.self) { try DiceLoss(sigmoid: true, softmax: true) }
        #expect(throws: MonaiError.self) { try DiceLoss(weight: [1, -1]) }
        #expect(throws: MonaiError.self) { try DiceLoss(weight: [1, 2, 3])(probabilities, oneHotTarget) }
    }

    @Test func rejectsALabelMapTargetWithoutOneHot() throws {
        #expect(throws: MonaiError.self) { try DiceLoss()(probabilities, tensor([[[0, 1]]])) }
    }

    @Test func rejectsLabelsOutsideTheClasses() throws {
        #expect(throws: MonaiError.labelOutOfRange(value: 2, classCount: 2, path: nil)) {
            try DiceLoss(toOnehotY: true)(probabilities, tensor([[[0, 2]]]))
        }
    }
}
