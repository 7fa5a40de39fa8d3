import NiftiIO
import TestSupport
import Testing

@testable import DiceEngine

/// The streaming labeller against the flood-fill oracle: random volumes, shapes built to merge late across many
/// slabs, many labels and empty sides, at every connectivity and slab sizes from one slice to the whole volume.
@Suite struct LesionOracleTests {
    static let connectivities = [6, 18, 26]

    /// Evaluates a pair written as `types` at every connectivity and slab size and checks it against the oracle.
    static func check(
        prediction: [Int64], reference: [Int64], shape: [Int],
        types: (NiftiDataType, NiftiDataType) = (.uint8, .uint8), minimumVoxels: Int = 1, _ name: String
    ) throws {
        let directory = TemporaryDirectory()
        let p = directory.file("p.nii.gz")
        let r = directory.file("r.nii")
        try NiftiFixture(shape: shape, dataType: types.0).write(prediction, to: p, gzip: true)
        try NiftiFixture(shape: shape, dataType: types.1).write(reference, to: r)
        let slice = shape[0] * shape[1]
        let labels = Array(Set(prediction + reference).subtracting([0])).sorted()
        for connectivity in connectivities {
            let expected = LesionOracle.scores(
                prediction: prediction, reference: reference, shape: shape, connectivity: connectivity,
                minimumVoxels: minimumVoxels, labels: labels, voxelMl: 0.001)
            // Every slab size gives the same values to the bit (the IoU sum behind SQ is added in one order).
            var first: [LesionScores]?
            for slices in [1, 2, 3, shape[2]] {
                var options = EvaluationOptions()
                options.slab = SlabSize(voxels: slices * slice)
                let neighbourhood = try #require(LesionConnectivity(rawValue: connectivity))
                options.lesions = LesionOptions(connectivity: neighbourhood, minimumVoxels: minimumVoxels)
                let result = try Evaluator.evaluate(
                    prediction: NiftiFile(path: p), reference: NiftiFile(path: r), options: options)
                let got = try #require(result.lesions)
                #expect(got == (first ?? got), "\(name) C\(connectivity) slab \(slices) differs from one slice")
                first = first ?? got
                #expect(got.map(\.label) == labels, "\(name) C\(connectivity) slab \(slices)")
                for (a, b) in zip(got, expected) {
                    #expect(LesionOracle.agree(a, b), "\(name) C\(connectivity) slab \(slices): \(a) vs \(b)")
                }
            }
        }
    }

    /// Sparse random blobs of a few labels: seeds grown by random steps, so that components touch by faces,
    /// edges and corners in every direction.
    static func blobs(shape: [Int], labels: [Int64], seeds: Int, steps: Int, rng: inout SplitMix64) -> [Int64] {
        let (nx, ny, nz) = (shape[0], shape[1], shape[2])
        var volume = [Int64](repeating: 0, count: nx * ny * nz)
        for _ in 0..<seeds {
            let label = labels[Int.random(in: labels.indices, using: &rng)]
            var (x, y, z) = (
                Int.random(in: 0..<nx, using: &rng), Int.random(in: 0..<ny, using: &rng),
                Int.random(in: 0..<nz, using: &rng)
            )
            for _ in 0..<Int.random(in: 1...steps, using: &rng) {
                volume[x + nx * (y + ny * z)] = label
                x = min(max(x + Int.random(in: -1...1, using: &rng), 0), nx - 1)
                y = min(max(y + Int.random(in: -1...1, using: &rng), 0), ny - 1)
                z = min(max(z + Int.random(in: -1...1, using: &rng), 0), nz - 1)
            }
        }
        return volume
    }

