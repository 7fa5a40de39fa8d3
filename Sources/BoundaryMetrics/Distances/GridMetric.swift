/// A metric in the form the nearest-neighbour search needs: a monotone "cost" between points (the squared
/// distance for Euclidean, so no square root is taken per candidate), a lower bound from one axis, and the
/// conversion of the final cost into a distance.
protocol GridMetric {
    static func cost(_ dx: Int32, _ dy: Int32, _ dz: Int32, _ spacing: Spacing) -> Double
    static func axisBound(_ delta: Int32, axis: Int, _ spacing: Spacing) -> Double
    static func distance(fromCost cost: Double) -> Double
}

enum EuclideanGridMetric: GridMetric {
    @inline(__always)
    static func cost(_ dx: Int32, _ dy: Int32, _ dz: Int32, _ spacing: Spacing) -> Double {
        // scipy: (Δ·s) per axis, squared, then added in axis order.
        let tx = Double(dx) * spacing.x
        let ty = Double(dy) * spacing.y
        let tz = Double(dz) * spacing.z
        return (tx * tx + ty * ty) + tz * tz
    }

    @inline(__always)
    static func axisBound(_ delta: Int32, axis: Int, _ spacing: Spacing) -> Double {
        let s = axis == 0 ? spacing.x : axis == 1 ? spacing.y : spacing.z
        let t = Double(delta) * s
        return t * t
    }

    @inline(__always)
    static func distance(fromCost cost: Double) -> Double { cost.squareRoot() }
}

enum ChessboardGridMetric: GridMetric {
    @inline(__always)
    static func cost(_ dx: Int32, _ dy: Int32, _ dz: Int32, _: Spacing) -> Double {
        Double(max(dx.magnitude, dy.magnitude, dz.magnitude))
    }

    @inline(__always)
    static func axisBound(_ delta: Int32, axis _: Int, _: Spacing) -> Double { Double(delta.magnitude) }

    @inline(__always)
    static func distance(fromCost cost: Double) -> Double { cost }
}

enum TaxicabGridMetric: GridMetric {
    @inline(__always)
    static func cost(_ dx: Int32, _ dy: Int32, _ dz: Int32, _: Spacing) -> Double {
        Double(dx.magnitude + dy.magnitude + dz.magnitude)
    }

    @inline(__always)
    static func axisBound(_ delta: Int32, axis _: Int, _: Spacing) -> Double { Double(delta.magnitude) }

    @inline(__always)
    static func distance(fromCost cost: Double) -> Double { cost }
}
