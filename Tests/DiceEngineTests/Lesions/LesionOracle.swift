@testable import DiceEngine

/// Brute-force lesion-wise metrics: flood-fill labelling of whole volumes in memory, voxel-by-voxel overlaps,
/// then the metric formulas of ``LesionScores`` (checked on their own against the golden set).
enum LesionOracle {
    /// Component id (−1 for background) of every voxel, and each component's label and size.
    static func components(_ volume: [Int64], shape: [Int], connectivity: Int)
        -> (id: [Int], label: [Int64], size: [Int])
    {
        let (nx, ny, nz) = (shape[0], shape[1], shape[2])
        let reach = connectivity == 6 ? 1 : connectivity == 18 ? 2 : 3
        var offsets: [(Int, Int, Int)] = []
        for dz in -1...1 {
            for dy in -1...1 {
                for dx in -1...1 where (dx, dy, dz) != (0, 0, 0) && abs(dx) + abs(dy) + abs(dz) <= reach {
                    offsets.append((dx, dy, dz))
                }
            }
        }
        var id = [Int](repeating: -1, count: volume.count)
        var labels: [Int64] = []
        var sizes: [Int] = []
        for seed in volume.indices where volume[seed] != 0 && id[seed] < 0 {
            let component = labels.count
            labels.append(volume[seed])
            sizes.append(0)
            id[seed] = component
            var stack = [seed]
            while let v = stack.popLast() {
                sizes[component] += 1
                let (x, y, z) = (v % nx, (v / nx) % ny, v / (nx * ny))
                for (dx, dy, dz) in offsets {
                    let (a, b, c) = (x + dx, y + dy, z + dz)
                    guard a >= 0, a < nx, b >= 0, b < ny, c >= 0, c < nz else { continue }
                    let w = a + nx * (b + ny * c)
                    if id[w] < 0 && volume[w] == volume[seed] {
                        id[w] = component
                        stack.append(w)
                    }
                }
            }
        }
        return (id, labels, sizes)
    }

    /// The scores of every label of `labels`, as ``LesionScores`` computes them from oracle components.
    static func scores(
        prediction: [Int64], reference: [Int64], shape: [Int], connectivity: Int, minimumVoxels: Int,
        labels: [Int64], voxelMl: Double
    ) -> [LesionScores] {
        let p = components(prediction, shape: shape, connectivity: connectivity)
        let r = components(reference, shape: shape, connectivity: connectivity)
        var shared: [Int: [Int: Int]] = [:]
        for v in prediction.indices where prediction[v] != 0 && prediction[v] == reference[v] {
            shared[r.id[v], default: [:]][p.id[v], default: 0] += 1
        }
        return labels.map { label in
            let keptR = r.label.indices.filter { r.label[$0] == label && r.size[$0] >= minimumVoxels }
            let keptP = p.label.indices.filter { p.label[$0] == label && p.size[$0] >= minimumVoxels }
            var overlaps: [(reference: Int, prediction: Int, voxels: Int)] = []
            for (i, rc) in keptR.enumerated() {
                for (j, pc) in keptP.enumerated() {
                    if let n = shared[rc]?[pc] { overlaps.append((i, j, n)) }
                }
            }
            return LesionScores(
                label: label, referenceVoxels: keptR.map { r.size[$0] }, predictionVoxels: keptP.map { p.size[$0] },
                overlaps: overlaps, referenceVoxelMl: voxelMl, predictionVoxelMl: voxelMl)
        }
    }

    /// Whether two results agree: counts exactly, ratios and volumes within 1e-12 (summation order may differ).
    static func agree(_ a: LesionScores, _ b: LesionScores) -> Bool {
        func close(_ x: Double?, _ y: Double?) -> Bool {
            guard let x, let y else { return x == nil && y == nil }
            return abs(x - y) <= 1e-12 * max(1, abs(x), abs(y))
        }
        return a.label == b.label && a.reference == b.reference && a.prediction == b.prediction && a.tp == b.tp
            && a.fn == b.fn && a.fp == b.fp && a.pqTp == b.pqTp && a.pqFp == b.pqFp && a.pqFn == b.pqFn
            && close(a.recall, b.recall) && close(a.precision, b.precision) && close(a.f1, b.f1)
            && close(a.fpVolumeMl, b.fpVolumeMl) && close(a.fnVolumeMl, b.fnVolumeMl)
            && close(a.lesionDice, b.lesionDice) && close(a.sq, b.sq) && close(a.rq, b.rq) && close(a.pq, b.pq)
    }
}
