import Foundation
import NiftiIO
import TestSupport
import Testing

@testable import MonaiMetrics

/// The streamed path must give exactly the in-memory sums, whatever the layout, datatype, byte order and
/// slab size.
@Suite struct StreamingTests {
    /// A 5 × 3 × 2 volume (30 voxels) with 3 channels of smooth pseudo-random values and a label map 0…2.
    let spatial = [5, 3, 2]
    let channels = 3
    var voxels: Int { spatial.reduce(1, *) }
    var logits: [Float] { (0..<(channels * voxels)).map { Float(($0 * 37) % 23) / 4 - 2.5 } }
    var labels: [Float] { (0..<voxels).map { Float(($0 * 7 + $0 / 4) % 3) } }

    var logitTensor: Tensor { Tensor(shape: [1, channels] + spatial, scalars: logits) }
    var labelTensor: Tensor { Tensor(shape: [1, 1] + spatial, scalars: labels) }

    @Test(arguments: [1, 7, 30, 1 << 15])
    func streamedSumsEqualInMemorySums(slab: Int) throws {
        let folder = TemporaryDirectory()
        let prediction = try ChannelImage(
            path: folder.write("p.nii", dim: spatial + [1, channels], values: logits, as: .float32)
        )
        let reference = try ChannelImage(
            path: folder.write("r.nii", dim: spatial, values: labels, as: .int16, byteOrder: .big)
        )
        let plan = try DiceLoss(toOnehotY: true, softmax: true).plan(for: prediction, reference)
        let streamed = try SlabAccumulator.sums(
            prediction: prediction,
            reference: reference,
            plan: plan,
            slab: SlabSize(voxels: slab)
        )
        // Streamed slabs are whole slices (15 voxels here), at least one.
        let sliceVoxels = spatial[0] * spatial[1]
        let slabVoxels = min(max(1, slab / sliceVoxels) * sliceVoxels, voxels)
        let inMemory = try SlabAccumulator.sums(
            input: logitTensor, target: labelTensor, plan: plan, capacity: slabVoxels)
        #expect(streamed == inMemory[0])
        // Slab size changes only the Double summation order.
        let whole = try SlabAccumulator.sums(input: logitTensor, target: labelTensor, plan: plan, capacity: voxels)
        for (a, b) in zip(streamed, whole[0]) {
            #expect(abs(a.intersection - b.intersection) <= 1e-12 * b.intersection)
            #expect(abs(a.prediction - b.prediction) <= 1e-12 * b.prediction)
            #expect(a.reference == b.reference)
        }
    }

