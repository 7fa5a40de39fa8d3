import DiceEngine
import Foundation
import NiftiIO
import TestSupport
import Testing

/// The engine against a naive per-voxel oracle: the test keeps the label values it wrote and counts pairs one
/// voxel at a time, so every kernel (byte run-skip, lookup, hash, dense and sparse histograms) is checked.
@Suite struct EvaluatorTests {
    static let shape = [23, 17, 9]
    static var voxelCount: Int { shape.reduce(1, *) }

    /// Label values (stored) per datatype, including each type's extremes.
    static func labelSet(_ type: NiftiDataType) -> [Int64] {
        switch type {
        case .uint8: [0, 1, 7, 255]
        case .int8: [0, -128, 5, 127]
        case .uint16: [0, 1, 300, 65535]
        case .int16: [0, -32768, 1205, 32767]
        case .uint32: [0, 1, 70000, 4_294_967_295]
        case .int32: [0, -2_147_483_648, 12, 2_147_483_647]
        case .uint64: [0, 1, (1 << 62) + 1, Int64.max]
        case .int64: [0, Int64.min + 1, (1 << 53) + 1, -7]
        case .float32: [0, 3, -2, 16_777_216]
        case .float64: [0, 9, -5, 1 << 53]
        default: []
        }
    }

    static let labelTypes: [NiftiDataType] = [
        .uint8, .int8, .uint16, .int16, .uint32, .int32, .uint64, .int64, .float32, .float64,
    ]

    enum Pattern: CaseIterable { case random, runs }

    /// A reference volume and a prediction that disagrees with it: scattered (random) or in runs broken at
    /// arbitrary offsets (runs), which exercises both the run-skip path and its fallback.
    static func volumes(_ labels: [Int64], _ pattern: Pattern, seed: UInt64) -> (
        prediction: [Int64], reference: [Int64]
    ) {
        var rng = SplitMix64(seed: seed)
        var reference = [Int64]()
        var prediction = [Int64]()
        switch pattern {
        case .random:
            for _ in 0..<voxelCount {
                let r = labels[Int.random(in: labels.indices, using: &rng)]
                reference.append(r)
                prediction.append(
                    Int.random(in: 0..<10, using: &rng) == 0 ? labels[Int.random(in: labels.indices, using: &rng)] : r)
            }
        case .runs:
            while reference.count < voxelCount {
                let label = labels[Int.random(in: labels.indices, using: &rng)]
                reference += Array(repeating: label, count: Int.random(in: 1...40, using: &rng))
            }
            reference.removeLast(reference.count - voxelCount)
            var i = 0
            while i < voxelCount {
                let length = Int.random(in: 1...50, using: &rng)
                let shift = Int.random(in: -3...3, using: &rng)
                for k in i..<min(i + length, voxelCount) {
                    prediction.append(reference[min(max(k + shift, 0), voxelCount - 1)])
                }
                i += length
            }
        }
        return (prediction, reference)
    }

    static func oracle(_ prediction: [Int64], _ reference: [Int64], map: (Int64) -> Int64 = { $0 })
        -> [LabelConfusion.Pair: Int]
    {
        var counts: [LabelConfusion.Pair: Int] = [:]
        for (p, r) in zip(prediction, reference) {
            counts[LabelConfusion.Pair(prediction: map(p), reference: map(r)), default: 0] += 1
        }
        return counts
    }