    @Test(arguments: 0..<6)
    func randomBlobsMatchTheOracle(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) + 1)
        let shape = [9, 7, 8]
        let labels: [Int64] = seed < 3 ? [1] : [1, 2, 3]
        let reference = Self.blobs(shape: shape, labels: labels, seeds: 12, steps: 14, rng: &rng)
        // The prediction: the reference with voxels dropped and others relabelled or added.
        var prediction = reference
        for v in prediction.indices {
            switch Int.random(in: 0..<20, using: &rng) {
            case 0: prediction[v] = 0
            case 1: prediction[v] = labels[Int.random(in: labels.indices, using: &rng)]
            default: break
            }
        }
        try Self.check(prediction: prediction, reference: reference, shape: shape, "blobs \(seed)")
        try Self.check(
            prediction: prediction, reference: reference, shape: shape, minimumVoxels: 3, "blobs \(seed) min 3")
    }

    /// The overlaps reach the scores in (reference, prediction) order, so SQ's sum of IoUs is added in one order
    /// in every run (a dictionary's order changes with the process's hash seed: SQ changed in its last bits).
    @Test func overlapsComeInComponentOrder() throws {
        var rng = SplitMix64(seed: 5)
        let shape = [30, 24, 12]
        let reference = Self.blobs(shape: shape, labels: [1, 2], seeds: 80, steps: 8, rng: &rng)
        let prediction = reference.map { Int.random(in: 0..<6, using: &rng) == 0 ? 0 : $0 }
        let directory = TemporaryDirectory()
        let (p, r) = (directory.file("p.nii"), directory.file("r.nii"))
        try NiftiFixture(shape: shape, dataType: .uint8).write(prediction, to: p)
        try NiftiFixture(shape: shape, dataType: .uint8).write(reference, to: r)
        let gathered = try Evaluator.pass(
            prediction: NiftiFile(path: p), reference: NiftiFile(path: r), slab: .standard, concurrent: false,
            boundary: nil, lesions: .corners
        ).gathered
        let overlaps = try #require(gathered?.lesions?.overlaps)
        #expect(overlaps.count > 10)
        let keys = overlaps.map { $0.reference << 32 | $0.prediction }
        #expect(keys == keys.sorted() && Set(keys).count == keys.count)
    }

    /// Dense noise: every voxel joins or splits components by a single neighbour.
    @Test func denseNoiseMatchesTheOracle() throws {
        var rng = SplitMix64(seed: 99)
        let shape = [8, 6, 7]
        let count = shape.reduce(1, *)
        let reference = (0..<count).map { _ in Int64([0, 0, 1, 2].randomElement(using: &rng) ?? 0) }
        let prediction = (0..<count).map { _ in Int64([0, 0, 1, 2].randomElement(using: &rng) ?? 0) }
        try Self.check(prediction: prediction, reference: reference, shape: shape, "noise")
        try Self.check(
            prediction: prediction, reference: reference, shape: shape, types: (.int16, .uint8), "noise int16/uint8")
    }

    /// A serpentine in x–z that climbs and descends through every slice: its columns stay separate components
    /// until the bend that joins them, one slab after another.
    @Test func serpentineAcrossSlabsIsOneLesion() throws {
        let shape = [9, 3, 10]
        var reference = [Int64](repeating: 0, count: shape.reduce(1, *))
        for x in stride(from: 0, to: 9, by: 2) {
            for z in 0..<10 { reference[x + 9 * (1 + 3 * z)] = 1 }
            if x + 2 < 9 {
                let bend = (x / 2).isMultiple(of: 2) ? 9 : 0
                reference[(x + 1) + 9 * (1 + 3 * bend)] = 1
            }
        }
        // The prediction: the same columns without the bends, plus a corner-only diagonal staircase.
        var prediction = reference
        for x in stride(from: 1, to: 9, by: 2) { for z in [0, 9] { prediction[x + 9 * (1 + 3 * z)] = 0 } }
        for k in 0..<3 { prediction[k + 9 * (k + 3 * (k + 3))] = 2 }
        #expect(LesionOracle.components(reference, shape: shape, connectivity: 6).size == [reference.count { $0 != 0 }])
        try Self.check(prediction: prediction, reference: reference, shape: shape, "serpentine")
    }

    /// A square spiral in every slice whose arms join only at its last turn, in the last rows, and a helix in
    /// z that closes on its start at the top.
    @Test func spiralMergesLate() throws {
        let (n, depth) = (11, 5)
        let shape = [n, n, depth]
        var reference = [Int64](repeating: 0, count: n * n * depth)
        var (x, y, dx, dy) = (n / 2, n / 2, 0, -1)
        var length = 2
        var path: [(Int, Int)] = [(x, y)]
        while length < 2 * n {
            for _ in 0..<2 {
                for _ in 0..<length {
                    x += dx
                    y += dy
                    if x >= 0, x < n, y >= 0, y < n { path.append((x, y)) }
                }
                (dx, dy) = (-dy, dx)
            }
            length += 2
        }
        for z in [0, 2, 4] {
            for (px, py) in path where px >= 0 && px < n && py >= 0 && py < n {
                reference[px + n * (py + n * z)] = 1
            }
        }
        // Slices 1 and 3 hold a ring's corners only: they join slices 0, 2, 4 at 18/26 but not at 6.
        for z in [1, 3] { reference[0 + n * (0 + n * z)] = 1 }
        var prediction = reference
        for z in 0..<depth where z % 2 == 1 { prediction[(n - 1) + n * ((n - 1) + n * z)] = 1 }
        #expect(LesionOracle.components(reference, shape: shape, connectivity: 26).size.count == 1)
        try Self.check(prediction: prediction, reference: reference, shape: shape, "spiral")
    }

    /// Hundreds of labels (int16) in small cubes, so that codes are shared 32-bit codes.
    @Test func manyLabelsMatchTheOracle() throws {
        var rng = SplitMix64(seed: 5)
        let shape = [12, 12, 6]
        var reference = [Int64](repeating: 0, count: shape.reduce(1, *))
        var prediction = reference
        for v in reference.indices {
            let (x, y, z) = (v % 12, (v / 12) % 12, v / 144)
            let label = Int64(1 + (x / 2) + 6 * (y / 2) + 36 * (z / 3)) * 7
            if (x + y + z) % 3 != 0 { reference[v] = label }
            if Int.random(in: 0..<4, using: &rng) != 0 { prediction[v] = label }
        }
        try Self.check(
            prediction: prediction, reference: reference, shape: shape, types: (.int16, .int32), "many labels")
    }

    @Test func emptySidesFollowTheNullRules() throws {
        let shape = [5, 4, 3]
        var some = [Int64](repeating: 0, count: 60)
        for v in [0, 7, 8, 30, 59] { some[v] = 1 }
        let none = [Int64](repeating: 0, count: 60)
        try Self.check(prediction: none, reference: some, shape: shape, "empty prediction")
        try Self.check(prediction: some, reference: none, shape: shape, "empty reference")
        try Self.check(prediction: none, reference: none, shape: shape, "both empty")
        // A label asked for but absent from both: every ratio null, every count 0.
        let directory = TemporaryDirectory()
        let path = directory.file("none.nii")
        try NiftiFixture(shape: shape, dataType: .uint8).write(none, to: path)
        var options = EvaluationOptions()
        options.selection = LabelSelection(labels: [3], includeBackground: false)
        options.lesions = LesionOptions()
        let result = try Evaluator.evaluate(
            prediction: NiftiFile(path: path), reference: NiftiFile(path: path), options: options)
        let s = try #require(result.lesions?.first)
        #expect(s.label == 3 && s.reference == 0 && s.prediction == 0 && s.tp == 0 && s.fp == 0 && s.fn == 0)
        #expect(s.recall == nil && s.precision == nil && s.f1 == nil && s.lesionDice == nil)
        #expect(s.sq == nil && s.rq == nil && s.pq == nil && s.fpVolumeMl == 0 && s.fnVolumeMl == 0)
    }
}
