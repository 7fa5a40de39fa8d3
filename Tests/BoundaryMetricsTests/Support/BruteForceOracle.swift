@testable import BoundaryMetrics

/// The slow, obvious boundary definitions over a whole in-memory volume: the oracle for the streaming
/// collector and the k-d tree.
enum BruteForceOracle {
    /// DeepMind surfels of `label`: every grid point g (blocks over voxels g − 1 and g, outside = not the label)
    /// whose code is neither 0 nor 255, in raster order.
    static func surfels(of volume: LabelVolume, label: UInt32) -> [BoundaryPoint] {
        var points: [BoundaryPoint] = []
        for gz in 0...volume.depth {
            for gy in 0...volume.height {
                for gx in 0...volume.width {
                    var code: UInt8 = 0
                    for a in 0..<2 {
                        for b in 0..<2 {
                            for c in 0..<2 where holds(volume, gx - 1 + a, gy - 1 + b, gz - 1 + c, label) {
                                code |= 1 << (7 - (4 * a + 2 * b + c))
                            }
                        }
                    }
                    if code != 0 && code != 255 {
                        points.append(BoundaryPoint(x: UInt16(gx), y: UInt16(gy), z: UInt16(gz), code: code))
                    }
                }
            }
        }
        return points
    }

    /// MONAI edge voxels of `label`: voxels of the label with a 6-neighbour outside it or outside the volume.
    static func edgeVoxels(of volume: LabelVolume, label: UInt32) -> [BoundaryPoint] {
        var points: [BoundaryPoint] = []
        for z in 0..<volume.depth {
            for y in 0..<volume.height {
                for x in 0..<volume.width where volume[x, y, z] == label {
                    let neighbours = [
                        (x - 1, y, z), (x + 1, y, z), (x, y - 1, z), (x, y + 1, z), (x, y, z - 1),
                        (x, y, z + 1),
                    ]
                    if neighbours.contains(where: { !holds(volume, $0.0, $0.1, $0.2, label) }) {
                        points.append(BoundaryPoint(x: UInt16(x), y: UInt16(y), z: UInt16(z), code: 0))
                    }
                }
            }
        }
        return points
    }

    /// All-pairs nearest distances from `from` to `to` (`+∞` when `to` is empty), weighted like the library.
    static func distances(
        from: [BoundaryPoint],
        to: [BoundaryPoint],
        kind: BoundaryKind,
        spacing: Spacing,
        metric: DistanceMetric
    ) -> DirectedDistances {
        let table = SurfelAreaTable(spacing: spacing)
        let distances = from.map { p -> Double in
            var best = Double.infinity
            for q in to {
                let dx = Double(Int(q.x) - Int(p.x))
                let dy = Double(Int(q.y) - Int(p.y))
                let dz = Double(Int(q.z) - Int(p.z))
                let d: Double
                switch metric {
                case .euclidean:
                    let (tx, ty, tz) = (dx * spacing.x, dy * spacing.y, dz * spacing.z)
                    d = ((tx * tx + ty * ty) + tz * tz).squareRoot()
                case .chessboard: d = max(abs(dx), abs(dy), abs(dz))
                case .taxicab: d = abs(dx) + abs(dy) + abs(dz)
                }
                best = min(best, d)
            }
            return best
        }
        let weights = from.map { kind == .surfels ? table[$0.code] : 1 }
        return DirectedDistances(distances: distances, weights: weights)
    }

    private static func holds(_ volume: LabelVolume, _ x: Int, _ y: Int, _ z: Int, _ label: UInt32) -> Bool {
        x >= 0 && y >= 0 && z >= 0 && x < volume.width && y < volume.height && z < volume.depth
            && volume[x, y, z] == label
    }
}