    /// Softmax reads one gzip stream per channel in lockstep on two threads (``ChannelLockstep``): over many slabs
    /// the sums must still be exactly the in-memory ones (slabs summed in order), and a stream that fails part-way
    /// or a label out of range in a late slab must end the run with that error, nothing left waiting.
    @Test(arguments: [1, 3])
    func lockstepOverGzipStreamsEqualsInMemorySums(slices: Int) throws {
        let shape = [12, 10, 16]
        let count = shape.reduce(1, *)
        let classes = 4
        let logits = (0..<(classes * count)).map { Float(($0 * 53) % 41) / 8 - 2.5 }
        var labels = (0..<count).map { Float(($0 / 7 + $0 % 5) % classes) }
        let folder = TemporaryDirectory()
        let plain = try folder.write("p.nii", dim: shape + [1, classes], values: logits, as: .float32)
        let bytes = try #require(FileManager.default.contents(atPath: plain))
        let gzipped = folder.file("p.nii.gz")
        #expect(FileManager.default.createFile(atPath: gzipped, contents: Data(try NiftiFixture.gzip(Array(bytes)))))
        let referencePath = try folder.write("r.nii", dim: shape, values: labels, as: .uint8)
        let prediction = try ChannelImage(path: gzipped)
        let reference = try ChannelImage(path: referencePath)
        let plan = try DiceLoss(toOnehotY: true, softmax: true).plan(for: prediction, reference)
        let slab = slices * shape[0] * shape[1]
        let streamed = try SlabAccumulator.sums(
            prediction: prediction, reference: reference, plan: plan, slab: SlabSize(voxels: slab))
        let inMemory = try SlabAccumulator.sums(
            input: Tensor(shape: [1, classes] + shape, scalars: logits),
            target: Tensor(shape: [1, 1] + shape, scalars: labels), plan: plan, capacity: slab)
        #expect(streamed == inMemory[0])

        let cut = folder.file("cut.nii.gz")
        let whole = try #require(FileManager.default.contents(atPath: gzipped))
        #expect(FileManager.default.createFile(atPath: cut, contents: whole.prefix(whole.count * 2 / 3)))
        #expect(throws: NiftiError.self) {
            try SlabAccumulator.sums(
                prediction: ChannelImage(path: cut), reference: reference, plan: plan, slab: SlabSize(voxels: slab))
        }
        labels[count - 3] = 9
        let bad = try folder.write("bad.nii", dim: shape, values: labels, as: .uint8)
        #expect(throws: MonaiError.labelOutOfRange(value: 9, classCount: classes, path: bad)) {
            try SlabAccumulator.sums(
                prediction: prediction, reference: ChannelImage(path: bad), plan: plan, slab: SlabSize(voxels: slab))
        }
    }

    @Test(arguments: [NiftiDataType.float32, .float64])
    func channelsInDim4OrDim5ReadAlike(_ dataType: NiftiDataType) throws {
        let folder = TemporaryDirectory()
        let reference = try folder.write("r.nii", dim: spatial, values: labels, as: .uint8)
        var inDim5 = try DiceMetric(reduction: .none)
        var inDim4 = try DiceMetric(reduction: .none)
        var inMemory = try DiceMetric(reduction: .none)
        let binary = logits.map { $0 > 0 ? Float(1) : 0 }
        let dim5 = try folder.write("p5.nii", dim: spatial + [1, channels], values: binary, as: dataType)
        let dim4 = try folder.write("p4.nii", dim: spatial + [channels], values: binary, as: dataType, byteOrder: .big)
        let expected = try inMemory(Tensor(shape: [1, channels] + spatial, scalars: binary), labelTensor)
        #expect(try inDim5(predictionPath: dim5, referencePath: reference) == expected)
        #expect(try inDim4(predictionPath: dim4, referencePath: reference) == expected)
    }

    @Test func lossFromFilesEqualsLossFromTensors() throws {
        let folder = TemporaryDirectory()
        let prediction = try folder.write("p.nii", dim: spatial + [1, channels], values: logits, as: .float32)
        let reference = try folder.write("r.nii", dim: spatial, values: labels, as: .uint8)
        let loss = try DiceLoss(toOnehotY: true, softmax: true, reduction: .none)
        let fromFiles = try loss.evaluate(
            predictionPaths: [prediction, prediction],
            referencePaths: [reference, reference]
        )
        let batch = Tensor(shape: [2, channels] + spatial, scalars: logits + logits)
        let labelBatch = Tensor(shape: [2, 1] + spatial, scalars: labels + labels)
        #expect(fromFiles == (try loss.evaluate(batch, labelBatch)))
    }

    @Test func spatialMismatchNamesTheReference() throws {
        let folder = TemporaryDirectory()
        let prediction = try folder.write("p.nii", dim: [2, 2, 1], values: [0, 1, 1, 0], as: .uint8)
        let reference = try folder.write("r.nii", dim: [4], values: [0, 1, 1, 0], as: .uint8)
        var metric = try DiceMetric()
        #expect(throws: MonaiError.spatialShapeMismatch(prediction: [2, 2, 1], reference: [4, 1, 1], path: reference)) {
            try metric(predictionPath: prediction, referencePath: reference)
        }
    }

    @Test func labelOutOfRangeNamesTheReference() throws {
        let folder = TemporaryDirectory()
        let prediction = try folder.write("p.nii", dim: [2, 1, 1, 1, 2], values: [0, 1, 1, 0], as: .float32)
        let reference = try folder.write("r.nii", dim: [2], values: [0, 5], as: .uint8)
        let loss = try DiceLoss(toOnehotY: true)
        #expect(throws: MonaiError.labelOutOfRange(value: 5, classCount: 2, path: reference)) {
            try loss.evaluate(predictionPaths: [prediction], referencePaths: [reference])
        }
    }

    @Test func refusesVectorTimeSeries() throws {
        let folder = TemporaryDirectory()
        let path = try folder.write("v.nii", dim: [1, 1, 1, 2, 2], values: [0, 1, 1, 0], as: .uint8)
        #expect(throws: MonaiError.self) { try ChannelImage(path: path) }
    }
}

extension DiceLoss {
    /// The plan this loss uses for two opened images.
    func plan(for prediction: ChannelImage, _ reference: ChannelImage) throws -> OverlapPlan {
        try LossInputs(includeBackground: includeBackground, toOnehotY: toOnehotY, sigmoid: sigmoid, softmax: softmax)
            .plan(predictionChannels: prediction.channelCount, referenceChannels: reference.channelCount)
    }
}

extension TemporaryDirectory {
    /// Writes `values` (x fastest) as the NIfTI file `name` of extents `dim` and returns its path.
    ///
    /// The tests hold voxels as the Float values MONAI sees; the shared fixture takes integers for integer
    /// datatypes and doubles for floating-point ones, both of which represent these values exactly.
    func write(
        _ name: String,
        dim: [Int],
        values: [Float],
        as dataType: NiftiDataType,
        byteOrder: ByteOrder = .little
    ) throws -> String {
        let fixture = NiftiFixture(shape: dim, dataType: dataType, byteOrder: byteOrder)
        let path = file(name)
        if dataType.isFloatingPoint {
            try fixture.write(floats: values.map(Double.init), to: path)
        } else {
            try fixture.write(values.map { Int64($0) }, to: path)
        }
        return path
    }
}
