import DiceEngine
import NiftiIO
import TestSupport
import Testing

/// The two snapshot passes against a per-voxel oracle: the chosen slice of every structure (most disagreement,
/// then most of the structure, then the lowest index), the class of every voxel on it, and the intensity planes
/// and percentile window, for every axis and for slabs of one slice, several slices and the whole volume.
@Suite struct SnapshotPlaneTests {
    static let shape = [13, 11, 7]
    static let count = 13 * 11 * 7

    /// Random labels 0…4 in runs, and a prediction that shifts some runs: disagreement on every axis.
    static func pair(seed: UInt64) -> (prediction: [Int64], reference: [Int64]) {
        var rng = SplitMix64(seed: seed)
        var reference: [Int64] = []
        while reference.count < count {
            reference += Array(
                repeating: Int64.random(in: 0...4, using: &rng), count: Int.random(in: 1...30, using: &rng))
        }
        reference.removeLast(reference.count - count)
        let prediction = reference.indices.map { i in
            Int.random(in: 0..<6, using: &rng) == 0 ? reference[max(0, i - 3)] : reference[i]
        }
        return (prediction, reference)
    }

    /// (x, y, z) of voxel `i`, and its index along `axis` and place on that axis's plane.
    static func place(_ i: Int, _ axis: SliceAxis) -> (index: Int, plane: Int) {
        let (x, y, z) = (i % shape[0], (i / shape[0]) % shape[1], i / (shape[0] * shape[1]))
        switch axis {
        case .axial: return (z, y * shape[0] + x)
        case .coronal: return (y, z * shape[0] + x)
        case .sagittal: return (x, z * shape[1] + y)
        }
    }

    static func oraclePlane(
        _ p: [Int64], _ r: [Int64], labels: [Int64], axis: SliceAxis, ignore: Int64?
    ) -> (index: Int, classes: [UInt8]) {
        let extent = shape[axis.voxelAxis]
        var disagree = [Int](repeating: 0, count: extent)
        var present = disagree
        for i in 0..<count where r[i] != ignore && (labels.contains(p[i]) || labels.contains(r[i])) {
            let index = place(i, axis).index
            present[index] += 1
            if labels.contains(p[i]) != labels.contains(r[i]) { disagree[index] += 1 }
        }
        var best = extent / 2
        var key = (0, 0)
        for index in 0..<extent where (disagree[index], present[index]) > key {
            (best, key) = (index, (disagree[index], present[index]))
        }
        let (h, v) = axis.planeAxes
        var classes = [UInt8](repeating: 0, count: shape[h] * shape[v])
        for i in 0..<count where place(i, axis).index == best && r[i] != ignore {
            let (inP, inR) = (labels.contains(p[i]), labels.contains(r[i]))
            classes[place(i, axis).plane] = inP && inR ? 1 : inP ? 2 : inR ? 3 : 0
        }
        return (best, classes)
    }

    @Test(arguments: SliceAxis.allCases, [13 * 11, 3 * 13 * 11, 1 << 20])
    func planesMatchTheOracle(axis: SliceAxis, slabVoxels: Int) throws {
        let folder = TemporaryDirectory()
        let (p, r) = Self.pair(seed: 7)
        // A uint8 prediction against an int16 reference: the shared codes of two coders, not raw bytes.
        try NiftiFixture(shape: Self.shape, dataType: .uint8).write(p, to: folder.file("p.nii.gz"), gzip: true)
        try NiftiFixture(shape: Self.shape, dataType: .int16).write(r, to: folder.file("r.nii"))
        // Labels and nested regions (drawn in separate walks), one holding the ignore label 2: a prediction's 2
        // counts for it where the reference is not ignored, as in the scores.
        let structures: [[Int64]] = [[3], [1], [1, 3], [4], [9], [1, 3, 4], [2, 4]]
        for ignore in [nil, Int64(2)] {
            let planes = try Evaluator.disagreementPlanes(
                prediction: NiftiFile(path: folder.file("p.nii.gz")), reference: NiftiFile(path: folder.file("r.nii")),
                structures: structures, axis: axis, ignoreLabel: ignore, slab: SlabSize(voxels: slabVoxels),
                concurrent: true)
            #expect(planes.map(\.labels) == structures)
            for plane in planes {
                let expected = Self.oraclePlane(p, r, labels: plane.labels, axis: axis, ignore: ignore)
                #expect(plane.index == expected.index, "labels \(plane.labels)")
                #expect(plane.classes == expected.classes, "labels \(plane.labels)")
                #expect(plane.truePositives == expected.classes.filter { $0 == 1 }.count)
                #expect(plane.falsePositives + plane.falseNegatives == expected.classes.filter { $0 > 1 }.count)
                #expect(plane.isAbsent == (plane.labels == [9]))
            }
        }
    }

    @Test(arguments: SliceAxis.allCases)
    func intensityPlanesAndWindowMatchTheOracle(axis: SliceAxis) throws {
        let folder = TemporaryDirectory()
        var rng = SplitMix64(seed: 3)
        let values = (0..<Self.count).map { _ in Int64.random(in: -1024...3000, using: &rng) }
        var fixture = NiftiFixture(shape: Self.shape, dataType: .int16, byteOrder: .big)
        try fixture.write(values, to: folder.file("ct.nii"))
        fixture.dataType = .uint8
        try fixture.write([Int64](repeating: 0, count: Self.count), to: folder.file("ref.nii"))
        let result = try Evaluator.intensityPlanes(
            of: NiftiFile(path: folder.file("ct.nii")), onGridOf: NiftiFile(path: folder.file("ref.nii")), axis: axis,
            indices: [0, 4], slab: SlabSize(voxels: 2 * 13 * 11))
        let sorted = values.sorted()
        // Nearest rank: ⌈q·n⌉-th smallest.
        let n = Double(Self.count)
        #expect(result.window.low == Double(sorted[Int((0.01 * n).rounded(.up)) - 1]))
        #expect(result.window.high == Double(sorted[Int((0.99 * n).rounded(.up)) - 1]))
        for (slot, index) in [0, 4].enumerated() {
            var expected = [Float](repeating: .nan, count: result.planes[slot].count)
            for i in 0..<Self.count where Self.place(i, axis).index == index {
                expected[Self.place(i, axis).plane] = Float(values[i])
            }
            #expect(result.planes[slot] == expected)
        }
    }
}
