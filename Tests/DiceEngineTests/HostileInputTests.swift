import DiceEngine
import NiftiIO
import TestSupport
import Testing

/// Inputs a hurried user passes by mistake: each is refused at once with the reason, in bounded memory.
@Suite struct HostileInputTests {
    /// A continuous image (here 300,000 distinct values) is no label map: refused once the coder has seen more
    /// distinct values than any atlas has, instead of growing a code per voxel (it used to trap).
    @Test func anIntensityImageIsRefusedEarly() throws {
        let directory = TemporaryDirectory()
        let shape = [100, 100, 30]
        let image = directory.file("ct.nii")
        let zeros = directory.file("zeros.nii")
        try NiftiFixture(shape: shape, dataType: .int32).write((0..<300_000).map { Int64($0) - 1000 }, to: image)
        try NiftiFixture(shape: shape, dataType: .int32).write([Int64](repeating: 0, count: 300_000), to: zeros)
        for (prediction, reference) in [(image, zeros), (zeros, image)] {
            #expect {
                _ = try Evaluator.evaluate(
                    prediction: NiftiFile(path: prediction), reference: NiftiFile(path: reference),
                    options: EvaluationOptions())
            } throws: { error in
                guard case EvaluationError.notALabelMap(let reason, let path) = error else { return false }
                return path == image && reason == "more than 262144 distinct values — is this an intensity image?"
            }
        }
    }

    /// A 4D series against a 3D map is "not a label volume" (exit 3), not a grid mismatch whose
    /// `--ignore-geometry` hint would loop.
    @Test func aTimeSeriesIsRefusedBeforeTheGridsAreCompared() throws {
        let directory = TemporaryDirectory()
        let series = directory.file("bold.nii")
        let labels = directory.file("labels.nii")
        try NiftiFixture(shape: [4, 3, 2, 5], dataType: .uint8).write([Int64](repeating: 1, count: 120), to: series)
        try NiftiFixture(shape: [4, 3, 2], dataType: .uint8).write([Int64](repeating: 1, count: 24), to: labels)
        for ignoreGeometry in [false, true] {
            var options = EvaluationOptions()
            options.ignoreGeometry = ignoreGeometry
            #expect {
                _ = try Evaluator.evaluate(
                    prediction: NiftiFile(path: series), reference: NiftiFile(path: labels), options: options)
            } throws: { error in
                guard case EvaluationError.notAVolume(_, let path) = error else { return false }
                return path == series
            }
        }
    }

    /// A header whose affine is NaN cannot even match itself: "no usable geometry", unless the user asks for
    /// a voxel-by-voxel comparison.
    @Test func aNaNAffineIsNoUsableGeometry() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("nan-affine.nii")
        var fixture = NiftiFixture(shape: [4, 3, 2], dataType: .uint8)
        fixture.sform[0][0] = .nan
        fixture.spacing = [.nan, 1, 1]
        try fixture.write([Int64](repeating: 1, count: 24), to: path)
        #expect {
            _ = try Evaluator.evaluate(
                prediction: NiftiFile(path: path), reference: NiftiFile(path: path), options: EvaluationOptions())
        } throws: { error in
            guard case EvaluationError.noUsableGeometry(let reason, path) = error else { return false }
            return reason.contains("NaN or infinite")
        }
        var options = EvaluationOptions()
        options.ignoreGeometry = true
        let result = try Evaluator.evaluate(
            prediction: NiftiFile(path: path), reference: NiftiFile(path: path), options: options)
        #expect(result.scores.first?.dice == 1)
    }

    /// Infinity is named as such, and −0.0 beside +0.0 counts as one value in the refusal message.
    @Test func infiniteAndSignedZeroValuesAreDescribedExactly() throws {
        let directory = TemporaryDirectory()
        let infinite = directory.file("inf.nii")
        let soft = directory.file("soft.nii")
        var values = [Double](repeating: 0, count: 24)
        values[3] = .infinity
        try NiftiFixture(shape: [4, 3, 2], dataType: .float32).write(floats: values, to: infinite)
        values[3] = -0.0
        values[4] = 0.5
        try NiftiFixture(shape: [4, 3, 2], dataType: .float32).write(floats: values, to: soft)
        #expect(throws: EvaluationError.notALabelMap(reason: "infinite values", path: infinite)) {
            _ = try Evaluator.labelCounts(of: NiftiFile(path: infinite))
        }
        #expect {
            _ = try Evaluator.labelCounts(of: NiftiFile(path: soft))
        } throws: { error in
            guard case EvaluationError.notALabelMap(let reason, _) = error else { return false }
            return reason.hasPrefix("non-integral values after scaling (2 distinct values)")
        }
    }
}
