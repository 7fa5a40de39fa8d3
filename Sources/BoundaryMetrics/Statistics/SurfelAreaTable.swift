/// The area in mm² of the surface inside a 2×2×2 block, per neighbour code, for one voxel spacing.
///
/// DeepMind's `create_table_neighbour_code_to_surface_area`: each triangle normal n of the code (its length
/// is the triangle's area in voxel units) is scaled to (n₀·s₁·s₂, n₁·s₀·s₂, n₂·s₀·s₁); the code's area is
/// the sum of the scaled normals' lengths, accumulated in the table's order.
struct SurfelAreaTable: Sendable {
    private var areas: [Double]

    init(spacing: Spacing) {
        let (s0, s1, s2) = (spacing.x, spacing.y, spacing.z)
        var areas = [Double](repeating: 0, count: 256)
        var offset = 0
        for code in 0..<256 {
            var sum = 0.0
            for _ in 0..<Int(SurfelNormals.counts[code]) {
                let n0 = Double(SurfelNormals.eighths[offset]) / 8
                let n1 = Double(SurfelNormals.eighths[offset + 1]) / 8
                let n2 = Double(SurfelNormals.eighths[offset + 2]) / 8
                let a = n0 * s1 * s2
                let b = n1 * s0 * s2
                let c = n2 * s0 * s1
                sum += (a * a + b * b + c * c).squareRoot()
                offset += 3
            }
            areas[code] = sum
        }
        self.areas = areas
    }

    subscript(code: UInt8) -> Double { areas[Int(code)] }
}
