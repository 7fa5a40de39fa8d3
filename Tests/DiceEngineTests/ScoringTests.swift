import DiceEngine
import NiftiIO
import Testing

@Suite struct ScoringTests {
    @Test func diceAndFriendsFollowTheirDefinitions() {
        let s = OverlapScores(label: 1, tp: 30, fp: 10, fn: 20, tn: 940, ignoreEmpty: true)
        #expect(s.dice == 60.0 / 90.0)
        #expect(s.iou == 30.0 / 60.0)
        #expect(s.precision == 30.0 / 40.0)
        #expect(s.recall == 30.0 / 50.0)
        #expect(s.predictionVoxels == 40 && s.referenceVoxels == 50)
    }

    @Test func emptyReferenceFollowsMonaiIgnoreEmpty() {
        let absentBoth = OverlapScores(label: 3, tp: 0, fp: 0, fn: 0, tn: 100, ignoreEmpty: true)
        let onlyPredicted = OverlapScores(label: 3, tp: 0, fp: 5, fn: 0, tn: 95, ignoreEmpty: true)
        #expect(absentBoth.dice == nil && absentBoth.iou == nil)
        #expect(onlyPredicted.dice == nil && onlyPredicted.precision == 0 && onlyPredicted.recall == nil)

        let bothEmptyCounted = OverlapScores(label: 3, tp: 0, fp: 0, fn: 0, tn: 100, ignoreEmpty: false)
        let falsePositiveCounted = OverlapScores(label: 3, tp: 0, fp: 5, fn: 0, tn: 95, ignoreEmpty: false)
        #expect(bothEmptyCounted.dice == 1 && bothEmptyCounted.iou == 1)
        #expect(falsePositiveCounted.dice == 0 && falsePositiveCounted.iou == 0)
    }

    @Test func missedStructureScoresZero() {
        let missed = OverlapScores(label: 2, tp: 0, fp: 0, fn: 7, tn: 93, ignoreEmpty: true)
        #expect(missed.dice == 0 && missed.recall == 0 && missed.precision == nil)
    }

    @Test func labelSelectionDefaultsToForegroundFound() {
        let present: [Int64] = [0, 2, 5]
        #expect(LabelSelection().labels(present: present) == [2, 5])
        #expect(LabelSelection(includeBackground: true).labels(present: present) == [0, 2, 5])
        #expect(LabelSelection(labels: [5, 9]).labels(present: present) == [5, 9])
        #expect(LabelSelection(labels: [0, 5]).labels(present: present) == [0, 5])
    }

    @Test func scoresComeFromTheConfusionAndMeanSkipsNull() {
        typealias Pair = LabelConfusion.Pair
        let confusion = LabelConfusion(
            voxelCount: 100,
            counts: [
                Pair(prediction: 0, reference: 0): 80, Pair(prediction: 1, reference: 1): 8,
                Pair(prediction: 1, reference: 0): 2, Pair(prediction: 0, reference: 1): 4,
                Pair(prediction: 2, reference: 1): 2, Pair(prediction: 7, reference: 0): 4,
            ])
        let scores = confusion.scores(selection: LabelSelection(labels: [1, 2, 7, 9]), rule: .ignore)
        #expect(scores.map(\.label) == [1, 2, 7, 9])
        #expect(scores[0].tp == 8 && scores[0].fp == 2 && scores[0].fn == 6 && scores[0].tn == 84)
        #expect(scores[1].dice == nil && scores[1].fp == 2)
        #expect(scores[3].tp == 0 && scores[3].tn == 100 && scores[3].dice == nil)
        #expect(scores.meanDice == 16.0 / 24.0)
    }
}

@Suite struct GridCheckTests {
    static func header(affine: [[Double]], shape: [Int] = [10, 12, 8]) throws -> NiftiHeader {
        var bytes = [UInt8](repeating: 0, count: 352)
        func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
        }
        put(Int32(348), 0)
        put(Int16(3), 40)
        for (i, n) in shape.enumerated() { put(Int16(n), 42 + 2 * i) }
        put(Int16(2), 70)
        put(Int16(8), 72)
        put(Float(352).bitPattern, 108)
        put(Int16(1), 254)
        for row in 0..<3 {
            for column in 0..<4 { put(Float(affine[row][column]).bitPattern, 280 + 16 * row + 4 * column) }
        }
        bytes[344] = 0x6E
        bytes[345] = 0x2B
        bytes[346] = 0x31
        return try bytes.withUnsafeBytes { raw throws(NiftiError) in try NiftiHeader(parsing: raw, path: "mem") }
    }

    static let ras: [[Double]] = [[2, 0, 0, -90], [0, 2, 0, -126], [0, 0, 2, -72]]

    @Test func sameGridWithinToleranceAgrees() throws {
        var nudged = Self.ras
        nudged[0][3] += 2e-5
        let check = GridCheck(prediction: try Self.header(affine: Self.ras), reference: try Self.header(affine: nudged))
        #expect(check.mismatch == nil)
    }

    @Test func mirroredStorageOfTheSameShapeIsADifferentGrid() throws {
        let las: [[Double]] = [[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72]]
        let check = GridCheck(prediction: try Self.header(affine: las), reference: try Self.header(affine: Self.ras))
        #expect(check.sameShape)
        #expect(check.mismatch?.contains("prediction LAS from sform, reference RAS from sform") == true)
        #expect(check.maxAffineDifference == 180)
    }

    @Test func differentShapesAreReportedFirst() throws {
        let check = GridCheck(
            prediction: try Self.header(affine: Self.ras, shape: [10, 12, 8]),
            reference: try Self.header(affine: Self.ras, shape: [10, 12, 9]))
        #expect(!check.sameShape)
        #expect(check.mismatch == "shape 10×12×8 vs 10×12×9")
    }
}
