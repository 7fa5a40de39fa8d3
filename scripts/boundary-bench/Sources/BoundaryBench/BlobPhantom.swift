/// A synthetic TotalSegmentator-like label map rendered one slice at a time, so that even a 512×512×400 pair
/// never exists in memory: a body ellipsoid (label 1) holding `count − 1` random organ ellipsoids.
struct BlobPhantom: Sendable {
    struct Ellipsoid: Sendable {
        var label: UInt8
        var centre: (x: Double, y: Double, z: Double)
        var radii: (x: Double, y: Double, z: Double)
    }

    let width: Int
    let height: Int
    let depth: Int
    /// Painted in order; later ellipsoids overwrite earlier ones.
    let ellipsoids: [Ellipsoid]

    /// A reference phantom with `count` labels.
    init(width: Int, height: Int, depth: Int, count: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let body = Ellipsoid(
            label: 1,
            centre: (Double(width) / 2, Double(height) / 2, Double(depth) / 2),
            radii: (Double(width) * 0.45, Double(height) * 0.4, Double(depth) * 0.48)
        )
        var ellipsoids = [body]
        for label in 2...count {
            let radii = (
                Double.random(in: 4...30, using: &random),
                Double.random(in: 4...30, using: &random),
                Double.random(in: 3...25, using: &random)
            )
            let centre = (
                body.centre.x + Double.random(in: -0.6...0.6, using: &random) * body.radii.x,
                body.centre.y + Double.random(in: -0.6...0.6, using: &random) * body.radii.y,
                body.centre.z + Double.random(in: -0.6...0.6, using: &random) * body.radii.z
            )
            ellipsoids.append(Ellipsoid(label: UInt8(label), centre: centre, radii: radii))
        }
        self.init(width: width, height: height, depth: depth, ellipsoids: ellipsoids)
    }

    init(width: Int, height: Int, depth: Int, ellipsoids: [Ellipsoid]) {
        self.width = width
        self.height = height
        self.depth = depth
        self.ellipsoids = ellipsoids
    }

    /// A prediction-like variant: every ellipsoid moved by up to `shift` voxels and rescaled by up to ±1 voxel.
    func perturbed(shift: Double, seed: UInt64) -> BlobPhantom {
        var random = SplitMix64(seed: seed)
        let moved = ellipsoids.map { e -> Ellipsoid in
            var e = e
            e.centre.x += Double.random(in: -shift...shift, using: &random)
            e.centre.y += Double.random(in: -shift...shift, using: &random)
            e.centre.z += Double.random(in: -shift...shift, using: &random)
            e.radii.x = max(1, e.radii.x + Double.random(in: -1...1, using: &random))
            e.radii.y = max(1, e.radii.y + Double.random(in: -1...1, using: &random))
            e.radii.z = max(1, e.radii.z + Double.random(in: -1...1, using: &random))
            return e
        }
        return BlobPhantom(width: width, height: height, depth: depth, ellipsoids: moved)
    }

    /// Writes slice `z` (x fastest) into `slice`, span by span.
    func render(z: Int, into slice: inout [UInt8]) {
        for i in slice.indices { slice[i] = 0 }
        for e in ellipsoids {
            let dz = (Double(z) - e.centre.z) / e.radii.z
            let rest = 1 - dz * dz
            guard rest > 0 else { continue }
            let ry = e.radii.y * rest.squareRoot()
            let y0 = max(0, Int((e.centre.y - ry).rounded(.up)))
            let y1 = min(height - 1, Int((e.centre.y + ry).rounded(.down)))
            guard y0 <= y1 else { continue }
            for y in y0...y1 {
                let dy = (Double(y) - e.centre.y) / e.radii.y
                let restY = rest - dy * dy
                guard restY > 0 else { continue }
                let rx = e.radii.x * restY.squareRoot()
                let x0 = max(0, Int((e.centre.x - rx).rounded(.up)))
                let x1 = min(width - 1, Int((e.centre.x + rx).rounded(.down)))
                guard x0 <= x1 else { continue }
                for x in x0...x1 { slice[y * width + x] = e.label }
            }
        }
    }
}