    @Test(arguments: labelTypes, [ByteOrder.little, .big])
    func confusionMatchesNaiveCountsForEveryDatatype(type: NiftiDataType, byteOrder: ByteOrder) throws {
        let directory = TemporaryDirectory()
        for pattern in Pattern.allCases {
            let (prediction, reference) = Self.volumes(Self.labelSet(type), pattern, seed: UInt64(type.rawValue))
            let fixture = NiftiFixture(shape: Self.shape, dataType: type, byteOrder: byteOrder)
            let expected = Self.oracle(prediction, reference)
            for gzip in [false, true] {
                let p = directory.file("p-\(pattern)-\(gzip).nii" + (gzip ? ".gz" : ""))
                let r = directory.file("r-\(pattern)-\(gzip).nii" + (gzip ? ".gz" : ""))
                try fixture.write(prediction, to: p, gzip: gzip)
                try fixture.write(reference, to: r, gzip: gzip)
                // Decoder threads or the caller's thread: the same counts either way.
                for slab in [1, 23 * 17 * 2, Self.voxelCount] {
                    for concurrent in [true, false] {
                        let confusion = try Evaluator.confusion(
                            prediction: NiftiFile(path: p), reference: NiftiFile(path: r), slab: SlabSize(voxels: slab),
                            concurrent: concurrent)
                        #expect(
                            confusion.counts == expected,
                            "\(type) \(byteOrder) \(pattern) gzip \(gzip) slab \(slab) concurrent \(concurrent)")
                        #expect(confusion.voxelCount == Self.voxelCount)
                    }
                }
            }
        }
    }

    /// A stream that fails part-way (a `.nii.gz` cut in its middle, on either side) ends the pass with its error,
    /// on the two workers and on one thread alike, whichever slab the other image has reached: nothing hangs and
    /// no count is returned.
    @Test(arguments: [NiftiDataType.uint8, .int16], [true, false])
    func aStreamFailingPartWayEndsThePass(type: NiftiDataType, concurrent: Bool) throws {
        let directory = TemporaryDirectory()
        let shape = [64, 48, 40]
        let count = shape.reduce(1, *)
        var rng = SplitMix64(seed: 41)
        let values = (0..<count).map { _ in Self.labelSet(type)[Int.random(in: 0..<4, using: &rng)] }
        let fixture = NiftiFixture(shape: shape, dataType: type)
        let whole = directory.file("whole.nii.gz")
        let cut = directory.file("cut.nii.gz")
        try fixture.write(values, to: whole, gzip: true)
        let bytes = try #require(FileManager.default.contents(atPath: whole))
        #expect(FileManager.default.createFile(atPath: cut, contents: bytes.prefix(bytes.count / 2)))
        for (p, r) in [(cut, whole), (whole, cut)] {
            for slices in [1, 3] {
                #expect(throws: EvaluationError.self, "\(p) \(slices) slices") {
                    try Evaluator.confusion(
                        prediction: NiftiFile(path: p), reference: NiftiFile(path: r),
                        slab: SlabSize(voxels: slices * 64 * 48), concurrent: concurrent)
                }
            }
        }
    }

    /// The 8-byte run skip and the run scanner must not miss a boundary wherever it falls in a word: a label
    /// change at every offset from 0 to 17, on each side, for every width.
    @Test(arguments: [NiftiDataType.uint8, .int16, .int32, .float64])
    func runBoundariesAtEveryOffsetAreCounted(type: NiftiDataType) throws {
        let directory = TemporaryDirectory()
        let fixture = NiftiFixture(shape: [8, 4, 2], dataType: type, byteOrder: .big)
        for offset in 0..<40 {  // boundaries in every word of the 32-byte steps, for every width
            let reference = (0..<64).map { Int64($0 < offset ? 1 : 2) }
            let prediction = (0..<64).map { Int64($0 < offset + 1 ? 1 : ($0 % 9 == 0 ? 2 : 3)) }
            let p = directory.file("p\(offset).nii")
            try fixture.write(prediction, to: p)
            // An uncompressed pair also takes the two-thread byte counting, which splits slabs mid-word.
            for gzip in [false, true] {
                let r = directory.file("r\(offset).nii" + (gzip ? ".gz" : ""))
                try fixture.write(reference, to: r, gzip: gzip)
                for slab in [8, 64] {
                    let confusion = try Evaluator.confusion(
                        prediction: NiftiFile(path: p), reference: NiftiFile(path: r), slab: SlabSize(voxels: slab))
                    #expect(
                        confusion.counts == Self.oracle(prediction, reference),
                        "\(type) offset \(offset) slab \(slab) gzip \(gzip)")
                }
            }
        }
    }

    @Test func mixedDatatypesMeetOnLabelValues() throws {
        let directory = TemporaryDirectory()
        let labels: [Int64] = [0, 1, 2, 200]
        let (prediction, reference) = Self.volumes(labels, .runs, seed: 7)
        let expected = Self.oracle(prediction, reference)
        let pairs: [(NiftiDataType, NiftiDataType)] = [(.uint8, .int32), (.float64, .uint8), (.int16, .uint64)]
        for (predictionType, referenceType) in pairs {
            let p = directory.file("p-\(predictionType).nii")
            let r = directory.file("r-\(referenceType).nii.gz")
            try NiftiFixture(shape: Self.shape, dataType: predictionType).write(prediction, to: p)
            try NiftiFixture(shape: Self.shape, dataType: referenceType, byteOrder: .big)
                .write(reference, to: r, gzip: true)
            let confusion = try Evaluator.confusion(prediction: NiftiFile(path: p), reference: NiftiFile(path: r))
            #expect(confusion.counts == expected, "\(predictionType) vs \(referenceType)")
        }
    }

    @Test func scalingTurnsStoredValuesIntoLabels() throws {
        let directory = TemporaryDirectory()
        let (prediction, reference) = Self.volumes([0, 1, 3], .random, seed: 11)
        var fixture = NiftiFixture(shape: Self.shape, dataType: .int16)
        fixture.slope = 2
        fixture.intercept = 10
        let p = directory.file("p.nii")
        let r = directory.file("r.nii")
        try fixture.write(prediction, to: p)
        try fixture.write(reference, to: r)
        let confusion = try Evaluator.confusion(prediction: NiftiFile(path: p), reference: NiftiFile(path: r))
        #expect(confusion.counts == Self.oracle(prediction, reference) { 2 * $0 + 10 })
        #expect(confusion.labels == [10, 12, 16])
    }

    /// 1 500 labels: 2 048 × 2 048 codes exceed the dense table, so the sparse hash path is used.
    @Test func manyLabelsUseTheSparseHistogram() throws {
        let directory = TemporaryDirectory()
        let labels = (0..<1500).map { Int64($0 * 1000) }
        let (prediction, reference) = Self.volumes(labels, .random, seed: 3)
        let p = directory.file("p.nii.gz")
        let r = directory.file("r.nii")
        try NiftiFixture(shape: Self.shape, dataType: .int32).write(prediction, to: p, gzip: true)
        try NiftiFixture(shape: Self.shape, dataType: .int32).write(reference, to: r)
        for slab in [391, Self.voxelCount] {
            let confusion = try Evaluator.confusion(
                prediction: NiftiFile(path: p), reference: NiftiFile(path: r), slab: SlabSize(voxels: slab))
            #expect(confusion.counts == Self.oracle(prediction, reference))
        }
    }

    @Test func negativeZeroIsBackground() throws {
        let directory = TemporaryDirectory()
        var values = [Double](repeating: 0, count: Self.voxelCount)
        for i in stride(from: 0, to: values.count, by: 3) { values[i] = -0.0 }
        for i in stride(from: 1, to: values.count, by: 5) { values[i] = 4 }
        let path = directory.file("f.nii")
        try NiftiFixture(shape: Self.shape, dataType: .float32).write(floats: values, to: path)
        let counts = try Evaluator.labelCounts(of: NiftiFile(path: path))
        let fours = values.filter { $0 == 4 }.count
        #expect(counts.map(\.label) == [0, 4])
        #expect(counts.map(\.voxels) == [Self.voxelCount - fours, fours])
    }

    @Test func labelCountsMatchNaiveCounts() throws {
        let directory = TemporaryDirectory()
        for type in Self.labelTypes {
            let (_, reference) = Self.volumes(Self.labelSet(type), .runs, seed: 5)
            let path = directory.file("\(type).nii.gz")
            try NiftiFixture(shape: Self.shape, dataType: type, byteOrder: .big).write(reference, to: path, gzip: true)
            let counts = try Evaluator.labelCounts(of: NiftiFile(path: path), slab: SlabSize(voxels: 391))
            var expected: [Int64: Int] = [:]
            for value in reference { expected[value, default: 0] += 1 }
            #expect(counts.map(\.label) == expected.keys.sorted(), "\(type)")
            #expect(counts.map(\.voxels) == expected.keys.sorted().map { expected[$0]! }, "\(type)")
        }
    }

    @Test func softAndNaNFloatMapsAreRefused() throws {
        let directory = TemporaryDirectory()
        var soft = [Double](repeating: 0, count: Self.voxelCount)
        soft[5] = 0.25
        soft[6] = 1
        var nan = [Double](repeating: 1, count: Self.voxelCount)
        nan[100] = .nan
        let softPath = directory.file("soft.nii")
        let nanPath = directory.file("nan.nii")
        try NiftiFixture(shape: Self.shape, dataType: .float32).write(floats: soft, to: softPath)
        try NiftiFixture(shape: Self.shape, dataType: .float64).write(floats: nan, to: nanPath)
        #expect {
            _ = try Evaluator.labelCounts(of: NiftiFile(path: softPath))
        } throws: { error in
            guard case EvaluationError.notALabelMap(let reason, _) = error else { return false }
            return reason.hasPrefix("non-integral values after scaling (3 distinct values)")
        }
        #expect(throws: EvaluationError.notALabelMap(reason: "NaN values", path: nanPath)) {
            _ = try Evaluator.labelCounts(of: NiftiFile(path: nanPath))
        }
    }

    @Test func timeSeriesIsNotALabelVolume() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("t.nii")
        try NiftiFixture(shape: [4, 3, 2, 5], dataType: .uint8).write([Int64](repeating: 1, count: 120), to: path)
        #expect {
            _ = try Evaluator.labelCounts(of: NiftiFile(path: path))
        } throws: { error in
            guard case EvaluationError.notAVolume(let reason, _) = error else { return false }
            return reason.contains("time series with 5 volumes")
        }
    }
}
