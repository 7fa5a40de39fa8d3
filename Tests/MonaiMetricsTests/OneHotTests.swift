import MonaiMetrics
import Testing

@Suite struct OneHotTests {
    @Test func encodesTruncatedLabelsAsChannels() throws {
        let encoded = try oneHot(tensor([[[0, 2, 1.7, -0.5]]]), numClasses: 3)
        expectValues(encoded, [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0], shape: [1, 3, 4])
    }

    @Test(arguments: [Float(3), -1, .nan])
    func rejectsLabelsThatIndexNoClass(_ label: Float) {
        #expect(throws: MonaiError.self) { try oneHot(tensor([[[0, label]]]), numClasses: 3) }
    }

    @Test func needsOneChannel() {
        #expect(throws: MonaiError.self) { try oneHot(tensor([[[0, 1], [1, 0]]]), numClasses: 2) }
    }
}
