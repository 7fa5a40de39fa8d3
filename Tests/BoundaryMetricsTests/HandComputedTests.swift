import BoundaryMetrics
import Testing

/// Small shapes whose boundary values can be worked out by hand.
struct HandComputedTests {
    private static func cube(in size: Int, from lower: (Int, Int, Int), side: Int, label: UInt32 = 1) -> LabelVolume {
        var volume = LabelVolume(width: size, height: size, depth: size)
        for z in lower.2..<(lower.2 + side) {
            for y in lower.1..<(lower.1 + side) {
                for x in lower.0..<(lower.0 + side) { volume[x, y, z] = label }
            }
        }
        return volume
    }

    /// A 4³ cube shifted by one voxel along x: of 56 edge voxels per cube, the 16 on the leading face and the
    /// 4 inside the trailing face are 1 voxel from the other boundary, the other 36 lie on it.
    @Test func cubeVersusShiftedCube() {
        let reference = Self.cube(in: 10, from: (2, 2, 2), side: 4)
        let prediction = Self.cube(in: 10, from: (3, 2, 2), side: 4)
        let sets = collectBoundaries(prediction: prediction, reference: reference)
        let spacing = Spacing(x: 1, y: 1, z: 1)
        let edges = sets.distances(code: 1, kind: .edgeVoxels, spacing: spacing)
        #expect(edges.predictionToReference.count == 56)
        #expect(edges.predictionToReference.distances.filter { $0 == 1 }.count == 20)
        #expect(MonaiBoundaryMetrics.hausdorffDistance(edges, percentile: nil, directed: false) == 1)
        #expect(MonaiBoundaryMetrics.averageSurfaceDistance(edges, symmetric: true) == Float(40.0 / 112))
        #expect(MonaiBoundaryMetrics.surfaceDice(edges, threshold: 0.5, useSubvoxels: false) == Float(72.0 / 112))

        let stats = SurfaceDistanceStats(sets.distances(code: 1, kind: .surfels, spacing: spacing))
        #expect(stats.hd == 1)
        #expect(stats.percentile(95) == 1)
        #expect(stats.nsd(tolerance: 1) == 1)
        #expect(stats.masd > 0 && stats.masd < 1)
    }

    /// A digital ball against itself: every distance 0, and DeepMind's surfel areas add up to about 4πr².
    @Test func sphereAgainstItself() {
        let radius = 5.0
        var ball = LabelVolume(width: 13, height: 13, depth: 13)
        for z in 0..<13 {
            for y in 0..<13 {
                for x in 0..<13 {
                    let (dx, dy, dz) = (Double(x - 6), Double(y - 6), Double(z - 6))
                    if dx * dx + dy * dy + dz * dz <= radius * radius { ball[x, y, z] = 1 }
                }
            }
        }
        let sets = collectBoundaries(prediction: ball, reference: ball)
        let spacing = Spacing(x: 1, y: 1, z: 1)
        let stats = SurfaceDistanceStats(sets.distances(code: 1, kind: .surfels, spacing: spacing))
        #expect(stats.hd == 0 && stats.masd == 0 && stats.assd == 0 && stats.nsd(tolerance: 0) == 1)
        let area = sets.surfelAreas(code: 1, spacing: spacing).reference.reduce(0, +)
        let sphere = 4 * Double.pi * radius * radius
        #expect(abs(area - sphere) < 0.1 * sphere, "surfel area \(area) vs 4πr² \(sphere)")
    }

    /// One voxel against the voxel above it, 3 mm slices: its eight one-corner surfels have equal areas, four
    /// coincide with the other voxel's and four are one slice (3 mm) away.
    @Test func anisotropicSpacing() {
        var prediction = LabelVolume(width: 5, height: 5, depth: 6)
        var reference = prediction
        prediction[2, 2, 2] = 1
        reference[2, 2, 3] = 1
        let spacing = Spacing(x: 1, y: 1, z: 3)
        let sets = collectBoundaries(prediction: prediction, reference: reference)
        let stats = SurfaceDistanceStats(sets.distances(code: 1, kind: .surfels, spacing: spacing))
        #expect(stats.hd == 3)
        #expect(stats.percentile(95) == 3)
        #expect(stats.percentile(50) == 0)
        #expect(stats.masd == 1.5)
        #expect(stats.assd == 1.5)
        #expect(stats.nsd(tolerance: 1) == 0.5)
        let edges = sets.distances(code: 1, kind: .edgeVoxels, spacing: spacing)
        #expect(MonaiBoundaryMetrics.hausdorffDistance(edges, percentile: nil, directed: false) == 3)
        let chessboard = sets.distances(code: 1, kind: .edgeVoxels, spacing: spacing, metric: .chessboard)
        #expect(MonaiBoundaryMetrics.hausdorffDistance(chessboard, percentile: nil, directed: false) == 1)
    }

    /// A label filling the whole 4×3×2 volume: every voxel is on a face (an edge voxel) and the only blocks
    /// without surfels are the 3·2·1 interior grid points of the 5·4·3 grid.
    @Test func structureTouchingTheFaces() {
        let full = LabelVolume(width: 4, height: 3, depth: 2, labels: [UInt32](repeating: 1, count: 24))
        let sets = collectBoundaries(prediction: full, reference: full)
        #expect(sets.elementCounts(code: 1, kind: .edgeVoxels) == (24, 24))
        #expect(sets.elementCounts(code: 1, kind: .surfels) == (54, 54))
        #expect(sets.codes(kind: .surfels) == [1])
    }

    /// A one-slice volume: a 3×3 square is all edge (both z faces are outside), and its surfels sit on the two
    /// grid planes z = 0 and z = 1, 16 each.
    @Test func oneSliceVolume() {
        var square = LabelVolume(width: 6, height: 6, depth: 1)
        for y in 1..<4 { for x in 2..<5 { square[x, y, 0] = 2 } }
        var shifted = LabelVolume(width: 6, height: 6, depth: 1)
        for y in 2..<5 { for x in 2..<5 { shifted[x, y, 0] = 2 } }
        let sets = collectBoundaries(prediction: shifted, reference: square)
        #expect(sets.elementCounts(code: 2, kind: .edgeVoxels) == (9, 9))
        #expect(sets.elementCounts(code: 2, kind: .surfels) == (32, 32))
        let stats = SurfaceDistanceStats(sets.distances(code: 2, kind: .surfels, spacing: Spacing(x: 1, y: 2, z: 5)))
        #expect(stats.hd == 2)
    }

    @Test func emptyStructureRule() {
        let diagonal = EmptyStructureRule.diagonalMm(width: 240, height: 240, depth: 155, spacing: .init([1, 1, 1]))
        #expect(abs(diagonal - 373.13) < 0.01)
        let rule = { (p: Bool, r: Bool, ignore: Bool) in
            EmptyStructureRule.outcome(predictionHasLabel: p, referenceHasLabel: r, ignoreEmpty: ignore, diagonalMm: 9)
        }
        #expect(rule(true, true, true) == .measured)
        #expect(rule(false, true, true) == .fixed(distance: 9, nsd: 0))
        #expect(rule(false, true, false) == .fixed(distance: 9, nsd: 0))
        #expect(rule(true, false, true) == .undefined)
        #expect(rule(false, false, true) == .undefined)
        #expect(rule(true, false, false) == .fixed(distance: 9, nsd: 0))
        #expect(rule(false, false, false) == .fixed(distance: 0, nsd: 1))
    }
}
